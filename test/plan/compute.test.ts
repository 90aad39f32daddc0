import { describe, expect, it } from "vitest";
import { ManifestError, ReconcileError } from "../../src/core/errors.js";
import type { ProductState } from "../../src/model/catalog.js";
import type { Change, Plan } from "../../src/model/plan.js";
import { computePlan, divideHalfEven, fieldDiffs, verifyChecksum } from "../../src/plan/index.js";
import { at, deepFreeze, desiredCatalog, group, input, liveCatalog, liveGroup, product, row } from "./builders.js";
import { SCENARIOS } from "./scenarios.js";

function change(plan: Plan, key: string): Change {
  const c = plan.changes.find((x) => x.key === key);
  if (c === undefined) throw new Error(`no change ${key} in plan`);
  return c;
}

describe("computePlan: actions", () => {
  it.each([
    { scenario: "create", expected: { "ProductGroup/business-email": "create", "ConfigOptionGroup/mail-lite-options": "create", "Product/mail-lite": "create" } },
    { scenario: "adoptClean", expected: { "ProductGroup/business-email": "adopt" } },
    { scenario: "adoptWithDiffs", expected: { "ProductGroup/business-email": "adopt" } },
    { scenario: "priceUpdate", expected: { "ProductGroup/business-email": "noop", "Product/mail-lite": "update" } },
    { scenario: "looseMoney", expected: { "ProductGroup/business-email": "noop", "Product/mail-lite": "noop" } },
    { scenario: "retire", expected: { "ConfigOptionGroup/mail-lite-options": "update" } },
    { scenario: "apiBackend", expected: { "ProductGroup/business-email": "create", "ConfigOptionGroup/mail-lite-options": "create", "Product/mail-lite": "adopt", "Product/workplace": "create" } },
    { scenario: "free", expected: { "ProductGroup/business-email": "noop", "Product/mail-free": "noop" } },
    { scenario: "optionPrice", expected: { "ConfigOptionGroup/mail-lite-options": "update" } },
    { scenario: "foreignGroup", expected: { "ProductGroup/business-email": "noop", "Product/mail-lite": "update" } },
    { scenario: "otherModule", expected: { "ProductGroup/business-email": "noop", "Product/mail-lite": "create" } },
    { scenario: "converged", expected: { "ProductGroup/business-email": "noop", "ConfigOptionGroup/mail-lite-options": "noop", "Product/mail-lite": "noop" } },
  ] as const)("$scenario", ({ scenario, expected }) => {
    const plan = computePlan(SCENARIOS[scenario]());
    expect(Object.fromEntries(plan.changes.map((c) => [c.key, c.action]))).toEqual(expected);
    expect(verifyChecksum(plan)).toBe(true);
  });
});

