import { compareCodeUnits } from "../../core/canonical.js";
import { resourceKey, type DesiredCatalog, type DesiredProduct, type LiveCatalog, type ResourceKey } from "../../model/catalog.js";
import { MAILBOXES_OPTION_KEY } from "../../model/customers.js";
import type { Change } from "../../model/plan.js";
import { MANAGED_MODULE } from "../../model/catalog.js";
import { productOptions, type ProductOptions } from "./billing.js";

/** What a customer org needs to know about the product it names. */
export interface ProductContext {
  readonly name: string;
  readonly key: ResourceKey;
  /** Undefined when no manifest declares the product. */
  readonly spec: DesiredProduct | undefined;
  /** WHMCS id when the catalog plan matched a live product; undefined while it is still to be created. */
  readonly pid: string | undefined;
  /** Range of the product's `mailboxes` quantity option; undefined when the product has none. */
  readonly mailboxes: { readonly min: number; readonly max: number } | undefined;
  /** The product, and its option groups when they change in the same plan (apply needs their ids). */
  readonly dependsOn: readonly ResourceKey[];
  /** Its priced options (mailboxes, choices), from the desired catalog; undefined when no manifest declares it. */
  readonly options: ProductOptions | undefined;
}

export interface CatalogContext {
  product(name: string): ProductContext;
  /** Live ids of `zoho_mail` products: the services on them are in scope. */
  readonly managedPids: ReadonlySet<string>;
  /** Resource name of a live product id; `#<pid>` when no manifest declares it. */
  nameOfPid(pid: string): string;
}

/** Built from the desired catalog, the live catalog and the catalog part of the plan. */
export function catalogContext(desired: DesiredCatalog, live: LiveCatalog, catalogChanges: readonly Change[]): CatalogContext {
  const products = new Map(desired.products.map((p) => [p.name, p.spec]));
  const optionGroups = new Map(desired.configOptionGroups.map((g) => [g.name, g.spec]));
  const pidOf = new Map<string, string>();
  const nameOf = new Map<string, string>();
  const changing = new Set<ResourceKey>();
  for (const c of catalogChanges) {
    if (c.action !== "noop") changing.add(c.key);
    if (c.kind === "Product" && c.remoteId !== undefined) {
      pidOf.set(c.name, c.remoteId);
      nameOf.set(c.remoteId, c.name);
    }
  }
  const managedPids = new Set(live.products.filter((p) => p.state.module === MANAGED_MODULE).map((p) => p.remoteId));

  const mailboxesOf = (spec: DesiredProduct): ProductContext["mailboxes"] => {
    for (const g of [...spec.configOptionGroups].sort(compareCodeUnits)) {
      const option = optionGroups.get(g)?.options.find((o) => o.key === MAILBOXES_OPTION_KEY && o.type === "quantity");
      if (option !== undefined) return { min: option.min, max: option.max };
    }
    return undefined;
  };

  // Built once per product name: every org of a product asks for the same context.
  const contexts = new Map<string, ProductContext>();
  const build = (name: string): ProductContext => {
    const spec = products.get(name);
    const key = resourceKey("Product", name);
    const groups = spec === undefined ? [] : [...new Set(spec.configOptionGroups)].map((g) => resourceKey("ConfigOptionGroup", g));
    return {
      name,
      key,
      spec,
      pid: pidOf.get(name),
      mailboxes: spec === undefined ? undefined : mailboxesOf(spec),
      options: spec === undefined ? undefined : productOptions(spec, optionGroups),
      dependsOn: [key, ...groups.filter((g) => changing.has(g))].sort(compareCodeUnits),
    };
  };

  return {
    managedPids,
    nameOfPid: (pid) => nameOf.get(pid) ?? `#${pid}`,
    product(name) {
      let context = contexts.get(name);
      if (context === undefined) {
        context = build(name);
        contexts.set(name, context);
      }
      return context;
    },
  };
}
