import type { CustomerCycle, LiveCustomerClient, LiveCustomerService, LiveCustomers, LiveZohoOrg } from "../../src/model/customers.js";
import type { DesiredCustomerResource } from "../../src/plan/customers/index.js";
import { MAIL_LITE_PID, PLANS, records, WORKPLACE_PID } from "./builders.js";

/** How each org came to be, for the parts of live state the manifest does not determine. */
export interface ApplyHistory {
  /** Per org name: Zoho has verified the domain. */
  readonly verified: ReadonlyMap<string, boolean>;
  /** Per terminated org name: it existed (and was terminated) rather than never created. */
  readonly existed: ReadonlyMap<string, boolean>;
}

const PIDS: Readonly<Record<string, string>> = { "mail-lite": MAIL_LITE_PID, "workplace-standard": WORKPLACE_PID };
const TRIAL_FREE_CAP = 5;

/**
 * The live state WHMCS and Zoho hold right after the desired orgs were applied: written from
 * the reconcile design, not from the plan engine, so the two check each other. Ids are assigned
 * in the order given; the caller shuffles to show order does not matter.
 */
export function liveAfterApply(desired: readonly DesiredCustomerResource[], history: ApplyHistory): LiveCustomers {
  const clients = new Map<string, LiveCustomerClient>();
  const services: LiveCustomerService[] = [];
  const zohoOrgs: LiveZohoOrg[] = [];
  // Zoho lets an email head one org only: a client's first org (by name) gets the client's email.
  const heads = new Set<string>();
  const superAdminOf = new Map<string, string>();
  for (const r of [...desired].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (r.spec.status === "terminated" && history.existed.get(r.name) !== true) continue;
    const admin = heads.has(r.spec.client.email) ? `admin@${r.spec.domain}` : r.spec.client.email;
    heads.add(admin);
    superAdminOf.set(r.name, admin);
  }
  desired.forEach((r, i) => {
    const s = r.spec;
    const terminated = s.status === "terminated";
    if (terminated && history.existed.get(r.name) !== true) return;
    let client = clients.get(s.client.email);
    if (client === undefined) {
      client = { id: String(1000 + clients.size), email: s.client.email, firstName: s.client.firstName, lastName: s.client.lastName, company: s.client.company, status: "active" };
      clients.set(s.client.email, client);
    }
    const zoid = String(5_000_000 + i);
    const verified = history.verified.get(r.name) ?? true;
    const pid = PIDS[s.product] ?? "0";
    const cycle: CustomerCycle = s.billingCycle;
    services.push({
      id: String(2000 + i),
      clientId: client.id,
      orderId: String(3000 + i),
      productId: pid,
      domain: s.domain,
      cycle,
      status: s.status,
      mailboxes: s.mailboxes,
      // Apply writes the planned amount; an unchanged paid service keeps whatever it had.
      recurringAmount: s.plan.type === "paid" ? "12.00" : "0.00",
      options: {},
      // Apply records the verification code of an unverified domain with the other records.
      customFields: records({ zoid, superAdmin: superAdminOf.get(r.name) ?? s.client.email, verified: String(verified), ...(verified ? {} : { verificationCode: `zb${4_000_000 + i}` }) }),
    });
    const plan = terminated
      ? ({ type: "free" } as const)
      : s.plan.type === "paid"
        ? { type: "paid" as const, planId: PLANS[s.product]?.planId ?? null, planName: null, payPeriod: s.plan.payPeriod, licenses: s.mailboxes }
        : s.plan.type === "trial"
          ? { type: "trial" as const, trialPlan: s.plan.trialPlan }
          : ({ type: "free" } as const);
    zohoOrgs.push({
      zoid,
      domain: s.domain,
      superAdmin: superAdminOf.get(r.name) ?? s.client.email,
      verified,
      plan,
      usersCount: 1,
      licenseCount: plan.type === "paid" ? plan.licenses : TRIAL_FREE_CAP,
      trialAllowed: false,
      ...(verified ? {} : { cnameCode: `zb${4_000_000 + i}` }),
    });
  });
  return { clients: [...clients.values()], services, zohoOrgs, warnings: [] };
}
