import type { DesiredResource, LiveCatalog } from "../../model/catalog.js";
import type { OrderSettings, Policy, ZohoPlanEntry } from "../../model/config.js";
import type { LiveCustomers, RecordFieldFacts } from "../../model/customers.js";
import type { DesiredCustomerOrg } from "../../model/customer-org.js";
import type { PlanInput } from "../compute.js";

export type DesiredCustomerResource = DesiredResource<"CustomerOrg", DesiredCustomerOrg>;

/** Users Zoho's free plan allows, per its help pages (older pages said 25): used when not configured. */
export const DEFAULT_FREE_USER_CAP = 5;

/** Target of the verification CNAME (docs/zoho.md#dns-records); regional variants are unconfirmed. */
export const DEFAULT_VERIFY_CNAME_TARGET = "zmverify.zoho.com";

export interface CustomerPlanInput {
  readonly desired: readonly DesiredCustomerResource[];
  readonly live: LiveCustomers;
  /** The config's `zoho.plans`. */
  readonly zohoPlans: Readonly<Record<string, ZohoPlanEntry>>;
  /** Users the free plan allows; default `zohoPlans.free.maxUsers`, else `DEFAULT_FREE_USER_CAP`. */
  readonly freeUserCap?: number;
  /** CNAME target of domain verification; default `DEFAULT_VERIFY_CNAME_TARGET`. */
  readonly verifyCnameTarget?: string;
  /**
   * Domains declared by orgs of other shards (`--shard`): not this run's to change, and not
   * unmanaged either. Live state is not filtered, so super-admin uniqueness still sees them.
   */
  readonly otherShardDomains?: ReadonlySet<string>;
  /** ISO code of WHMCS's default currency: the currency of clients created without `client.currency`. */
  readonly defaultCurrency?: string;
  /** `policy.reprice`: whose catalog price changes move existing services (default none). */
  readonly reprice?: Policy["reprice"];
  /** `whmcs.orders`: whether new paid orders raise an invoice and e-mail it. */
  readonly orders?: OrderSettings;
}

/** The catalog plan input and the customer orgs: planned together into one Plan. */
export interface FullPlanInput extends PlanInput {
  /** The live catalog, with the products' custom field names when the backend can see them. */
  readonly live: LiveCatalog & RecordFieldFacts;
  readonly customers: CustomerPlanInput;
}
