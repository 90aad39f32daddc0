import { describe, expect, it } from "vitest";
import { ManifestError } from "../../src/core/errors.js";
import type { DesiredCatalog, DesiredOption, PartialPricing } from "../../src/model/catalog.js";
import type { Policy, ZohoPlanEntry } from "../../src/model/config.js";
import type { CustomerCycle, CustomerServiceStatus, LiveCustomers, LiveZohoPlan } from "../../src/model/customers.js";
import type { Plan } from "../../src/model/plan.js";
import { computeFullPlan, type DesiredCustomerResource } from "../../src/plan/customers/index.js";
import { customerOrg, customersInput, liveClient, liveCustomers, liveOrg, liveService, paid, records, withFields, type OrgOverrides } from "../customers/builders.js";
import { desiredCatalog, EUR, group, input, optionGroup, product, quantityOption, USD } from "./builders.js";
import { liveEquivalentOf } from "./live-equivalent.js";

/*
 * Monthly recurring revenue, worked by hand: every row states what WHMCS bills before and after
 * and the monthly figure that follows (amount ÷ months of the cycle: quarterly 3, semiannually 6,
 * annually 12, biennially 24, triennially 36; terminated services bill nothing, suspended ones
 * still do), and the plan's `totals.mrr` must say exactly that.
 *
 * The catalog (USD): product `mail` (Zoho Workplace Standard, monthly or yearly at Zoho) and
 * `premium` (Zoho Mail Premium, yearly), each with a `mailboxes` quantity option; `mail` also has
 * a `storage` dropdown whose first choice, `10`, is free.
 *
 *                 monthly quarterly semiannually annually biennially triennially
 *   mail            1.00     2.50       4.00      10.00     19.00      27.00
 *   mailbox         3.00     8.50      16.00      30.00     57.00      80.00
 *   storage 25      1.00     2.75       5.25      10.00     19.50      28.00
 *   storage 50      1.80     5.00       9.50      18.00     34.00      48.00
 *   premium                                       20.00
 *   premium mailbox                               48.00
 */

const cycles = (m: string, q: string, s: string, a: string, b: string, t: string) =>
  ({ monthly: m, quarterly: q, semiannually: s, annually: a, biennially: b, triennially: t }) as const;

const PLANS: Readonly<Record<string, ZohoPlanEntry>> = {
  "workplace-standard": { planId: 10730, userAddonId: 10779, payPeriods: ["monthly", "yearly"], trials: ["basicTrial"] },
  "mail-premium": { planId: 17035, userAddonId: 10792, payPeriods: ["yearly"], trials: ["mailPremiumTrial"] },
};
const WORKPLACE = 10730;
/** Product ids as the live catalog numbers them (by name): mail 300, premium 301. */
const PID = { mail: "300", premium: "301" } as const;

function storageOption(): DesiredOption {
  const choice = (key: string, pricing: PartialPricing) => ({ key, label: `${key} GB`, hidden: false, pricing });
  return {
    key: "storage",
    label: "Storage",
    type: "dropdown",
    min: 0,
    max: 0,
    hidden: false,
    choices: [
      choice("10", {}),
      choice("25", { USD: cycles("1.00", "2.75", "5.25", "10.00", "19.50", "28.00") }),
      choice("50", { USD: cycles("1.80", "5.00", "9.50", "18.00", "34.00", "48.00") }),
    ],
  };
}

/** The catalog, with the mailbox's annual price as given (a catalog price change moves it). */
function catalog(mailboxAnnually = "30.00"): DesiredCatalog {
  return desiredCatalog({
    productGroups: [group("business-email")],
    configOptionGroups: [
      optionGroup("mail-options", {
        name: "Mail options",
        options: [quantityOption("mailboxes", { USD: cycles("3.00", "8.50", "16.00", mailboxAnnually, "57.00", "80.00") }, { max: 1000 }), storageOption()],
      }),
      optionGroup("premium-options", { name: "Premium options", options: [quantityOption("mailboxes", { USD: { annually: "48.00" } })] }),
    ],
    products: [
      product("mail", { name: "Mail", zoho: { plan: "workplace-standard" }, configOptionGroups: ["mail-options"], pricing: { USD: cycles("1.00", "2.50", "4.00", "10.00", "19.00", "27.00") } }),
      product("premium", { name: "Premium", zoho: { plan: "mail-premium" }, configOptionGroups: ["premium-options"], pricing: { USD: { annually: "20.00" } } }),
    ],
  });
}

