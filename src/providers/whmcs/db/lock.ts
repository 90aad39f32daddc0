import type { AcquireOutcome, LockStore, ReleaseOutcome, RenewOutcome } from "../../../model/lock.js";
import { leaseFromRow, type LeaseRow } from "../lock.js";
import type { DbBackendOptions, DbTarget } from "./options.js";
import { readSession, runDdl, writeTransaction, type DbRow, type Statements } from "./session.js";

/**
 * The apply lock in WHMCS's database, the same table and semantics as the companion actions
 * (docs/companion-api.md, "Apply lock"): one row per lock name holding a lease, changed only by
 * a compare-and-set on `version` in one transaction.
 *
 * A lease row rather than MariaDB's GET_LOCK(): a named lock belongs to one connection, so it
 * would need a connection held open for the whole apply, and it vanishes when that connection
 * drops (a network blip, a proxy's idle timeout, wait_timeout) while the apply carries on
 * unprotected. A row with an expiry survives a dead connection and is visible to every client,
 * the companion actions included; a killed run's lease simply runs out.
 */
export const LOCK_TABLE = "mod_zoho_reconcile_lock";

export const LOCK_DDL =
  `CREATE TABLE IF NOT EXISTS \`${LOCK_TABLE}\` (` +
  "`name` varchar(64) NOT NULL, `runid` varchar(64) NOT NULL DEFAULT '', " +
  "`holder` varchar(255) NOT NULL DEFAULT '', `host` varchar(255) NOT NULL DEFAULT '', " +
  "`acquired` int(10) unsigned NOT NULL DEFAULT '0', `renewed` int(10) unsigned NOT NULL DEFAULT '0', " +
  "`expires` int(10) unsigned NOT NULL DEFAULT '0', `version` int(10) unsigned NOT NULL DEFAULT '0', " +
  "PRIMARY KEY (`name`)" +
  ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

const TABLE_EXISTS = "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?";
/** MySQL errors after which the compare-and-set is simply run again: duplicate key, deadlock. */
const RACES = new Set(["ER_DUP_ENTRY", "ER_LOCK_DEADLOCK"]);

class Raced extends Error {}

interface Row {
  readonly name: string;
  readonly runid: string;
  readonly holder: string;
  readonly host: string;
  readonly acquired: number;
  readonly renewed: number;
  readonly expires: number;
  readonly version: number;
}

function rowOf(r: DbRow | undefined): Row | undefined {
  if (r === undefined) return undefined;
  return {
    name: String(r["name"]),
    runid: String(r["runid"] ?? ""),
    holder: String(r["holder"] ?? ""),
    host: String(r["host"] ?? ""),
    acquired: Number(r["acquired"]),
    renewed: Number(r["renewed"]),
    expires: Number(r["expires"]),
    version: Number(r["version"]),
  };
}

const leaseOf = (row: Row | undefined) => (row === undefined || row.runid === "" ? undefined : leaseFromRow(row as LeaseRow));

export interface DbLockOptions {
  /** Clock for lease times; default the database server's (`UNIX_TIMESTAMP()`), the one every client shares. */
  readonly now?: () => Date;
}

