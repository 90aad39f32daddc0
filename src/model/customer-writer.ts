import type { LiveCatalog } from "./catalog.js";
import type { ZohoPayPeriod } from "./config.js";
import type { CustomerCycle, DesiredServiceStatus, LiveCustomerService, ZohoTrialPlan } from "./customers.js";

/*
 * Everything applying a customer org does to WHMCS and Zoho, as one interface (as `CatalogWriter`
 * is for the catalog). The apply steps call only this; an adapter implements it over the WHMCS and
 * Zoho providers, and tests implement it in memory. Lookups read the systems again on every call
 * (never a cached plan), so a retried step finds what an earlier attempt made.
 */

/** A WHMCS client, found by its email. */
export interface CustomerClientRef {
  readonly id: string;
  /** ISO code of the client's currency; undefined when WHMCS did not say. */
  readonly currency: string | undefined;
}

export interface NewCustomerClient {
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  /** "" for none. */
  readonly company: string;
  readonly address: {
    readonly line1: string;
    /** "" for none. */
    readonly line2: string;
    readonly city: string;
    readonly state: string;
    readonly postcode: string;
    /** ISO 3166-1 alpha-2. */
    readonly country: string;
  };
  readonly phone: string;
  /** `tblcurrencies.id`; undefined: WHMCS's default currency. */
  readonly currencyId: string | undefined;
  /** Suppress WHMCS's welcome e-mail. */
  readonly noEmail: boolean;
}

/** Which services to look up: a client's, or one by id. */
export type CustomerServiceQuery = { readonly clientId: string } | { readonly serviceId: string };

/** One service on one product, as AddOrder takes it. */
export interface CustomerOrderItem {
  readonly productId: string;
  readonly billingCycle: CustomerCycle;
  readonly domain: string;
  /**
   * Values by `tblproductconfigoptions.id`: the quantity for quantity options, the sub-option id
   * for dropdown and radio options, 1 or 0 for yes/no options.
   */
  readonly configOptions: Readonly<Record<string, number>>;
  /** The recurring (and first) amount WHMCS records instead of the catalog price; absent: the catalog price. */
  readonly priceOverride?: string;
}

export interface CustomerOrder {
  readonly clientId: string;
  /** Gateway system name. */
  readonly paymentMethod: string;
  readonly item: CustomerOrderItem;
  /** Raise no invoice. */
  readonly noInvoice: boolean;
  /** Raise the invoice (if any) without e-mailing it. */
  readonly noInvoiceEmail: boolean;
  /** Send no order confirmation. */
  readonly noEmail: boolean;
}

export interface PlacedCustomerOrder {
  readonly orderId: string;
  readonly serviceId: string;
  /** Undefined when no invoice was raised. */
  readonly invoiceId: string | undefined;
}

/** A configurable option's new value on a service: the sub-option, and a count for quantity and yes/no options. */
export type CustomerServiceOption = { readonly subOptionId: string } | { readonly subOptionId: string; readonly qty: number };

/**
 * Absolute values for one service (UpdateClientProduct): only the fields given change, and the
 * recurring amount is never recomputed from the catalog behind the caller's back.
 */
export interface CustomerServiceUpdate {
  readonly serviceId: string;
  readonly productId?: string;
  readonly billingCycle?: CustomerCycle;
  readonly status?: DesiredServiceStatus;
  /** Canonical money. */
  readonly recurringAmount?: string;
  /** Keyed by `tblproductconfigoptions.id`. */
  readonly configOptions?: Readonly<Record<string, CustomerServiceOption>>;
  /** Keyed by `tblcustomfields.id`. */
  readonly customFields?: Readonly<Record<string, string>>;
}

/** What the apply knows about a Zoho org. */
export interface ZohoOrgFacts {
  readonly zoid: string;
  /** Lower case. */
  readonly superAdmin: string;
  readonly verified: boolean;
  /** Zoho's plan name (`basicTrial`, `Mail Lite`, …) when Zoho says. */
  readonly basePlan: string | undefined;
}

export interface NewZohoOrg {
  readonly domain: string;
  /** Becomes the super admin and the Store's key for the customer. */
  readonly superAdmin: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly plan: "free" | ZohoTrialPlan;
}