/** One live service of org `n` (domain `o<n>.example`, client it@o<n>.example paying USD) and its Zoho org. */
interface LiveLine {
  readonly product?: keyof typeof PID;
  readonly cycle: CustomerCycle;
  readonly amount: string;
  readonly mailboxes: number;
  readonly status?: CustomerServiceStatus;
  readonly options?: Readonly<Record<string, string>>;
  readonly zoho: LiveZohoPlan;
}

const domainOf = (n: number): string => `o${n}.example`;

function live(lines: readonly (LiveLine | null)[]): LiveCustomers {
  const parts = lines.flatMap((l, n) => {
    if (l === null) return [];
    const domain = domainOf(n);
    const email = `it@${domain}`;
    const zoid = String(7_000_000 + n);
    return [
      {
        client: liveClient(String(10 + n), email, { company: `o${n} Ltd`, currency: "USD" }),
        service: liveService(String(100 + n), String(10 + n), domain, {
          productId: PID[l.product ?? "mail"],
          cycle: l.cycle,
          status: l.status ?? "active",
          mailboxes: l.mailboxes,
          recurringAmount: l.amount,
          options: l.product === "premium" ? {} : { storage: "10", ...l.options },
          customFields: records({ zoid, superAdmin: email, verified: "true" }),
        }),
        org: liveOrg(zoid, domain, { plan: l.zoho }),
      },
    ];
  });
  return liveCustomers({ clients: parts.map((p) => p.client), services: parts.map((p) => p.service), zohoOrgs: parts.map((p) => p.org) });
}

function org(n: number, over: OrgOverrides): DesiredCustomerResource {
  return customerOrg(`o${n}`, { product: "mail", client: { company: `o${n} Ltd` }, ...over });
}

const yearly = (licences: number): LiveZohoPlan => paid(WORKPLACE, "yearly", licences);
const monthly = (licences: number): LiveZohoPlan => paid(WORKPLACE, "monthly", licences);
const PAID_YEARLY = { type: "paid", payPeriod: "yearly" } as const;
const PAID_MONTHLY = { type: "paid", payPeriod: "monthly" } as const;
const TRIAL = { type: "trial", trialPlan: "basicTrial" } as const;

interface Row {
  /** The hand-worked figure: what WHMCS bills before → after, and the MRR change. */
  readonly name: string;
  /** Live state per org (index = org number); null: nothing live. */
  readonly live: readonly (LiveLine | null)[];
  /** The manifests, one per org. */
  readonly desired: readonly [number, OrgOverrides][];
  /** `plan.totals.mrr.USD` ("0.00" when nothing moves). */
  readonly mrr: string;
  /** What the first org's service bills after apply (its `impact.billing.after`), when it has a billing impact. */
  readonly after?: string;
  readonly reprice?: Policy["reprice"];
  /** The live catalog's annual mailbox price (the catalog before this plan), default the desired one. */
  readonly liveMailboxAnnually?: string;
}

