import { CYCLES, PRICE_KEYS, type PriceKey } from "../../src/core/cycles.js";
import type { Money } from "../../src/core/money.js";
import {
  resourceKey,
  type ChoiceState,
  type ConfigOptionGroupState,
  type Currency,
  type DesiredCatalog,
  type DesiredConfigOptionGroup,
  type DesiredOption,
  type DesiredProduct,
  type DesiredProductGroup,
  type DesiredResource,
  type LiveCatalog,
  type LiveObject,
  type LiveOptionIds,
  type LiveProductState,
  type OptionState,
  type PartialPricing,
  type PriceRow,
  type ProductGroupState,
  type ServiceCount,
  type SourcePosition,
} from "../../src/model/catalog.js";
import type { Policy } from "../../src/model/config.js";
import type { PlanTarget } from "../../src/model/plan.js";
import type { CatalogBackend } from "../../src/model/provider.js";
import type { PlanInput } from "../../src/plan/index.js";

/*
 * Small builders for catalog fixtures. Every builder takes overrides so a test states only
 * what it is about.
 */

export const USD: Currency = { id: "1", code: "USD", prefix: "$", suffix: " USD", isDefault: true };
export const EUR: Currency = { id: "2", code: "EUR", prefix: "€", suffix: " EUR", isDefault: false };

export function at(line: number, file = "catalog/email.yaml"): SourcePosition {
  return { file, line, col: 1 };
}

export function group(name: string, spec: Partial<DesiredProductGroup> = {}, source = at(1)): DesiredResource<"ProductGroup", DesiredProductGroup> {
  return {
    kind: "ProductGroup",
    name,
    key: resourceKey("ProductGroup", name),
    source,
    spec: { name: "Business Email", headline: "Email on your own domain", tagline: "Powered by Zoho Mail", hidden: false, order: 1, ...spec },
  };
}

export function quantityOption(key: string, pricing: PartialPricing, over: Partial<DesiredOption> = {}): DesiredOption {
  return {
    key,
    label: "Mailboxes",
    type: "quantity",
    min: 1,
    max: 0,
    hidden: false,
    choices: [{ key: "", label: "Mailbox", hidden: false, pricing }],
    ...over,
  };
}

export function optionGroup(
  name: string,
  spec: Partial<DesiredConfigOptionGroup> = {},
  source = at(10),
): DesiredResource<"ConfigOptionGroup", DesiredConfigOptionGroup> {
  return {
    kind: "ConfigOptionGroup",
    name,
    key: resourceKey("ConfigOptionGroup", name),
    source,
    spec: {
      name: "Mail Lite options",
      description: "Mailboxes for Zoho Mail Lite",
      options: [quantityOption("mailboxes", { USD: { monthly: "1.00", annually: "12.00" }, EUR: { monthly: "0.95", annually: "11.40" } })],
      ...spec,
    },
  };
}

export function product(name: string, spec: Partial<DesiredProduct> = {}, source = at(30)): DesiredResource<"Product", DesiredProduct> {
  return {
    kind: "Product",
    name,
    key: resourceKey("Product", name),
    source,
    spec: {
      group: "business-email",
      name: "Zoho Mail Lite",
      description: "Ad-free business email, 5 GB per mailbox.",
      type: "other",
      payType: "recurring",
      hidden: false,
      module: "zoho_mail",
      zoho: { plan: "mail-lite" },
      configOptionGroups: [],
      pricing: { USD: { annually: "10.00" } },
      ...spec,
    },
  };
}

export function desiredCatalog(parts: Partial<DesiredCatalog> = {}): DesiredCatalog {
  return { productGroups: [], configOptionGroups: [], products: [], ...parts };
}

/** A full price row: the given cells, every other cycle `cycleDefault`, setup fees 0.00. */
export function row(cells: Partial<Record<PriceKey, Money>>, cycleDefault: Money = "-1.00"): PriceRow {
  const out = {} as Record<PriceKey, Money>;
  for (const key of PRICE_KEYS) out[key] = cells[key] ?? ((CYCLES as readonly string[]).includes(key) ? cycleDefault : "0.00");
  return out;
}