export type ZohoOrgCreation =
  | { readonly outcome: "created"; readonly org: ZohoOrgFacts }
  /** Zoho refused: the customer is registered elsewhere (another partner, or on their own). */
  | { readonly outcome: "customer-elsewhere"; readonly detail: string };

export interface ZohoSubscriptionAddon {
  readonly id: string | undefined;
  readonly name: string;
  readonly count: number;
}

/** A customer without a Store subscription (free, trial, or unknown to the Store) reads as not paid. */
export type ZohoSubscription =
  | { readonly paid: false }
  | {
      readonly paid: true;
      readonly planId: number | undefined;
      readonly payPeriod: ZohoPayPeriod | undefined;
      readonly addons: readonly ZohoSubscriptionAddon[];
    };

/** The full state of a Store subscription: every add-on with its count. */
export interface ZohoSubscriptionTerms {
  readonly planId: number;
  readonly payPeriod: ZohoPayPeriod;
  readonly addons: readonly { readonly id: number; readonly count: number }[];
}

/** The Store customer a first purchase creates. */
export interface ZohoStoreCustomer {
  /** "" for none. */
  readonly company: string;
  readonly street: string;
  readonly city: string;
  readonly state: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly postcode: string;
  readonly phone: string;
}

/** A row of the `zoho_mail` module's own table. */
export interface ZohoModuleRecord {
  readonly domain: string;
  readonly zoid: string;
  readonly superAdmin: string;
  readonly verified: boolean;
}

export interface CustomerWriter {
  // --- WHMCS -------------------------------------------------------------------------------
  findClient(email: string): Promise<CustomerClientRef | undefined>;
  /** Returns the new client's id. Not idempotent: look the email up first. */
  addClient(client: NewCustomerClient): Promise<string>;
  /**
   * Services in the reconcile model's shape; `catalog` names the option ids (mailbox quantity,
   * choices), so pass the catalog as it is after the catalog changes.
   */
  findServices(query: CustomerServiceQuery, catalog: Pick<LiveCatalog, "configOptionGroups">): Promise<LiveCustomerService[]>;
  /** Not idempotent: look the client's services up first. */
  addOrder(order: CustomerOrder): Promise<PlacedCustomerOrder>;
  /** Accepts a pending order without a module call; "not-pending" when it was accepted (or cancelled) already. */
  acceptOrder(orderId: string, options: { readonly sendEmail: boolean }): Promise<"accepted" | "not-pending">;
  /** Idempotent (absolute values): may be sent again after a failure. */
  updateService(update: CustomerServiceUpdate): Promise<void>;

  // --- Zoho --------------------------------------------------------------------------------
  findZohoOrg(domain: string): Promise<ZohoOrgFacts | undefined>;
  createZohoOrg(org: NewZohoOrg): Promise<ZohoOrgCreation>;
  enableTrial(zoid: string, trial: ZohoTrialPlan): Promise<void>;
  getSubscription(superAdmin: string): Promise<ZohoSubscription>;
  /** A first purchase (from free or trial); charges the partner's card. */
  createSubscription(input: { readonly superAdmin: string; readonly customer: ZohoStoreCustomer; readonly terms: ZohoSubscriptionTerms }): Promise<void>;
  /** Replaces the subscription with `terms` (every add-on). */
  updateSubscription(input: { readonly superAdmin: string; readonly terms: ZohoSubscriptionTerms; readonly currentPayPeriod: ZohoPayPeriod | undefined }): Promise<void>;
  /** Back to the free plan. */
  cancelSubscription(superAdmin: string, reason: string): Promise<void>;
  /**
   * The CNAME verification code of an unverified domain (`getDomain`), to record with the org;
   * undefined when Zoho does not give it. Absent: codes are not recorded at creation.
   */
  readonly verificationCode?: (zoid: string, domain: string) => Promise<string | undefined>;
  /** The `zoho_mail` module's row (inserted or updated); absent when the backend cannot reach that table. */
  readonly recordModuleRow?: (row: ZohoModuleRecord) => Promise<void>;
}
