import { AsyncLocalStorage } from "node:async_hooks";
import { createConnection, createPool, type Pool, type PoolConnection, type ResultSetHeader, type RowDataPacket } from "mysql2/promise";
import { checkDatabaseName, describeTarget, parseDatabaseUrl, type DatabaseTarget } from "./db-url.js";
import { WhmcsSandboxError } from "./errors.js";
import { mariaDbSchemaStatements } from "./mariadb-schema.js";
import { TABLES, columnDef, defaultOrder, tableDef, type ColumnDef, type TableDef } from "./schema.js";
import type { Row, SelectOptions, SqlValue, Where, WhmcsStore } from "./store.js";
import { toColumnValue } from "./values.js";

export interface MariaDbStoreOptions {
  /** `mysql://user[:password]@host[:port][/database]` (or `mariadb://`). */
  readonly url: string;
  /** Wins over a password in the URL; keep secrets out of URLs where you can. */
  readonly password?: string;
  /** Wins over the URL's path. Required one way or the other. */
  readonly database?: string;
  /**
   * Strict `sql_mode` on every session: inserts must supply every NOT NULL column without a
   * default. Off (the default), sessions run non-strict like production WHMCS and MariaDB fills
   * such columns with its implicit defaults.
   */
  readonly strict?: boolean;
  /** `create` (default) runs `CREATE TABLE IF NOT EXISTS` for every table; `none` trusts the database. */
  readonly schema?: "create" | "none";
  /** Create the database (utf8mb4_unicode_ci) when it does not exist. Default false. */
  readonly createDatabase?: boolean;
  /** Pool size; default 10. */
  readonly connectionLimit?: number;
}

/** A `WhmcsStore` on MariaDB/MySQL, plus what tests need of it. */
export interface MariaDbStore extends WhmcsStore {
  readonly engine: "mariadb";
  readonly database: string;
  /** `user@host:port/database`, without the password. */
  readonly target: string;
  /** Empty every sandbox table and restart its AUTO_INCREMENT ids (tests). */
  reset(): Promise<void>;
}

const NON_STRICT_MODE = "NO_ENGINE_SUBSTITUTION";
const STRICT_MODE = "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";
const NO_LIMIT = "18446744073709551615";

/**
 * Open a MariaDB store: a mysql2 pool whose sessions use `utf8mb4_unicode_ci`, UTC and the
 * chosen `sql_mode`; the schema is created unless told otherwise. Values follow the
 * `WhmcsStore` conventions exactly as the SQLite store returns them.
 */
export async function openMariaDbStore(options: MariaDbStoreOptions): Promise<MariaDbStore> {
  const parsed = parseDatabaseUrl(options.url);
  const target: DatabaseTarget = { ...parsed, password: options.password ?? parsed.password };
  const database = options.database ?? target.database;
  if (database === undefined || database === "") {
    throw new WhmcsSandboxError("store.database_name", "no database given: put it in the URL path or pass `database`");
  }
  checkDatabaseName(database);
  const label = describeTarget(target, database);
  if (options.createDatabase === true) await createDatabase(target, database);

  const pool = createPool({
    host: target.host,
    port: target.port,
    user: target.user,
    ...(target.password === undefined ? {} : { password: target.password }),
    database,
    charset: "UTF8MB4_UNICODE_CI",
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: false,
    // UPDATE reports matched rows, not changed ones, like SQLite: callers test "did a row exist".
    flags: ["FOUND_ROWS"],
    connectionLimit: options.connectionLimit ?? 10,
    waitForConnections: true,
  });
  const store = new MariaDbStoreImpl(pool, database, label, options.strict === true);
  try {
    if (options.schema !== "none") await store.applySchema();
    else await store.count("tblconfiguration");
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

/** Create `database` (utf8mb4_unicode_ci) unless it exists. */
async function createDatabase(target: DatabaseTarget, database: string): Promise<void> {
  const label = describeTarget(target, database);
  try {
    const conn = await createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      ...(target.password === undefined ? {} : { password: target.password }),
    });
    try {
      await conn.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    } finally {
      await conn.end();
    }
  } catch (err) {
    throw mapError(err, label);
  }
}

interface TxState {
  readonly conn: PoolConnection;
  depth: number;
  done: boolean;
}