describe("computePlan: field diffs", () => {
  it("create: completes pricing against WHMCS's currencies and orders changes for apply", () => {
    const plan = computePlan(SCENARIOS.create());
    expect(plan.changes.map((c) => c.key)).toEqual(["ProductGroup/business-email", "ConfigOptionGroup/mail-lite-options", "Product/mail-lite"]);
    const p = change(plan, "Product/mail-lite");
    const after = p.after as ProductState;
    expect(after.pricing).toEqual({ EUR: row({}), USD: row({ annually: "10.00" }) });
    expect(p.before).toBeNull();
    expect(p.remoteId).toBeUndefined();
    expect(p.dependsOn).toEqual(["ConfigOptionGroup/mail-lite-options", "ProductGroup/business-email"]);
    expect(p.classes).toEqual(["billing", "customer-visible"]);
    // A create lists no diffs (its fields are `after`); readers derive them with fieldDiffs.
    expect(p.diffs).toEqual([]);
    expect(fieldDiffs(p)).toContainEqual({ path: "pricing.USD.annually", before: null, after: "10.00" });
    expect(fieldDiffs(p)).toContainEqual({ path: "configOptionGroups", before: null, after: ["mail-lite-options"] });
    expect(p.source).toEqual(at(30));
    const cog = change(plan, "ConfigOptionGroup/mail-lite-options");
    expect(cog.diffs).toEqual([]);
    expect(fieldDiffs(cog)).toContainEqual({ path: 'options.mailboxes.choices[""].pricing.EUR.monthly', before: null, after: "0.95" });
    expect(fieldDiffs(cog)).toContainEqual({ path: 'options.mailboxes.choices[""].pricing.EUR.quarterly', before: null, after: "0.00" });
    expect(plan.summary).toMatchObject({ create: 3, update: 0, adopt: 0, noop: 0, manual: 0 });
  });

  it("adopt without diffs keeps the remote id and says how it matched", () => {
    const c = change(computePlan(SCENARIOS.adoptClean()), "ProductGroup/business-email");
    expect(c).toMatchObject({ action: "adopt", remoteId: "4", diffs: [], classes: [] });
    expect(c.impact.notes).toEqual(['adopts live ProductGroup #4 "Business Email", matched by name; ownership will be recorded']);
  });

  it("adopt with diffs lists them", () => {
    const c = change(computePlan(SCENARIOS.adoptWithDiffs()), "ProductGroup/business-email");
    expect(c.diffs).toEqual([{ path: "tagline", before: "Powered by Zoho Mail", after: "Now with 10 GB" }]);
    expect(c.classes).toEqual(["customer-visible"]);
  });

  it("price update: billing class; new orders pay it, existing services keep their amount (MRR now 0.00)", () => {
    const c = change(computePlan(SCENARIOS.priceUpdate()), "Product/mail-lite");
    expect(c.diffs).toEqual([{ path: "pricing.USD.annually", before: "10.00", after: "12.00" }]);
    expect(c.classes).toEqual(["billing"]);
    expect(c.dependsOn).toEqual([]);
    // +2.00 a year = 0.1666… a month → 0.17 per new order; WHMCS does not reprice the three active services.
    expect(c.impact.revenue).toEqual([{ currency: "USD", cycle: "annually", mrrDeltaPerService: "+0.17", activeServices: 3, mrrDelta: "0.00" }]);
  });

  it("revenue impact is null-valued when the backend cannot count services", () => {
    const base = SCENARIOS.priceUpdate();
    const c = change(computePlan({ ...base, live: { ...base.live, serviceCounts: undefined } }), "Product/mail-lite");
    expect(c.impact.revenue).toEqual([{ currency: "USD", cycle: "annually", mrrDeltaPerService: "+0.17", activeServices: null, mrrDelta: null }]);
  });

  it("no revenue figure when a cycle starts or stops being offered", () => {
    const base = SCENARIOS.priceUpdate();
    const desired = desiredCatalog({
      productGroups: base.desired.productGroups,
      products: [product("mail-lite", { pricing: { USD: { annually: "10.00", quarterly: "3.00" }, EUR: { annually: "9.00" } } })],
    });
    const c = change(computePlan({ ...base, desired }), "Product/mail-lite");
    expect(c.diffs.map((d) => d.path)).toEqual(["pricing.USD.monthly", "pricing.USD.quarterly"]);
    expect(c.impact.revenue).toBeUndefined();
    expect(c.classes).toEqual(["billing"]);
  });

  it('"10" and 10 from a loose live side equal "10.00"', () => {
    const plan = computePlan(SCENARIOS.looseMoney());
    expect(change(plan, "Product/mail-lite").diffs).toEqual([]);
  });

  it("retires undeclared options and choices: hidden, never deleted", () => {
    const c = change(computePlan(SCENARIOS.retire()), "ConfigOptionGroup/mail-lite-options");
    expect(c.diffs).toEqual([
      { path: "options.backup.hidden", before: false, after: true },
      { path: "options.plan.choices.pro.hidden", before: false, after: true },
    ]);
    expect(c.classes).toEqual(["customer-visible", "destructive"]);
    expect(c.impact.notes).toEqual([
      'option "backup" retired (hidden), not deleted',
      'choice "pro" of option "plan" retired (hidden), not deleted',
    ]);
    const after = c.after as { options: Record<string, { order: number; hidden: boolean }> };
    expect(Object.keys(after.options).sort()).toEqual(["backup", "mailboxes", "plan"]);
  });

  it("option prices: the empty choice key is written choices[\"\"]", () => {
    const c = change(computePlan(SCENARIOS.optionPrice()), "ConfigOptionGroup/mail-lite-options");
    expect(c.diffs).toEqual([{ path: 'options.mailboxes.choices[""].pricing.EUR.monthly', before: "0.95", after: "1.05" }]);
    expect(c.classes).toEqual(["billing"]);
    expect(c.impact.revenue).toBeUndefined();
  });

  it("free products: prices are not compared", () => {
    const c = change(computePlan(SCENARIOS.free()), "Product/mail-free");
    expect(c.diffs).toEqual([]);
    expect(c.impact.notes).toEqual(["payType free: pricing is not compared"]);
  });

  it("live references to undeclared objects read #<id>", () => {
    const c = change(computePlan(SCENARIOS.foreignGroup()), "Product/mail-lite");
    expect(c.diffs).toEqual([
      { path: "configOptionGroups", before: ["#44"], after: [] },
      { path: "group", before: "#9", after: "business-email" },
    ]);
    expect(c.dependsOn).toEqual([]);
  });

  it("hiding a product is destructive and customer-visible", () => {
    const base = SCENARIOS.priceUpdate();
    const desired = desiredCatalog({
      productGroups: base.desired.productGroups,
      products: [product("mail-lite", { hidden: true, pricing: { USD: { monthly: "1.00", annually: "10.00" }, EUR: { annually: "9.00" } } })],
    });
    const c = change(computePlan({ ...base, desired }), "Product/mail-lite");
    expect(c.diffs).toEqual([{ path: "hidden", before: false, after: true }]);
    expect(c.classes).toEqual(["customer-visible", "destructive"]);
  });

  it("a product depends on groups that change in the same plan", () => {
    const base = SCENARIOS.priceUpdate();
    const live = { ...base.live, productGroups: [liveGroup("1", "business-email", { headline: "old" })] };
    expect(change(computePlan({ ...base, live }), "Product/mail-lite").dependsOn).toEqual(["ProductGroup/business-email"]);
  });
});

