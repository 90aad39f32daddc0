import { WhmcsApiError } from "../../errors.js";
import { completeRow, intOf, sqlDateTime, textOf } from "../../rows.js";
import type { WhmcsStore } from "../../store.js";

/** The ownership ledger (docs/companion-api.md): which WHMCS row a manifest resource owns. */
export const LEDGER_TABLE = "mod_zoho_reconcile_resources";

export type LedgerKind = "ProductGroup" | "Product" | "ConfigOptionGroup" | "CustomerOrg";

/**
 * Which row an upsert writes to. With `id`: that row, after checking it exists and that the
 * ledger records neither this id under another name nor this key for another id. Without
 * `id`: the row recorded for the key, or none (create). A recorded row that no longer exists
 * is recreated and the ledger entry repointed.
 */
export async function resolveTarget(
  tx: WhmcsStore,
  kind: LedgerKind,
  table: string,
  key: string,
  id: number | undefined,
): Promise<number | undefined> {
  const byName = await tx.selectOne(LEDGER_TABLE, { kind, name: key });
  if (id !== undefined) {
    if ((await tx.count(table, { id })) === 0) throw new WhmcsApiError(`Resource ${kind} ${id} does not exist`);
    const byRelid = await tx.selectOne(LEDGER_TABLE, { kind, relid: id });
    if (byRelid !== undefined && textOf(byRelid, "name") !== key) {
      throw new WhmcsApiError(`Resource ${kind} ${id} is already owned by ${textOf(byRelid, "name")}`);
    }
    if (byName !== undefined && intOf(byName, "relid") !== id) {
      throw new WhmcsApiError(`Resource ${kind}/${key} is already recorded for id ${intOf(byName, "relid")}`);
    }
    return id;
  }
  if (byName === undefined) return undefined;
  const recorded = intOf(byName, "relid");
  return (await tx.count(table, { id: recorded })) > 0 ? recorded : undefined;
}

/** Record (or confirm) that resource `key` of `kind` owns row `relid`. */
export async function recordOwnership(tx: WhmcsStore, kind: LedgerKind, key: string, relid: number, now: Date): Promise<void> {
  const stamp = sqlDateTime(now);
  const existing = await tx.selectOne(LEDGER_TABLE, { kind, name: key });
  if (existing === undefined) {
    await tx.insert(LEDGER_TABLE, completeRow(LEDGER_TABLE, { kind, name: key, relid, created_at: stamp, updated_at: stamp }));
  } else {
    await tx.update(LEDGER_TABLE, { id: intOf(existing, "id") }, { relid, updated_at: stamp });
  }
}
