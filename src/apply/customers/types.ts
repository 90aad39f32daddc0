import type { Logger } from "../../core/log.js";
import type { DesiredResource, LiveCatalog, ResourceKey } from "../../model/catalog.js";
import type { OrderSettings, ZohoPlanEntry } from "../../model/config.js";
import type { DesiredCustomerOrg } from "../../model/customer-org.js";
import type { CustomerWriter } from "../../model/customer-writer.js";
import type { Plan } from "../../model/plan.js";
import type { ApplyResult } from "../apply.js";
import type { Journal } from "../journal.js";

export interface CustomerApplyOptions {
  readonly plan: Plan;
  /** The manifests' orgs: addresses and phone numbers (used to create clients and Store customers). */
  readonly desired: readonly DesiredResource<"CustomerOrg", DesiredCustomerOrg>[];
  /** Every read and write of WHMCS and Zoho the steps make. */
  readonly writer: CustomerWriter;
  /**
   * The live catalog after the catalog changes were applied: WHMCS ids of products, options,
   * choices and currencies, and the prices WHMCS computes an order from.
   */
  readonly catalog: LiveCatalog;
  /** The config's `zoho.plans`. */
  readonly zohoPlans: Readonly<Record<string, ZohoPlanEntry>>;
  /** `whmcs.paymentMethod` of the config: the gateway of the orders the tool places. */
  readonly paymentMethod: string;
  /** `whmcs.orders` of the config: invoices and e-mails of the orders the tool places. */
  readonly orders: OrderSettings;
  readonly journal: Journal;
  readonly logger: Logger;
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
