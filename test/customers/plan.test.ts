import { describe, expect, it } from "vitest";
import type { Change, Plan } from "../../src/model/plan.js";
import { computeFullPlan, SUSPEND_NOTE, TERMINATE_NOTE } from "../../src/plan/customers/index.js";
import {
  convergedParts,
  customerOrg,
  fullInput,
  liveCustomers,
  liveOrg,
  liveService,
  paid,
  records,
  WORKPLACE_PID,
  type OrgOverrides,
} from "./builders.js";
import type { LiveCustomers } from "../../src/model/customers.js";

/** The plan of one org `acme` against the given live state. */
function planOne(over: OrgOverrides, live: LiveCustomers): Plan {
  return computeFullPlan(fullInput([customerOrg("acme", over)], live));
}

function acmeChange(plan: Plan): Change {
  const c = plan.changes.find((x) => x.key === "CustomerOrg/acme");
  if (c === undefined) throw new Error("no change for CustomerOrg/acme");
  return c;
}

const acme = convergedParts("acme", 1);
const acmeLike = (plan: Plan, name: string): Change => plan.changes.find((c) => c.key === `CustomerOrg/${name}`) as Change;
const ZOID = acme.org.zoid;
const converged = (parts: Partial<LiveCustomers> = {}): LiveCustomers =>
  liveCustomers({ clients: [acme.client], services: [acme.service], zohoOrgs: [acme.org], ...parts });

interface Row {
  readonly name: string;
  readonly desired: OrgOverrides;
  readonly live: LiveCustomers;
  readonly action: Change["action"];
  /** `path: before → after` of every diff, in order. */
  readonly diffs?: readonly string[];
  readonly classes?: readonly string[];
  /** Each must appear in some note. */
  readonly notes?: readonly string[];
  readonly licenses?: { readonly before: number | null; readonly after: number | null };
}

const show = (v: unknown): string => (v === null ? "null" : typeof v === "object" ? JSON.stringify(v) : String(v));

