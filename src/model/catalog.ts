import type { Money } from "../core/money.js";
import type { Cycle, PriceKey } from "../core/cycles.js";

/** Manifest kinds. */
export const KINDS = ["ProductGroup", "ConfigOptionGroup", "Product", "CustomerOrg"] as const;
export type Kind = (typeof KINDS)[number];

/** The server module of the products this tool manages; other products are out of scope. */
export const MANAGED_MODULE = "zoho_mail";

/** A human, stable resource key: `<Kind>/<metadata.name>`, e.g. `Product/mail-lite`. Never a remote id. */
export type ResourceKey = `${Kind}/${string}`;
export function resourceKey(kind: Kind, name: string): ResourceKey {
  return `${kind}/${name}`;
}

export type CurrencyCode = string;

/** A complete `tblpricing` row: all twelve price columns, canonical money strings. */
export type PriceRow = Readonly<Record<PriceKey, Money>>;
/** Prices per currency code; keys sorted by code unit. */
export type Pricing = Readonly<Record<CurrencyCode, PriceRow>>;

/** Where a desired resource was declared, for errors that point at the manifest. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

// ---------------------------------------------------------------------------------------------
// Canonical resource states. Desired (from manifests) and live (from WHMCS) are both converted
// to these shapes before the diff, so the diff compares like with like.
// ---------------------------------------------------------------------------------------------

export interface ProductGroupState {
  readonly name: string;
  readonly headline: string;
  readonly tagline: string;
  readonly hidden: boolean;
  readonly order: number;
}

export type OptionType = "dropdown" | "radio" | "yesno" | "quantity";
/** `tblproductconfigoptions.optiontype` codes (stored as text). */
export const OPTION_TYPE_CODE: Readonly<Record<OptionType, "1" | "2" | "3" | "4">> = {
  dropdown: "1",
  radio: "2",
  yesno: "3",
  quantity: "4",
};

/**
 * One sub-option (`tblproductconfigoptionssub`). Dropdown/radio choices are named `key|Label`;
 * quantity and yes/no options have exactly one sub-option whose key is the empty string and whose
 * label is the unit label.
 */
export interface ChoiceState {
  readonly key: string;
  readonly label: string;
  readonly order: number;
  readonly hidden: boolean;
  /** Surcharge per currency; cycles without a surcharge are "0.00". */
  readonly pricing: Pricing;
}

export interface OptionState {
  /** Left part of `optionname` (`mailboxes` in `mailboxes|Mailboxes`): the stable key. */
  readonly key: string;
  readonly label: string;
  readonly type: OptionType;
  /** Quantity range (`qtyminimum`/`qtymaximum`); 0/0 for non-quantity options. `max` 0 = unlimited. */
  readonly min: number;
  readonly max: number;
  readonly order: number;
  readonly hidden: boolean;
  /** Keyed by choice key. */
  readonly choices: Readonly<Record<string, ChoiceState>>;
}

export interface ConfigOptionGroupState {
  readonly name: string;
  readonly description: string;
  /** Keyed by option key. Options removed from a manifest stay, hidden (never deleted). */
  readonly options: Readonly<Record<string, OptionState>>;
}

export type ProductType = "hostingaccount" | "reselleraccount" | "server" | "other";
export type PayType = "free" | "onetime" | "recurring";

export interface ProductState {
  /** Reference to a ProductGroup by resource name (desired) or resolved from `gid` (live). */
  readonly group: string;
  readonly name: string;
  readonly description: string;
  readonly type: ProductType;
  readonly payType: PayType;
  readonly hidden: boolean;
  /** Server module (`tblproducts.servertype`), `zoho_mail` for the products this tool manages. */
  readonly module: string;
  /** ConfigOptionGroup resource names, sorted. */
  readonly configOptionGroups: readonly string[];
  /** Product pricing per currency; cycles not offered are "-1.00". */
  readonly pricing: Pricing;
}

// ---------------------------------------------------------------------------------------------
// Desired state (from manifests).
// ---------------------------------------------------------------------------------------------

