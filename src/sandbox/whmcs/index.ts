import { silentLogger, type Logger } from "../../core/log.js";
import { registerSecret } from "../../core/secrets.js";
import { allActionNames } from "./actions/index.js";
import { CallLog } from "./calls.js";
import { ensureAdmin, ensureCredential, randomToken } from "./credentials.js";
import { WhmcsSandboxError } from "./errors.js";
import { FaultInjector } from "./faults.js";
import { writeAllowedIps } from "./ip-allow.js";
import { seedDefaults } from "./seed.js";
import { seedCatalog, type SeedCatalog } from "./seed-catalog.js";
import { defaultModules, type ServerModule, type ZohoMailConnection } from "./modules/index.js";
import { normalizeBasePath, startApiServer, type SideRoute } from "./server.js";
import { openSqliteStore } from "./sqlite-store.js";
import type { WhmcsStore } from "./store.js";
import { resolveSwitches, type WhmcsSwitches } from "./switches.js";

export { ACTIONS, allActionNames } from "./actions/index.js";
export type { ActionContext, ActionDef, ActionHandler, RequestInfo } from "./actions/index.js";
export { CallLog, type CallOutcome, type CallRecord } from "./calls.js";
export { hashSecret, md5Hex, verifySecret } from "./credentials.js";
export { phpJsonEncode } from "./envelope.js";
export { WhmcsApiError, WhmcsSandboxError } from "./errors.js";
export { FaultInjector, MAINTENANCE_PAGE, type Fault, type FaultHandle, type FaultPhase, type FaultRule, type FaultScope } from "./faults.js";
export { parsePhpForm, type FormArray, type FormValue, type ParsedForm } from "./form.js";
export { parseAllowedIps, serializeAllowedIps } from "./ip-allow.js";
export { PhpArray, phpToPlain, type PhpValue } from "./php-array.js";
export { phpSerialize } from "./php-serialize.js";
export { phpUnserialize, unserializeBase64 } from "./php-unserialize.js";
export { TABLES, columnDef, defaultOrder, implicitDefault, tableDef, type ColumnDef, type ColumnKind, type TableDef } from "./schema.js";
export { mariaDbSchema, mariaDbSchemaStatements } from "./mariadb-schema.js";
export {
  defaultModules,
  LIFECYCLE_FUNCTIONS,
  ModuleRegistry,
  reconcileTestModule,
  zohoControlPanelUrl,
  zohoMailModule,
  type LifecycleFunction,
  type ModuleContext,
  type ModuleFunction,
  type ModuleParams,
  type ModuleReturn,
  type ServerModule,
  type ZohoMailConnection,
} from "./modules/index.js";
export { retryOnConflict } from "./store-retry.js";
export type { SideRoute } from "./server.js";
export { openMariaDbStore, type MariaDbStore, type MariaDbStoreOptions } from "./mariadb-store.js";
export { parseDatabaseUrl, redactDatabaseUrl, type DatabaseTarget } from "./db-url.js";
export { toColumnValue } from "./values.js";
export { DEFAULT_GATEWAYS, seedDefaults } from "./seed.js";
export {
  seedCatalog,
  type SeedCatalog,
  type SeedChoice,
  type SeedConfigGroup,
  type SeedCurrency,
  type SeedCustomField,
  type SeedGroup,
  type SeedOption,
  type SeedPricing,
  type SeedProduct,
  type SeededCatalog,
} from "./seed-catalog.js";
export { openSqliteStore, sqliteSchema, type SqliteStoreOptions } from "./sqlite-store.js";
export type { OrderBy, Row, SelectOptions, SqlValue, Where, WhmcsStore } from "./store.js";
export { DEFAULT_SWITCHES, resolveSwitches, type ResponseType, type WhmcsSwitches } from "./switches.js";

export interface WhmcsSandboxOptions {
  /** Default 127.0.0.1. Loopback addresses only. */
  readonly host?: string;
  /** Default 0 (a free port). */
  readonly port?: number;
  /** Sub-path WHMCS lives under; default "" → `/includes/api.php`. */
  readonly basePath?: string;
  /** SQLite file to keep state in across restarts; default in memory. */
  readonly sqliteFile?: string;
  /** Another store (e.g. MariaDB) instead of SQLite; the caller closes it. */
  readonly store?: WhmcsStore;
  readonly switches?: Partial<WhmcsSwitches>;
  /**
   * The API credential (created, or refreshed when the identifier exists). Default: a random
   * pair, allowed every action. Always ensured, even with `seed: false`.
   */
  readonly credentials?: { readonly identifier: string; readonly secret: string; readonly actions?: readonly string[] | "all" };
  /** An admin for the legacy `username` + md5(`password`) login. */
  readonly admin?: { readonly username: string; readonly password: string };
  /** `$api_access_key`: a request with this `accesskey` bypasses the IP allow-list. */
  readonly accessKey?: string;
  /** API IP allow-list (`tblconfiguration.APIAllowedIPs`); [] allows everyone. Undefined keeps the stored list. */
  readonly allowedIps?: readonly string[];
  /** Seed currencies, gateways, templates, a server and the version setting (default true). */
  readonly seed?: boolean;
  /** With `seed`, also create EUR (id 2, rate 0.90000). */
  readonly seedEur?: boolean;
  /** A starting catalog loaded after the default seed. */
  readonly catalog?: SeedCatalog;
  /** Clock for timestamps (`last_access`, `created_at`); default the system clock. */
  readonly now?: () => Date;
  /** Debug logs of each call (never parameters); default silent. */
  readonly logger?: Logger;
  /**
   * The Zoho account the `zoho_mail` module's "Create Account" button (`ModuleCustom
   * func_name=buttonOneFunction`) talks to, e.g. the Zoho sandbox's URLs and partner
   * credentials. Without it that button fails with a clear message.
   */
  readonly zohoMail?: ZohoMailConnection;
  /** Server modules installed besides `zoho_mail` and `reconcile_test` (same name replaces). */
  readonly modules?: readonly ServerModule[];
}