const ROWS: readonly Row[] = [
  {
    name: "nothing live: create, with a new client and a new org",
    desired: {},
    live: liveCustomers(),
    action: "create",
    classes: ["billing", "customer-visible"],
    notes: [
      "WHMCS client: creates it@acme.example (AddClient); address and phone are used only here",
      "WHMCS service: orders mail-lite for acme.example, annually, 25 mailboxes (AddOrder), then accepts the order without a module call (AcceptOrder)",
      "Zoho org: creates acme.example with it@acme.example as super admin, on the free plan",
      "Zoho plan: buys mail-lite (Store plan 17033), yearly, 25 user licences through the Zoho Store (POST)",
      "WHMCS records: writes ZOID, super admin and domain verification state",
      "the new org's domain must then be verified by DNS",
    ],
    licenses: { before: null, after: 25 },
  },
  {
    name: "the client exists: create uses it",
    desired: {},
    live: liveCustomers({ clients: [acme.client] }),
    action: "create",
    notes: ["WHMCS client: uses #11 it@acme.example, matched by email"],
  },
  {
    name: "the Zoho org exists: create uses it and records its ZOID",
    desired: {},
    live: liveCustomers({ zohoOrgs: [liveOrg(ZOID, "acme.example", { plan: { type: "free" }, licenseCount: 5 })] }),
    action: "create",
    notes: [`Zoho org: uses the existing org ${ZOID} for acme.example, matched by domain`, "Zoho plan: buys mail-lite"],
    licenses: { before: 5, after: 25 },
  },
  {
    name: "converged: noop without notes",
    desired: {},
    live: converged(),
    action: "noop",
    diffs: [],
    classes: [],
  },
  {
    name: "a service nobody recorded: adopt and record",
    desired: {},
    live: converged({ services: [liveService("101", "11", "acme.example")] }),
    action: "adopt",
    diffs: [`records.superAdmin:  → it@acme.example`, "records.verified:  → true", `records.zoid:  → ${ZOID}`],
    notes: ["WHMCS service: adopts #101 for acme.example, matched by domain (its ZOID field is empty)"],
  },
  {
    name: "more mailboxes: both sides grow, Zoho first",
    desired: { mailboxes: 30 },
    live: converged(),
    action: "update",
    diffs: ["mailboxes: 25 → 30", "zoho.plan.licenses: 25 → 30"],
    classes: ["billing"],
    notes: ["WHMCS service: mailboxes 25 → 30 (UpdateClientProduct", "Zoho is changed first", "changes the subscription from mail-lite, yearly, 25 user licences to mail-lite"],
    licenses: { before: 25, after: 30 },
  },
  {
    name: "fewer mailboxes: a destructive downgrade",
    desired: { mailboxes: 20 },
    live: converged(),
    action: "update",
    classes: ["billing", "destructive"],
    licenses: { before: 25, after: 20 },
  },
  {
    name: "only the Zoho licences differ: assign",
    desired: {},
    live: converged({ zohoOrgs: [{ ...acme.org, plan: paid(17033, "yearly", 20, "Mail Lite") }] }),
    action: "assign",
    diffs: ["zoho.plan.licenses: 20 → 25"],
    classes: ["billing"],
  },
  {
    name: "trial → paid",
    desired: { product: "workplace-standard" },
    live: converged({
      services: [{ ...acme.service, productId: WORKPLACE_PID }],
      zohoOrgs: [{ ...acme.org, plan: { type: "trial", trialPlan: "basicTrial" } }],
    }),
    action: "assign",
    diffs: ["zoho.plan.licenses: null → 25", "zoho.plan.payPeriod: null → yearly", "zoho.plan.plan: null → workplace-standard", "zoho.plan.trialPlan: basicTrial → null", "zoho.plan.type: trial → paid"],
    classes: ["billing", "customer-visible"],
    notes: ["Zoho plan: buys workplace-standard (Store plan 10730), yearly, 25 user licences"],
  },
  {
    name: "paid → free: cancel at the Store",
    desired: { plan: { type: "free" }, mailboxes: 5 },
    live: converged(),
    action: "update",
    classes: ["billing", "customer-visible", "destructive"],
    notes: ["Zoho plan: cancels the subscription; the org returns to the free plan (Store DELETE)"],
    licenses: { before: 25, after: 5 },
  },
  {
    name: "free → trial",
    desired: { plan: { type: "trial", trialPlan: "basicTrial" } },
    live: converged({ zohoOrgs: [{ ...acme.org, plan: { type: "free" }, trialAllowed: true }] }),
    action: "assign",
    diffs: ["zoho.plan.trialPlan: null → basicTrial", "zoho.plan.type: free → trial"],
    notes: ["Zoho plan: starts the basicTrial trial at Zoho (enableTrial)"],
  },
  {
    name: "plan switch: another product and another Zoho plan",
    desired: { product: "workplace-standard" },
    live: converged(),
    action: "update",
    diffs: ["product: mail-lite → workplace-standard", "zoho.plan.plan: mail-lite → workplace-standard"],
    classes: ["billing", "customer-visible"],
    notes: ["WHMCS service: product mail-lite → workplace-standard", "from mail-lite, yearly, 25 user licences to workplace-standard (Store plan 10730), yearly"],
  },
  {
    name: "monthly → yearly",
    desired: { product: "workplace-standard" },
    live: converged({
      services: [{ ...acme.service, productId: WORKPLACE_PID, cycle: "monthly" }],
      zohoOrgs: [{ ...acme.org, plan: paid(10730, "monthly", 25) }],
    }),
    action: "update",
    diffs: ["billingCycle: monthly → annually", "zoho.plan.payPeriod: monthly → yearly"],
  },
  {
    name: "suspension says plainly what happens at Zoho",
    desired: { status: "suspended" },
    live: converged(),
    action: "update",
    diffs: ["status: active → suspended"],
    classes: ["billing", "customer-visible"],
    notes: [SUSPEND_NOTE],
  },
  {
    name: "reactivation",
    desired: {},
    live: converged({ services: [{ ...acme.service, status: "suspended" }] }),
    action: "update",
    diffs: ["status: suspended → active"],
    notes: ["reactivates: the WHMCS service goes from suspended to Active"],
  },
  {
    name: "termination cancels to free and keeps the rest",
    desired: { status: "terminated", mailboxes: 3 },
    live: converged(),
    action: "update",
    diffs: ["status: active → terminated", "zoho.plan.licenses: 25 → null", "zoho.plan.payPeriod: yearly → null", "zoho.plan.plan: mail-lite → null", "zoho.plan.type: paid → free"],
    classes: ["billing", "customer-visible", "destructive"],
    notes: [TERMINATE_NOTE],
  },
  {
    name: "terminated and nothing exists: noop, nothing created",
    desired: { status: "terminated" },
    live: liveCustomers(),
    action: "noop",
    diffs: [],
    notes: ["nothing is created"],
  },
  {
    name: "a pending order is accepted",
    desired: {},
    live: converged({ services: [{ ...acme.service, status: "pending" }] }),
    action: "update",
    diffs: ["status: pending → active"],
    notes: ["WHMCS service: accepts pending order #9101 (AcceptOrder, no module call)"],
  },
  {
    name: "a ZOID that does not match the org is corrected",
    desired: {},
    live: converged({ services: [{ ...acme.service, customFields: records({ zoid: "42", superAdmin: "it@acme.example", verified: "true" }) }] }),
    action: "update",
    diffs: [`records.zoid: 42 → ${ZOID}`],
    classes: [],
  },
  {
    name: "an org whose super admin is someone else",
    desired: {},
    live: converged({
      zohoOrgs: [{ ...acme.org, superAdmin: "boss@acme.example", plan: paid(17033, "yearly", 20) }],
      services: [{ ...acme.service, customFields: records({ zoid: ZOID, superAdmin: "boss@acme.example", verified: "true" }) }],
    }),
    action: "assign",
    notes: ["its super admin is boss@acme.example, not the client's email it@acme.example"],
  },
  {
    name: "the Zoho org is gone: it is created again",
    desired: {},
    live: converged({ zohoOrgs: [] }),
    action: "update",
    notes: ["Zoho org: creates acme.example with it@acme.example as super admin"],
  },
];