class MariaDbStoreImpl implements MariaDbStore {
  readonly engine = "mariadb" as const;
  readonly database: string;
  readonly target: string;
  readonly #pool: Pool;
  readonly #strict: boolean;
  /** The transaction (its connection) the current async context runs in. */
  readonly #tx = new AsyncLocalStorage<TxState>();
  /** Core connections whose session variables are set. */
  readonly #ready = new WeakSet<object>();
  #closed = false;

  constructor(pool: Pool, database: string, target: string, strict: boolean) {
    this.#pool = pool;
    this.database = database;
    this.target = target;
    this.#strict = strict;
  }

  async select(table: string, where: Where = {}, options: SelectOptions = {}): Promise<Row[]> {
    const t = tableDef(table);
    const cols = options.columns === undefined ? "*" : options.columns.map((c) => q(columnDef(t, c).name)).join(", ");
    const w = whereSql(t, where);
    let sql = `SELECT ${cols} FROM ${q(t.name)}${w.sql}`;
    const order = (options.orderBy ?? defaultOrder(t)).map((term) => {
      const column = typeof term === "string" ? term : term.column;
      const desc = typeof term === "string" ? false : term.desc === true;
      return `${q(columnDef(t, column).name)}${desc ? " DESC" : ""}`;
    });
    if (order.length > 0) sql += ` ORDER BY ${order.join(", ")}`;
    if (options.limit !== undefined || options.offset !== undefined) {
      sql += ` LIMIT ${options.limit === undefined ? NO_LIMIT : nonNegativeInt(options.limit, "limit")}`;
      if (options.offset !== undefined) sql += ` OFFSET ${nonNegativeInt(options.offset, "offset")}`;
    }
    const rows = await this.#query<RowDataPacket[]>(sql, w.params);
    return rows.map((r) => toRow(t, r));
  }

  async selectOne(table: string, where: Where = {}, options: SelectOptions = {}): Promise<Row | undefined> {
    const rows = await this.select(table, where, { ...options, limit: 1 });
    return rows[0];
  }

  async count(table: string, where: Where = {}): Promise<number> {
    const t = tableDef(table);
    const w = whereSql(t, where);
    const rows = await this.#query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${q(t.name)}${w.sql}`, w.params);
    return Number(rows[0]?.["n"] ?? 0);
  }