export interface WhmcsSandbox {
  /** Base URL WHMCS is reachable at, e.g. `http://127.0.0.1:PORT` (plus the base path); no `/includes/api.php`. */
  readonly url: string;
  readonly credentials: { readonly identifier: string; readonly secret: string };
  /** Mutable at runtime: every request reads the current values. */
  readonly switches: WhmcsSwitches;
  readonly store: WhmcsStore;
  readonly faults: FaultInjector;
  readonly calls: CallLog;
  /**
   * Serve `handler` for paths under `prefix` (e.g. `/__control`) on the same port, outside the
   * API: no faults, no credentials, no call log. A later call for the same prefix replaces it.
   */
  route(prefix: string, handler: SideRoute): void;
  close(): Promise<void>;
}

/** `$api_access_key` may hold letters, digits and `! @ # $ % . ( ) * [ ] - _` only. */
const ACCESS_KEY = /^[A-Za-z0-9!@#$%.()*[\]\-_]+$/;
const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Start the WHMCS `api.php` emulator on loopback. */
export async function startWhmcsSandbox(opts: WhmcsSandboxOptions = {}): Promise<WhmcsSandbox> {
  const host = opts.host ?? "127.0.0.1";
  if (!LOOPBACK.has(host) && !/^127\.\d+\.\d+\.\d+$/.test(host)) {
    throw new WhmcsSandboxError("options.host", `the WHMCS sandbox listens on loopback only, not ${JSON.stringify(host)}`);
  }
  if (opts.accessKey !== undefined && !ACCESS_KEY.test(opts.accessKey)) {
    throw new WhmcsSandboxError("options.access_key", "the access key may contain letters, digits and ! @ # $ % . ( ) * [ ] - _ only");
  }
  if (opts.store !== undefined && opts.sqliteFile !== undefined) {
    throw new WhmcsSandboxError("options.store", "give either `store` or `sqliteFile`, not both");
  }
  const basePath = normalizeBasePath(opts.basePath ?? "");
  const modules = defaultModules(opts.modules);
  if (opts.zohoMail !== undefined) checkZohoMail(opts.zohoMail);
  const switches = resolveSwitches(opts.switches);
  const now = opts.now ?? (() => new Date());
  const ownsStore = opts.store === undefined;
  const store = opts.store ?? openSqliteStore(opts.sqliteFile === undefined ? {} : { file: opts.sqliteFile });

  try {
    if (opts.seed !== false) await seedDefaults(store, now(), { eur: opts.seedEur === true });
    const adminId = await ensureAdmin(store, opts.admin ?? { username: "admin", password: randomToken(24) }, now());
    const credentials = opts.credentials ?? { identifier: randomToken(32), secret: randomToken(32) };
    await ensureCredential(store, credentials, allActionNames(), adminId, now());
    if (opts.allowedIps !== undefined) await writeAllowedIps(store, opts.allowedIps, now());
    if (opts.catalog !== undefined) await seedCatalog(store, opts.catalog, now());

    const faults = new FaultInjector();
    const calls = new CallLog();
    const sideRoutes = new Map<string, SideRoute>();
    const server = await startApiServer({
      host,
      port: opts.port ?? 0,
      basePath,
      store,
      switches,
      accessKey: opts.accessKey,
      now,
      faults,
      calls,
      logger: opts.logger ?? silentLogger(),
      modules,
      zohoMail: opts.zohoMail,
      sideRoutes,
    });
    let closed = false;
    return {
      url: server.url,
      credentials: { identifier: credentials.identifier, secret: credentials.secret },
      switches,
      store,
      faults,
      calls,
      route: (prefix, handler) => {
        const clean = prefix.replace(/\/+$/, "");
        const api = `${basePath}/includes/api.php`;
        if (!/^\/[A-Za-z0-9._~\-/]+$/.test(clean) || clean === api || api.startsWith(`${clean}/`) || clean.startsWith(`${api}/`)) {
          throw new WhmcsSandboxError("options.route", `invalid side route prefix ${JSON.stringify(prefix)}`);
        }
        sideRoutes.set(clean, handler);
      },
      close: async () => {
        if (closed) return;
        closed = true;
        await server.close();
        if (ownsStore) await store.close();
      },
    };
  } catch (err) {
    if (ownsStore) await store.close();
    throw err;
  }
}

function checkZohoMail(z: ZohoMailConnection): void {
  for (const key of ["accountsUrl", "mailUrl"] as const) {
    let url: URL | undefined;
    try {
      url = new URL(z[key]);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:")) {
      throw new WhmcsSandboxError("options.zoho_mail", `zohoMail.${key} must be an http(s) URL`);
    }
  }
  for (const key of ["clientId", "clientSecret", "refreshToken"] as const) {
    if (typeof z[key] !== "string" || z[key] === "") throw new WhmcsSandboxError("options.zoho_mail", `zohoMail.${key} must be a non-empty string`);
  }
  registerSecret(z.clientSecret);
  registerSecret(z.refreshToken);
}
