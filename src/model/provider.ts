import type { LiveCatalog, OptionType, PayType, PriceRow, ProductGroupState, ProductType } from "./catalog.js";

/** How catalog writes reach WHMCS (its API cannot edit products, groups or configurable options). */
export type CatalogBackend = "companion" | "db" | "api";

/** Prices keyed by WHMCS currency id (writes use ids, reads use codes). */
export type PricingById = Readonly<Record<string, PriceRow>>;

export interface ProductGroupWrite {
  /** Resource name recorded in the ownership ledger (`metadata.name`). */
  readonly key: string;
  /** Remote id to update/adopt; absent to create (the backend looks the key up first). */
  readonly id?: string;
  readonly state: ProductGroupState;
}

export interface ChoiceWrite {
  /** "" for the single sub-option of quantity and yes/no options. */
  readonly key: string;
  readonly label: string;
  readonly order: number;
  readonly hidden: boolean;
  readonly pricing: PricingById;
}

export interface OptionWrite {
  readonly key: string;
  readonly label: string;
  readonly type: OptionType;
  readonly min: number;
  readonly max: number;
  readonly order: number;
  readonly hidden: boolean;
  readonly choices: readonly ChoiceWrite[];
}

export interface ConfigOptionGroupWrite {
  readonly key: string;
  readonly id?: string;
  readonly name: string;
  readonly description: string;
  /** The complete desired set: options not listed here are hidden by the backend, never deleted. */
  readonly options: readonly OptionWrite[];
}

export interface ProductWrite {
  readonly key: string;
  readonly id?: string;
  readonly groupId: string;
  readonly name: string;
  readonly description: string;
  readonly type: ProductType;
  readonly payType: PayType;
  readonly hidden: boolean;
  readonly module: string;
  /** The complete set of linked configurable option groups. */
  readonly configOptionGroupIds: readonly string[];
  /** One row per currency; currencies not listed keep their rows. */
  readonly pricing: PricingById;
  /** `tblproducts.retired`: set by a retire (policy.prune), cleared when the product is declared again; left as it is when absent. */
  readonly retired?: boolean;
}

export interface UpsertResult {
  readonly id: string;
  /** False when the object already existed (update, adopt, or a retried create). */
  readonly created: boolean;
}

export interface CatalogReader {
  readCatalog(): Promise<LiveCatalog>;
}

/**
 * Writes whole resources, each atomically (one transaction or one companion call), idempotently:
 * an upsert without `id` first looks the key up in the ownership ledger, so a retry after a
 * timeout never creates a duplicate.
 */
export interface CatalogWriter {
  readonly backend: CatalogBackend;
  upsertProductGroup(write: ProductGroupWrite): Promise<UpsertResult>;
  upsertConfigOptionGroup(write: ConfigOptionGroupWrite): Promise<UpsertResult>;
  upsertProduct(write: ProductWrite): Promise<UpsertResult>;
}

/** A catalog provider: reading always works; writing only on `companion` and `db`. */
export interface CatalogProvider extends CatalogReader {
  readonly backend: CatalogBackend;
  /** Undefined for the read-only `api` backend. */
  readonly writer: CatalogWriter | undefined;
}
