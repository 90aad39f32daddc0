import { WhmcsApiError, WhmcsSandboxError } from "../../errors.js";
import { completeRow, intOf, textOf } from "../../rows.js";
import type { Row, SqlValue, WhmcsStore } from "../../store.js";
import { retryOnConflict } from "../../store-retry.js";
import type { ActionContext, ActionDef } from "../types.js";
import type { Params } from "../../params.js";

/**
 * The apply lock (docs/companion-api.md, "Apply lock"): one row per lock name holding a lease
 * (run id, holder, host, acquired, renewed, expires, in Unix seconds of the server's clock).
 * Every change is a compare-and-set on `version` in one transaction, so two callers racing for
 * an expired or free lease cannot both win.
 */
export const LOCK_TABLE = "mod_zoho_reconcile_lock";

export const ERR_LOCK_NAME = "You must supply a lock name";
export const ERR_RUN_ID = "You must supply a run id";
const NAME = /^[A-Za-z0-9:/._-]{1,64}$/;
const RUN_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const MAX_TTL = 86_400;

export const reconcileAcquireLock: ActionDef = { name: "ReconcileAcquireLock", companion: true, handler: acquire };
export const reconcileRenewLock: ActionDef = { name: "ReconcileRenewLock", companion: true, handler: renew };
export const reconcileReleaseLock: ActionDef = { name: "ReconcileReleaseLock", companion: true, handler: release };

function lockName(params: Params): string {
  const name = params.str("name") ?? "";
  if (name === "") throw new WhmcsApiError(ERR_LOCK_NAME);
  if (!NAME.test(name)) throw new WhmcsApiError(`Invalid lock name ${JSON.stringify(name)}`);
  return name;
}

function runId(params: Params): string {
  const id = params.str("runid") ?? "";
  if (id === "") throw new WhmcsApiError(ERR_RUN_ID);
  if (!RUN_ID.test(id)) throw new WhmcsApiError(`Invalid run id ${JSON.stringify(id)}`);
  return id;
}

function ttl(params: Params): number {
  const raw = params.raw("ttl");
  const text = typeof raw === "string" ? raw.trim() : undefined;
  if (text === undefined || !/^-?[0-9]+$/.test(text)) throw new WhmcsApiError("Invalid value for ttl: expected an integer");
  const n = Number(text);
  if (n < 1 || n > MAX_TTL) throw new WhmcsApiError(`Invalid value for ttl: expected 1 to ${MAX_TTL} seconds`);
  return n;
}

function label(params: Params, name: "holder" | "host"): string {
  const raw = params.raw(name);
  if (raw === undefined) return "";
  if (typeof raw !== "string" || [...raw].length > 255) throw new WhmcsApiError(`Invalid value for ${name}: expected at most 255 characters`);
  return raw;
}

const seconds = (now: Date): number => Math.floor(now.getTime() / 1000);

/** The lease as the actions answer it; null when the row holds none. */
function view(row: Row | undefined): Record<string, unknown> | null {
  if (row === undefined || textOf(row, "runid") === "") return null;
  return {
    name: textOf(row, "name"),
    runid: textOf(row, "runid"),
    holder: textOf(row, "holder"),
    host: textOf(row, "host"),
    acquired: intOf(row, "acquired"),
    renewed: intOf(row, "renewed"),
    expires: intOf(row, "expires"),
  };
}

/** Another caller changed the row between our read and our write: run the transaction again. */
function raced(): WhmcsSandboxError {
  return new WhmcsSandboxError("store.conflict", "the lock row changed during the transaction");
}

/** UPDATE … WHERE name AND version: the compare-and-set every change goes through. */
async function swap(tx: WhmcsStore, row: Row, patch: Readonly<Record<string, SqlValue>>): Promise<void> {
  const matched = await tx.update(LOCK_TABLE, { name: textOf(row, "name"), version: intOf(row, "version") }, { ...patch, version: intOf(row, "version") + 1 });
  if (matched !== 1) throw raced();
}

function locked<T>(store: WhmcsStore, fn: (tx: WhmcsStore) => Promise<T>): Promise<T> {
  return retryOnConflict(() => store.transaction(fn));
}

async function acquire({ params, store, now }: ActionContext): Promise<Record<string, unknown>> {
  const name = lockName(params);
  const id = runId(params);
  const seconds_ = ttl(params);
  const holder = label(params, "holder");
  const host = label(params, "host");
  const t = seconds(now);
  return locked(store, async (tx) => {
    const row = await tx.selectOne(LOCK_TABLE, { name });
    const lease = { runid: id, holder, host, renewed: t, expires: t + seconds_ };
    if (row === undefined) {
      await tx.insert(LOCK_TABLE, completeRow(LOCK_TABLE, { name, ...lease, acquired: t, version: 1 }));
      return { acquired: true, lock: view(await tx.selectOne(LOCK_TABLE, { name })), tookover: null, now: t };
    }
    const current = textOf(row, "runid");
    if (current === id) {
      await swap(tx, row, lease);
      return { acquired: true, lock: view(await tx.selectOne(LOCK_TABLE, { name })), tookover: null, now: t };
    }
    if (current !== "" && intOf(row, "expires") > t) return { acquired: false, lock: view(row), tookover: null, now: t };
    await swap(tx, row, { ...lease, acquired: t });
    return { acquired: true, lock: view(await tx.selectOne(LOCK_TABLE, { name })), tookover: view(row), now: t };
  });
}

async function renew({ params, store, now }: ActionContext): Promise<Record<string, unknown>> {
  const name = lockName(params);
  const id = runId(params);
  const seconds_ = ttl(params);
  const t = seconds(now);
  return locked(store, async (tx) => {
    const row = await tx.selectOne(LOCK_TABLE, { name });
    if (row === undefined || textOf(row, "runid") !== id) return { renewed: false, lock: view(row), now: t };
    await swap(tx, row, { renewed: t, expires: t + seconds_ });
    return { renewed: true, lock: view(await tx.selectOne(LOCK_TABLE, { name })), now: t };
  });
}

async function release({ params, store, now }: ActionContext): Promise<Record<string, unknown>> {
  const name = lockName(params);
  const id = runId(params);
  const t = seconds(now);
  return locked(store, async (tx) => {
    const row = await tx.selectOne(LOCK_TABLE, { name });
    if (row === undefined || textOf(row, "runid") !== id) return { released: false, lock: view(row), now: t };
    await swap(tx, row, { runid: "", holder: "", host: "", acquired: 0, renewed: 0, expires: 0 });
    return { released: true, lock: view(row), now: t };
  });
}
