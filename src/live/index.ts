/**
 * Live state: what WHMCS and Zoho hold now, read in bulk and mapped into the shapes of `model/`
 * (the catalog through the catalog backend, customer orgs from both systems at once). Every read
 * a plan makes starts here.
 */
import { silentLogger, type Logger } from "../core/log.js";
import type { LiveCatalog } from "../model/catalog.js";
import type { LiveCustomers } from "../model/customers.js";
import type { CatalogReader } from "../model/provider.js";
import { finishCustomerLiveState, readCustomerBulk, type CustomerReadOptions } from "./customers.js";

export { readCustomerLiveState, type CustomerReadOptions } from "./customers.js";
export { planNamesFromConfig, liveZohoOrgFrom } from "./zoho-map.js";
export { liveClientFrom, liveCustomerServiceFrom } from "./whmcs-map.js";
export { liveOrderFrom, ordersByService, readOrder, readOrders, readPendingOrders, type OrderReadOptions } from "./orders.js";

export interface LiveState {
  readonly catalog: LiveCatalog;
  readonly customers: LiveCustomers;
}

export const NO_CUSTOMERS: LiveCustomers = { clients: [], services: [], zohoOrgs: [], warnings: [] };

export interface LiveReadStart {
  readonly catalog: CatalogReader;
  readonly whmcs: CustomerReadOptions["whmcs"];
  /** Undefined when the config has no zoho section: customer orgs are then not read. */
  readonly zoho: CustomerReadOptions["zoho"] | undefined;
  /** Start the customer bulk reads now (when the config has a zoho section and orgs may be declared). */
  readonly customers: boolean;
  readonly logger?: Logger;
}

export interface LiveRead {
  /** The reads that need the declared orgs, once the manifests are loaded; no customer read when none are declared. */
  finish(declared: { readonly domains: readonly string[]; readonly emails: readonly string[] }): Promise<LiveState>;
}

/**
 * Starts every read that does not depend on the manifests: the catalog, and (with `customers`) the
 * bulk customer reads of both systems, all streams at once. A plan calls this before it loads the
 * manifests, so the remote reads and the local parsing overlap; `finish` adds what depends on the
 * declared orgs. Failures surface from `finish` (never as unhandled rejections), so a caller that
 * gives up first (invalid manifests) reports its own error.
 */
export function startLiveRead(opts: LiveReadStart): LiveRead {
  const logger = opts.logger ?? silentLogger();
  const catalog = opts.catalog.readCatalog();
  const zoho = opts.zoho;
  const bulk = opts.customers && zoho !== undefined ? readCustomerBulk({ whmcs: opts.whmcs, zoho, catalog, logger }) : undefined;
  catalog.catch(() => undefined);
  bulk?.catch(() => undefined);
  return {
    async finish(declared) {
      const live = await catalog;
      if (zoho === undefined || declared.domains.length === 0) return { catalog: live, customers: NO_CUSTOMERS };
      const read = { whmcs: opts.whmcs, zoho, catalog: live, declaredDomains: declared.domains, declaredEmails: declared.emails, logger };
      return { catalog: live, customers: await finishCustomerLiveState(await (bulk ?? readCustomerBulk(read)), read) };
    },
  };
}
