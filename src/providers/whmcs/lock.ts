import { randomUUID } from "node:crypto";
import { hostname, userInfo } from "node:os";
import { ExitCode, ReconcileError } from "../../core/errors.js";
import type { Logger } from "../../core/log.js";
import { APPLY_LOCK_NAME, type AcquireOutcome, type Lease, type LeaseRequest, type LockStore } from "../../model/lock.js";
import type { WhmcsClient, WhmcsResponse } from "./client.js";

/** Default lease: two minutes, renewed every 40 s; a killed run blocks others for at most that. */
export const DEFAULT_LOCK_TTL_SECONDS = 120;

/** The companion actions `ReconcileAcquireLock`, `ReconcileRenewLock`, `ReconcileReleaseLock`. */
export function companionLockStore(client: WhmcsClient): LockStore {
  // Acquire and renew with the same run id leave the same lease however often they arrive, so they
  // are retried after a lost answer; release is not (a second one reports the lease already gone).
  const call = (action: string, params: Record<string, string>, kind: "write" | "idempotent" = "idempotent"): Promise<WhmcsResponse> =>
    client.call(action, params, { kind });
  return {
    backend: "companion",
    async acquire(r) {
      const res = await call("ReconcileAcquireLock", { name: r.name, runid: r.runId, ttl: String(r.ttlSeconds), holder: r.holder, host: r.host });
      return acquireOutcome(res, "ReconcileAcquireLock");
    },
    async renew(name, runId, ttlSeconds) {
      const res = await call("ReconcileRenewLock", { name, runid: runId, ttl: String(ttlSeconds) });
      return { renewed: res["renewed"] === true, lease: leaseOf(res["lock"], "ReconcileRenewLock") };
    },
    async release(name, runId) {
      const res = await call("ReconcileReleaseLock", { name, runid: runId }, "write");
      return { released: res["released"] === true, lease: leaseOf(res["lock"], "ReconcileReleaseLock") };
    },
  };
}

/** The lease fields as the companion actions and the db lock answer them (Unix seconds). */
export interface LeaseRow {
  readonly name: string;
  readonly runid: string;
  readonly holder: string;
  readonly host: string;
  readonly acquired: number;
  readonly renewed: number;
  readonly expires: number;
}

export function leaseFromRow(row: LeaseRow): Lease {
  return {
    name: row.name,
    runId: row.runid,
    holder: row.holder,
    host: row.host,
    acquiredAt: new Date(row.acquired * 1000),
    renewedAt: new Date(row.renewed * 1000),
    expiresAt: new Date(row.expires * 1000),
  };
}

function leaseOf(value: unknown, action: string): Lease | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value as Record<string, unknown>;
  const text = (k: string): string => (typeof v[k] === "string" ? (v[k] as string) : "");
  const num = (k: string): number => {
    const n = Number(v[k]);
    if (!Number.isFinite(n)) throw new ReconcileError("whmcs.lock.response", `${action} answered a lease without ${k}`);
    return n;
  };
  return leaseFromRow({ name: text("name"), runid: text("runid"), holder: text("holder"), host: text("host"), acquired: num("acquired"), renewed: num("renewed"), expires: num("expires") });
}

function acquireOutcome(res: WhmcsResponse, action: string): AcquireOutcome {
  const storeNow = new Date(Number(res["now"]) * 1000);
  const lease = leaseOf(res["lock"], action);
  if (lease === undefined) throw new ReconcileError("whmcs.lock.response", `${action} answered without the lease`);
  return res["acquired"] === true
    ? { acquired: true, lease, tookOver: leaseOf(res["tookover"], action), storeNow }
    : { acquired: false, heldBy: lease, storeNow };
}

/** Who and where this process runs, for the lease (never a secret: a user name and a host name). */
export function currentHolder(env: NodeJS.ProcessEnv = process.env): { holder: string; host: string } {
  let user = env["GITHUB_ACTOR"] ?? env["USER"] ?? env["USERNAME"] ?? "";
  if (user === "") {
    try {
      user = userInfo().username;
    } catch {
      user = "unknown";
    }
  }
  const ci = env["GITHUB_RUN_ID"] ? `, GitHub Actions run ${env["GITHUB_RUN_ID"]}` : "";
  return { holder: `${user} (pid ${process.pid}${ci})`.slice(0, 255), host: hostname().slice(0, 255) };
}

export function newRunId(): string {
  return randomUUID();
}

export function describeLease(l: Lease): string {
  return `run ${l.runId} (${l.holder || "unknown holder"} on ${l.host || "unknown host"}, since ${l.acquiredAt.toISOString()}, lease expires ${l.expiresAt.toISOString()})`;
}

/** A second apply while another holds the lock: refused at once, naming the holder. */
export class LockHeldError extends ReconcileError {
  readonly heldBy: Lease;
  constructor(heldBy: Lease, waitedMs: number) {
    const waited = waitedMs > 0 ? ` after waiting ${Math.round(waitedMs / 1000)} s` : "";
    super("apply.locked", `another apply holds the lock${waited}: ${describeLease(heldBy)}; nothing was read or written`, ExitCode.locked, {
      hint: `wait for it (--wait-lock 10m waits up to ten minutes); if that run died, the next apply takes over after ${heldBy.expiresAt.toISOString()}, or release it now with: reconcile unlock --run-id ${heldBy.runId}`,
      details: { runId: heldBy.runId, holder: heldBy.holder, host: heldBy.host, since: heldBy.acquiredAt.toISOString(), expires: heldBy.expiresAt.toISOString() },
    });
    this.heldBy = heldBy;
  }
}

