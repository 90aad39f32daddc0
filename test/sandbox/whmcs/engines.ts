import { afterEach, beforeEach } from "vitest";
import { openSqliteStore, startWhmcsSandbox, type WhmcsSandbox, type WhmcsSandboxOptions, type WhmcsStore } from "../../../src/sandbox/whmcs/index.js";
import { useTestDatabase, type TestDatabase } from "../../support/mariadb.js";
import { IDENTIFIER, SECRET } from "./harness.js";

export interface StoreOptions {
  readonly strict?: boolean;
}

/** A storage engine the conformance suites run on. */
export interface Engine {
  readonly name: "sqlite" | "mariadb";
  /** False when the engine cannot run here (MariaDB unreachable): its tests skip. */
  readonly available: boolean;
  /** A store with no rows and ids starting at 1. */
  open(options?: StoreOptions): Promise<WhmcsStore>;
  /** Close what `open` handed out, except a shared store. */
  release(): Promise<void>;
  /** The file's MariaDB database (MariaDB only). */
  readonly db?: TestDatabase;
}

function sqliteEngine(): Engine {
  const owned: WhmcsStore[] = [];
  return {
    name: "sqlite",
    available: true,
    open: async (options = {}) => {
      const store = openSqliteStore(options.strict === true ? { strict: true } : {});
      owned.push(store);
      return store;
    },
    release: async () => {
      for (const s of owned.splice(0)) await s.close();
    },
  };
}

function mariaDbEngine(db: TestDatabase): Engine {
  const owned: WhmcsStore[] = [];
  return {
    name: "mariadb",
    available: db.available,
    db,
    open: async (options = {}) => {
      const shared = await db.freshStore();
      if (options.strict !== true) return shared;
      const strict = await db.openStore({ strict: true, schema: "none" });
      owned.push(strict);
      return strict;
    },
    release: async () => {
      for (const s of owned.splice(0)) await s.close();
    },
  };
}

/**
 * The engines of one test file, as `describe.each` rows: SQLite, and MariaDB on a fresh
 * database for the file (skipped loudly, or failing under CI, when no server is reachable).
 */
export async function engines(label: string): Promise<[string, Engine][]> {
  const db = await useTestDatabase(label);
  return [
    ["sqlite", sqliteEngine()],
    ["mariadb", mariaDbEngine(db)],
  ];
}

export interface EngineScope {
  /** A clean store for this test. */
  store(options?: StoreOptions): Promise<WhmcsStore>;
  /** A sandbox on a clean store for this test, with the harness credential. */
  sandbox(options?: WhmcsSandboxOptions): Promise<WhmcsSandbox>;
}

/**
 * Call inside a `describe.each(engines)` body: skips the suite's tests when the engine is not
 * available, and closes the sandboxes and stores each test opened.
 */
export function useEngine(engine: Engine): EngineScope {
  const sandboxes: WhmcsSandbox[] = [];
  beforeEach((ctx) => {
    if (!engine.available) ctx.skip(`${engine.name} is not available`);
  });
  afterEach(async () => {
    for (const sb of sandboxes.splice(0)) await sb.close();
    await engine.release();
  });
  return {
    store: (options) => engine.open(options),
    sandbox: async (options = {}) => {
      const store = options.store ?? (await engine.open());
      const sb = await startWhmcsSandbox({ credentials: { identifier: IDENTIFIER, secret: SECRET }, ...options, store });
      sandboxes.push(sb);
      return sb;
    },
  };
}
