import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mrrChange, moneyProject, nonZero, readServices, type BilledService, type MoneyOrg, type MoneyProject, type PlanJson } from "./money-project.js";

/**
 * Money, end to end: the CLI in-process against both sandboxes, WHMCS with USD (default) and EUR.
 * What the plan says a service bills (`impact.billing.after`, `after.billing.currency`,
 * `after.options`) is what WHMCS bills after the apply, read back through GetClientsProducts and
 * GetClientsDetails; and the plan's `totals.mrr` is what WHMCS's own amounts add up to, computed
 * here from those answers alone.
 */

const PAID_YEARLY = { type: "paid", payPeriod: "yearly" } as const;
const PAID_MONTHLY = { type: "paid", payPeriod: "monthly" } as const;
const TRIAL = { type: "trial", trialPlan: "basicTrial" } as const;
const FREE = { type: "free" } as const;

/** Each org with the amount its service bills, worked by hand from the catalog in money-project.ts. */
const INITIAL: readonly (MoneyOrg & { readonly bills: string })[] = [
  // USD: Mail Lite 5.00 + 12.00 a mailbox a year; Workplace 1.00 / 10.00 + 3.00 / 36.00 a user, storage 25 1.00 / 11.00, 50 1.75 / 19.25.
  { name: "u-lite", product: "mail-lite", billingCycle: "annually", mailboxes: 10, plan: PAID_YEARLY, bills: "125.00" }, // 5.00 + 10 × 12.00
  { name: "u-lite2", product: "mail-lite", billingCycle: "annually", mailboxes: 20, plan: PAID_YEARLY, bills: "245.00" }, // 5.00 + 20 × 12.00
  { name: "u-wp-m", product: "workplace-standard", billingCycle: "monthly", mailboxes: 7, plan: PAID_MONTHLY, options: { storage: "25" }, bills: "23.00" }, // 1.00 + 21.00 + 1.00
  { name: "u-wp-a", product: "workplace-standard", billingCycle: "annually", mailboxes: 12, plan: PAID_YEARLY, options: { storage: "50" }, bills: "461.25" }, // 10.00 + 432.00 + 19.25
  { name: "u-wp-a2", product: "workplace-standard", billingCycle: "annually", mailboxes: 6, plan: PAID_YEARLY, bills: "226.00" }, // 10.00 + 216.00, storage 10 free
  { name: "u-trial", product: "workplace-standard", billingCycle: "annually", mailboxes: 5, plan: TRIAL, options: { storage: "25" }, bills: "0.00" },
  { name: "u-free", product: "mail-lite", billingCycle: "annually", mailboxes: 3, plan: FREE, bills: "0.00" },
  // EUR: Mail Lite 4.50 + 11.40 a mailbox a year; Workplace 0.90 / 9.00 + 2.85 / 34.20 a user, storage 25 0.95 / 10.45, 50 1.65 / 18.15.
  { name: "e-lite", product: "mail-lite", billingCycle: "annually", mailboxes: 8, plan: PAID_YEARLY, currency: "EUR", bills: "95.70" }, // 4.50 + 8 × 11.40
  { name: "e-wp-m", product: "workplace-standard", billingCycle: "monthly", mailboxes: 4, plan: PAID_MONTHLY, currency: "EUR", options: { storage: "25" }, bills: "13.25" }, // 0.90 + 11.40 + 0.95
  { name: "e-wp-m2", product: "workplace-standard", billingCycle: "monthly", mailboxes: 3, plan: PAID_MONTHLY, currency: "EUR", bills: "9.45" }, // 0.90 + 8.55
  { name: "e-wp-a", product: "workplace-standard", billingCycle: "annually", mailboxes: 9, plan: PAID_YEARLY, currency: "EUR", options: { storage: "10" }, bills: "316.80" }, // 9.00 + 307.80
  { name: "e-trial", product: "workplace-standard", billingCycle: "monthly", mailboxes: 5, plan: TRIAL, currency: "EUR", options: { storage: "50" }, bills: "0.00" },
  { name: "e-free", product: "workplace-standard", billingCycle: "annually", mailboxes: 2, plan: FREE, currency: "EUR", options: { storage: "50" }, bills: "0.00" },
];

