/**
 * Live state: what WHMCS and Zoho hold now, read in bulk and mapped into the shapes of `model/`
 * (the catalog through the catalog backend, customer orgs from both systems at once). Every read
 * a plan makes starts here.
 */
import { silentLogger, type Logger } from "../core/log.js";
import type { LiveCatalog } from "../model/catalog.js";
import type { LiveCustomers } from "../model/customers.js";
import type { CatalogReader } from "../model/provider.js";
import { readCustomerLiveState, type CustomerReadOptions } from "./customers.js";

export { readCustomerLiveState, type CustomerReadOptions } from "./customers.js";
export { planNamesFromConfig, liveZohoOrgFrom } from "./zoho-map.js";
export { liveClientFrom, liveCustomerServiceFrom } from "./whmcs-map.js";
export { liveOrderFrom, ordersByService, readOrder, readOrders, readPendingOrders, type OrderReadOptions } from "./orders.js";

export interface LiveState {
  readonly catalog: LiveCatalog;
  readonly customers: LiveCustomers;
}

export const NO_CUSTOMERS: LiveCustomers = { clients: [], services: [], zohoOrgs: [], warnings: [] };

export interface LiveReadOptions {
  readonly catalog: CatalogReader;
  readonly whmcs: CustomerReadOptions["whmcs"];
  /** Undefined when the config has no zoho section: customer orgs are then not read. */
  readonly zoho: CustomerReadOptions["zoho"] | undefined;
  /** Domains the manifests declare; no customer read at all when there are none. */
  readonly declaredDomains: readonly string[];
  /** Emails of the declared clients (their currency is read when WHMCS has several). */
  readonly declaredEmails?: readonly string[];
  readonly logger?: Logger;
}

/** The catalog first (customer reads need its product and option ids), then both systems' customers at once. */
export async function readLiveState(opts: LiveReadOptions): Promise<LiveState> {
  const logger = opts.logger ?? silentLogger();
  const catalog = await opts.catalog.readCatalog();
  const customers =
    opts.zoho !== undefined && opts.declaredDomains.length > 0
      ? await readCustomerLiveState({ whmcs: opts.whmcs, zoho: opts.zoho, catalog, declaredDomains: opts.declaredDomains, declaredEmails: opts.declaredEmails ?? [], logger })
      : NO_CUSTOMERS;
  return { catalog, customers };
}
