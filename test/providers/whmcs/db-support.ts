import { createConnection, type Connection, type RowDataPacket } from "mysql2/promise";
import { silentLogger } from "../../../src/core/log.js";
import { Secret } from "../../../src/core/secrets.js";
import type { DesiredCatalog } from "../../../src/model/catalog.js";
import type { Plan } from "../../../src/model/plan.js";
import type { CatalogProvider } from "../../../src/model/provider.js";
import { applyPlan, memoryJournal } from "../../../src/apply/index.js";
import { computePlan } from "../../../src/plan/index.js";
import { createDbCatalogBackend, createWhmcsClient, type DbBackendOptions, type WhmcsClient } from "../../../src/providers/whmcs/index.js";
import { startWhmcsSandbox, type WhmcsSandbox } from "../../../src/sandbox/whmcs/index.js";
import type { TestDatabase } from "../../support/mariadb.js";

/** The catalog tables the backends write, with the ledger: what "nothing was written" is checked on. */
export const CATALOG_TABLES = [
  "tblproductgroups",
  "tblproducts",
  "tblpricing",
  "tblproductconfiggroups",
  "tblproductconfiglinks",
  "tblproductconfigoptions",
  "tblproductconfigoptionssub",
  "tblcustomfields",
  "mod_zoho_reconcile_resources",
] as const;

/** A second session on the test database, for locks, kills and snapshots. */
export async function sideConnection(db: TestDatabase): Promise<Connection> {
  const url = new URL(db.url);
  const conn = await createConnection({
    host: url.hostname,
    port: url.port === "" ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username || "root"),
    ...(db.password === undefined ? {} : { password: db.password }),
    database: db.database,
    dateStrings: true,
  });
  conn.on("error", () => undefined);
  return conn;
}

/** Every row of the catalog tables, in id order: equal snapshots mean nothing changed. */
export async function snapshot(conn: Connection): Promise<Record<string, RowDataPacket[]>> {
  const out: Record<string, RowDataPacket[]> = {};
  for (const table of CATALOG_TABLES) {
    const [rows] = await conn.query<RowDataPacket[]>(`SELECT * FROM \`${table}\` ORDER BY \`id\``);
    out[table] = rows;
  }
  return out;
}

export function dbOptions(db: TestDatabase, over: Partial<DbBackendOptions> = {}): DbBackendOptions {
  return { url: db.url, ...(db.password === undefined ? {} : { password: new Secret(db.password, "test:db") }), ...over };
}

export function dbProvider(db: TestDatabase, over: Partial<DbBackendOptions> = {}): CatalogProvider {
  const backend = createDbCatalogBackend(dbOptions(db, over));
  return { backend: "db", writer: backend.writer, readCatalog: () => backend.readCatalog() };
}

/** The sandbox serving api.php (companion actions on) over the test database. */
export async function sandboxOn(db: TestDatabase, currencies: "usd-eur" | "usd-eur-gbp" = "usd-eur"): Promise<{ sandbox: WhmcsSandbox; client: WhmcsClient }> {
  const store = await db.freshStore();
  const sandbox = await startWhmcsSandbox({ store, switches: { companion: true }, seedEur: true });
  if (currencies === "usd-eur-gbp") await store.insert("tblcurrencies", { code: "GBP", prefix: "£", suffix: " GBP", format: 1, rate: "0.80000", default: 0 });
  const client = createWhmcsClient({
    url: sandbox.url,
    identifier: new Secret(sandbox.credentials.identifier, "test"),
    secret: new Secret(sandbox.credentials.secret, "test"),
  });
  return { sandbox, client };
}

export function planFor(desired: DesiredCatalog, live: Awaited<ReturnType<CatalogProvider["readCatalog"]>>, backend: CatalogProvider["backend"]): Plan {
  return computePlan({ desired, live, backend, target: { whmcs: "http://127.0.0.1", catalogBackend: backend } });
}

/** Plan against `provider`, apply through `provider`'s writer, and return the plan made afterwards. */
export async function applyThrough(provider: CatalogProvider, desired: DesiredCatalog, reread: CatalogProvider = provider): Promise<Plan> {
  const live = await provider.readCatalog();
  const plan = planFor(desired, live, provider.backend);
  const writer = provider.writer;
  if (writer === undefined) throw new Error(`${provider.backend} has no writer`);
  const report = await applyPlan({ plan, currencies: live.currencies, writer, journal: memoryJournal(), logger: silentLogger() });
  const failed = report.results.filter((r) => r.status === "failed").map((r) => r.error);
  if (failed.length > 0) throw new Error(`apply failed: ${JSON.stringify(failed)}`);
  return planFor(desired, await reread.readCatalog(), reread.backend);
}

export const changesOf = (plan: Plan) => plan.changes.filter((c) => c.action !== "noop").map((c) => ({ key: c.key, action: c.action, diffs: c.diffs }));
