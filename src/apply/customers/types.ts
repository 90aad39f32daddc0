import type { Logger } from "../../core/log.js";
import type { LiveCatalog, ResourceKey } from "../../model/catalog.js";
import type { ZohoPlanEntry } from "../../model/config.js";
import type { Plan } from "../../model/plan.js";
import type { ZohoMailModuleTable } from "../../model/customers.js";
import type { DesiredCustomerOrg } from "../../model/customer-org.js";
import type { DesiredResource } from "../../model/catalog.js";
import type { WhmcsClient } from "../../providers/whmcs/index.js";
import type { ZohoMailApi, ZohoStoreApi } from "../../providers/zoho/index.js";
import type { ApplyResult } from "../apply.js";
import type { Journal } from "../journal.js";

/** The Zoho provider's Mail and Store APIs, and where the admin console lives. */
export interface ZohoApis {
  readonly mail: ZohoMailApi;
  readonly store: ZohoStoreApi;
  /** Base URL of the Mail admin console (`https://mailadmin.zoho.<tld>`), for the module table's `url`. */
  readonly mailAdminUrl: string;
}

export interface CustomerApplyOptions {
  readonly plan: Plan;
  /** The manifests' orgs: addresses and phone numbers (used to create clients and Store customers). */
  readonly desired: readonly DesiredResource<"CustomerOrg", DesiredCustomerOrg>[];
  readonly whmcs: WhmcsClient;
  readonly zoho: ZohoApis;
  /**
   * The live catalog after the catalog changes were applied: WHMCS ids of products and of their
   * mailboxes options.
   */
  readonly catalog: LiveCatalog;
  /** The config's `zoho.plans`. */
  readonly zohoPlans: Readonly<Record<string, ZohoPlanEntry>>;
  /** `whmcs.paymentMethod` of the config: the gateway of the orders the tool places. */
  readonly paymentMethod: string;
  readonly journal: Journal;
  readonly logger: Logger;
  /** With the `db` backend: the `zoho_mail` module's table (only the database reaches it). */
  readonly moduleTable?: ZohoMailModuleTable;
  /** Orgs applied at once (default 4). */
  readonly concurrency?: number;
  /** Changes that failed or did not run in an earlier phase (the catalog): orgs depending on them do not run. */
  readonly failed?: ReadonlySet<ResourceKey>;
  /** Injected for deterministic tests. */
  readonly now?: () => Date;
}

/** One org's outcome, with the steps that wrote something, in order. */
export interface CustomerApplyResult extends ApplyResult {
  readonly steps: readonly string[];
}