describe("computePlan: what is left alone", () => {
  it("orphaned when owned, unmanaged otherwise; other modules are out of scope", () => {
    const plan = computePlan(SCENARIOS.leftAlone());
    expect(plan.unmanaged).toEqual([
      { kind: "ProductGroup", remoteId: "2", name: "Old Email", reason: "orphaned", ownedAs: "old-email", note: "orphaned, still shown: declare it again, or set policy.prune.ProductGroup to retire it (hidden, never deleted)" },
      { kind: "ProductGroup", remoteId: "3", name: "Web Hosting", reason: "unmanaged" },
      { kind: "Product", remoteId: "22", name: "Legacy Mail", reason: "orphaned", ownedAs: "legacy-mail", note: expect.stringMatching(/^orphaned, still orderable: declare it again, or set policy\.prune\.Product to retire it/) },
      { kind: "Product", remoteId: "21", name: "Zoho Workplace", reason: "unmanaged" },
    ]);
    expect(plan.summary.unmanaged).toBe(4);
  });

  it("a product of another module with the same name is not adopted, and the plan says so", () => {
    const plan = computePlan(SCENARIOS.otherModule());
    expect(plan.unmanaged).toEqual([]);
    expect(plan.warnings).toEqual([
      'Product/mail-lite: live product #5 "Zoho Mail Lite" uses module "cpanel", not zoho_mail: it is left alone and a new product will be created',
    ]);
  });

  it("an object owned under another name is not adopted (renames are never inferred)", () => {
    const plan = computePlan(
      input(desiredCatalog({ productGroups: [group("email")] }), liveCatalog({ productGroups: [liveGroup("1", "business-email")] })),
    );
    expect(plan.changes.map((c) => c.action)).toEqual(["create"]);
    expect(plan.unmanaged).toEqual([{ kind: "ProductGroup", remoteId: "1", name: "Business Email", reason: "orphaned", ownedAs: "business-email", note: "orphaned, still shown: declare it again, or set policy.prune.ProductGroup to retire it (hidden, never deleted)" }]);
    expect(plan.warnings[0]).toContain("is recorded as business-email");
  });
});

