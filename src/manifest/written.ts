import type { OptionType, PayType, ProductType } from "../model/catalog.js";
import type { ZohoPayPeriod } from "../model/config.js";
import type { CustomerBillingCycle, CustomerStatus } from "../model/customer-org.js";

/*
 * Documents as the user wrote them, once the JSON Schema has accepted them: optional fields are
 * still optional and money is still a string or a number. Normalisation turns these into the
 * model's desired-state types. The shapes mirror schemas/*.schema.json, which are the authority.
 */

export type WrittenMoney = string | number;
/** Currency code → price key → amount. */
export type WrittenPricing = Readonly<Record<string, Readonly<Record<string, WrittenMoney>>>>;

export interface WrittenEnvelope {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec: unknown;
}

export interface WrittenProductGroup {
  readonly name: string;
  readonly headline?: string;
  readonly tagline?: string;
  readonly hidden?: boolean;
  readonly order?: number;
}

export interface WrittenProduct {
  readonly group: string;
  readonly name: string;
  readonly description?: string;
  readonly type?: ProductType;
  readonly payType?: PayType;
  readonly hidden?: boolean;
  readonly module?: string;
  readonly zoho?: { readonly plan: string };
  readonly configOptionGroups?: readonly string[];
  readonly pricing?: WrittenPricing;
}

export interface WrittenChoice {
  readonly key: string;
  readonly label: string;
  readonly hidden?: boolean;
  readonly pricing?: WrittenPricing;
}

export interface WrittenOption {
  readonly key: string;
  readonly label: string;
  readonly type: OptionType;
  readonly min?: number;
  readonly max?: number;
  readonly hidden?: boolean;
  readonly unitLabel?: string;
  readonly pricing?: WrittenPricing;
  readonly choices?: readonly WrittenChoice[];
}

export interface WrittenConfigOptionGroup {
  readonly name: string;
  readonly description?: string;
  readonly options?: readonly WrittenOption[];
}

export interface WrittenCustomerOrg {
  readonly client: {
    readonly email: string;
    readonly firstName: string;
    readonly lastName: string;
    readonly company?: string;
    readonly address: {
      readonly line1: string;
      readonly line2?: string;
      readonly city: string;
      readonly state: string;
      readonly postcode: string;
      readonly country: string;
    };
    readonly phone: string;
    readonly currency?: string;
  };
  readonly domain: string;
  readonly product: string;
  readonly billingCycle: CustomerBillingCycle;
  readonly mailboxes: number;
  readonly options?: Readonly<Record<string, string | boolean | number>>;
  readonly plan:
    | { readonly type: "paid"; readonly payPeriod?: ZohoPayPeriod }
    | { readonly type: "trial"; readonly trialPlan: string }
    | { readonly type: "free" };
  readonly status?: CustomerStatus;
}

export interface WrittenZohoPlan {
  readonly planId: number;
  readonly userAddonId: number;
  readonly payPeriods: readonly ZohoPayPeriod[];
  readonly maxUsers?: number;
  readonly storeName?: string;
  readonly cost?: Readonly<Record<string, WrittenMoney>>;
  readonly trials?: readonly string[];
}

export interface WrittenConfig {
  readonly apiVersion: string;
  readonly kind: "Config";
  readonly manifests: readonly string[];
  readonly whmcs: {
    readonly url: string;
    readonly identifier: string;
    readonly secret: string;
    readonly accessKey?: string;
    readonly catalogBackend: "companion" | "db" | "api";
    readonly database?: { readonly url: string; readonly password?: string };
    readonly paymentMethod: string;
    readonly orders?: { readonly invoice?: boolean; readonly emails?: boolean };
  };
  readonly zoho?: {
    readonly region: string;
    readonly clientId: string;
    readonly clientSecret: string;
    readonly refreshToken: string;
    readonly accountsServer?: string;
    readonly sandboxUrl?: string;
    readonly mailRequestsPerMinute?: number;
    readonly plans?: Readonly<Record<string, WrittenZohoPlan>>;
  };
  readonly policy?: {
    readonly prune?: Readonly<Partial<Record<string, boolean>>>;
    readonly protect?: readonly string[];
    readonly reprice?: "none" | "all" | readonly string[];
    readonly thresholds?: {
      readonly updateShare?: number;
      readonly deleteShare?: number;
      readonly minExisting?: number;
      readonly mrrDelta?: Readonly<Record<string, WrittenMoney>>;
      readonly customers?: number;
      readonly licencesDelta?: number;
    };
  };
  readonly intake?: { readonly requirePaid?: boolean; readonly dir?: string };
}
