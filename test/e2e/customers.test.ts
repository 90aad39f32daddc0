import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChanges, type Plan } from "../../src/model/plan.js";
import type { LoadedProject } from "../../src/manifest/index.js";
import { CustomerIssueCode } from "../../src/plan/customers/index.js";
import { manifestProject, type ManifestProject, type OrgLine } from "../customers/manifests.js";
import { startRig, type CustomerRig } from "../customers/rig.js";

/**
 * The acceptance of customer orgs, end to end over loopback: manifests on disk, loaded with
 * loadProject; WHMCS (companion on, zoho_mail module attached to Zoho) and Zoho emulators; the
 * bulk live read, the plan, the apply. After every apply a new plan has no change and every org's
 * WHMCS mailbox quantity equals its Zoho licence count.
 */
const name = (i: number): string => `org${String(i).padStart(2, "0")}`;

/** 30 Mail Lite orgs billed yearly, 10 Workplace orgs billed monthly, 10 Workplace trials. */
function initialOrgs(): OrgLine[] {
  const orgs: OrgLine[] = [];
  for (let i = 1; i <= 30; i++) orgs.push({ name: name(i), product: "mail-lite", billingCycle: "annually", mailboxes: 5 + (i % 20), plan: { type: "paid" } });
  for (let i = 31; i <= 40; i++) orgs.push({ name: name(i), product: "workplace-standard", billingCycle: "monthly", mailboxes: 3 + (i % 7), plan: { type: "paid", payPeriod: "monthly" } });
  // A trial's licences are Zoho's trial cap (5 in the sandbox, as on Zoho's help pages): billed at 5 too.
  for (let i = 41; i <= 50; i++) orgs.push({ name: name(i), product: "workplace-standard", billingCycle: "annually", mailboxes: 5, plan: { type: "trial", trialPlan: "basicTrial" } });
  return orgs;
}

/** Increases, decreases, trial → paid, plan switch, monthly → yearly. */
function changedOrgs(): OrgLine[] {
  return initialOrgs().map((o, k) => {
    const i = k + 1;
    if (i <= 10) return { ...o, mailboxes: o.mailboxes + 5 };
    if (i <= 15) return { ...o, mailboxes: o.mailboxes - 2 };
    if (i >= 21 && i <= 25) return { ...o, product: "workplace-standard", plan: { type: "paid" } };
    if (i >= 31 && i <= 35) return { ...o, billingCycle: "annually", plan: { type: "paid", payPeriod: "yearly" } };
    if (i >= 41) return { ...o, mailboxes: 12, plan: { type: "paid", payPeriod: "yearly" } };
    return o;
  });
}

let rig: CustomerRig;
let files: ManifestProject;

beforeAll(async () => {
  files = manifestProject();
  rig = await startRig({ plans: { "mail-lite": { planId: 17033, userAddonId: 17083, payPeriods: ["yearly"] }, "workplace-standard": { planId: 10730, userAddonId: 10779, payPeriods: ["monthly", "yearly"] } } });
});
afterAll(async () => {
  await rig?.close();
  files?.remove();
});

async function planOf(project: LoadedProject) {
  return rig.plan(project.catalog, project.customerOrgs);
}

/** Apply, then plan again: the new plan has no change at all. */
async function applyAndConverge(project: LoadedProject, plan: Plan, live: Parameters<CustomerRig["apply"]>[2]): Promise<Plan> {
  const report = await rig.apply(plan, project.customerOrgs, live);
  expect(report.results.filter((r) => r.status === "failed" || r.status === "not-executed").map((r) => [r.key, r.error?.message])).toEqual([]);
  expect(report.ok).toBe(true);
  const next = await planOf(project);
  expect(next.plan.changes.filter((c) => c.action !== "noop").map((c) => ({ key: c.key, diffs: c.diffs }))).toEqual([]);
  expect(hasChanges(next.plan)).toBe(false);
  return next.plan;
}

/** Every org: the WHMCS mailbox quantity (read through the API) equals Zoho's licence count. */
async function expectQuantitiesEqualLicences(expected: readonly OrgLine[]): Promise<void> {
  const { customers } = await planOf(await files.load());
  const byDomain = new Map(customers.services.map((s) => [s.domain, s]));
  const rows = expected.map((o) => {
    const domain = `${o.name}.example`;
    return { domain, whmcs: byDomain.get(domain)?.mailboxes, zoho: rig.zoho.state.org(domain)?.licenseCount, declared: o.mailboxes };
  });
  expect(rows.filter((r) => r.whmcs !== r.zoho || r.whmcs !== r.declared)).toEqual([]);
  expect(rows).toHaveLength(50);
}

