import { describe, expect, it } from "vitest";
import { ManifestError } from "../../src/core/errors.js";
import type { LiveCustomers } from "../../src/model/customers.js";
import { computeFullPlan, CustomerIssueCode, type CustomerPlanInput, type FullPlanInput } from "../../src/plan/customers/index.js";
import { product } from "../plan/builders.js";
import {
  convergedParts,
  customerOrg,
  customerSource,
  fullInput,
  liveClient,
  liveCustomers,
  paid,
  PLANS,
  WORKPLACE_PID,
  type OrgOverrides,
} from "./builders.js";

const acme = convergedParts("acme", 1);
const converged = (parts: Partial<LiveCustomers> = {}): LiveCustomers =>
  liveCustomers({ clients: [acme.client], services: [acme.service], zohoOrgs: [acme.org], ...parts });

function issuesOf(input: FullPlanInput): ManifestError["issues"] {
  try {
    computeFullPlan(input);
  } catch (err) {
    if (err instanceof ManifestError) return err.issues;
    throw err;
  }
  throw new Error("the plan was computed without issues");
}

/**
 * What the manifests alone decide refuses the whole plan (thrown); what live state decides blocks
 * only that org (plan.blocked, its change left out). Either way: the problems, as issues.
 */
function problemsOf(input: FullPlanInput, org = "acme"): { readonly blocked: boolean; readonly issues: ManifestError["issues"] } {
  try {
    const plan = computeFullPlan(input);
    const b = plan.blocked?.find((x) => x.key === `CustomerOrg/${org}`);
    if (b === undefined) throw new Error("the plan was computed without issues");
    expect(plan.changes.some((c) => c.key === b.key)).toBe(false);
    return { blocked: true, issues: b.reasons.map((r) => ({ code: r.code, file: r.file, line: r.line, col: r.col, path: r.field, message: r.message, ...(r.hint !== undefined ? { hint: r.hint } : {}) })) };
  } catch (err) {
    if (err instanceof ManifestError) return { blocked: false, issues: err.issues };
    throw err;
  }
}

/** Codes live state decides: they block one org, never the plan. */
const LIVE: ReadonlySet<string> = new Set([
  CustomerIssueCode.yearlyToMonthly,
  CustomerIssueCode.belowUsedMailboxes,
  CustomerIssueCode.trialUnavailable,
  CustomerIssueCode.trialChange,
  CustomerIssueCode.trialToFree,
  CustomerIssueCode.clientMismatch,
  CustomerIssueCode.ambiguousService,
  CustomerIssueCode.ambiguousClient,
  CustomerIssueCode.superAdminTaken,
  CustomerIssueCode.duplicateService,
  CustomerIssueCode.duplicateZohoOrg,
  CustomerIssueCode.duplicateZoid,
]);

interface Row {
  readonly name: string;
  readonly desired: OrgOverrides;
  readonly live?: LiveCustomers;
  readonly customers?: Partial<CustomerPlanInput>;
  readonly code: string;
  /** Issues the same mistake also raises. */
  readonly also?: readonly string[];
  readonly path: string;
  readonly message: string;
}

