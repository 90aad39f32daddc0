import { silentLogger, type Logger } from "../../src/core/log.js";
import { Secret } from "../../src/core/secrets.js";
import { applyFullPlan, createProviderCustomerWriter, type CustomerApplyOptions } from "../../src/apply/customers/index.js";
import { memoryJournal, type ApplyReport } from "../../src/apply/index.js";
import { planNamesFromConfig, readCustomerLiveState } from "../../src/live/index.js";
import type { DesiredCatalog, LiveCatalog } from "../../src/model/catalog.js";
import { DEFAULT_ORDER_SETTINGS, type OrderSettings, type ZohoPlanEntry } from "../../src/model/config.js";
import type { CustomerWriter } from "../../src/model/customer-writer.js";
import type { LiveCustomers, RecordFieldFacts, ZohoMailModuleTable } from "../../src/model/customers.js";
import type { Plan } from "../../src/model/plan.js";
import { computeFullPlan, type DesiredCustomerResource } from "../../src/plan/customers/index.js";
import { createCatalogProvider, createWhmcsClient, type WhmcsCatalogProvider, type WhmcsClient } from "../../src/providers/whmcs/index.js";
import { createZohoProvider, type ZohoProvider, type ZohoProviderOptions } from "../../src/providers/zoho/index.js";
import { startWhmcsSandbox, type WhmcsSandbox, type WhmcsSandboxOptions, type WhmcsStore } from "../../src/sandbox/whmcs/index.js";
import { startZohoSandbox, type ZohoSandbox, type ZohoSandboxOptions } from "../../src/sandbox/zoho/index.js";
import { PLANS } from "./builders.js";

/**
 * Both emulators on loopback, wired the way a run wires them: the WHMCS sandbox with the
 * companion actions on and its zoho_mail module talking to the Zoho sandbox (with a refresh token
 * of its own, as a separately authorised module would have), the WHMCS and Zoho providers pointed
 * at them. Rate limits are off unless a test turns them on.
 */
export interface CustomerRig {
  readonly zoho: ZohoSandbox;
  readonly whmcs: WhmcsSandbox;
  readonly client: WhmcsClient;
  readonly catalog: WhmcsCatalogProvider;
  /** The current Zoho provider (a new one after `renewProvider`). */
  readonly provider: ZohoProvider;
  readonly plans: Readonly<Record<string, ZohoPlanEntry>>;
  /** A new Zoho provider (fresh token cache), with overrides; later plans and applies use it. */
  renewProvider(over?: Partial<ZohoProviderOptions>): ZohoProvider;
  /** Reads both systems and plans; returns what it read too. */
  plan(desired: DesiredCatalog, orgs: readonly DesiredCustomerResource[]): Promise<{ plan: Plan; live: LiveCatalog & RecordFieldFacts; customers: LiveCustomers }>;
  /** Applies a plan computed by `plan` against `live` (a module table, or extras). */
  apply(plan: Plan, orgs: readonly DesiredCustomerResource[], live: LiveCatalog, extra?: ZohoMailModuleTable | ApplyExtras): Promise<ApplyReport>;
  close(): Promise<void>;
}

/** What an apply may change beyond the plan: the module table, the order settings, a wrapper around the writer. */
export interface ApplyExtras {
  readonly moduleTable?: ZohoMailModuleTable;
  readonly orders?: Partial<OrderSettings>;
  /** Wraps the provider writer (fault injection between steps). */
  readonly wrap?: (writer: CustomerWriter) => CustomerWriter;
}

export interface RigOptions {
  readonly zoho?: ZohoSandboxOptions;
  readonly whmcs?: WhmcsSandboxOptions;
  readonly store?: WhmcsStore;
  readonly provider?: Partial<ZohoProviderOptions>;
  readonly logger?: Logger;
  readonly pageSize?: number;
  /** The config's `zoho.plans` (default: the builders' PLANS). */
  readonly plans?: Readonly<Record<string, ZohoPlanEntry>>;
}