/**
 * The mixed run: new orgs, a mailbox increase, an option change, monthly → annually, trial → paid,
 * paid → free, a suspension, a termination, and Mail Lite repriced (policy.reprice: [mail-lite])
 * after its mailbox price went from 12.00 to 13.00 USD and 11.40 to 12.35 EUR a year.
 */
const CHANGED: readonly (MoneyOrg & { readonly bills: string })[] = [
  { ...org("u-lite"), status: "terminated", bills: "125.00" }, // terminated: kept, no longer invoiced
  { ...org("u-lite2"), bills: "265.00" }, // repriced: 5.00 + 20 × 13.00
  { ...org("u-wp-m"), billingCycle: "annually", plan: PAID_YEARLY, bills: "273.00" }, // 10.00 + 7 × 36.00 + 11.00
  { ...org("u-wp-a"), mailboxes: 15, bills: "569.25" }, // 461.25 + 3 × 36.00
  { ...org("u-wp-a2"), status: "suspended", bills: "226.00" },
  { ...org("u-trial"), plan: PAID_YEARLY, bills: "201.00" }, // 10.00 + 5 × 36.00 + 11.00
  { ...org("u-free"), bills: "0.00" },
  { name: "u-new", product: "workplace-standard", billingCycle: "annually", mailboxes: 4, plan: PAID_YEARLY, options: { storage: "25" }, bills: "165.00" }, // 10.00 + 144.00 + 11.00
  { ...org("e-lite"), bills: "103.30" }, // repriced: 4.50 + 8 × 12.35
  { ...org("e-wp-m"), options: { storage: "50" }, bills: "13.95" }, // 13.25 − 0.95 + 1.65
  { ...org("e-wp-m2"), plan: FREE, bills: "0.00" },
  { ...org("e-wp-a"), bills: "316.80" },
  { ...org("e-trial"), bills: "0.00" },
  { ...org("e-free"), bills: "0.00" },
  { name: "e-new", product: "mail-lite", billingCycle: "annually", mailboxes: 5, plan: PAID_YEARLY, currency: "EUR", bills: "66.25" }, // 4.50 + 5 × 12.35
];

function org(name: string): MoneyOrg {
  const o = INITIAL.find((x) => x.name === name);
  if (o === undefined) throw new Error(name);
  const { bills: _bills, ...rest } = o;
  return rest;
}

let m: MoneyProject;

beforeAll(async () => {
  m = await moneyProject();
  // The first in-process run loads the CLI's modules: done here, so the tests time only their own work.
  m.writeCatalog({ USD: "12.00", EUR: "11.40" });
  m.writeOrgs(INITIAL);
  const warm = await m.cli(["plan"]);
  if (warm.code !== 0) throw new Error(`reconcile plan exited ${warm.code}: ${warm.stderr}`);
}, 180_000);
afterAll(async () => {
  await m?.close();
});

/** Plan, apply exactly that plan, and check that nothing is left to do. */
async function applyReviewed(): Promise<PlanJson> {
  const plan = await m.plan();
  expect(plan.blocked ?? []).toEqual([]);
  const applied = await m.cli(["--yes", "--plan-checksum", plan.checksum]);
  expect(applied.code, applied.stderr + applied.stdout).toBe(0);
  const again = await m.cli(["plan", "--detailed-exitcode"]);
  expect(again.code, again.stdout).toBe(0);
  return plan;
}