const ROWS: readonly Row[] = [
  { name: "an undeclared product", desired: { product: "nope" }, code: CustomerIssueCode.unknownProduct, path: "/spec/product", message: "no Product named 'nope'" },
  { name: "a product of another module", desired: { product: "zz-hosting" }, code: CustomerIssueCode.notZohoMail, path: "/spec/product", message: "uses module 'cpanel', not zoho_mail" },
  {
    name: "a product without the mailboxes option",
    desired: { product: "zz-no-mailboxes" },
    code: CustomerIssueCode.noMailboxesOption,
    path: "/spec/product",
    message: "has no quantity option 'mailboxes'",
  },
  {
    name: "more mailboxes than the option allows",
    desired: { product: "workplace-standard", mailboxes: 501 },
    code: CustomerIssueCode.mailboxesRange,
    path: "/spec/mailboxes",
    message: "501 mailboxes is outside the mailboxes option's range (1..500)",
  },
  { name: "a cycle the product does not sell", desired: { billingCycle: "quarterly", plan: { type: "free" }, mailboxes: 5 }, code: CustomerIssueCode.cycleNotOffered, path: "/spec/billingCycle", message: "is not sold quarterly" },
  {
    name: "a pay period the Zoho plan does not offer",
    desired: { plan: { type: "paid", payPeriod: "monthly" } },
    code: CustomerIssueCode.payPeriodNotOffered,
    // The live yearly → monthly finding is reported once the manifest itself is valid.
    also: [CustomerIssueCode.cyclePayPeriod],
    path: "/spec/plan/payPeriod",
    message: "Zoho plan 'mail-lite' is not sold monthly",
  },
  {
    name: "a billing cycle that does not match the pay period",
    desired: { product: "workplace-standard", billingCycle: "monthly", plan: { type: "paid", payPeriod: "yearly" } },
    code: CustomerIssueCode.cyclePayPeriod,
    path: "/spec/billingCycle",
    message: "billing cycle monthly does not match the Zoho pay period yearly",
  },
  {
    name: "yearly → monthly",
    desired: { product: "workplace-standard", billingCycle: "monthly", plan: { type: "paid", payPeriod: "monthly" } },
    live: converged({ services: [{ ...acme.service, productId: WORKPLACE_PID }], zohoOrgs: [{ ...acme.org, plan: paid(10730, "yearly", 25) }] }),
    code: CustomerIssueCode.yearlyToMonthly,
    path: "/spec/plan/payPeriod",
    message: "is yearly and cannot be switched to monthly (Zoho's own module forbids it)",
  },
  {
    name: "fewer mailboxes than the org uses",
    desired: { mailboxes: 25 },
    live: converged({ zohoOrgs: [{ ...acme.org, usersCount: 30 }] }),
    code: CustomerIssueCode.belowUsedMailboxes,
    path: "/spec/mailboxes",
    message: "25 mailboxes is below the 30 mailboxes the Zoho org acme.example uses",
  },
  {
    name: "over a plan's user cap",
    desired: { mailboxes: 25 },
    customers: { zohoPlans: { ...PLANS, "mail-lite": { planId: 17033, userAddonId: 17083, payPeriods: ["yearly"], maxUsers: 10 } } },
    code: CustomerIssueCode.planUserCap,
    path: "/spec/mailboxes",
    message: "25 mailboxes is over the 10 users Zoho plan 'mail-lite' allows",
  },
  {
    name: "over the free plan's cap",
    desired: { mailboxes: 6, plan: { type: "free" } },
    code: CustomerIssueCode.freeUserCap,
    path: "/spec/mailboxes",
    message: "6 mailboxes is over the 5 users Zoho's free plan allows",
  },
  {
    name: "over a configured free cap",
    desired: { mailboxes: 3, plan: { type: "free" } },
    customers: { freeUserCap: 2 },
    code: CustomerIssueCode.freeUserCap,
    path: "/spec/mailboxes",
    message: "over the 2 users",
  },
  {
    name: "a Zoho plan the config lacks",
    desired: {},
    customers: { zohoPlans: { "workplace-standard": PLANS["workplace-standard"] ?? { planId: 1, userAddonId: 1, payPeriods: ["yearly"] } } },
    code: CustomerIssueCode.unknownZohoPlan,
    path: "/spec/product",
    message: "sells Zoho plan 'mail-lite', which is not in the config's zoho.plans",
  },
  {
    name: "a trial for an org that used its trial",
    desired: { plan: { type: "trial", trialPlan: "basicTrial" } },
    live: converged({ zohoOrgs: [{ ...acme.org, plan: { type: "free" }, trialAllowed: false }] }),
    code: CustomerIssueCode.trialUnavailable,
    path: "/spec/plan",
    message: "has used its trial already",
  },
  {
    name: "a trial for a paid org",
    desired: { plan: { type: "trial", trialPlan: "basicTrial" } },
    live: converged(),
    code: CustomerIssueCode.trialUnavailable,
    path: "/spec/plan",
    message: "is on a paid plan and cannot go back to a trial",
  },
  {
    name: "another trial during a trial",
    desired: { plan: { type: "trial", trialPlan: "professionalTrial" } },
    live: converged({ zohoOrgs: [{ ...acme.org, plan: { type: "trial", trialPlan: "basicTrial" } }] }),
    code: CustomerIssueCode.trialChange,
    path: "/spec/plan/trialPlan",
    message: "already in the basicTrial trial",
  },
  {
    name: "free during a trial",
    desired: { plan: { type: "free" }, mailboxes: 5 },
    live: converged({ zohoOrgs: [{ ...acme.org, plan: { type: "trial", trialPlan: "basicTrial" } }] }),
    code: CustomerIssueCode.trialToFree,
    path: "/spec/plan",
    message: "Zoho has no API to end a trial early",
  },
  {
    name: "a service of another client",
    desired: {},
    live: converged({ clients: [acme.client, liveClient("77", "bob@elsewhere.example")], services: [{ ...acme.service, clientId: "77" }] }),
    code: CustomerIssueCode.clientMismatch,
    path: "/spec/client/email",
    message: "belongs to client #77 bob@elsewhere.example, not it@acme.example",
  },
  {
    name: "two services for the domain",
    desired: {},
    live: converged({ services: [acme.service, { ...acme.service, id: "102" }] }),
    code: CustomerIssueCode.duplicateService,
    path: "/spec/domain",
    message: "2 WHMCS services in use for acme.example: service #101",
  },
  {
    name: "two clients with the email",
    desired: {},
    live: converged({ clients: [acme.client, { ...acme.client, id: "12" }] }),
    code: CustomerIssueCode.ambiguousClient,
    path: "/spec/client/email",
    message: "several WHMCS clients have the email it@acme.example: #11, #12",
  },
];

