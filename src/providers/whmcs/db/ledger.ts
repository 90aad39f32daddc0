import { ReconcileError } from "../../../core/errors.js";
import type { Kind } from "../../../model/catalog.js";
import { completeRow, type TableColumns } from "./columns.js";
import type { Statements } from "./session.js";

/** The ownership ledger (docs/companion-api.md): which WHMCS row a manifest resource owns. */
export const LEDGER_TABLE = "mod_zoho_reconcile_resources";

export const LEDGER_DDL =
  `CREATE TABLE IF NOT EXISTS \`${LEDGER_TABLE}\` (` +
  "`id` int(10) unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, " +
  "`kind` varchar(64) NOT NULL, `name` varchar(255) NOT NULL, `relid` int(10) unsigned NOT NULL, " +
  "`created_at` timestamp NULL DEFAULT NULL, `updated_at` timestamp NULL DEFAULT NULL, " +
  "UNIQUE KEY `kind_name` (`kind`, `name`), UNIQUE KEY `kind_relid` (`kind`, `relid`)" +
  ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";

/** Same texts as the companion actions, so both backends explain a conflict the same way. */
export class OwnershipError extends ReconcileError {
  constructor(code: "whmcs.db.not-found" | "whmcs.db.ownership-conflict", message: string) {
    super(code, `${message}; nothing was written`, undefined, {
      hint:
        code === "whmcs.db.not-found"
          ? "the row was deleted in WHMCS since the plan was made: run the plan again"
          : "the ownership ledger (mod_zoho_reconcile_resources) records another owner: rename the resource or fix the ledger by hand",
    });
  }
}

/**
 * Which row an upsert writes to. With `id`: that row, after checking it exists and that the
 * ledger records neither this id under another name nor this key for another id. Without `id`:
 * the row recorded for the key, or undefined (create). A recorded row that no longer exists is
 * created anew and its ledger entry repointed.
 */
export async function resolveTarget(s: Statements, kind: Kind, table: string, key: string, id: number | undefined): Promise<number | undefined> {
  const byName = (await s.rows(`SELECT \`relid\` FROM \`${LEDGER_TABLE}\` WHERE \`kind\` = ? AND \`name\` = ? ORDER BY \`id\` LIMIT 1`, [kind, key]))[0];
  if (id !== undefined) {
    if ((await s.rows(`SELECT \`id\` FROM \`${table}\` WHERE \`id\` = ?`, [id])).length === 0) {
      throw new OwnershipError("whmcs.db.not-found", `Resource ${kind} ${id} does not exist`);
    }
    const byRelid = (await s.rows(`SELECT \`name\` FROM \`${LEDGER_TABLE}\` WHERE \`kind\` = ? AND \`relid\` = ? ORDER BY \`id\` LIMIT 1`, [kind, id]))[0];
    if (byRelid !== undefined && String(byRelid["name"]) !== key) {
      throw new OwnershipError("whmcs.db.ownership-conflict", `Resource ${kind} ${id} is already owned by ${String(byRelid["name"])}`);
    }
    if (byName !== undefined && Number(byName["relid"]) !== id) {
      throw new OwnershipError("whmcs.db.ownership-conflict", `Resource ${kind}/${key} is already recorded for id ${Number(byName["relid"])}`);
    }
    return id;
  }
  if (byName === undefined) return undefined;
  const recorded = Number(byName["relid"]);
  return (await s.rows(`SELECT \`id\` FROM \`${table}\` WHERE \`id\` = ?`, [recorded])).length > 0 ? recorded : undefined;
}

/** Record (or confirm) that resource `key` of `kind` owns row `relid`. */
export async function recordOwnership(s: Statements, columns: TableColumns, kind: Kind, key: string, relid: number, stamp: string): Promise<void> {
  const existing = (await s.rows(`SELECT \`id\` FROM \`${LEDGER_TABLE}\` WHERE \`kind\` = ? AND \`name\` = ? ORDER BY \`id\` LIMIT 1`, [kind, key]))[0];
  if (existing === undefined) {
    await insertRow(s, LEDGER_TABLE, completeRow(columns, LEDGER_TABLE, { kind, name: key, relid, created_at: stamp, updated_at: stamp }));
  } else {
    await s.exec(`UPDATE \`${LEDGER_TABLE}\` SET \`relid\` = ?, \`updated_at\` = ? WHERE \`id\` = ?`, [relid, stamp, Number(existing["id"])]);
  }
}

export async function insertRow(s: Statements, table: string, row: Readonly<Record<string, string | number | null>>): Promise<number> {
  const columns = Object.keys(row);
  const result = await s.exec(
    `INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
    columns.map((c) => row[c] ?? null),
  );
  return result.insertId;
}

export async function updateRow(s: Statements, table: string, id: number, patch: Readonly<Record<string, string | number | null>>): Promise<void> {
  const columns = Object.keys(patch);
  if (columns.length === 0) return;
  await s.exec(`UPDATE \`${table}\` SET ${columns.map((c) => `\`${c}\` = ?`).join(", ")} WHERE \`id\` = ?`, [...columns.map((c) => patch[c] ?? null), id]);
}
