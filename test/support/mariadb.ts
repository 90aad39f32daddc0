import { randomBytes } from "node:crypto";
import { createConnection } from "mysql2/promise";
import { afterAll, beforeAll } from "vitest";
import { openMariaDbStore, type MariaDbStore, type MariaDbStoreOptions } from "../../src/sandbox/whmcs/index.js";

/** The variable naming the MariaDB server tests use. */
export const DATABASE_URL_VARIABLE = "WHMCS_TEST_DATABASE_URL";
export const DEFAULT_DATABASE_URL = "mysql://root@127.0.0.1:3306";
/** Image started when no server is reachable but a Docker engine is. */
export const MARIADB_IMAGE = "mariadb:10.11";

/** A MariaDB database of one test file, fresh for the file and dropped after it. */
export interface TestDatabase {
  /** False when no server is reachable (and not under CI): suites must skip. */
  readonly available: boolean;
  /** Why it is unavailable. */
  readonly reason: string | undefined;
  /** Where the server is, without password or database (safe to print). */
  readonly server: string;
  /** The file's database name, `zwr_<label>_<pid>_<random>`. */
  readonly database: string;
  /** Server URL plus the database, without password. */
  readonly url: string;
  /** Password to pass next to `url` (never inside it). */
  readonly password: string | undefined;
  /** The file's shared store (open between beforeAll and afterAll). */
  store(): MariaDbStore;
  /** Empty every table of the file's database and hand back the shared store: a clean WHMCS for one test. */
  freshStore(): Promise<MariaDbStore>;
  /** Another store on the file's database; the caller closes it. */
  openStore(options?: Partial<Omit<MariaDbStoreOptions, "url" | "database" | "password">>): Promise<MariaDbStore>;
}

interface Server {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string | undefined;
}

/**
 * Register a fresh database for the calling test file: `beforeAll` creates it and applies the
 * schema, `afterAll` drops it. Call it at the top level with `await`, then guard suites with
 * `describe.skipIf(!db.available)`.
 *
 * The server comes from `WHMCS_TEST_DATABASE_URL` (default `mysql://root@127.0.0.1:3306`).
 * When it is unreachable and a Docker engine is, `mariadb:10.11` is started with
 * testcontainers. When neither works, the file fails under `CI=true` and otherwise skips with
 * a warning banner.
 */
export async function useTestDatabase(label: string): Promise<TestDatabase> {
  const configured = process.env[DATABASE_URL_VARIABLE] ?? DEFAULT_DATABASE_URL;
  const database = databaseName(label);
  let server: Server | undefined;
  let reason: string | undefined;
  try {
    server = await reachableServer(configured);
  } catch (err) {
    reason = errorText(err);
  }
  let stopContainer: (() => Promise<void>) | undefined;
  if (server === undefined) {
    const started = await startContainer();
    if (started.server !== undefined) {
      server = started.server;
      stopContainer = started.stop;
    } else {
      reason = `${reason ?? "unreachable"}; ${started.reason}`;
    }
  }

  const where = server === undefined ? safeUrl(configured) : `mysql://${server.user}@${hostPart(server.host)}:${server.port}`;
  if (server === undefined) {
    const message =
      `No MariaDB for the WHMCS sandbox tests at ${where} (${reason}). ` +
      `Set ${DATABASE_URL_VARIABLE}=mysql://user@host:port (password in the URL) or make a Docker engine reachable.`;
    if (process.env["CI"] === "true") throw new Error(message);
    const line = "!".repeat(100);
    console.warn(`\n${line}\n!! SKIPPING MariaDB tests (${label}): ${message}\n${line}\n`);
  }

  let shared: MariaDbStore | undefined;
  const url = `${where}/${database}`;
  const open = async (options: Partial<MariaDbStoreOptions> = {}): Promise<MariaDbStore> => {
    if (server === undefined) throw new Error(`MariaDB is not available: ${reason}`);
    return openMariaDbStore({ ...options, url: where, database, ...(server.password === undefined ? {} : { password: server.password }) });
  };

  if (server !== undefined) {
    const s = server;
    beforeAll(async () => {
      shared = await open({ createDatabase: true });
    });
    afterAll(async () => {
      await shared?.close();
      await dropDatabase(s, database);
      await stopContainer?.();
    });
  }

  return {
    available: server !== undefined,
    reason,
    server: where,
    database,
    url,
    password: server?.password,
    store: () => {
      if (shared === undefined) throw new Error("the test database is not open (outside beforeAll/afterAll, or MariaDB unavailable)");
      return shared;
    },
    freshStore: async () => {
      if (shared === undefined) throw new Error("the test database is not open (outside beforeAll/afterAll, or MariaDB unavailable)");
      await shared.reset();
      return shared;
    },
    openStore: (options = {}) => open(options),
  };
}

function databaseName(label: string): string {
  const clean = label.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 30) || "db";
  return `zwr_${clean}_${process.pid}_${randomBytes(4).toString("hex")}`;
}

async function reachableServer(url: string): Promise<Server> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`${DATABASE_URL_VARIABLE} is not a URL (expected mysql://user[:password]@host[:port])`);
  }
  const server: Server = {
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: parsed.port === "" ? 3306 : Number(parsed.port),
    user: parsed.username === "" ? "root" : decodeURIComponent(parsed.username),
    password: parsed.password === "" ? undefined : decodeURIComponent(parsed.password),
  };
  const conn = await connect(server);
  await conn.end();
  return server;
}

function connect(server: Server): ReturnType<typeof createConnection> {
  return createConnection({
    host: server.host,
    port: server.port,
    user: server.user,
    ...(server.password === undefined ? {} : { password: server.password }),
    connectTimeout: 3000,
  });
}

async function dropDatabase(server: Server, database: string): Promise<void> {
  const conn = await connect(server);
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await conn.end();
  }
}

async function startContainer(): Promise<{ server?: Server; stop?: () => Promise<void>; reason: string }> {
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    await getContainerRuntimeClient();
  } catch (err) {
    return { reason: `no Docker engine either (${errorText(err)})` };
  }
  const { MariaDbContainer } = await import("@testcontainers/mariadb");
  const rootPassword = randomBytes(12).toString("hex");
  const container = await new MariaDbContainer(MARIADB_IMAGE).withRootPassword(rootPassword).start();
  return {
    server: { host: container.getHost(), port: container.getPort(), user: "root", password: rootPassword },
    stop: async () => {
      await container.stop();
    },
    reason: "",
  };
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === "string" && code !== "" ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return `(${DATABASE_URL_VARIABLE} is not a URL)`;
  }
}

function hostPart(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