describe("computePlan: api backend", () => {
  const plan = computePlan(SCENARIOS.apiBackend());

  it("every change is a manual step, matched objects are adopted, and the plan warns", () => {
    expect(plan.changes.every((c) => c.manual !== undefined)).toBe(true);
    expect(plan.summary.manual).toBe(4);
    expect(plan.warnings).toEqual([
      "ownership is unknown with the api catalog backend: live objects are matched by name and always planned as adopt",
    ]);
    expect(plan.unmanaged).toEqual([{ kind: "ProductGroup", remoteId: "1", name: "#1", reason: "unmanaged" }]);
  });

  it("a product update reads as numbered admin-area instructions", () => {
    const c = change(plan, "Product/mail-lite");
    expect(c.manual?.reason).toContain("WHMCS's API cannot update products");
    expect(c.manual?.reason).toContain("ownership cannot be recorded");
    expect(c.manual?.instructions).toEqual([
      '1. Setup → Products/Services → Products/Services: edit product "Zoho Mail Lite" (id 7)',
      '2. Details tab: set Product Group to "Business Email"',
      "3. Pricing tab: set Annually price in USD to 12.00",
      '4. Configurable Options tab: tick exactly "Mail Lite options"',
      "5. Click Save Changes",
    ]);
  });

  it("a product create skips cells left at their defaults", () => {
    const c = change(plan, "Product/workplace");
    expect(c.manual?.instructions).toEqual([
      '1. Setup → Products/Services → Products/Services: click Create a New Product; set Product Type to Other, Product Group to "Business Email", Product Name to "Zoho Workplace Standard", Module to zoho_mail; click Continue',
      '2. Details tab: set Product Description to "Ad-free business email, 5 GB per mailbox."',
      "3. Pricing tab: set Payment Type to Recurring",
      "4. Pricing tab: tick Enable for Monthly in USD and set its price to 3.00",
      "5. Click Save Changes",
    ]);
  });

  it("an option group create lists its options and non-zero prices", () => {
    const c = change(plan, "ConfigOptionGroup/mail-lite-options");
    expect(c.manual?.instructions).toEqual([
      "1. Setup → Products/Services → Configurable Options: click Create a New Group",
      '2. Set Group Name to "Mail Lite options"',
      '3. Set Description to "Mailboxes for Zoho Mail Lite"',
      "4. Click Save Changes, so options can be added",
      '5. Click Add New Configurable Option: Option Name "mailboxes|Mailboxes", Option Type Quantity, Minimum Quantity 1, Maximum Quantity 0 (unlimited), Order 0',
      '6. In option "mailboxes|Mailboxes": add sub-option "Mailbox", Order 0',
      '7. In option "mailboxes|Mailboxes", sub-option "Mailbox": set Monthly price in EUR to 0.95',
      '8. In option "mailboxes|Mailboxes", sub-option "Mailbox": set Annually price in EUR to 11.40',
      '9. In option "mailboxes|Mailboxes", sub-option "Mailbox": set Monthly price in USD to 1.00',
      '10. In option "mailboxes|Mailboxes", sub-option "Mailbox": set Annually price in USD to 12.00',
      "11. Click Save Changes",
    ]);
  });

  it("retiring an option on the api backend asks to tick Hide", () => {
    const base = SCENARIOS.retire();
    const c = change(computePlan({ ...base, backend: "api" }), "ConfigOptionGroup/mail-lite-options");
    expect(c.manual?.instructions).toEqual([
      '1. Setup → Products/Services → Configurable Options: edit group "Mail Lite options" (id 3)',
      '2. In option "plan|Plan", sub-option "pro|Pro": tick Hide (retired, not deleted)',
      '3. In option "backup|Backup": tick Hide (retired, not deleted)',
      "4. Click Save Changes",
    ]);
  });

  it("an adopt with nothing to change still says so: ownership cannot be recorded", () => {
    const base = SCENARIOS.adoptClean();
    const c = change(computePlan({ ...base, backend: "api", live: { ...base.live, ownershipKnown: false } }), "ProductGroup/business-email");
    expect(c.action).toBe("adopt");
    expect(c.manual?.instructions).toEqual(['1. Nothing to change: group "Business Email" (id 4) already matches the manifest']);
  });

  it("no manual step on backends that can write", () => {
    expect(computePlan(SCENARIOS.create()).summary.manual).toBe(0);
  });
});

