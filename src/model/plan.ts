import type { Cycle } from "../core/cycles.js";
import type { Kind, ResourceKey, SourcePosition } from "./catalog.js";

/** 2: creates list no field diffs. */
export const PLAN_FORMAT_VERSION = 2;

export type ChangeAction = "create" | "update" | "delete" | "adopt" | "assign" | "retire" | "noop";
export type ChangeClass = "billing" | "destructive" | "customer-visible";

/** One field-level difference. `path` is dotted, e.g. `pricing.USD.annually`. */
export interface FieldDiff {
  readonly path: string;
  /** `null` when the field did not exist before. */
  readonly before: unknown;
  /** `null` when the field no longer exists. */
  readonly after: unknown;
}

/** Monthly recurring revenue effect of a pricing change, per currency (money strings). */
export interface RevenueImpact {
  readonly currency: string;
  /** Billing cycle this figure is for. */
  readonly cycle?: Cycle;
  /** Change in MRR per active service on the affected cycle(s), e.g. "+1.00". */
  readonly mrrDeltaPerService: string;
  /** Active services touched; null when the backend cannot count them. */
  readonly activeServices: number | null;
  /** Total MRR delta (per service × services); null when services are unknown. */
  readonly mrrDelta: string | null;
}

/** Zoho user licences of one customer org before and after the change (null: none or unknown). */
export interface LicenseImpact {
  readonly before: number | null;
  readonly after: number | null;
}

/**
 * What a customer org's service bills before and after the change, in the client's currency, and
 * what a new order does. Amounts are per billing cycle; `mrrDelta` is the monthly equivalent.
 */
export interface BillingImpact {
  /** ISO code of the client's currency. */
  readonly currency: string;
  readonly cycleBefore: string | null;
  readonly cycleAfter: string;
  /** Recurring amount per cycle before; null when there is no service yet. */
  readonly before: string | null;
  readonly after: string;
  /** Signed money a month ("+5.00", "-2.50", "0.00"). */
  readonly mrrDelta: string;
  /** Why the amount is what it is, in plain words. */
  readonly basis: string;
  /** A new order: whether it raises an invoice, for how much, and to whom it is e-mailed (null: not e-mailed). */
  readonly order?: { readonly invoice: boolean; readonly amount: string; readonly emailTo: string | null };
}

/** Zoho licences bought (positive) or released (negative) per `<plan>/<payPeriod>`. */
export type LicenceDeltas = Readonly<Record<string, number>>;

export interface ChangeImpact {
  readonly revenue?: readonly RevenueImpact[];
  /** Customer orgs: what WHMCS bills. */
  readonly billing?: BillingImpact;
  /** Customer orgs: paid Zoho licences bought and released. */
  readonly licenceDeltas?: LicenceDeltas;
  /** Customer orgs: Zoho user licences before and after. */
  readonly licenses?: LicenseImpact;
  /** Free text lines for reviewers ("retires option 'backup': hidden, not deleted"). */
  readonly notes?: readonly string[];
  /** Retires (policy.prune): active services still on the object; null when the backend cannot count them. */
  readonly retire?: { readonly activeServices: number | null };
}

/** A step the tool cannot perform with the configured backend; apply refuses it. */
export interface ManualStep {
  readonly reason: string;
  readonly instructions: readonly string[];
}

export interface Change {
  /** Same as `key`; changes are unique per resource. */
  readonly id: ResourceKey;
  readonly action: ChangeAction;
  readonly kind: Kind;
  readonly name: string;
  readonly key: ResourceKey;
  /** Remote id of the live object (update/adopt/noop/delete); absent for create. */
  readonly remoteId?: string;
  readonly before: unknown;
  readonly after: unknown;
  /**
   * Sorted by path. Empty for a create (its fields are `after`; `fieldDiffs` in plan/diff.ts lists
   * them for readers), for noop, and for adopt without field changes.
   */
  readonly diffs: readonly FieldDiff[];
  /** Keys of changes that must succeed first. */
  readonly dependsOn: readonly ResourceKey[];
  /** Sorted. */
  readonly classes: readonly ChangeClass[];
  readonly impact: ChangeImpact;
  readonly manual?: ManualStep;
  readonly source?: SourcePosition;
}

