import { ReconcileError } from "../../../core/errors.js";
import type { Logger } from "../../../core/log.js";
import type { Secret } from "../../../core/secrets.js";

export interface DbStatementInfo {
  /** `CONNECTION_ID()` of the session running the write. */
  readonly connectionId: number;
  /** 0 for the first statement after START TRANSACTION. */
  readonly index: number;
  /** The resource being written, e.g. `Product/mail-lite`. */
  readonly resource: string;
}

export interface DbBackendOptions {
  /** `mysql://user@host[:port]/database` (also `mariadb://`); no password in the URL. */
  readonly url: string;
  readonly password?: Secret;
  /** Seconds to wait for a connection (default 10). */
  readonly connectTimeoutSeconds?: number;
  /**
   * `innodb_lock_wait_timeout` for the session, in seconds (default: the server's, 50 on a stock
   * server). A write waiting longer on a row another session holds fails and rolls back.
   */
  readonly lockWaitTimeoutSeconds?: number;
  /** Session `sql_mode`, for servers whose default differs from WHMCS's; default: the server's. */
  readonly sqlMode?: string;
  /**
   * Called before every statement of a write inside its transaction, COMMIT included.
   * Fault-injection tests use it to kill the session between two statements.
   */
  readonly beforeStatement?: (sql: string, info: DbStatementInfo) => void | Promise<void>;
  /** Clock for the apply lock's lease times (tests); default the database server's clock. */
  readonly lockClock?: () => Date;
  readonly logger?: Logger;
}

export interface DbTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  /** `user@host:port/database`: safe to print. */
  readonly label: string;
}

const SHAPE = "expected mysql://user@host[:port]/database";

/** Parses `whmcs.database.url`; the password comes separately, as a `${env:…}` secret. */
export function parseDbUrl(url: string): DbTarget {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw invalid(`whmcs.database.url is not a valid URL (${SHAPE})`);
  }
  if (parsed.protocol !== "mysql:" && parsed.protocol !== "mariadb:") {
    throw invalid(`whmcs.database.url must use mysql:// or mariadb://, got ${parsed.protocol}//`);
  }
  if (parsed.password !== "") {
    throw invalid("whmcs.database.url must not contain a password", "put the password in whmcs.database.password as ${env:NAME}");
  }
  if (parsed.search !== "" || parsed.hash !== "") throw invalid("whmcs.database.url must not contain a query string or fragment");
  if (parsed.hostname === "") throw invalid(`whmcs.database.url names no host (${SHAPE})`);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!/^[A-Za-z0-9_$-]{1,64}$/.test(database)) throw invalid(`whmcs.database.url must name the WHMCS database (${SHAPE})`);
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const port = parsed.port === "" ? 3306 : Number(parsed.port);
  const user = parsed.username === "" ? "root" : decodeURIComponent(parsed.username);
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return { host, port, user, database, label: `${user}@${shownHost}:${port}/${database}` };
}

export function checkOptions(options: DbBackendOptions): void {
  const lock = options.lockWaitTimeoutSeconds;
  if (lock !== undefined && (!Number.isInteger(lock) || lock < 1 || lock > 3600)) {
    throw invalid(`lockWaitTimeoutSeconds must be an integer from 1 to 3600, got ${lock}`);
  }
  const connect = options.connectTimeoutSeconds;
  if (connect !== undefined && (!Number.isFinite(connect) || connect <= 0 || connect > 600)) {
    throw invalid(`connectTimeoutSeconds must be a number from 0 to 600, got ${connect}`);
  }
  if (options.sqlMode !== undefined && !/^[A-Z_,]*$/.test(options.sqlMode)) {
    throw invalid(`sqlMode must be a list of mode names, got ${JSON.stringify(options.sqlMode)}`);
  }
}

function invalid(message: string, hint?: string): ReconcileError {
  return new ReconcileError("whmcs.db.config", message, undefined, hint === undefined ? {} : { hint });
}