export async function startRig(opts: RigOptions = {}): Promise<CustomerRig> {
  const zoho = await startZohoSandbox({ ...opts.zoho, switches: { rateLimitPerMinute: 0, ...opts.zoho?.switches } });
  const moduleToken = zoho.state.issueRefreshToken();
  const whmcs = await startWhmcsSandbox({
    ...(opts.store !== undefined ? { store: opts.store } : {}),
    seedEur: true,
    ...opts.whmcs,
    switches: { companion: true, ...opts.whmcs?.switches },
    zohoMail: {
      accountsUrl: zoho.baseUrl(zoho.partner.dc, "accounts"),
      mailUrl: zoho.baseUrl(zoho.partner.dc, "mail"),
      clientId: zoho.partner.clientId,
      clientSecret: zoho.partner.clientSecret,
      refreshToken: moduleToken,
    },
  });
  const client = createWhmcsClient({
    url: whmcs.url,
    identifier: new Secret(whmcs.credentials.identifier, "test:whmcs-identifier"),
    secret: new Secret(whmcs.credentials.secret, "test:whmcs-secret"),
    retries: 0,
  });
  const catalog = createCatalogProvider({ client, backend: "companion" });
  const plans = opts.plans ?? PLANS;
  const makeProvider = (over: Partial<ZohoProviderOptions> = {}): ZohoProvider =>
    createZohoProvider({
      region: zoho.partner.dc,
      clientId: new Secret(zoho.partner.clientId, "test:zoho-client-id"),
      clientSecret: new Secret(zoho.partner.clientSecret, "test:zoho-client-secret"),
      refreshToken: new Secret(zoho.partner.refreshToken, "test:zoho-refresh-token"),
      baseUrl: zoho.baseUrl,
      plans,
      live: { planNames: planNamesFromConfig(plans) },
      mailRateLimit: false,
      sleep: async () => undefined,
      ...opts.provider,
      ...over,
    });
  let provider = makeProvider();
  const logger = opts.logger ?? silentLogger();

  const writerFor = (moduleTable?: ZohoMailModuleTable): CustomerWriter =>
    createProviderCustomerWriter({
      whmcs: client,
      mail: provider.mail,
      store: provider.store,
      mailAdminUrl: provider.client.url("mailadmin", ""),
      ...(moduleTable !== undefined ? { moduleTable } : {}),
      logger,
    });
  const customerOptions = (orgs: readonly DesiredCustomerResource[], extra: ApplyExtras): Omit<CustomerApplyOptions, "plan" | "catalog" | "journal" | "logger" | "failed" | "now"> => {
    const writer = writerFor(extra.moduleTable);
    return {
      desired: orgs,
      writer: extra.wrap !== undefined ? extra.wrap(writer) : writer,
      zohoPlans: plans,
      paymentMethod: "banktransfer",
      orders: { ...DEFAULT_ORDER_SETTINGS, ...extra.orders },
    };
  };

  return {
    zoho,
    whmcs,
    client,
    catalog,
    get provider() {
      return provider;
    },
    renewProvider(over) {
      provider = makeProvider(over);
      return provider;
    },
    plans,
    async plan(desired, orgs) {
      const live = await catalog.readCatalog();
      const customers = await readCustomerLiveState({
        whmcs: client,
        zoho: provider,
        catalog: live,
        declaredDomains: orgs.map((o) => o.spec.domain),
        ...(opts.pageSize !== undefined ? { pageSize: opts.pageSize } : {}),
      });
      const plan = computeFullPlan({
        desired,
        live,
        backend: "companion",
        target: { whmcs: whmcs.url, catalogBackend: "companion", zohoRegion: zoho.partner.dc },
        customers: { desired: orgs, live: customers, zohoPlans: plans },
      });
      return { plan, live, customers };
    },
    apply(plan, orgs, live, extra = {}) {
      const opts: ApplyExtras = typeof extra === "object" && "upsert" in extra ? { moduleTable: extra } : extra;
      return applyFullPlan({
        plan,
        currencies: live.currencies,
        writer: catalog.writer,
        liveCatalog: live,
        readCatalog: () => catalog.readCatalog(),
        customers: customerOptions(orgs, opts),
        journal: memoryJournal(),
        logger,
      });
    },
    async close() {
      await whmcs.close();
      await zoho.close();
    },
  };
}