const ROWS: readonly Row[] = [
  // New paid orgs.
  { name: "new paid org, monthly: 1.00 + 5 × 3.00 = 16.00 → MRR +16.00", live: [null], desired: [[0, { billingCycle: "monthly", mailboxes: 5, plan: PAID_MONTHLY }]], mrr: "+16.00", after: "16.00" },
  { name: "new paid org, annually: 10.00 + 10 × 30.00 = 310.00 → 310.00 / 12 = MRR +25.83", live: [null], desired: [[0, { mailboxes: 10, plan: PAID_YEARLY }]], mrr: "+25.83", after: "310.00" },
  {
    name: "new paid org, annually with storage 25: 310.00 + 10.00 = 320.00 → 320.00 / 12 = MRR +26.67",
    live: [null],
    desired: [[0, { mailboxes: 10, plan: PAID_YEARLY, options: { storage: "25" } }]],
    mrr: "+26.67",
    after: "320.00",
  },
  {
    name: "new paid org on the other product: premium annually 20.00 + 4 × 48.00 = 212.00 → MRR +17.67",
    live: [null],
    desired: [[0, { product: "premium", mailboxes: 4, plan: PAID_YEARLY }]],
    mrr: "+17.67",
    after: "212.00",
  },
  { name: "new free org: 0.00 → MRR 0.00", live: [null], desired: [[0, { mailboxes: 3, plan: { type: "free" } }]], mrr: "0.00", after: "0.00" },
  { name: "new trial org: 0.00 → MRR 0.00", live: [null], desired: [[0, { mailboxes: 5, plan: TRIAL, options: { storage: "50" } }]], mrr: "0.00", after: "0.00" },

  // Mailboxes: the kept amount plus (or minus) the catalog price of the mailboxes that change.
  {
    name: "mailboxes +2, annually: 310.00 + 2 × 30.00 = 370.00 → +60.00 / 12 = MRR +5.00",
    live: [{ cycle: "annually", amount: "310.00", mailboxes: 10, zoho: yearly(10) }],
    desired: [[0, { mailboxes: 12, plan: PAID_YEARLY }]],
    mrr: "+5.00",
    after: "370.00",
  },
  {
    name: "mailboxes +2 on a discounted service, annually: 250.00 + 60.00 = 310.00 → MRR +5.00 (the discount stays)",
    live: [{ cycle: "annually", amount: "250.00", mailboxes: 10, zoho: yearly(10) }],
    desired: [[0, { mailboxes: 12, plan: PAID_YEARLY }]],
    mrr: "+5.00",
    after: "310.00",
  },
  {
    name: "mailboxes +3, monthly: 16.00 + 3 × 3.00 = 25.00 → MRR +9.00",
    live: [{ cycle: "monthly", amount: "16.00", mailboxes: 5, zoho: monthly(5) }],
    desired: [[0, { billingCycle: "monthly", mailboxes: 8, plan: PAID_MONTHLY }]],
    mrr: "+9.00",
    after: "25.00",
  },
  {
    name: "mailboxes −3, annually: 310.00 − 3 × 30.00 = 220.00 → −90.00 / 12 = MRR −7.50",
    live: [{ cycle: "annually", amount: "310.00", mailboxes: 10, zoho: yearly(10) }],
    desired: [[0, { mailboxes: 7, plan: PAID_YEARLY }]],
    mrr: "-7.50",
    after: "220.00",
  },
  {
    name: "mailboxes −1, monthly: 16.00 − 3.00 = 13.00 → MRR −3.00",
    live: [{ cycle: "monthly", amount: "16.00", mailboxes: 5, zoho: monthly(5) }],
    desired: [[0, { billingCycle: "monthly", mailboxes: 4, plan: PAID_MONTHLY }]],
    mrr: "-3.00",
    after: "13.00",
  },

  // Options.
  {
    name: "storage 10 → 50, annually: 310.00 + 18.00 = 328.00 → 18.00 / 12 = MRR +1.50",
    live: [{ cycle: "annually", amount: "310.00", mailboxes: 10, zoho: yearly(10) }],
    desired: [[0, { mailboxes: 10, plan: PAID_YEARLY, options: { storage: "50" } }]],
    mrr: "+1.50",
    after: "328.00",
  },
  {
    name: "storage 25 → 10, annually: 320.00 − 10.00 = 310.00 → −10.00 / 12 = MRR −0.83",
    live: [{ cycle: "annually", amount: "320.00", mailboxes: 10, options: { storage: "25" }, zoho: yearly(10) }],
    desired: [[0, { mailboxes: 10, plan: PAID_YEARLY, options: { storage: "10" } }]],
    mrr: "-0.83",
    after: "310.00",
  },
  {
    name: "storage 25 → 50, monthly: 17.00 − 1.00 + 1.80 = 17.80 → MRR +0.80",
    live: [{ cycle: "monthly", amount: "17.00", mailboxes: 5, options: { storage: "25" }, zoho: monthly(5) }],
    desired: [[0, { billingCycle: "monthly", mailboxes: 5, plan: PAID_MONTHLY, options: { storage: "50" } }]],
    mrr: "+0.80",
    after: "17.80",
  },

  // Cycle changes: the new cycle's catalog price.
  {
    name: "monthly → annually: 16.00 a month → 10.00 + 5 × 30.00 = 160.00 a year = 13.33 → MRR −2.67",
    live: [{ cycle: "monthly", amount: "16.00", mailboxes: 5, zoho: monthly(5) }],
    desired: [[0, { mailboxes: 5, plan: PAID_YEARLY }]],
    mrr: "-2.67",
    after: "160.00",
  },
  {
    name: "quarterly → annually: 45.00 / 3 = 15.00 → 160.00 / 12 = 13.333… → MRR −1.67",
    live: [{ cycle: "quarterly", amount: "45.00", mailboxes: 5, zoho: yearly(5) }],
    desired: [[0, { mailboxes: 5, plan: PAID_YEARLY }]],
    mrr: "-1.67",
    after: "160.00",
  },
  {
    name: "semiannually → annually: 84.00 / 6 = 14.00 → 13.333… → MRR −0.67",
    live: [{ cycle: "semiannually", amount: "84.00", mailboxes: 5, zoho: yearly(5) }],
    desired: [[0, { mailboxes: 5, plan: PAID_YEARLY }]],
    mrr: "-0.67",
    after: "160.00",
  },
  {
    name: "biennially → annually: 304.00 / 24 = 12.666… → 13.333… → MRR +0.67",
    live: [{ cycle: "biennially", amount: "304.00", mailboxes: 5, zoho: yearly(5) }],
    desired: [[0, { mailboxes: 5, plan: PAID_YEARLY }]],
    mrr: "+0.67",
    after: "160.00",
  },
  {
    name: "triennially → annually: 427.00 / 36 = 11.861… → 13.333… = +1.4722… → MRR +1.47",
    live: [{ cycle: "triennially", amount: "427.00", mailboxes: 5, zoho: yearly(5) }],
    desired: [[0, { mailboxes: 5, plan: PAID_YEARLY }]],
    mrr: "+1.47",
    after: "160.00",
  },
  {
    name: "annually → monthly on a Zoho trial: 0.00 → 0.00 → MRR 0.00",
    live: [{ cycle: "annually", amount: "0.00", mailboxes: 5, zoho: { type: "trial", trialPlan: "basicTrial" } }],
    desired: [[0, { billingCycle: "monthly", mailboxes: 5, plan: TRIAL }]],
    mrr: "0.00",
  },

  // Product change.
  {
    name: "mail → premium, annually: 310.00 → 20.00 + 10 × 48.00 = 500.00 → +190.00 / 12 = MRR +15.83",
    live: [{ cycle: "annually", amount: "310.00", mailboxes: 10, zoho: yearly(10) }],
    desired: [[0, { product: "premium", mailboxes: 10, plan: PAID_YEARLY }]],
    mrr: "+15.83",
    after: "500.00",
  },

  // Plan type.
  {
    name: "paid → free, annually: 310.00 → 0.00 → MRR −25.83",
    live: [{ cycle: "annually", amount: "310.00", mailboxes: 5, zoho: yearly(5) }],
    desired: [[0, { mailboxes: 5, plan: { type: "free" } }]],
    mrr: "-25.83",
    after: "0.00",
  },
  {
    name: "paid → free, monthly: 16.00 → 0.00 → MRR −16.00",
    live: [{ cycle: "monthly", amount: "16.00", mailboxes: 5, zoho: monthly(5) }],
    desired: [[0, { billingCycle: "monthly", mailboxes: 5, plan: { type: "free" } }]],
    mrr: "-16.00",
    after: "0.00",
  },
  {
    name: "trial → paid, annually: 0.00 → 10.00 + 5 × 30.00 = 160.00 → MRR +13.33",
    live: [{ cycle: "annually", amount: "0.00", mailboxes: 5, zoho: { type: "trial", trialPlan: "basicTrial" } }],
    desired: [[0, { mailboxes: 5, plan: PAID_YEARLY }]],
    mrr: "+13.33",
    after: "160.00",
  },
  {
    name: "trial → paid, monthly with storage 25: 0.00 → 1.00 + 5 × 3.00 + 1.00 = 17.00 → MRR +17.00",
    live: [{ cycle: "monthly", amount: "0.00", mailboxes: 5, options: { storage: "25" }, zoho: { type: "trial", trialPlan: "basicTrial" } }],
    desired: [[0, { billingCycle: "monthly", mailboxes: 5, plan: PAID_MONTHLY, options: { storage: "25" } }]],
    mrr: "+17.00",
    after: "17.00",
  },
  {
    name: "free → paid, annually: 0.00 → the catalog price 160.00 → MRR +13.33",
    live: [{ cycle: "annually", amount: "0.00", mailboxes: 5, zoho: { type: "free" } }],
    desired: [[0, { mailboxes: 5, plan: PAID_YEARLY }]],
    mrr: "+13.33",
    after: "160.00",
  },

  // Status.
  {
    name: "suspend, annually: WHMCS keeps invoicing a suspended service, 310.00 → 310.00 → MRR 0.00",
    live: [{ cycle: "annually", amount: "310.00", mailboxes: 10, zoho: yearly(10) }],
    desired: [[0, { mailboxes: 10, plan: PAID_YEARLY, status: "suspended" }]],
    mrr: "0.00",
  },
  {
    name: "reactivate, monthly: 16.00 → 16.00 → MRR 0.00",
    live: [{ cycle: "monthly", amount: "16.00", mailboxes: 5, status: "suspended", zoho: monthly(5) }],
    desired: [[0, { billingCycle: "monthly", mailboxes: 5, plan: PAID_MONTHLY }]],
    mrr: "0.00",
  },
  {
    name: "suspend and add 2 mailboxes, annually: 310.00 → 370.00 → MRR +5.00 (suspended services bill)",
    live: [{ cycle: "annually", amount: "310.00", mailboxes: 10, zoho: yearly(10) }],
    desired: [[0, { mailboxes: 12, plan: PAID_YEARLY, status: "suspended" }]],
    mrr: "+5.00",
    after: "370.00",
  },
  {
    name: "terminate a suspended service, annually: 310.00 no longer billed → MRR −25.83",
    live: [{ cycle: "annually", amount: "310.00", mailboxes: 10, status: "suspended", zoho: yearly(10) }],
    desired: [[0, { mailboxes: 10, plan: PAID_YEARLY, status: "terminated" }]],
    mrr: "-25.83",
  },

  // Repricing after a catalog price change (the mailbox's annual price 25.00 → 30.00).
  {
    name: "catalog price change, policy.reprice none: 260.00 kept → MRR 0.00 (new orders only)",
    live: [{ cycle: "annually", amount: "260.00", mailboxes: 10, zoho: yearly(10) }],
    liveMailboxAnnually: "25.00",
    desired: [[0, { mailboxes: 10, plan: PAID_YEARLY }]],
    mrr: "0.00",
  },
  {
    name: "catalog price change, policy.reprice all: 260.00 → 10.00 + 10 × 30.00 = 310.00 → +50.00 / 12 = MRR +4.17",
    live: [{ cycle: "annually", amount: "260.00", mailboxes: 10, zoho: yearly(10) }],
    liveMailboxAnnually: "25.00",
    reprice: "all",
    desired: [[0, { mailboxes: 10, plan: PAID_YEARLY }]],
    mrr: "+4.17",
    after: "310.00",
  },
  {
    name: "catalog price change, policy.reprice [mail]: a discounted 200.00 → 310.00 → MRR +9.17",
    live: [{ cycle: "annually", amount: "200.00", mailboxes: 10, zoho: yearly(10) }],
    liveMailboxAnnually: "25.00",
    reprice: ["mail"],
    desired: [[0, { mailboxes: 10, plan: PAID_YEARLY }]],
    mrr: "+9.17",
    after: "310.00",
  },
  {
    name: "policy.reprice [premium] leaves mail services alone: 260.00 kept → MRR 0.00",
    live: [{ cycle: "annually", amount: "260.00", mailboxes: 10, zoho: yearly(10) }],
    liveMailboxAnnually: "25.00",
    reprice: ["premium"],
    desired: [[0, { mailboxes: 10, plan: PAID_YEARLY }]],
    mrr: "0.00",
  },
  {
    name: "policy.reprice all, monthly, priced as the catalog already: 16.00 → 16.00 → MRR 0.00",
    live: [{ cycle: "monthly", amount: "16.00", mailboxes: 5, zoho: monthly(5) }],
    reprice: "all",
    desired: [[0, { billingCycle: "monthly", mailboxes: 5, plan: PAID_MONTHLY }]],
    mrr: "0.00",
  },
  {
    name: "policy.reprice all, monthly, a discounted 12.00 → 16.00 → MRR +4.00",
    live: [{ cycle: "monthly", amount: "12.00", mailboxes: 5, zoho: monthly(5) }],
    reprice: "all",
    desired: [[0, { billingCycle: "monthly", mailboxes: 5, plan: PAID_MONTHLY }]],
    mrr: "+4.00",
    after: "16.00",
  },
];