describe("customer-org changes", () => {
  it.each(ROWS)("$name", (row) => {
    const plan = planOne(row.desired, row.live);
    const c = acmeChange(plan);
    expect(c.action).toBe(row.action);
    if (row.diffs !== undefined) expect(c.diffs.map((d) => `${d.path}: ${show(d.before)} → ${show(d.after)}`)).toEqual(row.diffs);
    if (row.classes !== undefined) expect(c.classes).toEqual(row.classes);
    for (const note of row.notes ?? []) expect(c.impact.notes?.some((n) => n.includes(note)), `note ${JSON.stringify(note)} in ${JSON.stringify(c.impact.notes)}`).toBe(true);
    if (row.licenses !== undefined) expect(c.impact.licenses).toEqual(row.licenses);
    expect(c.dependsOn).toContain(`Product/${row.desired.product ?? "mail-lite"}`);
    if (c.action === "noop" && row.notes === undefined) expect(c.impact).toEqual({});
  });
});

describe("the plan around the changes", () => {
  it("lists unverified orgs as pending with the DNS record, and pending alone is no change", () => {
    const org = { ...acme.org, verified: false, cnameCode: "zb60906216" };
    const plan = planOne(
      {},
      converged({ zohoOrgs: [org], services: [{ ...acme.service, customFields: records({ zoid: ZOID, superAdmin: "it@acme.example", verified: "false", verificationCode: "zb60906216" }) }] }),
    );
    expect(acmeChange(plan).action).toBe("noop");
    expect(plan.pending).toEqual([
      {
        key: "CustomerOrg/acme",
        reason: "domain-verification",
        domain: "acme.example",
        zoid: ZOID,
        record: { type: "CNAME", name: "zb60906216.acme.example", value: "zmverify.zoho.com" },
        message: expect.stringContaining("publish zb60906216.acme.example CNAME zmverify.zoho.com"),
      },
    ]);
    expect(plan.changes.some((c) => c.action !== "noop")).toBe(false);
  });

  it("records a verification code Zoho gave that WHMCS does not hold yet, once; a verified org keeps what is recorded", () => {
    const org = { ...acme.org, verified: false, cnameCode: "zb60906216" };
    const unrecorded = planOne({}, converged({ zohoOrgs: [org], services: [{ ...acme.service, customFields: records({ zoid: ZOID, superAdmin: "it@acme.example", verified: "false" }) }] }));
    expect(acmeChange(unrecorded).action).toBe("update");
    expect(acmeChange(unrecorded).diffs).toEqual([{ path: "records.verificationCode", before: null, after: "zb60906216" }]);
    expect(unrecorded.pending?.[0]?.record?.name).toBe("zb60906216.acme.example");
    const verified = planOne(
      {},
      converged({ services: [{ ...acme.service, customFields: records({ zoid: ZOID, superAdmin: "it@acme.example", verified: "true", verificationCode: "zb60906216" }) }] }),
    );
    expect(acmeChange(verified).action).toBe("noop");
  });

  it("has no pending member when every org is verified", () => {
    expect(planOne({}, converged())).not.toHaveProperty("pending");
  });

  it("reports undeclared services on managed products and undeclared Zoho orgs, and nothing else", () => {
    const other = convergedParts("other", 2);
    const plan = planOne(
      {},
      converged({
        clients: [acme.client, other.client],
        services: [
          acme.service,
          other.service,
          liveService("150", "12", "loose.example"),
          liveService("151", "12", "hosting.example", { productId: "302" }),
          liveService("152", "12", "old.example", { status: "terminated" }),
        ],
        zohoOrgs: [acme.org, other.org, liveOrg("555", "stray.example")],
      }),
    );
    expect(plan.unmanaged).toEqual([
      { kind: "CustomerOrg", remoteId: "150", name: "loose.example", reason: "unmanaged" },
      {
        kind: "CustomerOrg",
        remoteId: "102",
        name: "other.example",
        reason: "orphaned",
        ownedAs: `ZOID ${other.org.zoid}`,
        billing: { currency: null, cycle: "annually", mrr: "0.00", recurringAmount: "0.00" },
        licences: 25,
        note: expect.stringContaining("pruning never changes a customer org"),
      },
      { kind: "CustomerOrg", remoteId: other.org.zoid, name: "other.example (Zoho org)", reason: "unmanaged" },
      { kind: "CustomerOrg", remoteId: "555", name: "stray.example (Zoho org)", reason: "unmanaged" },
    ]);
    expect(plan.summary.unmanaged).toBe(4);
  });

  it("warns about client details it will not edit", () => {
    const plan = planOne({ client: { firstName: "Augusta" } }, converged());
    expect(acmeChange(plan).action).toBe("noop");
    expect(plan.warnings).toEqual([
      'CustomerOrg/acme: WHMCS client #11 it@acme.example has firstName "Ada", the manifest "Augusta"; existing clients are not edited: change it in WHMCS or in the manifest',
    ]);
  });

  it("puts catalog changes first, then customer orgs by key, under one checksum and one summary", () => {
    const plan = computeFullPlan(fullInput([customerOrg("zeta"), customerOrg("alpha"), customerOrg("acme")], converged()));
    expect(plan.changes.map((c) => `${c.kind} ${c.name} ${c.action}`).slice(-3)).toEqual([
      "CustomerOrg acme noop",
      "CustomerOrg alpha create",
      "CustomerOrg zeta create",
    ]);
    expect(plan.changes.slice(0, -3).every((c) => c.kind !== "CustomerOrg")).toBe(true);
    expect(plan.summary).toMatchObject({ create: 2, noop: plan.changes.length - 2 });
    expect(plan.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("gives a client's second new org its own super admin, since Zoho lets an email head one org only", () => {
    const shared = { client: { email: "it@acme.example" } };
    const plan = computeFullPlan(fullInput([customerOrg("labs", shared), customerOrg("acme"), customerOrg("shop", shared)], liveCustomers()));
    const admins = plan.changes.filter((c) => c.kind === "CustomerOrg").map((c) => [c.name, (c.after as { zoho: { superAdmin: string } }).zoho.superAdmin]);
    expect(admins).toEqual([
      ["acme", "it@acme.example"],
      ["labs", "admin@labs.example"],
      ["shop", "admin@shop.example"],
    ]);
    // An email already heading a live org is taken too.
    const again = computeFullPlan(fullInput([customerOrg("labs", shared)], liveCustomers({ zohoOrgs: [acme.org] })));
    expect((acmeLike(again, "labs").after as { records: { superAdmin: string } }).records.superAdmin).toBe("admin@labs.example");
  });

  it("a product created in the same plan: the org depends on it and finds no service", () => {
    const input = fullInput([customerOrg("acme")], converged());
    const live = { ...input.live, products: input.live.products.filter((p) => p.remoteId !== "300") };
    const plan = computeFullPlan({ ...input, live });
    expect(plan.changes.find((c) => c.key === "Product/mail-lite")?.action).toBe("create");
    const c = acmeChange(plan);
    expect(c.action).toBe("create");
    expect(c.dependsOn).toEqual(["Product/mail-lite"]);
  });

  it("depends on the product's option groups when they change too", () => {
    const input = fullInput([customerOrg("acme")], converged());
    const live = { ...input.live, configOptionGroups: input.live.configOptionGroups.filter((g) => g.ownedAs !== "mail-lite-options") };
    const c = acmeChange(computeFullPlan({ ...input, live }));
    expect(c.dependsOn).toEqual(["ConfigOptionGroup/mail-lite-options", "Product/mail-lite"]);
  });
});
