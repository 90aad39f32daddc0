/**
 * The apply lock: a lease held in WHMCS itself (the one system every apply writes to), so two
 * applies started together on one config cannot both write. Times are the lock store's own clock
 * (WHMCS's server, or the database's), never the caller's, so hosts with skewed clocks agree on
 * when a lease has expired. Contract of the companion actions: docs/companion-api.md.
 */

/** The one lock every apply takes (docs/decisions.md: one lock for everything, shards included). */
export const APPLY_LOCK_NAME = "apply";

/** Who holds a lock and until when. */
export interface Lease {
  readonly name: string;
  /** The holding run's id: what `reconcile unlock --run-id` names. */
  readonly runId: string;
  /** Who started the run (user, or CI actor), for people reading the refusal. */
  readonly holder: string;
  readonly host: string;
  /** When the lease was first taken. */
  readonly acquiredAt: Date;
  /** Its last renewal. */
  readonly renewedAt: Date;
  /** After this the next apply may take the lease over. */
  readonly expiresAt: Date;
}

export interface LeaseRequest {
  readonly name: string;
  readonly runId: string;
  readonly holder: string;
  readonly host: string;
  readonly ttlSeconds: number;
}

export type AcquireOutcome =
  /** `tookOver`: the expired lease this one replaced (its run presumably died). */
  | { readonly acquired: true; readonly lease: Lease; readonly tookOver: Lease | undefined; readonly storeNow: Date }
  | { readonly acquired: false; readonly heldBy: Lease; readonly storeNow: Date };

export interface RenewOutcome {
  readonly renewed: boolean;
  /** Ours when renewed; whoever holds it otherwise (undefined: nobody). */
  readonly lease: Lease | undefined;
}

export interface ReleaseOutcome {
  readonly released: boolean;
  /** The lease released; or, when not released, whoever holds it (undefined: nobody). */
  readonly lease: Lease | undefined;
}

/**
 * Where a lock lives: the companion actions or WHMCS's database. Each call is one compare-and-set
 * in one transaction. Acquiring again with the same run id renews (so a retried acquire is safe).
 */
export interface LockStore {
  /** For messages: `companion` or `db`. */
  readonly backend: string;
  acquire(request: LeaseRequest): Promise<AcquireOutcome>;
  renew(name: string, runId: string, ttlSeconds: number): Promise<RenewOutcome>;
  /** Releases only when `runId` holds the lock. */
  release(name: string, runId: string): Promise<ReleaseOutcome>;
}
