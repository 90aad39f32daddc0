import type { Cycle } from "../core/cycles.js";
import type { ZohoPayPeriod } from "./config.js";

/** A service's billing cycle: a WHMCS cycle for recurring products, or the one-time / free pay types. */
export type CustomerBillingCycle = Cycle | "onetime" | "free";

/** Zoho trial plan names (`planName` of enableTrial / add-org), docs/zoho.md#plan-states. */
export const TRIAL_PLANS = ["basicTrial", "professionalTrial", "mailPremiumTrial"] as const;
export type TrialPlanName = (typeof TRIAL_PLANS)[number];

export type CustomerZohoPlan =
  | { readonly type: "paid"; readonly payPeriod: ZohoPayPeriod }
  | { readonly type: "trial"; readonly trialPlan: TrialPlanName }
  | { readonly type: "free" };

export type CustomerStatus = "active" | "suspended" | "terminated";

export interface DesiredAddress {
  readonly line1: string;
  readonly line2: string;
  readonly city: string;
  readonly state: string;
  readonly postcode: string;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country: string;
}

export interface DesiredClient {
  /** Lower case: the client's natural key in WHMCS. */
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly company: string;
  readonly address: DesiredAddress;
  readonly phone: string;
  /** ISO 4217 code of the client's WHMCS currency; null: WHMCS's default currency. Used when the client is created. */
  readonly currency: string | null;
}

/** A managed customer: WHMCS client and service plus the Zoho org, its plan and licence count. */
export interface DesiredCustomerOrg {
  readonly client: DesiredClient;
  /** Lower case: natural key of the WHMCS service and of the Zoho org. */
  readonly domain: string;
  /** metadata.name of the Product. */
  readonly product: string;
  readonly billingCycle: CustomerBillingCycle;
  readonly mailboxes: number;
  /**
   * Choices of the product's dropdown, radio and yes/no options, by option key: a choice key, or
   * `yes`/`no`. Options not listed take their first choice (dropdown, radio) or `no` (yes/no).
   */
  readonly options: Readonly<Record<string, string>>;
  /** Paid plans carry the resolved pay period; the plan itself is the product's Zoho plan. */
  readonly plan: CustomerZohoPlan;
  readonly status: CustomerStatus;
}
