import { WhmcsSandboxError } from "./errors.js";
import { implicitDefault, tableDef } from "./schema.js";
import type { Row, SqlValue } from "./store.js";

/** An integer column of a row (NULL reads as 0, like PHP's `(int)`). */
export function intOf(row: Row, column: string): number {
  const v = row[column];
  if (v === null || v === undefined) return 0;
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isFinite(n)) throw new WhmcsSandboxError("store.type", `column ${column} is not numeric: ${JSON.stringify(v)}`);
  return n;
}

/** A text column of a row (NULL reads as ""). */
export function textOf(row: Row, column: string): string {
  const v = row[column];
  return v === null || v === undefined ? "" : String(v);
}

/** `YYYY-MM-DD HH:MM:SS` in UTC, the form WHMCS stores timestamps in. */
export function sqlDateTime(d: Date): string {
  return d.toISOString().slice(0, 19).replace("T", " ");
}

/**
 * Every column of `table`, from `values` or else the column's default (or MySQL's implicit
 * one), so inserts never depend on the engine's `sql_mode`, as WHMCS modules should write.
 */
export function completeRow(table: string, values: Readonly<Record<string, SqlValue>>): Record<string, SqlValue> {
  const def = tableDef(table);
  const out: Record<string, SqlValue> = {};
  for (const c of def.columns) {
    if (c.autoIncrement && values[c.name] === undefined) continue;
    const v = values[c.name];
    out[c.name] = v === undefined ? implicitDefault(c) : v;
  }
  for (const k of Object.keys(values)) {
    if (!def.byName.has(k)) throw new WhmcsSandboxError("store.unknown_column", `unknown column "${k}" in table "${table}"`);
  }
  return out;
}