describe("cross-system invariants", () => {
  it.each(ROWS)("refuse $name", (row) => {
    const { blocked, issues } = problemsOf(fullInput([customerOrg("acme", row.desired, customerSource(12))], row.live ?? converged(), row.customers));
    expect(blocked).toBe(LIVE.has(row.code));
    expect(issues.map((i) => i.code).sort()).toEqual([row.code, ...(row.also ?? [])].sort());
    const issue = issues.find((i) => i.code === row.code);
    expect(issue).toMatchObject({ path: row.path, file: "customers/orgs.yaml", line: 12, col: 1 });
    expect(issue?.message).toContain(row.message);
    expect(issue?.message).toMatch(/^CustomerOrg acme: /);
    expect(issue?.hint ?? "").not.toBe("");
  });

  it("never pick from two services in use for one domain: the org is blocked, both listed with their ids", () => {
    const plan = computeFullPlan(fullInput([customerOrg("acme")], converged({ services: [acme.service, { ...acme.service, id: "102", productId: WORKPLACE_PID }] })));
    expect(plan.changes.find((c) => c.key === "CustomerOrg/acme")).toBeUndefined();
    expect(plan.blocked?.[0]?.reasons.map((r) => [r.code, r.field])).toEqual([[CustomerIssueCode.duplicateService, "/spec/domain"]]);
    expect(plan.blocked?.[0]?.reasons[0]?.message).toContain("service #101");
    expect(plan.blocked?.[0]?.reasons[0]?.message).toContain("service #102");
  });

  it("narrow services no longer in use by product: a terminated old service beside nothing in use", () => {
    const plan = computeFullPlan(
      fullInput([customerOrg("acme")], converged({ services: [acme.service, { ...acme.service, id: "102", productId: WORKPLACE_PID, status: "terminated" }] })),
    );
    expect(plan.changes.find((c) => c.key === "CustomerOrg/acme")).toMatchObject({ action: "noop", remoteId: "101" });
  });

  it("a ZOID recorded on two services in use blocks the org, naming both", () => {
    const other = { ...acme.service, id: "150", domain: "elsewhere.example", clientId: acme.service.clientId };
    const plan = computeFullPlan(fullInput([customerOrg("acme")], converged({ services: [acme.service, other] })));
    const reasons = plan.blocked?.find((b) => b.key === "CustomerOrg/acme")?.reasons ?? [];
    expect(reasons.map((r) => r.code)).toEqual([CustomerIssueCode.duplicateZoid]);
    expect(reasons[0]?.message).toMatch(/service #101.*service #150/);
  });

  it("two Zoho orgs for one domain block the org; other orgs still plan", () => {
    const beta = convergedParts("beta", 2);
    const live = liveCustomers({
      clients: [acme.client, beta.client],
      services: [acme.service, beta.service],
      zohoOrgs: [acme.org, { ...acme.org, zoid: "999" }, beta.org],
    });
    const plan = computeFullPlan(fullInput([customerOrg("acme"), customerOrg("beta", { mailboxes: 30 })], live));
    expect(plan.blocked?.map((b) => [b.key, b.reasons.map((r) => r.code)])).toEqual([["CustomerOrg/acme", [CustomerIssueCode.duplicateZohoOrg]]]);
    expect(plan.changes.find((c) => c.key === "CustomerOrg/beta")?.action).toBe("update");
  });

  it("skip the plan checks for a terminated org", () => {
    const desired = customerOrg("acme", { status: "terminated", product: "workplace-standard", billingCycle: "monthly", plan: { type: "paid", payPeriod: "monthly" } });
    const live = converged({ services: [{ ...acme.service, productId: WORKPLACE_PID }], zohoOrgs: [{ ...acme.org, plan: paid(10730, "yearly", 25) }] });
    const plan = computeFullPlan(fullInput([desired], live));
    expect(plan.changes.find((c) => c.key === "CustomerOrg/acme")?.action).toBe("update");
  });

  it("refuse a new org when both the client's email and admin@<domain> already head other orgs", () => {
    const live = liveCustomers({ zohoOrgs: [{ ...acme.org, superAdmin: "it@acme.example" }, { ...acme.org, zoid: "2", domain: "other.example", superAdmin: "admin@labs.example" }] });
    const { blocked, issues } = problemsOf(fullInput([customerOrg("labs", { client: { email: "it@acme.example" } }, customerSource(5))], live), "labs");
    expect(blocked).toBe(true);
    expect(issues.map((i) => [i.code, i.path, i.line])).toEqual([[CustomerIssueCode.superAdminTaken, "/spec/client/email", 5]]);
    expect(issues[0]?.message).toBe("CustomerOrg labs: it@acme.example and admin@labs.example are both super admins of other Zoho orgs already");
  });

  it("report duplicate names and domains where they are declared", () => {
    const issues = issuesOf(
      fullInput(
        [customerOrg("acme", {}, customerSource(1)), customerOrg("acme", {}, customerSource(20)), customerOrg("beta", { domain: "acme.example" }, customerSource(40))],
        liveCustomers(),
      ),
    );
    expect(issues.map((i) => [i.code, i.line, i.path])).toEqual([
      [CustomerIssueCode.duplicateName, 20, "/metadata/name"],
      [CustomerIssueCode.duplicateDomain, 40, "/spec/domain"],
    ]);
  });

  it("report catalog and customer issues together, sorted by position", () => {
    const base = fullInput([customerOrg("acme", { product: "nope" }, customerSource(3))], liveCustomers());
    const input = { ...base, desired: { ...base.desired, products: [...base.desired.products, product("broken", { group: "missing-group" })] } };
    const issues = issuesOf(input);
    expect(issues.map((i) => i.code)).toEqual(["plan.unknown-reference", CustomerIssueCode.unknownProduct]);
  });

  it("report every org's problems, not just the first", () => {
    const issues = issuesOf(
      fullInput(
        [customerOrg("a", { product: "nope" }, customerSource(1)), customerOrg("b", { billingCycle: "monthly" }, customerSource(30)), customerOrg("c", { mailboxes: 6, plan: { type: "free" } }, customerSource(60))],
        liveCustomers(),
      ),
    );
    expect(issues.map((i) => i.code)).toEqual([
      CustomerIssueCode.unknownProduct,
      CustomerIssueCode.cycleNotOffered,
      CustomerIssueCode.cyclePayPeriod,
      CustomerIssueCode.freeUserCap,
    ]);
  });
});