/** Each cycle, by termination: the whole recurring amount ÷ the cycle's months leaves MRR. */
const TERMINATIONS: readonly [CustomerCycle, string, string][] = [
  ["monthly", "16.00", "-16.00"], // 16.00 / 1
  ["quarterly", "45.00", "-15.00"], // 2.50 + 5 × 8.50 = 45.00; / 3
  ["semiannually", "100.00", "-16.67"], // 100.00 / 6 = 16.666…
  ["annually", "310.00", "-25.83"], // 310.00 / 12 = 25.833…
  ["biennially", "590.00", "-24.58"], // 590.00 / 24 = 24.583…
  ["triennially", "850.00", "-23.61"], // 850.00 / 36 = 23.611…
  ["biennially", "12.12", "-0.50"], // 12.12 / 24 = 0.505: half to even gives 0.50 (half up would say 0.51)
  ["quarterly", "0.07", "-0.02"], // 0.07 / 3 = 0.0233…
];

/** Each cycle, by a paid service going free on the same cycle (free orgs may bill any cycle the product offers: 0.00). */
const FREE_ON_EACH_CYCLE: readonly [CustomerCycle, string, string][] = [
  ["monthly", "16.00", "-16.00"],
  ["quarterly", "45.00", "-15.00"],
  ["semiannually", "84.00", "-14.00"],
  ["annually", "160.00", "-13.33"],
  ["biennially", "304.00", "-12.67"],
  ["triennially", "427.00", "-11.86"],
];