describe("customer orgs end to end", () => {
  it("creates 50 customer orgs from manifests, then finds nothing left to do", async () => {
    files.write(initialOrgs());
    const project = await files.load();
    expect(project.customerOrgs).toHaveLength(50);
    const { plan, live } = await planOf(project);
    expect(plan.summary).toMatchObject({ create: 50 + 5, update: 0, adopt: 0 });
    await applyAndConverge(project, plan, live);
    expect(rig.zoho.state.orgs()).toHaveLength(50);
    expect(await rig.whmcs.store.count("tblhosting")).toBe(50);
    await expectQuantitiesEqualLicences(initialOrgs());
  });

  it("applies licence increases and decreases, trial → paid, a plan switch and monthly → yearly", async () => {
    files.write(changedOrgs());
    const project = await files.load();
    const { plan, live } = await planOf(project);
    const actions = new Map(plan.changes.filter((c) => c.kind === "CustomerOrg").map((c) => [c.name, c]));
    // More mailboxes bill more: the recurring amount moves with them.
    expect(actions.get(name(1))?.diffs.map((d) => d.path)).toEqual(["billing.recurringAmount", "mailboxes", "zoho.plan.licenses"]);
    expect(actions.get(name(11))?.classes).toContain("destructive");
    expect(actions.get(name(21))?.diffs.map((d) => d.path).filter((p) => p !== "billing.recurringAmount")).toEqual(["product", "zoho.plan.plan"]);
    expect(actions.get(name(31))?.diffs.map((d) => d.path).filter((p) => p !== "billing.recurringAmount")).toEqual(["billingCycle", "zoho.plan.payPeriod"]);
    expect(actions.get(name(41))?.diffs.map((d) => `${d.path}: ${String(d.before)} → ${String(d.after)}`)).toEqual([
      // The trial billed 0.00; paid, it bills the catalog price: 12 users × 30.00 a year.
      "billing.recurringAmount: 0.00 → 360.00",
      "mailboxes: 5 → 12",
      "zoho.plan.licenses: null → 12",
      "zoho.plan.payPeriod: null → yearly",
      "zoho.plan.plan: null → workplace-standard",
      "zoho.plan.trialPlan: basicTrial → null",
      "zoho.plan.type: trial → paid",
    ]);
    expect(plan.summary).toMatchObject({ update: 35, create: 0, adopt: 0, assign: 0 });
    await applyAndConverge(project, plan, live);
    await expectQuantitiesEqualLicences(changedOrgs());
    expect(rig.zoho.state.org(`${name(21)}.example`)?.plan).toMatchObject({ type: "paid", planId: 10730, period: "YEAR" });
    expect(rig.zoho.state.org(`${name(31)}.example`)?.plan).toMatchObject({ type: "paid", planId: 10730, period: "YEAR" });
    expect(rig.zoho.state.org(`${name(41)}.example`)?.plan).toMatchObject({ type: "paid", planId: 10730, period: "YEAR", addons: [{ id: 10779, count: 12 }] });
    const services = await rig.whmcs.store.select("tblhosting", { domain: `${name(31)}.example` });
    expect(services.map((s) => s["billingcycle"])).toEqual(["Annually"]);
  });

  it("blocks yearly → monthly for that org alone, at the field, with the fix, and writes nothing for it", async () => {
    files.write(changedOrgs().map((o) => (o.name === name(31) ? { ...o, billingCycle: "monthly", plan: { type: "paid", payPeriod: "monthly" } } : o)));
    const project = await files.load();
    rig.whmcs.calls.reset();
    rig.zoho.calls.reset();
    const { plan } = await planOf(project);
    expect(plan.changes.some((c) => c.key === `CustomerOrg/${name(31)}`)).toBe(false);
    expect(plan.blocked?.map((b) => b.key)).toEqual([`CustomerOrg/${name(31)}`]);
    const reason = plan.blocked?.[0]?.reasons[0];
    expect(reason).toMatchObject({ code: CustomerIssueCode.yearlyToMonthly, field: "/spec/plan/payPeriod", file: expect.stringMatching(/customers\/orgs-003\.yaml$/) });
    // The field's own line (the spec line of the document), not the document's first line.
    expect(reason?.line).toBe((plan.blocked?.[0]?.source?.line ?? 0) + 3);
    expect(reason?.message).toBe(
      `CustomerOrg ${name(31)}: the Zoho subscription of ${name(31)}.example is yearly and cannot be switched to monthly (Zoho's own module forbids it)`,
    );
    expect(reason?.hint).toBe("keep payPeriod yearly (and billingCycle annually) until the customer leaves the yearly plan");
    const writes = Object.keys(rig.whmcs.calls.counts()).filter((a) => !/^(get|reconcileget)/.test(a));
    expect(writes).toEqual([]);
    expect(Object.keys(rig.zoho.calls.byEndpoint).filter((e) => !/\.(list|get|token)/.test(e))).toEqual([]);
    expect(rig.zoho.state.org(`${name(31)}.example`)?.plan).toMatchObject({ period: "YEAR" });
  });
});
