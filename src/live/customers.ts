import pLimit from "p-limit";
import { compareCodeUnits } from "../core/canonical.js";
import { silentLogger, type Logger } from "../core/log.js";
import type { LiveCatalog } from "../model/catalog.js";
import { MAILBOXES_OPTION_KEY, RECORD_FIELDS, type LiveCustomerClient, type LiveCustomerService, type LiveCustomers, type LiveZohoOrg } from "../model/customers.js";
import { MANAGED_MODULE } from "../model/catalog.js";
import { findClientByEmail, getClients, listOrders, listServices, quantityOptionRef, type WhmcsClient } from "../providers/whmcs/index.js";
import { ZohoApiError, type ZohoMailApi, type ZohoLiveState } from "../providers/zoho/index.js";
import { readPendingOrders } from "./orders.js";
import { liveClientFrom, liveCustomerServiceFrom, optionIndexOf } from "./whmcs-map.js";
import { liveZohoOrgFrom, zohoWarnings } from "./zoho-map.js";

export interface CustomerReadOptions {
  readonly whmcs: WhmcsClient;
  /** The Zoho provider's listing read and Mail API (`createZohoProvider(…)` has both). */
  readonly zoho: { readonly mail: ZohoMailApi; readLive(): Promise<ZohoLiveState> };
  /** The live catalog just read: which products are `zoho_mail`, and the ids of their mailboxes options. */
  readonly catalog: LiveCatalog;
  /** Domains the manifests declare: verification codes are read for these only, and only while unverified. */
  readonly declaredDomains: Iterable<string>;
  /** Emails of the clients the manifests declare: their currency is read when WHMCS has several. */
  readonly declaredEmails?: Iterable<string>;
  /** `limitnum` of WHMCS list calls (default 250). */
  readonly pageSize?: number;
  /** Zoho `getDomain` calls in flight (default 4). */
  readonly concurrency?: number;
  readonly logger?: Logger;
}

/**
 * The live side of customer orgs, in bulk: WHMCS `GetClients` (all pages) and `GetClientsProducts`
 * per managed product (all pages), and Zoho's org listing and partner subscription listing, the two
 * systems read at the same time. The number of calls grows with pages, not with orgs; the one
 * exception is `getDomain` for a declared org whose domain is not verified yet and whose code is not
 * recorded in WHMCS (an org adopted or created before the code was recorded): once per such org, since
 * the next apply records it.
 */
/**
 * The currency of every client. With one WHMCS currency it is that one, at no cost. With several,
 * `GetClients` does not say, but `GetOrders` shows each order in its client's currency (prefix and
 * suffix): one paged read of the orders gives the currency of every client who ever ordered
 * (docs/whmcs.md#getorders). Only a declared client no order identifies (no order yet, or two
 * currencies written alike) is read on its own (`GetClientsDetails`); the rest stay unknown.
 */
/** Client id → currency code from one paged read of the orders; undefined with one WHMCS currency (no read needed). */
async function orderCurrencies(whmcs: WhmcsClient, catalog: LiveCatalog, pageSize: number): Promise<ReadonlyMap<string, string> | undefined> {
  const currencies = catalog.currencies;
  if (currencies.length === 1) return undefined;
  const byLook = new Map<string, string[]>();
  for (const c of currencies) {
    const look = `${c.prefix.trim()}|${c.suffix.trim()}`;
    byLook.set(look, [...(byLook.get(look) ?? []), c.code]);
  }
  const fromOrders = new Map<string, string>();
  for await (const o of listOrders(whmcs, {}, { pageSize })) {
    if (fromOrders.has(o.clientId)) continue;
    const codes = byLook.get(`${o.currencyPrefix.trim()}|${o.currencySuffix.trim()}`) ?? [];
    if (codes.length === 1) fromOrders.set(o.clientId, codes[0] as string);
  }
  return fromOrders;
}

function clientCurrencies(
  opts: CustomerReadOptions,
  clients: readonly LiveCustomerClient[],
  fromOrders: ReadonlyMap<string, string> | undefined,
  declared: ReadonlySet<string>,
  limit: ReturnType<typeof pLimit>,
): Promise<LiveCustomerClient[]> {
  const currencies = opts.catalog.currencies;
  if (fromOrders === undefined) {
    const only = currencies[0]?.code as string;
    return Promise.resolve(clients.map((c) => ({ ...c, currency: only })));
  }
  return Promise.all(
    clients.map((c) => {
      const known = fromOrders.get(c.id);
      if (known !== undefined) return { ...c, currency: known };
      if (!declared.has(c.email)) return c;
      return limit(async () => {
        const details = await findClientByEmail(opts.whmcs, c.email);
        const code = details?.currencyCode ?? currencies.find((x) => x.id === details?.currencyId)?.code;
        return code === undefined ? c : { ...c, currency: code };
      });
    }),
  );
}

function declaredEmails(opts: CustomerReadOptions): ReadonlySet<string> {
  return new Set([...(opts.declaredEmails ?? [])].map((e) => e.toLowerCase()));
}

/** What the customer read gets in bulk, before it knows which orgs the manifests declare. */
export interface CustomerBulk {
  readonly clients: readonly LiveCustomerClient[];
  readonly services: readonly LiveCustomerService[];
  readonly zoho: ZohoLiveState;
  /** Client id → currency code from the orders; undefined when WHMCS has one currency. */
  readonly orderCurrencies: ReadonlyMap<string, string> | undefined;
}