export function liveGroup(remoteId: string, ownedAs: string | undefined, state: Partial<ProductGroupState> = {}): LiveObject<ProductGroupState> {
  return {
    remoteId,
    ownedAs,
    state: { name: "Business Email", headline: "Email on your own domain", tagline: "Powered by Zoho Mail", hidden: false, order: 1, ...state },
  };
}

export function liveChoice(key: string, label: string, order: number, pricing: Record<string, PriceRow>, hidden = false): ChoiceState {
  return { key, label, order, hidden, pricing };
}

export function liveOption(key: string, over: Partial<OptionState> = {}): OptionState {
  return {
    key,
    label: "Mailboxes",
    type: "quantity",
    min: 1,
    max: 0,
    order: 0,
    hidden: false,
    choices: {
      "": liveChoice("", "Mailbox", 0, {
        USD: row({ monthly: "1.00", annually: "12.00" }, "0.00"),
        EUR: row({ monthly: "0.95", annually: "11.40" }, "0.00"),
      }),
    },
    ...over,
  };
}

export function liveOptionGroup(
  remoteId: string,
  ownedAs: string | undefined,
  state: Partial<ConfigOptionGroupState> = {},
): LiveObject<ConfigOptionGroupState> & { readonly ids: LiveOptionIds } {
  const full: ConfigOptionGroupState = {
    name: "Mail Lite options",
    description: "Mailboxes for Zoho Mail Lite",
    options: { mailboxes: liveOption("mailboxes") },
    ...state,
  };
  const ids: LiveOptionIds = {
    options: Object.fromEntries(
      Object.values(full.options).map((o, i) => [
        o.key,
        { id: `${remoteId}${i}`, choices: Object.fromEntries(Object.keys(o.choices).map((c, j) => [c, `${remoteId}${i}${j}`])) },
      ]),
    ),
  };
  return { remoteId, ownedAs, state: full, ids };
}

export function liveProduct(remoteId: string, ownedAs: string | undefined, state: Partial<LiveProductState> = {}): LiveObject<LiveProductState> {
  return {
    remoteId,
    ownedAs,
    state: {
      groupId: "1",
      name: "Zoho Mail Lite",
      description: "Ad-free business email, 5 GB per mailbox.",
      type: "other",
      payType: "recurring",
      hidden: false,
      module: "zoho_mail",
      configOptionGroupIds: [],
      pricing: { USD: row({ annually: "10.00" }), EUR: row({}) },
      ...state,
    },
  };
}

export function liveCatalog(parts: Partial<LiveCatalog> = {}): LiveCatalog {
  return {
    currencies: [USD, EUR],
    productGroups: [],
    configOptionGroups: [],
    products: [],
    ownershipKnown: true,
    serviceCounts: [],
    ...parts,
  };
}

export function services(productId: string, cycle: ServiceCount["cycle"], currency: string, active: number): ServiceCount {
  return { productId, cycle, currency, active };
}

export const TARGET: PlanTarget = { whmcs: "https://billing.example.com", catalogBackend: "companion" };

export function input(desired: DesiredCatalog, live: LiveCatalog, backend: CatalogBackend = "companion"): PlanInput {
  return { desired, live, target: { ...TARGET, catalogBackend: backend }, backend };
}

export function policy(over: Partial<Policy> = {}, thresholds: Partial<Policy["thresholds"]> = {}): Policy {
  return {
    prune: { ProductGroup: false, ConfigOptionGroup: false, Product: false, CustomerOrg: false },
    protect: [],
    reprice: "none",
    ...over,
    thresholds: { updateShare: 0.3, deleteShare: 0.3, minExisting: 10, mrrDelta: {}, customers: 50, licencesDelta: undefined, ...thresholds },
  };
}

/** Freezes a value deeply, so any mutation by the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
