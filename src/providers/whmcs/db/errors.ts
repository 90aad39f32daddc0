import { ReconcileError } from "../../../core/errors.js";
import { scrub } from "../../../core/secrets.js";
import type { DbTarget } from "./options.js";

/** Where a database failure happened, to say what it means for the data. */
export type DbPhase = "connect" | "read" | "write" | "commit";

export interface DbFailureContext {
  readonly phase: DbPhase;
  readonly target: DbTarget;
  /** `Product/mail-lite` for writes. */
  readonly resource?: string;
  /** The statement that failed, if any (never its parameters). */
  readonly sql?: string;
}

/** A failure of the `db` catalog backend; `sqlCode` is the driver's code (`ER_LOCK_WAIT_TIMEOUT`, …). */
export class WhmcsDbError extends ReconcileError {
  readonly sqlCode: string | undefined;
  readonly errno: number | undefined;
  readonly phase: DbPhase;
  /** True when the failure left the database as it was (the transaction rolled back or never began). */
  readonly nothingWritten: boolean;

  constructor(code: string, message: string, init: { sqlCode?: string; errno?: number; phase: DbPhase; nothingWritten: boolean; hint?: string; cause?: unknown }) {
    super(code, scrub(message), undefined, { hint: init.hint, cause: init.cause, details: { sqlCode: init.sqlCode, errno: init.errno, phase: init.phase } });
    this.sqlCode = init.sqlCode;
    this.errno = init.errno;
    this.phase = init.phase;
    this.nothingWritten = init.nothingWritten;
  }
}

const LOST = new Set(["PROTOCOL_CONNECTION_LOST", "ECONNRESET", "EPIPE", "ER_CONNECTION_KILLED", "ER_SERVER_SHUTDOWN", "ER_NET_READ_ERROR", "ER_NET_WRITE_INTERRUPTED", "ETIMEDOUT"]);
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT"]);
const DENIED = new Set(["ER_ACCESS_DENIED_ERROR", "ER_DBACCESS_DENIED_ERROR", "ER_TABLEACCESS_DENIED_ERROR", "ER_COLUMNACCESS_DENIED_ERROR", "ER_SPECIFIC_ACCESS_DENIED_ERROR"]);
const SCHEMA = new Set(["ER_NO_SUCH_TABLE", "ER_BAD_FIELD_ERROR", "ER_BAD_DB_ERROR"]);

/** The table a statement works on: the first one after INSERT INTO / UPDATE / DELETE FROM / FROM. */
export function tableOf(sql: string | undefined): string | undefined {
  if (sql === undefined) return undefined;
  return /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|FROM)\s+`?([A-Za-z0-9_]+)`?/i.exec(sql)?.[1];
}