/** Every declared org's service, as WHMCS bills it, equals what the plan said. */
function expectServicesAsPlanned(plan: PlanJson, services: readonly BilledService[], orgs: readonly MoneyOrg[]): void {
  const byDomain = new Map(services.map((s) => [s.domain, s]));
  for (const o of orgs) {
    const change = plan.changes.find((c) => c.key === `CustomerOrg/${o.name}`);
    const s = byDomain.get(`${o.name}.example`);
    if (change === undefined || change.action === "noop") continue;
    const after = change.after;
    expect(
      { amount: s?.amount, currency: s?.currency, options: s?.options, mailboxes: s?.mailboxes, cycle: s?.cycle },
      `${o.name}: WHMCS bills what the plan said`,
    ).toEqual({
      amount: change.impact.billing?.after ?? after?.billing.recurringAmount,
      currency: after?.billing.currency,
      options: after?.options,
      mailboxes: after?.mailboxes,
      cycle: after?.billingCycle,
    });
  }
}

describe("money end to end, USD and EUR", () => {
  it("orders paid, trial and free orgs in both currencies at the plan's amounts, options and currency", async () => {
    m.writeCatalog({ USD: "12.00", EUR: "11.40" });
    m.writeOrgs(INITIAL);
    const before = await readServices(m.api);
    expect(before).toEqual([]);
    const plan = await applyReviewed();

    // The plan, against the amounts worked by hand.
    const planned = Object.fromEntries(plan.changes.filter((c) => c.kind === "CustomerOrg").map((c) => [c.name, [c.impact.billing?.after, c.after?.billing.currency]]));
    expect(planned).toEqual(Object.fromEntries(INITIAL.map((o) => [o.name, [o.bills, o.currency ?? "USD"]])));

    // WHMCS, against the plan: one assertion per service.
    const services = await readServices(m.api);
    expect(services).toHaveLength(INITIAL.length);
    expectServicesAsPlanned(plan, services, INITIAL);
    // Free and trial bill nothing, whatever their options cost.
    expect(services.filter((s) => /^(u|e)-(trial|free)\./.test(s.domain)).map((s) => s.amount)).toEqual(["0.00", "0.00", "0.00", "0.00"]);

    // Creating them all moves MRR by what WHMCS now invoices a month.
    expect(nonZero(plan.totals?.mrr)).toEqual(mrrChange(before, services));
  });

  it("a run of mixed changes: totals.mrr equals the change in what WHMCS bills a month, to the cent, in each currency", async () => {
    const before = await readServices(m.api);
    m.writeCatalog({ USD: "13.00", EUR: "12.35" });
    m.writeOrgs(CHANGED);
    m.writePolicy(`  protect: []
  reprice: [mail-lite]
  thresholds: { updateShare: 0.5, deleteShare: 0.3, minExisting: 10, customers: 100 }
`);
    const plan = await applyReviewed();
    const after = await readServices(m.api);

    const planned = Object.fromEntries(
      plan.changes.filter((c) => c.kind === "CustomerOrg" && c.action !== "noop").map((c) => [c.name, c.impact.billing?.after ?? c.after?.billing.recurringAmount]),
    );
    const changed = CHANGED.filter((o) => {
      const was = INITIAL.find((x) => x.name === o.name);
      return was === undefined || JSON.stringify({ ...was }) !== JSON.stringify({ ...o });
    });
    expect(planned).toEqual(Object.fromEntries(changed.map((o) => [o.name, o.bills])));
    expectServicesAsPlanned(plan, after, CHANGED);
    expect(after.find((s) => s.domain === "u-lite.example")?.status).toBe("Terminated");
    expect(after.find((s) => s.domain === "u-wp-a2.example")?.status).toBe("Suspended");

    // Worked by hand, a month:
    // USD  +165.00/12 (u-new) +108.00/12 (u-wp-a) −23.00 +273.00/12 (u-wp-m) +201.00/12 (u-trial)
    //      −125.00/12 (u-lite terminated) +20.00/12 (u-lite2 repriced) = +30.50 (u-wp-a2 suspended still bills)
    // EUR  +66.25/12 (e-new) +0.70 (e-wp-m) −9.45 (e-wp-m2 free) +7.60/12 (e-lite repriced) = −2.5958… → −2.60
    expect(plan.totals?.mrr).toEqual({ EUR: "-2.60", USD: "+30.50" });
    expect(nonZero(plan.totals?.mrr)).toEqual(mrrChange(before, after));
  });
});
