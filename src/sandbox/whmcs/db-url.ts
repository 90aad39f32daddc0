import { WhmcsSandboxError } from "./errors.js";

/** Where a MariaDB/MySQL store connects. */
export interface DatabaseTarget {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** From the URL's user-info; a separate `password` option wins. */
  readonly password: string | undefined;
  /** From the URL's path; undefined when the URL names none. */
  readonly database: string | undefined;
}

const SHAPE = "expected mysql://user[:password]@host[:port][/database]";
/** Database names the sandbox creates or opens: letters, digits, `_` and `$`, as unquoted MariaDB identifiers. */
const DATABASE_NAME = /^[A-Za-z0-9_$]{1,64}$/;

/**
 * Parse `mysql://user[:password]@host[:port][/database]` (`mariadb://` too). Error messages
 * never repeat the URL, since it may carry a password.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WhmcsSandboxError("store.url", `invalid database URL (${SHAPE})`);
  }
  if (parsed.protocol !== "mysql:" && parsed.protocol !== "mariadb:") {
    throw new WhmcsSandboxError("store.url", `unsupported database URL scheme "${parsed.protocol}" (${SHAPE})`);
  }
  if (parsed.hostname === "") throw new WhmcsSandboxError("store.url", `the database URL names no host (${SHAPE})`);
  const port = parsed.port === "" ? 3306 : Number(parsed.port);
  const path = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (path !== "") checkDatabaseName(path);
  const host = parsed.hostname.startsWith("[") ? parsed.hostname.slice(1, -1) : parsed.hostname;
  return {
    host,
    port,
    user: parsed.username === "" ? "root" : decodeURIComponent(parsed.username),
    password: parsed.password === "" ? undefined : decodeURIComponent(parsed.password),
    database: path === "" ? undefined : path,
  };
}

export function checkDatabaseName(name: string): string {
  if (!DATABASE_NAME.test(name)) {
    throw new WhmcsSandboxError("store.database_name", `invalid database name ${JSON.stringify(name)}: use 1-64 letters, digits, _ or $`);
  }
  return name;
}

/** The URL with any password replaced by `***`, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable database URL)";
  }
}

/** `user@host:port/database`, never with a password. */
export function describeTarget(t: DatabaseTarget, database: string | undefined = t.database): string {
  const host = t.host.includes(":") ? `[${t.host}]` : t.host;
  return `${t.user}@${host}:${t.port}${database === undefined ? "" : `/${database}`}`;
}