function planOf(row: Pick<Row, "live" | "desired" | "reprice" | "liveMailboxAnnually">): Plan {
  const desired = catalog();
  const liveCatalog = withFields(liveEquivalentOf(catalog(row.liveMailboxAnnually), [USD, EUR]));
  return computeFullPlan({
    ...input(desired, liveCatalog),
    customers: customersInput(
      row.desired.map(([n, over]) => org(n, over)),
      live(row.live),
      { zohoPlans: PLANS, ...(row.reprice !== undefined ? { reprice: row.reprice } : {}) },
    ),
  });
}

const usd = (plan: Plan): string => plan.totals?.mrr["USD"] ?? "0.00";

describe("MRR per change type, worked by hand", () => {
  it.each(ROWS.map((r) => [r.name, r] as const))("%s", (_name, row) => {
    const plan = planOf(row);
    expect(plan.blocked ?? []).toEqual([]);
    expect(usd(plan)).toBe(row.mrr);
    expect(Object.keys(plan.totals?.mrr ?? {}).filter((c) => c !== "USD")).toEqual([]);
    const change = plan.changes.find((c) => c.key === "CustomerOrg/o0");
    if (row.after !== undefined) {
      expect(change?.impact.billing).toMatchObject({ currency: "USD", after: row.after, mrrDelta: row.mrr });
    }
    // The plan's own per-org figure agrees with the total when one org changes.
    expect(change?.impact.billing?.mrrDelta ?? "0.00").toBe(row.mrr);
  });

  it("paid → trial is blocked (Zoho has no way back to a trial): the org moves no money", () => {
    const plan = planOf({ live: [{ cycle: "annually", amount: "310.00", mailboxes: 5, zoho: yearly(5) }], desired: [[0, { mailboxes: 5, plan: TRIAL }]] });
    expect(plan.blocked?.map((b) => [b.key, b.reasons.map((r) => r.code)])).toEqual([["CustomerOrg/o0", ["plan.customer.trial-unavailable"]]]);
    expect(plan.changes.some((c) => c.key === "CustomerOrg/o0")).toBe(false);
    expect(plan.totals?.mrr).toEqual({});
  });

  it("a paid org cannot be billed quarterly, semiannually, biennially or triennially: Zoho bills monthly or yearly", () => {
    for (const cycle of ["quarterly", "semiannually", "biennially", "triennially"] as const) {
      const err = (() => {
        try {
          planOf({ live: [null], desired: [[0, { billingCycle: cycle, mailboxes: 5, plan: PAID_YEARLY }]] });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err, cycle).toBeInstanceOf(ManifestError);
      expect((err as ManifestError).issues.map((i) => i.path)).toEqual(["/spec/billingCycle"]);
    }
  });
});

describe("MRR per billing cycle", () => {
  it.each(TERMINATIONS.map(([cycle, amount, mrr]) => [`terminate, ${cycle} ${amount} → MRR ${mrr}`, cycle, amount, mrr] as const))(
    "%s",
    (_name, cycle, amount, mrr) => {
      const plan = planOf({ live: [{ cycle, amount, mailboxes: 5, zoho: yearly(5) }], desired: [[0, { mailboxes: 5, plan: PAID_YEARLY, status: "terminated" }]] });
      expect(usd(plan)).toBe(mrr);
    },
  );

  it.each(FREE_ON_EACH_CYCLE.map(([cycle, amount, mrr]) => [`paid → free, ${cycle} ${amount} → 0.00, MRR ${mrr}`, cycle, amount, mrr] as const))(
    "%s",
    (_name, cycle, amount, mrr) => {
      const plan = planOf({ live: [{ cycle, amount, mailboxes: 5, zoho: yearly(5) }], desired: [[0, { billingCycle: cycle, mailboxes: 5, plan: { type: "free" } }]] });
      expect(usd(plan)).toBe(mrr);
      expect(plan.changes.find((c) => c.key === "CustomerOrg/o0")?.impact.billing).toMatchObject({ cycleBefore: cycle, cycleAfter: cycle, before: amount, after: "0.00" });
    },
  );

  it.each((["monthly", "quarterly", "semiannually", "annually", "biennially", "triennially"] as const).map((c) => [c] as const))(
    "a new free org and a new trial, %s: 0.00 → MRR 0.00",
    (cycle) => {
      const plan = planOf({
        live: [null, null],
        desired: [
          [0, { billingCycle: cycle, mailboxes: 3, plan: { type: "free" }, options: { storage: "50" } }],
          [1, { billingCycle: cycle, mailboxes: 5, plan: TRIAL, options: { storage: "25" } }],
        ],
      });
      expect(plan.totals?.mrr).toEqual({});
      for (const key of ["CustomerOrg/o0", "CustomerOrg/o1"]) {
        expect(plan.changes.find((c) => c.key === key)?.impact.billing, key).toMatchObject({ cycleAfter: cycle, after: "0.00", mrrDelta: "0.00" });
      }
    },
  );
});

describe("MRR over several orgs: summed exactly, rounded once", () => {
  it("three annual 0.10 services terminated: each −0.008333…, together −0.025 → −0.02 (not 3 × −0.01)", () => {
    const line: LiveLine = { cycle: "annually", amount: "0.10", mailboxes: 5, zoho: yearly(5) };
    const plan = planOf({ live: [line, line, line], desired: [0, 1, 2].map((n) => [n, { mailboxes: 5, plan: PAID_YEARLY, status: "terminated" }] as [number, OrgOverrides]) });
    expect(plan.changes.filter((c) => c.kind === "CustomerOrg").map((c) => c.impact.billing?.mrrDelta)).toEqual(["-0.01", "-0.01", "-0.01"]);
    expect(usd(plan)).toBe("-0.02");
  });

  it("a mixed plan: the total is the sum of its rows' exact figures", () => {
    // +25.833… (new 310.00 annually) + 5.00 (mailboxes +2) − 15.00 (quarterly 45.00 terminated) − 1.666… (quarterly → annually) = +14.1666… → +14.17
    const plan = planOf({
      live: [null, { cycle: "annually", amount: "310.00", mailboxes: 10, zoho: yearly(10) }, { cycle: "quarterly", amount: "45.00", mailboxes: 5, zoho: yearly(5) }, { cycle: "quarterly", amount: "45.00", mailboxes: 5, zoho: yearly(5) }],
      desired: [
        [0, { mailboxes: 10, plan: PAID_YEARLY }],
        [1, { mailboxes: 12, plan: PAID_YEARLY }],
        [2, { mailboxes: 5, plan: PAID_YEARLY, status: "terminated" }],
        [3, { mailboxes: 5, plan: PAID_YEARLY }],
      ],
    });
    expect(plan.changes.filter((c) => c.kind === "CustomerOrg").map((c) => [c.name, c.impact.billing?.mrrDelta])).toEqual([
      ["o0", "+25.83"],
      ["o1", "+5.00"],
      ["o2", "-15.00"],
      ["o3", "-1.67"],
    ]);
    expect(usd(plan)).toBe("+14.17");
  });
});