/** Translates a driver error into a typed error that says what happened to the data and what to do. */
export function dbError(err: unknown, ctx: DbFailureContext): WhmcsDbError {
  if (err instanceof WhmcsDbError) return err;
  const e = err as { code?: unknown; errno?: unknown; message?: unknown; sqlMessage?: unknown; fatal?: unknown };
  const sqlCode = typeof e.code === "string" ? e.code : undefined;
  const errno = typeof e.errno === "number" ? e.errno : undefined;
  const text = typeof e.sqlMessage === "string" ? e.sqlMessage : typeof e.message === "string" ? e.message : String(err);
  const where = ctx.target.label;
  const what = ctx.resource === undefined ? "" : ` ${ctx.resource}`;
  const base = { sqlCode, errno, phase: ctx.phase, cause: err } as const;
  const table = tableOf(ctx.sql);

  if (ctx.phase === "connect" || (sqlCode !== undefined && UNREACHABLE.has(sqlCode) && ctx.phase === "read")) {
    if (sqlCode !== undefined && DENIED.has(sqlCode)) {
      return new WhmcsDbError("whmcs.db.access-denied", `the WHMCS database at ${where} refused the login: ${text}`, {
        ...base,
        nothingWritten: true,
        hint: "check the user in whmcs.database.url and the password in whmcs.database.password, and that the user may connect from this machine",
      });
    }
    return new WhmcsDbError("whmcs.db.connect-failed", `cannot connect to the WHMCS database at ${where}: ${sqlCode ?? text}`, {
      ...base,
      nothingWritten: true,
      hint: "check the host and port in whmcs.database.url, and that the database server accepts connections from this machine",
    });
  }
  // mysql2 reports a statement issued after the server dropped the session without a code.
  const lost = (sqlCode !== undefined && LOST.has(sqlCode)) || e.fatal === true || /connection is in closed state/i.test(text);
  if (lost) {
    if (ctx.phase === "commit") {
      return new WhmcsDbError("whmcs.db.commit-unknown", `the connection to the WHMCS database was lost while committing${what}: the write may or may not have been saved`, {
        ...base,
        nothingWritten: false,
        hint: "run the plan again: it shows whether the change landed, and the upsert finds its own row by resource key, so nothing is duplicated",
      });
    }
    return new WhmcsDbError("whmcs.db.connection-lost", `the connection to the WHMCS database was lost while ${ctx.phase === "read" ? "reading the catalog" : `writing${what}`} (${sqlCode ?? "connection closed"})${ctx.phase === "write" ? "; the transaction was rolled back: nothing was written" : ""}`, {
      ...base,
      nothingWritten: true,
      hint: ctx.phase === "write" ? "nothing was written; run the plan again" : "check the database server and run again",
    });
  }
  if (sqlCode === "ER_LOCK_WAIT_TIMEOUT") {
    return new WhmcsDbError("whmcs.db.lock-timeout", `another process holds a lock on ${table ?? "a catalog table"} (writing${what}): lock wait timeout; the transaction was rolled back: nothing was written`, {
      ...base,
      nothingWritten: true,
      hint: `another process holds a lock on ${table ?? "a catalog table"}; retry when the WHMCS admin is idle (or raise lockWaitTimeoutSeconds)`,
    });
  }
  if (sqlCode === "ER_LOCK_DEADLOCK") {
    return new WhmcsDbError("whmcs.db.deadlock", `a deadlock with another session on ${table ?? "a catalog table"} aborted the write${what}; the transaction was rolled back: nothing was written`, {
      ...base,
      nothingWritten: true,
      hint: "nothing was written; run the plan again",
    });
  }
  if (sqlCode !== undefined && DENIED.has(sqlCode)) {
    return new WhmcsDbError("whmcs.db.access-denied", `the database user may not ${ctx.phase === "read" ? "read" : "write"} ${table ?? "a catalog table"}: ${text}${ctx.phase === "write" ? "; nothing was written" : ""}`, {
      ...base,
      nothingWritten: ctx.phase !== "commit",
      hint: "grant the user SELECT, INSERT, UPDATE and DELETE on the WHMCS catalog tables (and CREATE for the ownership ledger table)",
    });
  }
  if (sqlCode !== undefined && SCHEMA.has(sqlCode)) {
    return new WhmcsDbError("whmcs.db.schema", `the database at ${where} does not look like a WHMCS database: ${text}${ctx.phase === "write" ? "; nothing was written" : ""}`, {
      ...base,
      nothingWritten: ctx.phase !== "commit",
      hint: "check that whmcs.database.url names the WHMCS database",
    });
  }
  return new WhmcsDbError("whmcs.db.query-failed", `the WHMCS database rejected a statement on ${table ?? "a catalog table"}${what} (${sqlCode ?? "error"}: ${text})${ctx.phase === "write" ? "; the transaction was rolled back: nothing was written" : ""}`, {
    ...base,
    nothingWritten: ctx.phase !== "commit",
    hint: ctx.phase === "write" ? "nothing was written; fix the cause and run the plan again" : undefined,
  });
}