export type BulkReadOptions = Omit<CustomerReadOptions, "catalog" | "declaredDomains" | "declaredEmails" | "concurrency"> & {
  /** The catalog, or its read still under way: clients and Zoho do not wait for it. */
  readonly catalog: LiveCatalog | Promise<LiveCatalog>;
};

/**
 * The bulk reads, every stream started at once: WHMCS clients and the Zoho listings at the start,
 * the services of each managed product and the orders (for client currencies) as soon as the
 * catalog says which products and currencies there are. Nothing here depends on the manifests,
 * so a plan starts these before it has loaded them.
 */
export async function readCustomerBulk(opts: BulkReadOptions): Promise<CustomerBulk> {
  const log = opts.logger ?? silentLogger();
  const pageSize = opts.pageSize ?? 250;
  const started = Date.now();
  const clients = getClients(opts.whmcs, {}, { pageSize });
  const zoho = opts.zoho.readLive();
  const catalogRead = Promise.resolve(opts.catalog);
  const services = catalogRead.then(async (catalog) => {
    const mailboxes = quantityOptionRef(catalog, MAILBOXES_OPTION_KEY);
    const optionIndex = optionIndexOf(catalog);
    const managed = catalog.products
      .filter((p) => p.state.module === MANAGED_MODULE)
      .map((p) => p.remoteId)
      .sort(compareCodeUnits);
    const perProduct = await Promise.all(
      managed.map(async (pid) => {
        const out: LiveCustomerService[] = [];
        for await (const s of listServices(opts.whmcs, { productId: pid }, { pageSize })) out.push(liveCustomerServiceFrom(s, mailboxes, optionIndex));
        return out;
      }),
    );
    return perProduct.flat();
  });
  const currencies = catalogRead.then((catalog) => orderCurrencies(opts.whmcs, catalog, pageSize));
  // Every stream is awaited together: one failing does not leave the others' rejections unobserved.
  const [c, sv, z, oc] = await Promise.all([clients, services, zoho, currencies]);
  const bulk: CustomerBulk = { clients: c.map(liveClientFrom), services: sv, zoho: z, orderCurrencies: oc };
  log.debug({ clients: c.length, services: sv.length, orgs: Object.keys(z.orgs).length, ms: Date.now() - started }, "customer live state read");
  return bulk;
}

export async function readCustomerLiveState(opts: CustomerReadOptions): Promise<LiveCustomers> {
  return finishCustomerLiveState(await readCustomerBulk(opts), opts);
}

/**
 * What depends on the declared orgs, after the bulk reads: verification codes of declared,
 * unverified orgs not recorded in WHMCS yet (`getDomain`), the currency of declared clients no order
 * identifies, and the pending orders when a declared org's service is still Pending.
 */
export async function finishCustomerLiveState(bulk: CustomerBulk, opts: CustomerReadOptions): Promise<LiveCustomers> {
  const log = opts.logger ?? silentLogger();
  const pageSize = opts.pageSize ?? 250;
  const { services, zoho } = bulk;
  const declared = new Set([...opts.declaredDomains].map((d) => d.toLowerCase()));
  // Codes recorded in WHMCS (the `Zoho verification code` field): those orgs cost no Zoho call.
  const recordedCodes = new Map<string, string>();
  for (const s of services) {
    const code = (s.customFields[RECORD_FIELDS.verificationCode]?.value ?? "").trim();
    if (code !== "" && !recordedCodes.has(s.domain)) recordedCodes.set(s.domain, code);
  }
  let asked = 0;
  const warnings = zohoWarnings(zoho);
  const limit = pLimit(Math.max(1, opts.concurrency ?? 4));
  const orgs = await Promise.all(
    Object.values(zoho.orgs).map((o) =>
      limit(async (): Promise<LiveZohoOrg> => {
        const org = liveZohoOrgFrom(o);
        if (org.verified || !declared.has(org.domain)) return org;
        const recorded = recordedCodes.get(org.domain);
        if (recorded !== undefined) return { ...org, cnameCode: recorded };
        asked++;
        try {
          const domain = await opts.zoho.mail.getDomain(org.zoid, org.domain);
          return domain.cnameVerificationCode !== undefined ? { ...org, cnameCode: domain.cnameVerificationCode } : org;
        } catch (err) {
          if (!(err instanceof ZohoApiError) || (err.category !== "not_found" && err.category !== "invalid_request")) throw err;
          warnings.push(`Zoho did not give the verification code of ${org.domain} (${err.message})`);
          return org;
        }
      }),
    ),
  );
  if (asked > 0) log.debug({ getDomain: asked }, "verification codes read from Zoho (not recorded in WHMCS yet)");
  const currencies = await clientCurrencies(opts, bulk.clients, bulk.orderCurrencies, declaredEmails(opts), limit);
  // A declared org whose service is still Pending accepts a storefront order: its facts (paid or
  // not, amount, date) come from one paged read of the pending orders, made only when there is one.
  const accepting = services.some((s) => s.status === "pending" && declared.has(s.domain));
  const orders = accepting ? await readPendingOrders(opts.whmcs, { pageSize }) : undefined;
  return {
    clients: currencies,
    services: [...services],
    ...(orders !== undefined ? { orders } : {}),
    zohoOrgs: orgs.sort((a, b) => compareCodeUnits(a.domain, b.domain)),
    warnings: warnings.sort(compareCodeUnits),
  };
}
