import { TABLES, type ColumnDef, type TableDef } from "./schema.js";

/**
 * The MariaDB DDL of every sandbox table, rendered from `schema.ts` so the SQLite and MariaDB
 * layouts cannot drift. Tables use WHMCS's own column types and its `utf8mb4_unicode_ci`
 * collation (text compares case-insensitively). `CREATE TABLE IF NOT EXISTS`, so applying it
 * to a database that has the tables keeps their rows.
 */
export function mariaDbSchemaStatements(): string[] {
  return TABLES.map(tableDdl);
}

/** The whole script, one statement per table (`schema.mariadb.sql` is this text). */
export function mariaDbSchema(): string {
  const header =
    "-- WHMCS tables used by the zoho-whmcs-reconcile sandbox, rendered from src/sandbox/whmcs/schema.ts.\n" +
    "-- Run with a non-strict sql_mode, as production WHMCS does: several NOT NULL columns have no default.\n" +
    "-- After changing schema.ts, refresh this file: npx vitest run test/sandbox/whmcs/store.test.ts -u\n";
  return `${header}\n${mariaDbSchemaStatements().map((s) => `${s};`).join("\n\n")}\n`;
}

/** Index prefix length for TEXT/BLOB columns, which MariaDB cannot index whole. */
const TEXT_PREFIX = 64;

function tableDdl(t: TableDef): string {
  const lines = t.columns.map(columnDdl);
  if (t.autoColumn !== undefined) lines.push(`PRIMARY KEY (${q(t.autoColumn)})`);
  else if (t.primaryKey.length > 0) lines.push(`PRIMARY KEY (${t.primaryKey.map(q).join(", ")})`);
  for (const cols of t.unique) lines.push(`UNIQUE KEY ${q(cols.join("_"))} (${cols.map((c) => q(c)).join(", ")})`);
  for (const cols of t.indexes) lines.push(`KEY ${q(cols.join("_"))} (${cols.map((c) => indexPart(t, c)).join(", ")})`);
  return `CREATE TABLE IF NOT EXISTS ${q(t.name)} (\n  ${lines.join(",\n  ")}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`;
}

function indexPart(t: TableDef, column: string): string {
  const c = t.byName.get(column);
  const prefixed = c !== undefined && /^(text|mediumtext|longtext|blob)$/.test(c.sqlType);
  return prefixed ? `${q(column)}(${TEXT_PREFIX})` : q(column);
}

function columnDdl(c: ColumnDef): string {
  const type = c.kind === "enum" ? `enum(${c.values.map(literal).join(",")})` : c.sqlType;
  let ddl = `${q(c.name)} ${type}${c.unsigned ? " unsigned" : ""}${c.nullable ? " NULL" : " NOT NULL"}`;
  if (c.autoIncrement) return `${ddl} AUTO_INCREMENT`;
  if (c.defaultValue !== undefined) ddl += ` DEFAULT ${literal(c.defaultValue)}`;
  else if (c.nullable) ddl += " DEFAULT NULL";
  return ddl;
}

function q(identifier: string): string {
  return `\`${identifier}\``;
}

function literal(v: string | number | null): string {
  if (v === null) return "NULL";
  return `'${String(v).replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}
