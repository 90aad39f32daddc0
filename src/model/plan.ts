import type { Cycle } from "../core/cycles.js";
import type { Kind, ResourceKey, SourcePosition } from "./catalog.js";

export const PLAN_FORMAT_VERSION = 1;

export type ChangeAction = "create" | "update" | "delete" | "adopt" | "assign" | "noop";
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

export interface ChangeImpact {
  readonly revenue?: readonly RevenueImpact[];
  /** Customer orgs: Zoho user licences before and after. */
  readonly licenses?: LicenseImpact;
  /** Free text lines for reviewers ("retires option 'backup': hidden, not deleted"). */
  readonly notes?: readonly string[];
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
  /** Sorted by path. Empty for noop and for adopt without field changes. */
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
}

export function hasChanges(plan: Plan): boolean {
  return plan.changes.some((c) => c.action !== "noop");
}
