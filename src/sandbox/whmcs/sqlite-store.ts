import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import type Database from "better-sqlite3";
import { WhmcsSandboxError } from "./errors.js";
import { TABLES, columnDef, defaultOrder, implicitDefault, tableDef, type ColumnDef, type TableDef } from "./schema.js";
import type { Row, SelectOptions, SqlValue, Where, WhmcsStore } from "./store.js";
import { toColumnValue } from "./values.js";

export { toColumnValue } from "./values.js";

export interface SqliteStoreOptions {
  /** Database file; created with the schema when missing. Default: in memory. */
  readonly file?: string;
  /**
   * Strict `sql_mode`: an insert must supply every NOT NULL column that has no default.
   * Off (the default, like production WHMCS installs): such columns get MySQL's implicit
   * default (0, '', zero date).
   */
  readonly strict?: boolean;
}

/** Largest LIMIT accepted by both SQLite and MySQL, for OFFSET without LIMIT. */
const NO_LIMIT = "9223372036854775807";

/** The first store implementation: SQLite through better-sqlite3, in memory or in a file. */
export function openSqliteStore(options: SqliteStoreOptions = {}): WhmcsStore {
  const Sqlite = loadBetterSqlite3();
  let db: Database.Database;
  try {
    db = new Sqlite(options.file ?? ":memory:");
  } catch (cause) {
    throw new WhmcsSandboxError("store.open", `cannot open SQLite database ${options.file ?? ":memory:"}`, { cause });
  }
  if (options.file !== undefined) db.pragma("journal_mode = WAL");
  db.exec(sqliteSchema());
  return new SqliteStore(db, options.strict ?? false);
}

/**
 * better-sqlite3 is an optional dependency (docs/decisions.md, *Runtime dependencies*): only the
 * sandbox needs it, and an install where its native build failed must still run against real
 * WHMCS. Loaded on first use, with a message that says what to do when it is missing.
 */
function loadBetterSqlite3(): typeof Database {
  try {
    return createRequire(import.meta.url)("better-sqlite3") as typeof Database;
  } catch (cause) {
    throw new WhmcsSandboxError(
      "store.open",
      "the WHMCS sandbox needs the optional dependency better-sqlite3, which is not installed or did not build on this machine " +
        "(install it with `npm install better-sqlite3`; it needs a prebuilt binary or a C++ toolchain)",
      { cause },
    );
  }
}

/** DDL for every table, `CREATE … IF NOT EXISTS` so reopening a file keeps its rows. */
export function sqliteSchema(): string {
  const out: string[] = [];
  for (const t of TABLES) {
    const cols = t.columns.map((c) => columnDdl(c));
    if (t.primaryKey.length > 0) cols.push(`PRIMARY KEY (${t.primaryKey.map(q).join(", ")})`);
    out.push(`CREATE TABLE IF NOT EXISTS ${q(t.name)} (\n  ${cols.join(",\n  ")}\n);`);
    for (const [i, cols2] of t.unique.entries()) {
      out.push(`CREATE UNIQUE INDEX IF NOT EXISTS ${q(`${t.name}_u${i}`)} ON ${q(t.name)} (${cols2.map(q).join(", ")});`);
    }
    for (const [i, cols2] of t.indexes.entries()) {
      out.push(`CREATE INDEX IF NOT EXISTS ${q(`${t.name}_i${i}`)} ON ${q(t.name)} (${cols2.map(q).join(", ")});`);
    }
  }
  return out.join("\n");
}

function columnDdl(c: ColumnDef): string {
  if (c.autoIncrement) return `${q(c.name)} INTEGER PRIMARY KEY AUTOINCREMENT`;
  // Text compares case-insensitively, like WHMCS's utf8mb4_unicode_ci tables (ASCII folding only).
  const type = c.kind === "int" ? "INTEGER" : c.kind === "text" && !c.binary ? "TEXT COLLATE NOCASE" : "TEXT";
  let ddl = `${q(c.name)} ${type}${c.nullable ? "" : " NOT NULL"}`;
  if (c.defaultValue !== undefined) ddl += ` DEFAULT ${literal(c.defaultValue)}`;
  if (c.kind === "enum") {
    ddl += ` CHECK (${q(c.name)} IN (${c.values.map((v) => literal(v)).join(", ")})${c.nullable ? ` OR ${q(c.name)} IS NULL` : ""})`;
  }
  return ddl;
}

