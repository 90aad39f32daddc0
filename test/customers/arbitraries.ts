import fc from "fast-check";
import type { DesiredCustomerOrg } from "../../src/manifest/index.js";
import { RECORD_FIELDS, type LiveCustomers } from "../../src/model/customers.js";
import type { DesiredCustomerResource } from "../../src/plan/customers/index.js";
import { customerOrg, customerSource, liveService, liveOrg } from "./builders.js";
import { liveAfterApply, type ApplyHistory } from "./live-after-apply.js";

/** One valid commercial shape: product, cycle and Zoho plan that the invariants accept. */
const offerArb: fc.Arbitrary<Pick<DesiredCustomerOrg, "product" | "billingCycle" | "plan" | "mailboxes">> = fc.oneof(
  fc.record({
    product: fc.constant("mail-lite"),
    billingCycle: fc.constant("annually" as const),
    plan: fc.constant({ type: "paid", payPeriod: "yearly" } as const),
    mailboxes: fc.integer({ min: 1, max: 5000 }),
  }),
  fc.record({
    product: fc.constant("workplace-standard"),
    billingCycle: fc.constantFrom("monthly" as const, "annually" as const),
    plan: fc.constant({ type: "paid", payPeriod: "monthly" } as const),
    mailboxes: fc.integer({ min: 1, max: 500 }),
  }).map((o) => (o.billingCycle === "annually" ? { ...o, plan: { type: "paid", payPeriod: "yearly" } as const } : o)),
  fc.record({
    product: fc.constantFrom("mail-lite", "workplace-standard"),
    billingCycle: fc.constant("annually" as const),
    plan: fc.constantFrom({ type: "trial", trialPlan: "basicTrial" } as const, { type: "trial", trialPlan: "mailPremiumTrial" } as const),
    mailboxes: fc.integer({ min: 1, max: 500 }),
  }),
  fc.record({
    product: fc.constantFrom("mail-lite", "workplace-standard"),
    billingCycle: fc.constant("annually" as const),
    plan: fc.constant({ type: "free" } as const),
    mailboxes: fc.integer({ min: 1, max: 5 }),
  }),
);

const clientPool = ["ada", "grace", "linus", "ken"] as const;

const orgArb = fc.record({
  offer: offerArb,
  client: fc.constantFrom(...clientPool),
  status: fc.constantFrom("active" as const, "active" as const, "suspended" as const, "terminated" as const),
  verified: fc.boolean(),
  existed: fc.boolean(),
});

export interface CustomerScenario {
  readonly desired: readonly DesiredCustomerResource[];
  readonly history: ApplyHistory;
}

/** 0–12 orgs with unique names and domains; orgs of one client share identical client details. */
export const customerScenarioArb: fc.Arbitrary<CustomerScenario> = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}[a-z0-9]$/), { maxLength: 12 })
  .chain((names) => fc.tuple(fc.constant(names), fc.array(orgArb, { minLength: names.length, maxLength: names.length })))
  .map(([names, orgs]) => {
    const desired = orgs.map((o, i) =>
      customerOrg(
        names[i] ?? `org${i}`,
        { ...o.offer, status: o.status, client: { email: `${o.client}@clients.example`, firstName: o.client, company: "" } },
        customerSource(i * 20 + 1),
      ),
    );
    return {
      desired,
      history: {
        verified: new Map(names.map((n, i) => [n, orgs[i]?.verified ?? true])),
        existed: new Map(names.map((n, i) => [n, orgs[i]?.existed ?? false])),
      },
    };
  });

/** Live state that differs from the converged one in ways the invariants allow. */
export const driftedScenarioArb: fc.Arbitrary<CustomerScenario & { readonly live: LiveCustomers }> = customerScenarioArb.chain((scenario) => {
  const live = liveAfterApply(scenario.desired, scenario.history);
  return fc
    .tuple(
      fc.array(fc.constantFrom("none", "mailboxes", "licences", "no-service", "no-org", "unowned", "pending"), {
        minLength: live.services.length,
        maxLength: live.services.length,
      }),
      fc.boolean(),
    )
    .map(([drifts, strays]) => {
      let services = [...live.services];
      let orgs = [...live.zohoOrgs];
      drifts.forEach((d, i) => {
        const s = services[i];
        if (s === undefined || s.status === "terminated") return;
        if (d === "mailboxes") services[i] = { ...s, mailboxes: (s.mailboxes ?? 0) + 1 };
        if (d === "unowned") services[i] = { ...s, customFields: { ...s.customFields, [RECORD_FIELDS.zoid]: { id: "51", value: "" } } };
        if (d === "pending") services[i] = { ...s, status: "pending" };
        if (d === "licences") orgs = orgs.map((o) => (o.domain === s.domain && o.plan.type === "paid" ? { ...o, plan: { ...o.plan, licenses: o.plan.licenses + 2 } } : o));
        if (d === "no-org") orgs = orgs.filter((o) => o.domain !== s.domain);
      });
      const gone = new Set(drifts.flatMap((d, i) => (d === "no-service" ? [services[i]?.id] : [])));
      services = services.filter((s) => !gone.has(s.id));
      if (strays) {
        services.push(liveService("9001", live.clients[0]?.id ?? "1", "stray.example.net"));
        orgs.push(liveOrg("8001", "lost.example.net"));
      }
      return { ...scenario, live: { ...live, services, zohoOrgs: orgs } };
    });
});
