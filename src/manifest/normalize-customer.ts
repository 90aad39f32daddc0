import type { ZohoPayPeriod } from "../model/config.js";
import type { DesiredClient, DesiredCustomerOrg, TrialPlanName } from "../model/customer-org.js";
import type { WrittenCustomerOrg } from "./written.js";

/**
 * A customer org before cross-document resolution: a paid plan's pay period may still be
 * unknown, because its default depends on the product's Zoho plan.
 */
export interface PartialCustomerOrg extends Omit<DesiredCustomerOrg, "plan"> {
  readonly plan: DesiredCustomerOrg["plan"] | { readonly type: "paid"; readonly payPeriod: ZohoPayPeriod | undefined };
}

export function normalizeCustomerOrg(spec: WrittenCustomerOrg): PartialCustomerOrg {
  const c = spec.client;
  const client: DesiredClient = {
    email: c.email.toLowerCase(),
    firstName: c.firstName,
    lastName: c.lastName,
    company: c.company ?? "",
    address: {
      line1: c.address.line1,
      line2: c.address.line2 ?? "",
      city: c.address.city,
      state: c.address.state,
      postcode: c.address.postcode,
      country: c.address.country,
    },
    phone: c.phone,
    currency: c.currency ?? null,
  };
  const p = spec.plan;
  const plan: PartialCustomerOrg["plan"] =
    p.type === "paid"
      ? { type: "paid", payPeriod: p.payPeriod }
      : p.type === "trial"
        ? { type: "trial", trialPlan: p.trialPlan as TrialPlanName }
        : { type: "free" };
  return {
    client,
    domain: spec.domain.toLowerCase(),
    product: spec.product,
    billingCycle: spec.billingCycle,
    mailboxes: spec.mailboxes,
    options: normalizeOptions(spec.options ?? {}),
    plan,
    status: spec.status ?? "active",
  };
}

/** Option choices as strings: `true`/`false` become `yes`/`no`, numbers their decimal text; keys sorted. */
function normalizeOptions(written: Readonly<Record<string, string | boolean | number>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(written).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const v = written[key];
    out[key] = v === true ? "yes" : v === false ? "no" : String(v).trim();
  }
  return out;
}