describe("computePlan: refusals", () => {
  it("a manifest currency WHMCS does not have is a manifest error at the resource", () => {
    const bad = input(
      desiredCatalog({ productGroups: [group("business-email")], products: [product("mail-lite", { pricing: { GBP: { annually: "9.00" } } }, at(42, "catalog/mail.yaml"))] }),
      liveCatalog(),
    );
    const err = catchError(() => computePlan(bad));
    expect(err).toBeInstanceOf(ManifestError);
    const issues = (err as ManifestError).issues;
    expect(issues).toEqual([
      {
        code: "plan.unknown-currency",
        file: "catalog/mail.yaml",
        line: 42,
        col: 1,
        path: "/spec/pricing/GBP",
        message: "currency GBP does not exist in WHMCS",
        hint: "WHMCS has these currencies: EUR, USD",
      },
    ]);
    expect((err as ManifestError).exitCode).toBe(3);
  });

  it("several live objects with the resource's natural key: no guess", () => {
    const bad = input(
      desiredCatalog({ productGroups: [group("business-email", {}, at(3))] }),
      liveCatalog({ productGroups: [liveGroup("12", undefined), liveGroup("4", undefined)] }),
    );
    const err = catchError(() => computePlan(bad));
    expect(err).toBeInstanceOf(ReconcileError);
    expect(err).toMatchObject({ code: "plan.ambiguous-match", exitCode: 3 });
    expect((err as Error).message).toBe(
      'catalog/email.yaml:3:1: ProductGroup/business-email matches 2 live objects named "Business Email" (#12, #4)',
    );
  });

  it("two resources that would adopt one live object: no guess", () => {
    const bad = input(
      desiredCatalog({ productGroups: [group("a", {}, at(1)), group("b", {}, at(9))] }),
      liveCatalog({ productGroups: [liveGroup("4", undefined)] }),
    );
    expect(catchError(() => computePlan(bad))).toMatchObject({
      code: "plan.ambiguous-match",
      message: 'catalog/email.yaml:1:1, catalog/email.yaml:9:1: ProductGroup/a, ProductGroup/b all match live ProductGroup #4 ("Business Email")',
    });
  });

  it.each([
    {
      name: "a dangling group reference",
      desired: desiredCatalog({ products: [product("mail-lite")] }),
      code: "plan.unknown-reference",
      path: "/spec/group",
    },
    {
      name: "a dangling option group reference",
      desired: desiredCatalog({ productGroups: [group("business-email")], products: [product("mail-lite", { configOptionGroups: ["nope"] })] }),
      code: "plan.unknown-reference",
      path: "/spec/configOptionGroups/0",
    },
    {
      name: "a resource declared twice",
      desired: desiredCatalog({ productGroups: [group("business-email"), group("business-email", {}, at(7))] }),
      code: "plan.duplicate-resource",
      path: "/metadata/name",
    },
    {
      name: "an unknown price key",
      desired: desiredCatalog({ productGroups: [group("business-email")], products: [product("mail-lite", { pricing: { USD: { yearly: "1.00" } as never } })] }),
      code: "plan.unknown-price-key",
      path: "/spec/pricing/USD/yearly",
    },
  ])("$name", ({ desired, code, path }) => {
    const err = catchError(() => computePlan(input(desired, liveCatalog())));
    expect(err).toBeInstanceOf(ManifestError);
    expect((err as ManifestError).issues.map((i) => [i.code, i.path])).toEqual([[code, path]]);
  });
});

describe("computePlan: purity", () => {
  it("never mutates its inputs", () => {
    for (const make of Object.values(SCENARIOS)) {
      const frozen = deepFreeze(make());
      expect(() => computePlan(frozen)).not.toThrow();
    }
  });
});

describe("divideHalfEven", () => {
  it.each([
    [1n, 2n, 0n],
    [3n, 2n, 2n],
    [5n, 2n, 2n],
    [-5n, 2n, -2n],
    [-3n, 2n, -2n],
    [200n, 12n, 17n],
    [6n, 12n, 0n],
    [18n, 12n, 2n],
    [7n, 3n, 2n],
    [-7n, 3n, -2n],
  ])("%s / %s → %s", (n, d, q) => {
    expect(divideHalfEven(n, d)).toBe(q);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}
