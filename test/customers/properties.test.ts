import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LiveCustomers } from "../../src/model/customers.js";
import { computeFullPlan, type DesiredCustomerResource } from "../../src/plan/customers/index.js";
import { fieldDiffs } from "../../src/plan/diff.js";
import { renderJson } from "../../src/render/index.js";
import { deepFreeze } from "../plan/builders.js";
import { customerScenarioArb, driftedScenarioArb } from "./arbitraries.js";
import { fullInput } from "./builders.js";
import { liveAfterApply } from "./live-after-apply.js";
import { assertProperty } from "../support/budget.js";

const RUNS = { numRuns: 300, minRuns: 40 };

function shuffle<T>(xs: readonly T[], seed: number): T[] {
  let s = seed >>> 0 || 1;
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function shuffledLive(live: LiveCustomers, seed: number): LiveCustomers {
  return {
    clients: shuffle(live.clients, seed),
    services: shuffle(live.services, seed + 1),
    zohoOrgs: shuffle(live.zohoOrgs, seed + 2),
    warnings: live.warnings,
  };
}

function plan(desired: readonly DesiredCustomerResource[], live: LiveCustomers): string {
  return renderJson(computeFullPlan(fullInput(desired, live)));
}

describe("customer plan properties", () => {
  it("planning against the state applying the manifests leaves gives only noops", () => {
    assertProperty(
      fc.property(customerScenarioArb, ({ desired, history }) => {
        const result = computeFullPlan(fullInput(desired, liveAfterApply(desired, history)));
        const customers = result.changes.filter((c) => c.kind === "CustomerOrg");
        expect(customers.filter((c) => c.action !== "noop").map((c) => ({ key: c.key, diffs: c.diffs }))).toEqual([]);
        expect(customers).toHaveLength(desired.length);
        expect(result.unmanaged).toEqual([]);
        const unverified = desired.filter((r) => r.spec.status !== "terminated" && history.verified.get(r.name) === false);
        expect((result.pending ?? []).map((p) => p.key)).toEqual(unverified.map((r) => r.key).sort());
      }),
      RUNS,
    );
  });

  it("shuffling the inputs gives the byte-identical plan", () => {
    assertProperty(
      fc.property(driftedScenarioArb, fc.integer(), ({ desired, live }, seed) => {
        const a = plan(deepFreeze(desired), deepFreeze(live));
        const b = plan(shuffle(desired, seed), shuffledLive(live, seed));
        expect(b).toBe(a);
      }),
      RUNS,
    );
  });

  it("every non-noop change has diffs, and a paid plan always carries as many licences as WHMCS bills mailboxes", () => {
    assertProperty(
      fc.property(driftedScenarioArb, ({ desired, live }) => {
        const result = computeFullPlan(fullInput(desired, live));
        for (const c of result.changes.filter((x) => x.kind === "CustomerOrg" && x.action !== "noop")) {
          expect(fieldDiffs(c).length, `${c.key} ${c.action}`).toBeGreaterThan(0);
          if (c.action === "create") expect(c.diffs, `${c.key}: a create lists no diffs`).toEqual([]);
          const after = c.after as { mailboxes: number | null; zoho: { plan: { type: string; licenses?: number } | null }; status: string };
          if (after.status !== "terminated" && after.zoho.plan?.type === "paid") expect(after.zoho.plan.licenses).toBe(after.mailboxes);
        }
      }),
      RUNS,
    );
  });
});
