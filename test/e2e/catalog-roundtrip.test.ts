import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/canonical.js";
import { silentLogger } from "../../src/core/log.js";
import { Secret } from "../../src/core/secrets.js";
import type { DesiredCatalog } from "../../src/model/catalog.js";
import { computePlan } from "../../src/plan/index.js";
import { applyPlan, memoryJournal } from "../../src/apply/index.js";
import { createCatalogProvider, createWhmcsClient } from "../../src/providers/whmcs/index.js";
import { seedCatalog, startWhmcsSandbox, type WhmcsSandbox } from "../../src/sandbox/whmcs/index.js";
import { desiredCatalogArb } from "../plan/arbitraries.js";
import { assertAsyncProperty } from "../support/budget.js";

/**
 * Property tests over the whole catalog pipeline against the real sandbox on loopback:
 * plan → apply → plan again must say "no changes", whatever the catalog; and the plan does not
 * depend on the order the manifests were read in.
 */
let sandboxes: WhmcsSandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
  sandboxes = [];
});

async function freshTarget() {
  const sandbox = await startWhmcsSandbox({ switches: { companion: true } });
  sandboxes.push(sandbox);
  // The arbitraries price in USD (id 1), EUR (id 2) and GBP (id 3).
  await seedCatalog(sandbox.store, {
    currencies: [
      { code: "EUR", prefix: "€", suffix: " EUR", rate: "0.9" },
      { code: "GBP", prefix: "£", suffix: " GBP", rate: "0.8" },
    ],
  });
  const client = createWhmcsClient({
    url: sandbox.url,
    identifier: new Secret(sandbox.credentials.identifier, "test"),
    secret: new Secret(sandbox.credentials.secret, "test"),
  });
  return { sandbox, provider: createCatalogProvider({ client, backend: "companion" }) };
}

type Target = Awaited<ReturnType<typeof freshTarget>>;

async function converge(target: Target, desired: DesiredCatalog) {
  const { provider } = target;
  const live = await provider.readCatalog();
  const plan = computePlan({ desired, live, backend: "companion", target: { whmcs: target.sandbox.url, catalogBackend: "companion" } });
  const writer = provider.writer;
  if (!writer) throw new Error("companion backend has a writer");
  const report = await applyPlan({ plan, currencies: live.currencies, writer, journal: memoryJournal(), logger: silentLogger() });
  expect(report.results.filter((r) => r.status === "failed").map((r) => r.error)).toEqual([]);
  expect(report.ok).toBe(true);
  const after = await provider.readCatalog();
  return computePlan({ desired, live: after, backend: "companion", target: { whmcs: target.sandbox.url, catalogBackend: "companion" } });
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe("catalog round trip against the WHMCS sandbox", () => {
  it("apply then plan gives zero changes, for random catalogs", async () => {
    await assertAsyncProperty(
      fc.asyncProperty(desiredCatalogArb, async (desired) => {
        const target = await freshTarget();
        const again = await converge(target, desired);
        expect(again.changes.filter((c) => c.action !== "noop").map((c) => ({ key: c.key, diffs: c.diffs }))).toEqual([]);
      }),
      { numRuns: 25, minRuns: 5 },
    );
  });

  it("moving from one random catalog to another converges, without duplicating anything", async () => {
    await assertAsyncProperty(
      fc.asyncProperty(desiredCatalogArb, desiredCatalogArb, async (first, second) => {
        const target = await freshTarget();
        await converge(target, first);
        const again = await converge(target, second);
        expect(again.changes.filter((c) => c.action !== "noop").map((c) => c.key)).toEqual([]);
        const groups = await target.sandbox.store.select("tblproductgroups");
        const names = groups.map((g) => String(g["name"]));
        expect(new Set(names).size).toBe(names.length);
      }),
      { numRuns: 15, minRuns: 4 },
    );
  });

  it("converges when names carry HTML entities, on either side", async () => {
    const target = await freshTarget();
    const desired: DesiredCatalog = {
      productGroups: [
        {
          kind: "ProductGroup",
          name: "tools",
          key: "ProductGroup/tools",
          source: { file: "g.yaml", line: 1, col: 1 },
          spec: { name: "Mail &amp; Calendar", headline: "Fish <b>&</b> chips", tagline: "5 &lt; 6", hidden: false, order: 1 },
        },
      ],
      configOptionGroups: [],
      products: [],
    };
    const again = await converge(target, desired);
    expect(again.changes.map((c) => c.action)).toEqual(["noop"]);
    const rows = await target.sandbox.store.select("tblproductgroups", { name: "Mail & Calendar" });
    expect(rows).toHaveLength(1);
    // A WHMCS that stores entity-encoded text reads back the same.
    await target.sandbox.store.update("tblproductgroups", { name: "Mail & Calendar" }, { name: "Mail &amp; Calendar" });
    const live = await target.provider.readCatalog();
    const plan = computePlan({ desired, live, backend: "companion", target: { whmcs: target.sandbox.url, catalogBackend: "companion" } });
    expect(plan.changes.map((c) => c.action)).toEqual(["noop"]);
  });

  it("gives a byte-identical plan for shuffled manifest order", async () => {
    await assertAsyncProperty(
      fc.asyncProperty(desiredCatalogArb, fc.nat(), async (desired, seed) => {
        const target = await freshTarget();
        const live = await target.provider.readCatalog();
        const t = { whmcs: target.sandbox.url, catalogBackend: "companion" };
        const a = computePlan({ desired, live, backend: "companion", target: t });
        const reordered: DesiredCatalog = {
          productGroups: shuffled(desired.productGroups, seed),
          configOptionGroups: shuffled(desired.configOptionGroups, seed + 1),
          products: shuffled(desired.products, seed + 2),
        };
        const b = computePlan({ desired: reordered, live, backend: "companion", target: t });
        expect(canonicalJson(b)).toBe(canonicalJson(a));
        expect(b.checksum).toBe(a.checksum);
      }),
      { numRuns: 20, minRuns: 5 },
    );
  });
});
