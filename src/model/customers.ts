import type { Cycle } from "../core/cycles.js";
import type { ZohoPayPeriod } from "./config.js";

/*
 * Customer orgs across WHMCS and Zoho. A CustomerOrg is one WHMCS client (natural key: email),
 * one WHMCS service on a managed `zoho_mail` product (natural key: domain) and one Zoho child org
 * (natural key: domain). Live state from both systems and desired state from manifests are
 * converted to `CustomerOrgState` before the diff.
 */

/** A service's billing cycle: a recurring cycle, or the one-time / free pay types. */
export type CustomerCycle = Cycle | "onetime" | "free";

/** Zoho trial plan names (`planName` of enableTrial and of create-org). */
export type ZohoTrialPlan = "basicTrial" | "professionalTrial" | "mailPremiumTrial";

/** `tblhosting.domainstatus`, lower case. */
export type CustomerServiceStatus = "pending" | "active" | "suspended" | "terminated" | "cancelled" | "fraud" | "completed";

/** The statuses a manifest may ask for. */
export type DesiredServiceStatus = "active" | "suspended" | "terminated";

/**
 * Names of the service custom fields that record the Zoho side in WHMCS: admin-only text fields
 * on every managed product. An empty `ZOID` means the service is not (yet) the tool's.
 */
export const RECORD_FIELDS = {
  zoid: "ZOID",
  superAdmin: "Zoho super admin",
  verified: "Zoho domain verified",
  /** The CNAME code (`zb…`) of an unverified domain, so no plan has to ask Zoho for it again. */
  verificationCode: "Zoho verification code",
  /** When reconcile last asked Zoho to check the domain, and how many times: `<ISO time>, check <n>`. */
  verificationChecked: "Zoho verification checked",
} as const;
/** Every record field a catalog write puts on managed products. */
export const RECORD_FIELD_NAMES: readonly string[] = [
  RECORD_FIELDS.zoid,
  RECORD_FIELDS.superAdmin,
  RECORD_FIELDS.verified,
  RECORD_FIELDS.verificationCode,
  RECORD_FIELDS.verificationChecked,
];
/** The fields without which a service cannot record its org; the verification fields are written when present. */
export const REQUIRED_RECORD_FIELD_NAMES: readonly string[] = [RECORD_FIELDS.zoid, RECORD_FIELDS.superAdmin, RECORD_FIELDS.verified];

/**
 * What a catalog read knows about product custom fields, carried on the live catalog value by
 * the backends that can see them (companion, db); the `api` backend cannot (GetProducts shows
 * only order-form fields), and leaves it absent.
 */
export interface RecordFieldFacts {
  /** Product id → names of its custom fields, sorted; products without any are absent. */
  readonly productCustomFields?: Readonly<Record<string, readonly string[]>>;
}

/** The configurable option whose quantity is the mailbox count (Zoho licences). */
export const MAILBOXES_OPTION_KEY = "mailboxes";

// ---------------------------------------------------------------------------------------------
// Canonical state: the `before` and `after` of a CustomerOrg change.
// ---------------------------------------------------------------------------------------------

export interface CustomerClientState {
  /** Lower case. */
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly company: string;
}

export type CustomerZohoPlanState =
  | { readonly type: "free" }
  /** `trialPlan` null when Zoho reports a trial the tool cannot name. */
  | { readonly type: "trial"; readonly trialPlan: ZohoTrialPlan | null }
  | {
      readonly type: "paid";
      /** Key of the config's `zoho.plans`; `#<planId>` for a plan the config does not list; null when unknown. */
      readonly plan: string | null;
      readonly payPeriod: ZohoPayPeriod | null;
      /** User licences: the sum of the subscription's user add-ons. */
      readonly licenses: number;
    };

export interface CustomerZohoState {
  readonly org: boolean;
  /** Lower case; null without an org. */
  readonly superAdmin: string | null;
  /** Null without an org. */
  readonly plan: CustomerZohoPlanState | null;
}

/** What the service's custom fields say about the Zoho side ("" when a field is empty or missing). */
export interface CustomerRecordsState {
  /** Null on the desired side when the org does not exist yet: Zoho assigns it at creation. */
  readonly zoid: string | null;
  readonly superAdmin: string;
  /** "true" or "false", like the `zoho_mail` module's `isverified`. */
  readonly verified: string;
  /**
   * The CNAME verification code while the domain is unverified; absent when none is recorded and
   * none is known. Once recorded, plans read it from WHMCS instead of asking Zoho (`getDomain`).
   */
  readonly verificationCode?: string;
}

export interface CustomerOrgState {
  readonly client: CustomerClientState;
  /** Lower case. */
  readonly domain: string;
  /** Product resource name; `#<pid>` for a live product no manifest declares. */
  readonly product: string;
  readonly billingCycle: CustomerCycle;
  /** WHMCS quantity of the `mailboxes` option; null when the service has no such value. */
  readonly mailboxes: number | null;
  readonly status: CustomerServiceStatus;
  /** Choices of the service's dropdown, radio and yes/no options by option key (`yes`/`no` for yes/no); mailboxes excluded. */
  readonly options: Readonly<Record<string, string>>;
  readonly billing: CustomerBillingState;
  readonly zoho: CustomerZohoState;
  readonly records: CustomerRecordsState;
}