export interface ApplyLockOptions {
  readonly name?: string;
  readonly ttlSeconds?: number;
  /** How long to wait for another run's lease (`--wait-lock`); default 0: refuse at once. */
  readonly waitMs?: number;
  readonly runId?: string;
  readonly holder?: string;
  readonly host?: string;
  /** Renewal period; default a third of the ttl. */
  readonly renewEveryMs?: number;
  readonly logger: Logger;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Local clock for the wait deadline; lease times are always the store's. */
  readonly now?: () => number;
  /** An expired lease was taken over (its run presumably died). */
  onTakeover?(previous: Lease): void;
  /** Another run holds the lease and this one waits `ms` before asking again. */
  onWait?(heldBy: Lease, ms: number): void;
}

/** First poll after 1 s, doubling to at most 15 s, never past the holder's expiry or the deadline. */
const FIRST_POLL_MS = 1_000;
const MAX_POLL_MS = 15_000;

/**
 * Takes the lease (waiting up to `waitMs` while another run holds it), renews it every ttl/3
 * while `fn` runs, and releases it when `fn` settles. A lease lost on the way (this process was
 * paused past its expiry and another run took over) fails the run with the `locked` exit code
 * once `fn` is done, since its writes may then have overlapped another apply's.
 */
export async function withApplyLock<T>(store: LockStore, opts: ApplyLockOptions, fn: (lease: Lease) => Promise<T>): Promise<T> {
  const ttlSeconds = opts.ttlSeconds ?? DEFAULT_LOCK_TTL_SECONDS;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 86_400) throw new ReconcileError("apply.lock-ttl", `lock ttl must be 1 to 86400 seconds, got ${ttlSeconds}`);
  const who = opts.holder === undefined || opts.host === undefined ? currentHolder() : undefined;
  const request: LeaseRequest = {
    name: opts.name ?? APPLY_LOCK_NAME,
    runId: opts.runId ?? newRunId(),
    holder: opts.holder ?? who?.holder ?? "",
    host: opts.host ?? who?.host ?? "",
    ttlSeconds,
  };
  const log = opts.logger.child({ component: "apply-lock", lock: request.name, runId: request.runId });
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = opts.now ?? Date.now;
  const started = now();
  const deadline = started + Math.max(0, opts.waitMs ?? 0);

  let outcome = await store.acquire(request);
  for (let poll = FIRST_POLL_MS; !outcome.acquired; poll = Math.min(poll * 2, MAX_POLL_MS)) {
    const left = deadline - now();
    if (left <= 0) throw new LockHeldError(outcome.heldBy, (opts.waitMs ?? 0) > 0 ? now() - started : 0);
    // Ask again no later than the holder's expiry (by the store's clock), so a dead run is taken over promptly.
    const untilExpiry = outcome.heldBy.expiresAt.getTime() - outcome.storeNow.getTime() + 1_000;
    const delay = Math.max(1, Math.min(poll, left, Math.max(untilExpiry, FIRST_POLL_MS)));
    log.info({ heldBy: outcome.heldBy.runId, holder: outcome.heldBy.holder, host: outcome.heldBy.host, delayMs: delay }, "apply lock held by another run; waiting");
    opts.onWait?.(outcome.heldBy, delay);
    await sleep(delay);
    outcome = await store.acquire(request);
  }
  const { lease, tookOver } = outcome;
  if (tookOver !== undefined) {
    log.warn({ previousRunId: tookOver.runId, previousHolder: tookOver.holder, previousHost: tookOver.host, expiredAt: tookOver.expiresAt.toISOString() }, "took over an expired apply lock");
    opts.onTakeover?.(tookOver);
  }
  log.info({ expires: lease.expiresAt.toISOString(), backend: store.backend }, "apply lock acquired");

  let lost: Lease | undefined;
  let lostToNobody = false;
  let inFlight: Promise<void> | undefined;
  const renewOnce = async (): Promise<void> => {
    try {
      const r = await store.renew(request.name, request.runId, ttlSeconds);
      if (!r.renewed && lost === undefined && !lostToNobody) {
        if (r.lease === undefined) lostToNobody = true;
        else lost = r.lease;
        log.error({ heldBy: r.lease?.runId }, "the apply lock was lost: another run took it over after it expired");
      }
    } catch (err) {
      // One failed renewal is not fatal: the lease lasts three renewal periods.
      log.warn({ error: err instanceof Error ? err.message : String(err) }, "could not renew the apply lock; trying again at the next renewal");
    }
  };
  const timer = setInterval(() => {
    if (inFlight === undefined) inFlight = renewOnce().finally(() => (inFlight = undefined));
  }, opts.renewEveryMs ?? Math.floor((ttlSeconds * 1000) / 3));
  timer.unref();

  let result: T;
  try {
    result = await fn(lease);
  } finally {
    clearInterval(timer);
    await inFlight;
    if (lost === undefined && !lostToNobody) {
      try {
        const r = await store.release(request.name, request.runId);
        if (r.released) log.info("apply lock released");
        else log.warn({ heldBy: r.lease?.runId }, "the apply lock was no longer this run's at release");
      } catch (err) {
        log.warn({ error: err instanceof Error ? err.message : String(err), expires: lease.expiresAt.toISOString() }, "could not release the apply lock; it expires on its own");
      }
    }
  }
  if (lost !== undefined || lostToNobody) {
    throw new ReconcileError(
      "apply.lock-lost",
      `this run's apply lock expired while it ran${lost === undefined ? "" : ` and was taken over by ${describeLease(lost)}`}; its writes may have overlapped another apply`,
      ExitCode.locked,
      { hint: "plan again to see the state both runs left; a longer lock ttl avoids this when runs pause for long" },
    );
  }
  return result;
}
