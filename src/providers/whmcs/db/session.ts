import type { Connection, ResultSetHeader, RowDataPacket } from "mysql2/promise";
import { ReconcileError } from "../../../core/errors.js";
import { dbError, type DbPhase } from "./errors.js";
import type { DbBackendOptions, DbTarget } from "./options.js";

export type SqlValue = string | number | null;
export type DbRow = Readonly<Record<string, unknown>>;

/** One statement runner: every statement of a write goes through it, so the test hook sees each one. */
export interface Statements {
  rows(sql: string, params?: readonly SqlValue[]): Promise<DbRow[]>;
  exec(sql: string, params?: readonly SqlValue[]): Promise<ResultSetHeader>;
}

interface Opened {
  readonly conn: Connection;
  readonly id: number;
}

/**
 * A connection per operation (one catalog read, one write): nothing stays open between them, and
 * a session killed mid-write takes nothing else down with it.
 */
async function open(target: DbTarget, options: DbBackendOptions): Promise<Opened> {
  let conn: Connection;
  try {
    // Loaded on first use: only the `db` backend needs the MySQL driver.
    const { createConnection } = await import("mysql2/promise");
    conn = await createConnection({
      host: target.host,
      port: target.port,
      user: target.user,
      ...(options.password === undefined ? {} : { password: options.password.reveal() }),
      database: target.database,
      charset: "UTF8MB4_UNICODE_CI",
      connectTimeout: Math.round((options.connectTimeoutSeconds ?? 10) * 1000),
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: false,
      decimalNumbers: false,
      multipleStatements: false,
    });
  } catch (err) {
    throw dbError(err, { phase: "connect", target });
  }
  // A killed session also emits "error" on the connection; the pending statement reports it.
  conn.on("error", () => undefined);
  try {
    if (options.lockWaitTimeoutSeconds !== undefined) await conn.query("SET SESSION innodb_lock_wait_timeout = ?", [options.lockWaitTimeoutSeconds]);
    if (options.sqlMode !== undefined) await conn.query("SET SESSION sql_mode = ?", [options.sqlMode]);
    const [rows] = await conn.query<RowDataPacket[]>("SELECT CONNECTION_ID() AS id");
    return { conn, id: Number(rows[0]?.["id"]) };
  } catch (err) {
    close(conn);
    throw dbError(err, { phase: "connect", target });
  }
}

function close(conn: Connection): void {
  conn.end().catch(() => conn.destroy());
}

/** Runs `fn` in a read-only transaction with one consistent snapshot across all its queries. */
export async function readSession<T>(target: DbTarget, options: DbBackendOptions, fn: (s: Statements) => Promise<T>): Promise<T> {
  const { conn } = await open(target, options);
  let current: string | undefined;
  const statements: Statements = {
    rows: async (sql, params = []) => {
      current = sql;
      const [rows] = await conn.query<RowDataPacket[]>(sql, params as SqlValue[]);
      return rows;
    },
    exec: async (sql, params = []) => {
      current = sql;
      const [result] = await conn.query<ResultSetHeader>(sql, params as SqlValue[]);
      return result;
    },
  };
  try {
    await statements.exec("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
    const result = await fn(statements);
    await statements.exec("COMMIT");
    return result;
  } catch (err) {
    if (err instanceof ReconcileError) throw err;
    throw dbError(err, { phase: "read", target, ...(current === undefined ? {} : { sql: current }) });
  } finally {
    close(conn);
  }
}

/**
 * Runs `fn` in ONE transaction: committed when it resolves, rolled back when it throws. A failure
 * is reported as a typed error saying whether anything was written; InnoDB keeps a transaction
 * open after a lock wait timeout, so the rollback here is what undoes the earlier statements.
 */
export async function writeTransaction<T>(
  target: DbTarget,
  options: DbBackendOptions,
  resource: string,
  fn: (s: Statements) => Promise<T>,
): Promise<T> {
  const { conn, id } = await open(target, options);
  let current: string | undefined;
  let index = 0;
  const before = async (sql: string): Promise<void> => {
    current = sql;
    if (options.beforeStatement !== undefined) await options.beforeStatement(sql, { connectionId: id, index: index++, resource });
  };
  const statements: Statements = {
    rows: async (sql, params = []) => {
      await before(sql);
      const [rows] = await conn.query<RowDataPacket[]>(sql, params as SqlValue[]);
      return rows;
    },
    exec: async (sql, params = []) => {
      await before(sql);
      const [result] = await conn.query<ResultSetHeader>(sql, params as SqlValue[]);
      return result;
    },
  };
  let phase: DbPhase = "write";
  try {
    current = "START TRANSACTION";
    await conn.query("START TRANSACTION");
    let result: T;
    try {
      result = await fn(statements);
    } catch (err) {
      await conn.query("ROLLBACK").catch(() => undefined);
      throw err;
    }
    phase = "commit";
    await before("COMMIT");
    await conn.query("COMMIT");
    return result;
  } catch (err) {
    if (err instanceof ReconcileError) throw err;
    throw dbError(err, { phase, target, resource, ...(current === undefined ? {} : { sql: current }) });
  } finally {
    close(conn);
  }
}

/** One catalog DDL statement outside any transaction (MySQL commits implicitly around DDL). */
export async function runDdl(target: DbTarget, options: DbBackendOptions, sql: string): Promise<void> {
  const { conn } = await open(target, options);
  try {
    await conn.query(sql);
  } catch (err) {
    throw dbError(err, { phase: "write", target, sql });
  } finally {
    close(conn);
  }
}