export interface DesiredResource<K extends Kind, S> {
  readonly kind: K;
  readonly name: string;
  readonly key: ResourceKey;
  readonly spec: S;
  readonly source: SourcePosition;
  /** Positions of fields later checks report at, by JSON pointer (`/spec/mailboxes`); absent fields fall back to `source`. */
  readonly fields?: Readonly<Record<string, SourcePosition>>;
}

/**
 * Desired pricing as written in the manifest: only the currencies and keys the user wrote,
 * canonical money. The diff completes it against the currencies WHMCS has.
 */
export type PartialPricing = Readonly<Record<CurrencyCode, Readonly<Partial<Record<PriceKey, Money>>>>>;

export interface DesiredChoice {
  readonly key: string;
  readonly label: string;
  readonly hidden: boolean;
  readonly pricing: PartialPricing;
}

export interface DesiredOption {
  readonly key: string;
  readonly label: string;
  readonly type: OptionType;
  readonly min: number;
  readonly max: number;
  readonly hidden: boolean;
  /** For quantity/yesno: one choice with key "". For dropdown/radio: the declared choices, in order. */
  readonly choices: readonly DesiredChoice[];
}

export interface DesiredConfigOptionGroup {
  readonly name: string;
  readonly description: string;
  /** In manifest order: the order becomes `tblproductconfigoptions.order`. */
  readonly options: readonly DesiredOption[];
}

export interface ZohoPlanRef {
  /** A key of the config's `zoho.plans`. */
  readonly plan: string;
}

export interface DesiredProduct {
  readonly group: string;
  readonly name: string;
  readonly description: string;
  readonly type: ProductType;
  readonly payType: PayType;
  readonly hidden: boolean;
  readonly module: string;
  readonly zoho: ZohoPlanRef | undefined;
  readonly configOptionGroups: readonly string[];
  readonly pricing: PartialPricing;
}

export type DesiredProductGroup = ProductGroupState;

export interface DesiredCatalog {
  /** Each list sorted by name (code unit order). */
  readonly productGroups: readonly DesiredResource<"ProductGroup", DesiredProductGroup>[];
  readonly configOptionGroups: readonly DesiredResource<"ConfigOptionGroup", DesiredConfigOptionGroup>[];
  readonly products: readonly DesiredResource<"Product", DesiredProduct>[];
}

// ---------------------------------------------------------------------------------------------
// Live state (from WHMCS), already canonical. References are remote ids; the diff resolves them.
// ---------------------------------------------------------------------------------------------

export interface Currency {
  readonly id: string;
  readonly code: CurrencyCode;
  readonly prefix: string;
  readonly suffix: string;
  readonly isDefault: boolean;
}

export interface LiveObject<S> {
  readonly remoteId: string;
  /** Resource name this object is recorded under in the ownership ledger, if any. */
  readonly ownedAs: string | undefined;
  readonly state: S;
}

/** A live product before references are resolved: group and option groups as remote ids. */
export interface LiveProductState extends Omit<ProductState, "group" | "configOptionGroups"> {
  readonly groupId: string;
  readonly configOptionGroupIds: readonly string[];
  /** `tblproducts.retired`, present (true) only when set and the backend reads it (companion, db). */
  readonly retired?: true;
}

export interface LiveOptionIds {
  /** Option key → remote config option id, and choice key → remote sub-option id. */
  readonly options: Readonly<Record<string, { readonly id: string; readonly choices: Readonly<Record<string, string>> }>>;
}

export interface LiveCatalog {
  readonly currencies: readonly Currency[];
  readonly productGroups: readonly LiveObject<ProductGroupState>[];
  readonly configOptionGroups: readonly (LiveObject<ConfigOptionGroupState> & { readonly ids: LiveOptionIds })[];
  readonly products: readonly LiveObject<LiveProductState>[];
  /** False when the backend cannot read or record ownership (the read-only `api` backend). */
  readonly ownershipKnown: boolean;
  /**
   * Active services per product, billing cycle and currency, for revenue impact figures.
   * Undefined when the backend cannot count them.
   */
  readonly serviceCounts: readonly ServiceCount[] | undefined;
}

export interface ServiceCount {
  readonly productId: string;
  readonly cycle: Cycle;
  readonly currency: CurrencyCode;
  readonly active: number;
}
