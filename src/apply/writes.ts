import type {
  ConfigOptionGroupState,
  Currency,
  Pricing,
  ProductGroupState,
  ProductState,
  ResourceKey,
} from "../model/catalog.js";
import { resourceKey } from "../model/catalog.js";
import type { Change } from "../model/plan.js";
import type { ConfigOptionGroupWrite, PricingById, ProductGroupWrite, ProductWrite } from "../model/provider.js";
import { ReconcileError } from "../core/errors.js";
import { compareCodeUnits } from "../core/canonical.js";

/** Resolves a resource key to the remote id it has now (known before apply, or created during it). */
export type IdResolver = (key: ResourceKey) => string | undefined;

function pricingById(pricing: Pricing, currencies: readonly Currency[]): PricingById {
  const byCode = new Map(currencies.map((c) => [c.code, c.id]));
  const out: Record<string, Pricing[string]> = {};
  for (const code of Object.keys(pricing).sort(compareCodeUnits)) {
    const id = byCode.get(code);
    const row = pricing[code];
    if (id === undefined || row === undefined) {
      throw new ReconcileError("apply.unknown-currency", `currency ${code} is not configured in WHMCS`);
    }
    out[id] = row;
  }
  return out;
}

function need(resolve: IdResolver, key: ResourceKey, forKey: string): string {
  const id = resolve(key);
  if (id === undefined) {
    throw new ReconcileError(
      "apply.unresolved-reference",
      `${forKey} refers to ${key}, which has no WHMCS id (it was not created or adopted)`,
    );
  }
  return id;
}

/** Turn a planned change's `after` state into the backend write for its kind. */
export function productGroupWrite(change: Change): ProductGroupWrite {
  const state = change.after as ProductGroupState;
  return { key: change.name, ...(change.remoteId === undefined ? {} : { id: change.remoteId }), state };
}

export function configOptionGroupWrite(change: Change, currencies: readonly Currency[]): ConfigOptionGroupWrite {
  const state = change.after as ConfigOptionGroupState;
  const options = Object.values(state.options)
    .slice()
    .sort((a, b) => a.order - b.order || compareCodeUnits(a.key, b.key))
    .map((o) => ({
      key: o.key,
      label: o.label,
      type: o.type,
      min: o.min,
      max: o.max,
      order: o.order,
      hidden: o.hidden,
      choices: Object.values(o.choices)
        .slice()
        .sort((a, b) => a.order - b.order || compareCodeUnits(a.key, b.key))
        .map((c) => ({
          key: c.key,
          label: c.label,
          order: c.order,
          hidden: c.hidden,
          pricing: pricingById(c.pricing, currencies),
        })),
    }));
  return {
    key: change.name,
    ...(change.remoteId === undefined ? {} : { id: change.remoteId }),
    name: state.name,
    description: state.description,
    options,
  };
}

export function productWrite(change: Change, currencies: readonly Currency[], resolve: IdResolver): ProductWrite {
  const state = change.after as ProductState;
  return {
    key: change.name,
    ...(change.remoteId === undefined ? {} : { id: change.remoteId }),
    groupId: need(resolve, resourceKey("ProductGroup", state.group), change.key),
    name: state.name,
    description: state.description,
    type: state.type,
    payType: state.payType,
    hidden: state.hidden,
    module: state.module,
    configOptionGroupIds: state.configOptionGroups
      .map((g) => need(resolve, resourceKey("ConfigOptionGroup", g), change.key))
      .sort(compareCodeUnits),
    pricing: state.payType === "free" ? {} : pricingById(state.pricing, currencies),
    ...retiredFlag(change),
  };
}

/** `tblproducts.retired`: set by a retire, cleared when a retired product is declared again, else left alone. */
function retiredFlag(change: Change): { readonly retired?: boolean } {
  const flag = (s: unknown): boolean => typeof s === "object" && s !== null && (s as { retired?: unknown }).retired === true;
  if (flag(change.after)) return { retired: true };
  return flag(change.before) ? { retired: false } : {};
}