/** A live object no manifest declares; reported, never touched. */
export interface UnmanagedObject {
  readonly kind: Kind;
  readonly remoteId: string;
  readonly name: string;
  /** `unmanaged`: not ours. `orphaned`: recorded as ours but no longer declared (prune is off). */
  readonly reason: "unmanaged" | "orphaned";
  readonly ownedAs?: string;
  /** Why it is left as it is, and what to do ("orphaned, still orderable: …"). */
  readonly note?: string;
  /** Customer orgs: what the WHMCS service still bills, per month, in the client's currency (null: unknown). */
  readonly billing?: { readonly currency: string | null; readonly recurringAmount: string; readonly cycle: string; readonly mrr: string };
  /** Customer orgs: Zoho licences the org holds (the partner pays for them); null when unknown. */
  readonly licences?: number | null;
}

/** A DNS record a person must publish; the tool cannot create it. */
export interface DnsRecord {
  readonly type: "CNAME";
  /** Fully qualified, e.g. `zb12345678.acme.example`. */
  readonly name: string;
  readonly value: string;
}

/**
 * Something that waits for a person, not for the tool: a Zoho org whose domain is not verified
 * yet. Listed in the plan, never a change: pending items do not make a plan have changes.
 */
export interface PendingItem {
  readonly key: ResourceKey;
  readonly reason: "domain-verification";
  readonly domain: string;
  readonly zoid: string;
  /** Null when the verification code could not be read. */
  readonly record: DnsRecord | null;
  readonly message: string;
}

export interface PlanSummary {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly adopt: number;
  readonly assign: number;
  /** Present when the plan retires something (policy.prune). */
  readonly retire?: number;
  readonly noop: number;
  readonly manual: number;
  readonly unmanaged: number;
}

export interface PlanTarget {
  readonly whmcs: string;
  readonly catalogBackend: string;
  readonly zohoRegion?: string;
  /** `i/n` when the run plans one shard of the customer orgs (`--shard`). */
  readonly shard?: string;
}

/**
 * A customer org that live state stops: a duplicate in WHMCS or Zoho, a change a customer made in
 * Zoho that the manifest cannot follow, an ambiguity. Its change is left out of the plan (nothing
 * is applied to it) while every other change plans and applies; the run ends with exit 7.
 */
export interface BlockedOrg {
  readonly key: ResourceKey;
  /** Each problem with the manifest field it concerns and where that field is written. */
  readonly reasons: readonly {
    readonly code: string;
    readonly message: string;
    readonly hint?: string;
    readonly field: string;
    readonly file: string;
    readonly line: number;
    readonly col: number;
  }[];
  readonly source?: SourcePosition;
}

/** What the whole plan does to money and licences (customer orgs and repricing). */
export interface PlanTotals {
  /** Signed monthly recurring revenue change per currency code, exact to the cent. */
  readonly mrr: Readonly<Record<string, string>>;
  /** Paid Zoho licences bought (+) and released (−) per `<plan>/<payPeriod>`. */
  readonly licences: LicenceDeltas;
  /** Customer orgs whose billing or licences change. */
  readonly customers: number;
  /** The partner's monthly cost change per currency, where `zoho.plans.<key>.cost` is configured. */
  readonly cost?: Readonly<Record<string, string>>;
}

export interface Plan {
  readonly formatVersion: typeof PLAN_FORMAT_VERSION;
  /** `sha256:<hex>` over the canonical JSON of every other member. */
  readonly checksum: string;
  readonly target: PlanTarget;
  readonly summary: PlanSummary;
  /** In apply order: dependencies first, then kind order, then key. */
  readonly changes: readonly Change[];
  readonly unmanaged: readonly UnmanagedObject[];
  readonly warnings: readonly string[];
  /** Customer orgs waiting for a person (DNS verification); sorted by key. Absent when there are none. */
  readonly pending?: readonly PendingItem[];
  /** Money and licences: present when the plan declares or changes customer orgs. */
  readonly totals?: PlanTotals;
  /** Customer orgs live state blocks, sorted by key; absent when there are none. */
  readonly blocked?: readonly BlockedOrg[];
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => c.action !== "noop");
}
