import { describe, expect, it } from "vitest";
import { ReconcileError } from "../../src/core/errors.js";
import type { Change, Plan } from "../../src/model/plan.js";
import { checkSafety, computePlan, managedCount } from "../../src/plan/index.js";
import { desiredCatalog, input, liveCatalog, liveGroup, liveProduct, policy } from "./builders.js";
import { SCENARIOS } from "./scenarios.js";

/** A plan with `updates` updates among `total` catalog changes (the rest noops). */
function planWith(updates: number, total: number, extra: Partial<Plan> = {}): Plan {
  const base = computePlan(SCENARIOS.converged());
  const template = base.changes[0] as Change;
  const changes: Change[] = Array.from({ length: total }, (_, i) => ({
    ...template,
    key: `ProductGroup/g${String(i).padStart(2, "0")}`,
    id: `ProductGroup/g${String(i).padStart(2, "0")}`,
    action: i < updates ? "update" : "noop",
  }));
  return { ...base, changes, ...extra };
}

describe("checkSafety", () => {
  it("a protected key with any change is refused, even with force", () => {
    const plan = computePlan(SCENARIOS.priceUpdate());
    const p = policy({ protect: ["Product/mail-lite"] });
    const expected = ["Product/mail-lite is protected (policy.protect) but the plan would update it"];
    expect(checkSafety(plan, p, { managedCount: 2 })).toEqual({ ok: false, reasons: expected, overridden: [] });
    expect(checkSafety(plan, p, { managedCount: 2, force: true }).reasons).toEqual(expected);
  });

  it("a protected key whose change is a noop is fine", () => {
    const plan = computePlan(SCENARIOS.priceUpdate());
    expect(checkSafety(plan, policy({ protect: ["ProductGroup/business-email"] }), { managedCount: 2 }).ok).toBe(true);
  });

  it.each([
    { name: "30 % of 10 is not over 30 %", updates: 3, managed: 10, ok: true },
    { name: "40 % of 10 is over", updates: 4, managed: 10, ok: false },
    { name: "below minExisting the share does not count", updates: 9, managed: 9, ok: true },
    { name: "0 of 20", updates: 0, managed: 20, ok: true },
  ])("update share: $name", ({ updates, managed, ok }) => {
    const result = checkSafety(planWith(updates, managed), policy(), { managedCount: managed });
    expect(result.ok).toBe(ok);
    if (!ok) {
      expect(result.reasons).toEqual([
        `${updates} of ${managed} managed objects would be updated (40.0 %), over the limit of 30.0 % (policy.thresholds.updateShare)`,
      ]);
      const forced = checkSafety(planWith(updates, managed), policy(), { managedCount: managed, force: true });
      expect(forced).toEqual({ ok: true, reasons: [], overridden: result.reasons });
    }
  });

  it("delete share likewise", () => {
    const plan = planWith(0, 10);
    const withDeletes = { ...plan, changes: plan.changes.map((c, i) => (i < 5 ? { ...c, action: "delete" as const } : c)) };
    expect(checkSafety(withDeletes, policy(), { managedCount: 10 }).reasons).toEqual([
      "5 of 10 managed objects would be deleted (50.0 %), over the limit of 30.0 % (policy.thresholds.deleteShare)",
    ]);
  });

  it("a catalog price change alone moves no MRR (new orders only), so no MRR limit refuses it", () => {
    const plan = computePlan(SCENARIOS.priceUpdate());
    expect(checkSafety(plan, policy({}, { mrrDelta: { USD: "0.00" } }), { managedCount: 2 }).ok).toBe(true);
  });

  it("an invalid MRR limit is a config error", () => {
    const plan = computePlan(SCENARIOS.priceUpdate());
    expect(() => checkSafety(plan, policy({}, { mrrDelta: { USD: "lots" } }), { managedCount: 2 })).toThrow(ReconcileError);
  });

  it("an empty desired catalog while the tool owns live objects is refused, even with force", () => {
    const live = liveCatalog({ productGroups: [liveGroup("1", "business-email")], products: [liveProduct("7", "mail-lite")] });
    const plan = computePlan(input(desiredCatalog(), live));
    expect(managedCount(live)).toBe(2);
    const result = checkSafety(plan, policy(), { managedCount: managedCount(live), force: true });
    expect(result.ok).toBe(false);
    expect(result.reasons[0]).toContain("the manifests declare no catalog resource");
    expect(checkSafety(computePlan(input(desiredCatalog(), liveCatalog())), policy(), { managedCount: 0 }).ok).toBe(true);
  });

  it("too many customer orgs changing is refused unless forced", () => {
    const plan = planWith(0, 1);
    const template = plan.changes[0] as Change;
    const orgs: Change[] = Array.from({ length: 3 }, (_, i) => ({ ...template, kind: "CustomerOrg", key: `CustomerOrg/c${i}`, id: `CustomerOrg/c${i}`, action: "assign" }));
    const result = checkSafety({ ...plan, changes: [...plan.changes, ...orgs] }, policy({}, { customers: 2 }), { managedCount: 1 });
    expect(result.reasons).toEqual(["3 customer orgs would change, over the limit of 2 (policy.thresholds.customers)"]);
  });

  it("managedCount counts owned objects, and none when ownership is unknown", () => {
    const live = liveCatalog({
      productGroups: [liveGroup("1", "a"), liveGroup("2", undefined)],
      products: [liveProduct("7", "p"), liveProduct("8", undefined)],
    });
    expect(managedCount(live)).toBe(2);
    expect(managedCount({ ...live, ownershipKnown: false })).toBe(0);
  });
});