  async insert(table: string, row: Readonly<Record<string, SqlValue>>): Promise<number> {
    const t = tableDef(table);
    const values = new Map<string, SqlValue>();
    for (const [name, value] of Object.entries(row)) {
      if (value === undefined) continue;
      values.set(name, toColumnValue(t, columnDef(t, name), value, this.#strict));
    }
    if (this.#strict) {
      for (const c of t.columns) {
        if (values.has(c.name) || c.autoIncrement || c.nullable || c.defaultValue !== undefined) continue;
        throw new WhmcsSandboxError("store.missing_column", `${t.name}.${c.name} is NOT NULL without a default and was not supplied`);
      }
    }
    const names = [...values.keys()];
    const sql = `INSERT INTO ${q(t.name)} (${names.map(q).join(", ")}) VALUES (${names.map(() => "?").join(", ")})`;
    const result = await this.#query<ResultSetHeader>(sql, [...values.values()]);
    return t.autoColumn === undefined ? 0 : Number(result.insertId);
  }

  async update(table: string, where: Where, patch: Readonly<Record<string, SqlValue>>): Promise<number> {
    const t = tableDef(table);
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return this.count(table, where);
    const set = entries.map(([name]) => `${q(columnDef(t, name).name)} = ?`).join(", ");
    const params = entries.map(([name, v]) => toColumnValue(t, columnDef(t, name), v, this.#strict));
    const w = whereSql(t, where);
    const result = await this.#query<ResultSetHeader>(`UPDATE ${q(t.name)} SET ${set}${w.sql}`, [...params, ...w.params]);
    return result.affectedRows;
  }

  async delete(table: string, where: Where): Promise<number> {
    const t = tableDef(table);
    const w = whereSql(t, where);
    const result = await this.#query<ResultSetHeader>(`DELETE FROM ${q(t.name)}${w.sql}`, w.params);
    return result.affectedRows;
  }

  async transaction<T>(fn: (tx: WhmcsStore) => Promise<T>): Promise<T> {
    const outer = this.#active();
    if (outer !== undefined) return this.#savepoint(outer, fn);
    const conn = await this.#acquire();
    const state: TxState = { conn, depth: 0, done: false };
    let healthy = true;
    try {
      await this.#on(conn, "START TRANSACTION", []);
      const result = await this.#tx.run(state, () => fn(this));
      state.done = true;
      await this.#on(conn, "COMMIT", []);
      return result;
    } catch (err) {
      state.done = true;
      try {
        await conn.query("ROLLBACK");
      } catch {
        healthy = false;
      }
      throw err;
    } finally {
      if (healthy) conn.release();
      else conn.destroy();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  /** Create every table that is missing (DDL runs non-strict: WHMCS defaults include zero dates). */
  async applySchema(): Promise<void> {
    const conn = await this.#acquire();
    try {
      await this.#on(conn, `SET SESSION sql_mode = '${NON_STRICT_MODE}'`, []);
      for (const statement of mariaDbSchemaStatements()) await this.#on(conn, statement, []);
    } finally {
      // The session's sql_mode was changed for DDL: this connection must not serve callers.
      conn.destroy();
    }
  }

  async reset(): Promise<void> {
    const conn = await this.#acquire();
    try {
      const rows = (await this.#on<RowDataPacket[]>(
        conn,
        "SELECT TABLE_NAME AS name, AUTO_INCREMENT AS next FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?",
        [this.database],
      )) as RowDataPacket[];
      const nextId = new Map(rows.map((r) => [String(r["name"]).toLowerCase(), r["next"] === null ? null : Number(r["next"])]));
      for (const t of TABLES) {
        const next = nextId.get(t.name.toLowerCase());
        if (next === undefined) continue;
        // TRUNCATE is DDL (slow): only for tables that hold rows or have handed out ids.
        let dirty = next !== null && next > 1;
        if (!dirty) dirty = ((await this.#on<RowDataPacket[]>(conn, `SELECT 1 FROM ${q(t.name)} LIMIT 1`, [])) as RowDataPacket[]).length > 0;
        if (dirty) await this.#on(conn, `TRUNCATE TABLE ${q(t.name)}`, []);
      }
    } finally {
      conn.release();
    }
  }

  #active(): TxState | undefined {
    const state = this.#tx.getStore();
    return state === undefined || state.done ? undefined : state;
  }

  async #savepoint<T>(state: TxState, fn: (tx: WhmcsStore) => Promise<T>): Promise<T> {
    const name = `sp${++state.depth}`;
    await this.#on(state.conn, `SAVEPOINT ${name}`, []);
    try {
      const result = await fn(this);
      await this.#on(state.conn, `RELEASE SAVEPOINT ${name}`, []);
      return result;
    } catch (err) {
      await this.#on(state.conn, `ROLLBACK TO SAVEPOINT ${name}`, []);
      await this.#on(state.conn, `RELEASE SAVEPOINT ${name}`, []);
      throw err;
    } finally {
      state.depth--;
    }
  }

  /** Run one statement: on the transaction's connection inside one, else on a pooled connection. */
  async #query<T>(sql: string, params: readonly SqlValue[]): Promise<T> {
    const state = this.#active();
    if (state !== undefined) return this.#on<T>(state.conn, sql, params);
    const conn = await this.#acquire();
    try {
      return await this.#on<T>(conn, sql, params);
    } finally {
      conn.release();
    }
  }

  async #on<T>(conn: PoolConnection, sql: string, params: readonly SqlValue[]): Promise<T> {
    try {
      const [result] = await conn.query(sql, params as SqlValue[]);
      return result as T;
    } catch (err) {
      throw mapError(err, this.target);
    }
  }

  async #acquire(): Promise<PoolConnection> {
    if (this.#closed) throw new WhmcsSandboxError("store.closed", "the WHMCS sandbox store is closed");
    let conn: PoolConnection;
    try {
      conn = await this.#pool.getConnection();
    } catch (err) {
      if (this.#closed) throw new WhmcsSandboxError("store.closed", "the WHMCS sandbox store is closed");
      throw mapError(err, this.target);
    }
    const core = conn.connection as unknown as object;
    if (!this.#ready.has(core)) {
      try {
        await conn.query(`SET SESSION sql_mode = '${this.#strict ? STRICT_MODE : NON_STRICT_MODE}', time_zone = '+00:00'`);
      } catch (err) {
        conn.destroy();
        throw mapError(err, this.target);
      }
      this.#ready.add(core);
    }
    return conn;
  }
}

function q(identifier: string): string {
  return `\`${identifier}\``;
}

function whereSql(t: TableDef, where: Where): { sql: string; params: SqlValue[] } {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  for (const [name, value] of Object.entries(where)) {
    if (value === undefined) continue;
    const col = columnDef(t, name);
    // A condition is compared, never stored: no truncation to the column length.
    const cond: ColumnDef = { ...col, maxLength: undefined };
    if (Array.isArray(value)) {
      if (value.length === 0) {
        parts.push("1 = 0");
        continue;
      }
      parts.push(`${q(col.name)} IN (${value.map(() => "?").join(", ")})`);
      for (const v of value as readonly SqlValue[]) params.push(toColumnValue(t, { ...cond, nullable: true }, v));
    } else if (value === null) {
      parts.push(`${q(col.name)} IS NULL`);
    } else {
      parts.push(`${q(col.name)} = ?`);
      params.push(toColumnValue(t, cond, value as SqlValue));
    }
  }
  return { sql: parts.length === 0 ? "" : ` WHERE ${parts.join(" AND ")}`, params };
}

/** A driver row in the store's value conventions (ints as numbers, blobs as text). */
function toRow(t: TableDef, raw: RowDataPacket): Row {
  const out: Record<string, SqlValue> = {};
  for (const [name, value] of Object.entries(raw)) {
    const col = t.byName.get(name);
    out[col?.name ?? name] = toValue(col, value);
  }
  return out;
}

function toValue(col: ColumnDef | undefined, value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  if (col?.kind === "int") return typeof value === "number" ? value : Number(value);
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  return String(value);
}

function nonNegativeInt(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new WhmcsSandboxError("store.type", `${what} must be a non-negative integer`);
  return n;
}

interface DriverError {
  readonly code?: string;
  readonly errno?: number;
  readonly sqlMessage?: string;
  readonly message?: string;
}

const CONNECT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH", "ECONNRESET", "PROTOCOL_CONNECTION_LOST", "ER_ACCESS_DENIED_ERROR", "ER_BAD_DB_ERROR", "ER_DBACCESS_DENIED_ERROR"]);

/**
 * A driver error as a typed sandbox error with the same codes the SQLite store uses. Messages
 * name the target without its password and never repeat duplicate-key values (an identifier
 * is a credential).
 */
function mapError(err: unknown, target: string): WhmcsSandboxError {
  if (err instanceof WhmcsSandboxError) return err;
  const e = (typeof err === "object" && err !== null ? err : {}) as DriverError;
  const text = e.sqlMessage ?? e.message ?? String(err);
  const code = e.code ?? "";
  if (code === "ER_DUP_ENTRY") {
    const key = /for key '([^']+)'/.exec(text)?.[1] ?? "?";
    return new WhmcsSandboxError("store.constraint", `MariaDB: duplicate value for unique key ${key}`, { cause: err });
  }
  if (code === "ER_LOCK_DEADLOCK" || code === "ER_LOCK_WAIT_TIMEOUT") {
    return new WhmcsSandboxError("store.conflict", `MariaDB: ${text}`, { cause: err });
  }
  if (code === "ER_NO_DEFAULT_FOR_FIELD") {
    const field = /Field '([^']+)'/.exec(text)?.[1] ?? "?";
    return new WhmcsSandboxError("store.missing_column", `${field} is NOT NULL without a default and was not supplied`, { cause: err });
  }
  if (code === "ER_BAD_NULL_ERROR" || code === "ER_DATA_TOO_LONG" || code === "ER_TRUNCATED_WRONG_VALUE" || code === "ER_WARN_DATA_OUT_OF_RANGE") {
    return new WhmcsSandboxError("store.type", `MariaDB: ${text}`, { cause: err });
  }
  if (CONNECT_CODES.has(code) || (e.errno === undefined && code.startsWith("E"))) {
    return new WhmcsSandboxError("store.connect", `cannot use MariaDB at ${target}: ${code === "" ? text : `${code}: ${text}`}`, { cause: err });
  }
  return new WhmcsSandboxError("store.sql", `MariaDB: ${text}`, { cause: err });
}