/** What WHMCS bills for the service: the recurring amount per billing cycle, in the client's currency. */
export interface CustomerBillingState {
  /** ISO code; null when the client's currency is not known (an existing client not read in detail). */
  readonly currency: string | null;
  /** `tblhosting.amount`, canonical money ("60.00"). */
  readonly recurringAmount: string;
}

// ---------------------------------------------------------------------------------------------
// Live state, read in bulk from both systems.
// ---------------------------------------------------------------------------------------------

export interface LiveCustomerClient {
  readonly id: string;
  /** Lower case. */
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly company: string;
  readonly status: "active" | "inactive" | "closed";
  /** ISO code of the client's currency; undefined when not read. */
  readonly currency?: string;
}

export interface LiveCustomerField {
  /** `tblcustomfields.id`. */
  readonly id: string;
  readonly value: string;
}

export interface LiveCustomerService {
  readonly id: string;
  readonly clientId: string;
  readonly orderId: string;
  readonly productId: string;
  /** Lower case. */
  readonly domain: string;
  readonly cycle: CustomerCycle;
  readonly status: CustomerServiceStatus;
  /** Quantity of the `mailboxes` option; undefined when the service has none. */
  readonly mailboxes: number | undefined;
  /** Recurring amount per billing cycle (`tblhosting.amount`), canonical money. */
  readonly recurringAmount: string;
  /** Choices of dropdown, radio and yes/no options by option key (choice key, or `yes`/`no`). */
  readonly options: Readonly<Record<string, string>>;
  /** Custom field values by field name. */
  readonly customFields: Readonly<Record<string, LiveCustomerField>>;
}

export type LiveZohoPlan =
  | { readonly type: "free" }
  | { readonly type: "trial"; readonly trialPlan: ZohoTrialPlan | null }
  | {
      readonly type: "paid";
      readonly planId: number | null;
      readonly planName: string | null;
      readonly payPeriod: ZohoPayPeriod | null;
      readonly licenses: number;
    };

export interface LiveZohoOrg {
  readonly zoid: string;
  /** Lower case. */
  readonly domain: string;
  /** Lower case. */
  readonly superAdmin: string;
  readonly verified: boolean;
  readonly plan: LiveZohoPlan;
  /** Mailboxes in use, when Zoho's listing carries it. */
  readonly usersCount: number | null;
  readonly licenseCount: number | null;
  readonly trialAllowed: boolean;
  /**
   * The CNAME verification code (`zb…`), read only for unverified orgs a manifest declares;
   * undefined when it was not read.
   */
  readonly cnameCode?: string;
}

/** How an order stands with its invoice: `paid`, `unpaid`, or `none` when WHMCS raised no invoice. */
export type OrderPayment = "paid" | "unpaid" | "none";

/** One WHMCS order (`GetOrders`), as much as a reviewer needs to decide on it. */
export interface LiveOrder {
  readonly id: string;
  /** The order number the storefront showed the customer. */
  readonly orderNumber: string;
  readonly clientId: string;
  /** `Pending`, `Active`, `Fraud`, `Cancelled`, as WHMCS says it. */
  readonly status: string;
  /** WHMCS flagged it as fraud (order status `Fraud`). */
  readonly fraud: boolean;
  readonly payment: OrderPayment;
  /** The invoice's own status (`Paid`, `Unpaid`, `Cancelled`, …); "" without an invoice. */
  readonly paymentStatus: string;
  readonly invoiceId: string | undefined;
  /** The order's total, canonical money, in the client's currency. */
  readonly amount: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly paymentMethod: string;
  /** Ids of the services the order created. */
  readonly serviceIds: readonly string[];
}

export interface LiveCustomers {
  readonly clients: readonly LiveCustomerClient[];
  /** Services on managed (`zoho_mail`) products. */
  readonly services: readonly LiveCustomerService[];
  readonly zohoOrgs: readonly LiveZohoOrg[];
  /** Pending orders of declared domains' pending services (storefront orders to accept); absent when none was read. */
  readonly orders?: readonly LiveOrder[];
  /** Things the read noticed (e.g. a paid subscription no listed org matches). */
  readonly warnings: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// The `zoho_mail` module's own table (docs/whmcs.md#the-zoho_mail-module), written by the `db`
// backend so the module's admin screen shows the org.
// ---------------------------------------------------------------------------------------------

export interface ZohoMailModuleRow {
  /** Lower case; the module looks rows up by domain. */
  readonly domain: string;
  readonly zoid: string;
  readonly superAdmin: string;
  /** `'true'` / `'false'`, as the module stores it. */
  readonly isverified: "true" | "false";
  /** The org's admin console. */
  readonly url: string;
}

export interface ZohoMailModuleTable {
  /** Inserts the row, or updates the one with the same zoid (or else the same domain). */
  upsert(row: ZohoMailModuleRow): Promise<void>;
}
