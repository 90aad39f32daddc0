import type { Kind, SourcePosition } from "./catalog.js";
import type { CatalogBackend } from "./provider.js";

/**
 * A secret as written in config: a `${env:NAME}` reference, never the value. It is resolved
 * only where it is used (building a provider), so `reconcile validate` needs no secrets.
 */
export interface SecretRef {
  readonly env: string;
}

export interface WhmcsTarget {
  /** Base URL of WHMCS, normalised (no trailing `/includes/api.php`, no trailing slash). */
  readonly url: string;
  readonly identifier: SecretRef;
  readonly secret: SecretRef;
  readonly accessKey: SecretRef | undefined;
  readonly catalogBackend: CatalogBackend;
  /** `db` backend only. */
  readonly database: { readonly url: string; readonly password: SecretRef | undefined } | undefined;
  /** Gateway system name used for orders the tool places. */
  readonly paymentMethod: string;
  /** What an order the tool places does besides creating the service. */
  readonly orders: OrderSettings;
}

/** AddOrder's side effects. Orders of free and trial orgs never raise an invoice (they bill 0.00). */
export interface OrderSettings {
  /** Raise an invoice for a paid org's order (default true). */
  readonly invoice: boolean;
  /** E-mail the order confirmation and the invoice to the client (default false). */
  readonly emails: boolean;
}

export const DEFAULT_ORDER_SETTINGS: OrderSettings = { invoice: true, emails: false };

export type ZohoPayPeriod = "monthly" | "yearly";

export interface ZohoPlanEntry {
  readonly planId: number;
  readonly userAddonId: number;
  readonly payPeriods: readonly ZohoPayPeriod[];
  /** Users allowed without a paid add-on (free plan cap), when known. */
  readonly maxUsers?: number;
  /** `plan_name` the Store partner listing uses for this plan, to map listings back to plan ids. */
  readonly storeName?: string;
  /** The partner's cost per licence per month, per currency code (money strings), for the plan's cost figures. */
  readonly cost?: Readonly<Record<string, string>>;
  /** Zoho trial plan names that belong to this plan's family (`enableTrial` planName). */
  readonly trials?: readonly string[];
}

export interface ZohoTarget {
  readonly region: string;
  readonly clientId: SecretRef;
  readonly clientSecret: SecretRef;
  readonly refreshToken: SecretRef;
  /** Accounts server returned by `reconcile zoho auth` when the account lives in another data centre. */
  readonly accountsServer?: string;
  /** Base URL of the built-in Zoho sandbox (`/<dc>/<service>` layout); never set for real Zoho. */
  readonly sandboxUrl?: string;
  /** Client-side cap on Mail API requests per minute (default 30). */
  readonly mailRequestsPerMinute?: number;
  /** Zoho Store plan catalogue, keyed by the plan names manifests use. */
  readonly plans: Readonly<Record<string, ZohoPlanEntry>>;
}

export interface Thresholds {
  /** Refuse when more than this share of existing managed objects would be updated (0..1). */
  readonly updateShare: number;
  readonly deleteShare: number;
  /** Share thresholds apply only when at least this many managed objects exist. */
  readonly minExisting: number;
  /** Refuse when the absolute MRR delta in a currency exceeds this (money string). */
  readonly mrrDelta: Readonly<Record<string, string>>;
  /** Refuse when more than this many customer orgs change in one plan. */
  readonly customers: number;
  /** Refuse when a plan buys more than this many Zoho licences in total; undefined: no limit. */
  readonly licencesDelta: number | undefined;
}

export interface Policy {
  readonly prune: Readonly<Record<Kind, boolean>>;
  /** Resource keys (`Product/legacy-mail`) the tool must never change. */
  readonly protect: readonly string[];
  readonly thresholds: Thresholds;
  /**
   * Which products' catalog price changes move existing managed services to the new price:
   * `none` (default: new orders only), `all`, or a list of product names.
   */
  readonly reprice: "none" | "all" | readonly string[];
}

/** `intake:`: which storefront orders `reconcile intake` turns into manifests, and where. */
export interface IntakeSettings {
  /** Only orders whose invoice is paid are written (default true); fraud is never written. */
  readonly requirePaid: boolean;
  /** Folder relative to the config file (default `customers`). */
  readonly dir: string;
}

export const DEFAULT_INTAKE: IntakeSettings = { requirePaid: true, dir: "customers" };

export interface Config {
  /** Absolute path of the config file and its directory (manifest globs are relative to it). */
  readonly file: string;
  readonly dir: string;
  readonly manifests: readonly string[];
  readonly whmcs: WhmcsTarget;
  readonly zoho: ZohoTarget | undefined;
  readonly policy: Policy;
  /** Absent in configs built in code; `DEFAULT_INTAKE` then. */
  readonly intake?: IntakeSettings;
  readonly source: SourcePosition;
}

export const DEFAULT_THRESHOLDS: Thresholds = {
  updateShare: 0.3,
  deleteShare: 0.3,
  minExisting: 10,
  mrrDelta: {},
  customers: 50,
  licencesDelta: undefined,
};