export function createDbLockStore(target: DbTarget, options: DbBackendOptions, lockOptions: DbLockOptions = {}): LockStore {
  let tableReady = false;

  async function change<T>(name: string, fn: (s: Statements, row: Row | undefined, now: number) => Promise<T>): Promise<T> {
    if (!tableReady) {
      // DDL commits implicitly, so the table is created before, never inside, a transaction.
      const exists = await readSession(target, options, async (s) => (await s.rows(TABLE_EXISTS, [LOCK_TABLE])).length > 0);
      if (!exists) await runDdl(target, options, LOCK_DDL);
      tableReady = true;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return await writeTransaction(target, options, `lock/${name}`, async (s) => {
          const now = lockOptions.now !== undefined ? Math.floor(lockOptions.now().getTime() / 1000) : Number((await s.rows("SELECT UNIX_TIMESTAMP() AS t"))[0]?.["t"]);
          const row = rowOf((await s.rows(`SELECT * FROM \`${LOCK_TABLE}\` WHERE \`name\` = ? FOR UPDATE`, [name]))[0]);
          return fn(s, row, now);
        });
      } catch (err) {
        if (attempt >= 5 || !lostRace(err)) throw err;
      }
    }
  }

  /** UPDATE … WHERE name AND version: `version` always changes, so one row matched means we won. */
  async function swap(s: Statements, row: Row, patch: Readonly<Record<string, string | number>>): Promise<void> {
    const columns = Object.keys(patch);
    const result = await s.exec(
      `UPDATE \`${LOCK_TABLE}\` SET ${columns.map((c) => `\`${c}\` = ?`).join(", ")}, \`version\` = ? WHERE \`name\` = ? AND \`version\` = ?`,
      [...columns.map((c) => patch[c] ?? null), row.version + 1, row.name, row.version],
    );
    if (result.affectedRows !== 1) throw new Raced();
  }

  const reread = async (s: Statements, name: string): Promise<Row | undefined> => rowOf((await s.rows(`SELECT * FROM \`${LOCK_TABLE}\` WHERE \`name\` = ?`, [name]))[0]);

  return {
    backend: "db",
    acquire: (r) =>
      change(r.name, async (s, row, now): Promise<AcquireOutcome> => {
        const storeNow = new Date(now * 1000);
        const lease = { runid: r.runId, holder: r.holder, host: r.host, renewed: now, expires: now + r.ttlSeconds };
        if (row === undefined) {
          await s.exec(
            `INSERT INTO \`${LOCK_TABLE}\` (\`name\`, \`runid\`, \`holder\`, \`host\`, \`acquired\`, \`renewed\`, \`expires\`, \`version\`) VALUES (?, ?, ?, ?, ?, ?, ?, 1)`,
            [r.name, r.runId, r.holder, r.host, now, now, now + r.ttlSeconds],
          );
          return { acquired: true, lease: leaseOf(await reread(s, r.name))!, tookOver: undefined, storeNow };
        }
        if (row.runid === r.runId) {
          await swap(s, row, lease);
          return { acquired: true, lease: leaseOf(await reread(s, r.name))!, tookOver: undefined, storeNow };
        }
        if (row.runid !== "" && row.expires > now) return { acquired: false, heldBy: leaseOf(row)!, storeNow };
        await swap(s, row, { ...lease, acquired: now });
        return { acquired: true, lease: leaseOf(await reread(s, r.name))!, tookOver: leaseOf(row), storeNow };
      }),
    renew: (name, runId, ttlSeconds) =>
      change(name, async (s, row, now): Promise<RenewOutcome> => {
        if (row === undefined || row.runid !== runId) return { renewed: false, lease: leaseOf(row) };
        await swap(s, row, { renewed: now, expires: now + ttlSeconds });
        return { renewed: true, lease: leaseOf(await reread(s, name)) };
      }),
    release: (name, runId) =>
      change(name, async (s, row): Promise<ReleaseOutcome> => {
        if (row === undefined || row.runid !== runId) return { released: false, lease: leaseOf(row) };
        await swap(s, row, { runid: "", holder: "", host: "", acquired: 0, renewed: 0, expires: 0 });
        return { released: true, lease: leaseOf(row) };
      }),
  };
}

/** Whether a failed transaction lost a race (anywhere in its cause chain) and is worth running again. */
function lostRace(err: unknown): boolean {
  let e: unknown = err;
  for (let i = 0; i < 5 && e instanceof Error; i++) {
    if (e instanceof Raced) return true;
    const code = (e as { code?: unknown; sqlCode?: unknown }).sqlCode ?? (e as { code?: unknown }).code;
    if (typeof code === "string" && RACES.has(code)) return true;
    e = e.cause;
  }
  return false;
}