function q(identifier: string): string {
  return `\`${identifier}\``;
}

function literal(v: string | number | null): string {
  if (v === null) return "NULL";
  if (typeof v === "number") return String(v);
  return `'${v.replace(/'/g, "''")}'`;
}

class SqliteStore implements WhmcsStore {
  readonly engine = "sqlite";
  readonly #db: Database.Database;
  readonly #strict: boolean;
  readonly #statements = new Map<string, Database.Statement>();
  /** Serialises callers so a transaction never sees another caller's writes. */
  #tail: Promise<unknown> = Promise.resolve();
  /** Marks the async context of the caller holding the lock (its transaction body). */
  readonly #holder = new AsyncLocalStorage<number>();
  #depth = 0;
  #closed = false;

  constructor(db: Database.Database, strict: boolean) {
    this.#db = db;
    this.#strict = strict;
  }

  select(table: string, where: Where = {}, options: SelectOptions = {}): Promise<Row[]> {
    return this.#run(() => this.#select(table, where, options));
  }

  async selectOne(table: string, where: Where = {}, options: SelectOptions = {}): Promise<Row | undefined> {
    const rows = await this.select(table, where, { ...options, limit: 1 });
    return rows[0];
  }

  count(table: string, where: Where = {}): Promise<number> {
    return this.#run(() => {
      const t = tableDef(table);
      const w = this.#where(t, where);
      const row = this.#stmt(`SELECT COUNT(*) AS n FROM ${q(t.name)}${w.sql}`).get(...w.params) as { n: number };
      return row.n;
    });
  }

  insert(table: string, row: Readonly<Record<string, SqlValue>>): Promise<number> {
    return this.#run(() => {
      const t = tableDef(table);
      const values = new Map<string, SqlValue>();
      for (const [name, value] of Object.entries(row)) {
        if (value === undefined) continue;
        values.set(name, toColumnValue(t, columnDef(t, name), value, this.#strict));
      }
      for (const c of t.columns) {
        if (values.has(c.name) || c.autoIncrement || c.nullable || c.defaultValue !== undefined) continue;
        if (this.#strict) {
          throw new WhmcsSandboxError("store.missing_column", `${t.name}.${c.name} is NOT NULL without a default and was not supplied`);
        }
        values.set(c.name, implicitDefault(c));
      }
      const names = [...values.keys()];
      const sql =
        names.length === 0
          ? `INSERT INTO ${q(t.name)} DEFAULT VALUES`
          : `INSERT INTO ${q(t.name)} (${names.map(q).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`;
      const info = this.#stmt(sql).run(...values.values());
      return t.autoColumn === undefined ? 0 : Number(info.lastInsertRowid);
    });
  }

  update(table: string, where: Where, patch: Readonly<Record<string, SqlValue>>): Promise<number> {
    return this.#run(() => {
      const t = tableDef(table);
      const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
      if (entries.length === 0) return this.#countSync(t, where);
      const set = entries.map(([name]) => `${q(columnDef(t, name).name)} = ?`).join(", ");
      const params = entries.map(([name, v]) => toColumnValue(t, columnDef(t, name), v, this.#strict));
      const w = this.#where(t, where);
      return this.#stmt(`UPDATE ${q(t.name)} SET ${set}${w.sql}`).run(...params, ...w.params).changes;
    });
  }

  delete(table: string, where: Where): Promise<number> {
    return this.#run(() => {
      const t = tableDef(table);
      const w = this.#where(t, where);
      return this.#stmt(`DELETE FROM ${q(t.name)}${w.sql}`).run(...w.params).changes;
    });
  }

  transaction<T>(fn: (tx: WhmcsStore) => Promise<T>): Promise<T> {
    if (this.#holder.getStore() !== undefined) return this.#savepoint(fn);
    return this.#locked(async () => {
      this.#exec("BEGIN IMMEDIATE");
      try {
        const result = await this.#holder.run(1, () => fn(this));
        this.#exec("COMMIT");
        return result;
      } catch (err) {
        if (this.#db.inTransaction) this.#exec("ROLLBACK");
        throw err;
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#locked(async () => {
      this.#closed = true;
      this.#db.close();
    });
  }

  async #savepoint<T>(fn: (tx: WhmcsStore) => Promise<T>): Promise<T> {
    const name = `sp${++this.#depth}`;
    this.#exec(`SAVEPOINT ${name}`);
    try {
      const result = await fn(this);
      this.#exec(`RELEASE ${name}`);
      return result;
    } catch (err) {
      this.#exec(`ROLLBACK TO ${name}`);
      this.#exec(`RELEASE ${name}`);
      throw err;
    } finally {
      this.#depth--;
    }
  }

  /** Run a synchronous statement: at once inside the lock holder's context, else queued. */
  #run<T>(op: () => T): Promise<T> {
    if (this.#holder.getStore() !== undefined) {
      try {
        return Promise.resolve(this.#guard(op));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.#locked(async () => this.#guard(op));
  }

  #locked<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(() => {
      if (this.#closed) throw new WhmcsSandboxError("store.closed", "the WHMCS sandbox store is closed");
      return fn();
    });
    this.#tail = result.catch(() => undefined);
    return result;
  }

  #guard<T>(op: () => T): T {
    if (this.#closed) throw new WhmcsSandboxError("store.closed", "the WHMCS sandbox store is closed");
    try {
      return op();
    } catch (err) {
      if (err instanceof WhmcsSandboxError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      const code = /constraint/i.test(message) ? "store.constraint" : "store.sql";
      throw new WhmcsSandboxError(code, `SQLite: ${message}`, { cause: err });
    }
  }

  #exec(sql: string): void {
    this.#guard(() => this.#db.exec(sql));
  }

  #stmt(sql: string): Database.Statement {
    let s = this.#statements.get(sql);
    if (s === undefined) {
      s = this.#db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  #select(table: string, where: Where, options: SelectOptions): Row[] {
    const t = tableDef(table);
    const cols = options.columns === undefined ? "*" : options.columns.map((c) => q(columnDef(t, c).name)).join(", ");
    const w = this.#where(t, where);
    let sql = `SELECT ${cols} FROM ${q(t.name)}${w.sql}`;
    const order = (options.orderBy ?? defaultOrder(t)).map((term) => {
      const column = typeof term === "string" ? term : term.column;
      const desc = typeof term === "string" ? false : term.desc === true;
      return `${q(columnDef(t, column).name)}${desc ? " DESC" : ""}`;
    });
    if (order.length > 0) sql += ` ORDER BY ${order.join(", ")}`;
    const params: SqlValue[] = [...w.params];
    if (options.limit !== undefined || options.offset !== undefined) {
      sql += ` LIMIT ${options.limit === undefined ? NO_LIMIT : "?"}`;
      if (options.limit !== undefined) params.push(nonNegativeInt(options.limit, "limit"));
      if (options.offset !== undefined) {
        sql += " OFFSET ?";
        params.push(nonNegativeInt(options.offset, "offset"));
      }
    }
    return this.#stmt(sql).all(...params) as Row[];
  }

  #countSync(t: TableDef, where: Where): number {
    const w = this.#where(t, where);
    return (this.#stmt(`SELECT COUNT(*) AS n FROM ${q(t.name)}${w.sql}`).get(...w.params) as { n: number }).n;
  }

  #where(t: TableDef, where: Where): { sql: string; params: SqlValue[] } {
    const parts: string[] = [];
    const params: SqlValue[] = [];
    for (const [name, value] of Object.entries(where)) {
      if (value === undefined) continue;
      const col = columnDef(t, name);
      if (Array.isArray(value)) {
        if (value.length === 0) {
          parts.push("1 = 0");
          continue;
        }
        parts.push(`${q(col.name)} IN (${value.map(() => "?").join(", ")})`);
        for (const v of value as readonly SqlValue[]) params.push(toColumnValue(t, { ...col, nullable: true, maxLength: undefined }, v));
      } else if (value === null) {
        parts.push(`${q(col.name)} IS NULL`);
      } else {
        parts.push(`${q(col.name)} = ?`);
        params.push(toColumnValue(t, { ...col, maxLength: undefined }, value as SqlValue));
      }
    }
    return { sql: parts.length === 0 ? "" : ` WHERE ${parts.join(" AND ")}`, params };
  }
}

function nonNegativeInt(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new WhmcsSandboxError("store.type", `${what} must be a non-negative integer`);
  return n;
}
