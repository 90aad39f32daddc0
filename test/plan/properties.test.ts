import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, sha256Hex } from "../../src/core/canonical.js";
import type { DesiredCatalog, LiveCatalog } from "../../src/model/catalog.js";
import type { Plan } from "../../src/model/plan.js";
import { checksumOf, computePlan, formatPath, parsePath } from "../../src/plan/index.js";
import { deepFreeze, input } from "./builders.js";
import { CURRENCIES, desiredCatalogArb, scenarioArb } from "./arbitraries.js";
import { liveEquivalentOf } from "./live-equivalent.js";
import { SCENARIOS } from "./scenarios.js";
import { assertProperty } from "../support/budget.js";

const RUNS = { numRuns: 200, minRuns: 25 };

/** Shuffles every set-like array of the inputs (never the option lists: their order is meaning). */
function shuffled(desired: DesiredCatalog, live: LiveCatalog, seed: number): { desired: DesiredCatalog; live: LiveCatalog } {
  let s = seed >>> 0 || 1;
  const rand = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  const mix = <T>(xs: readonly T[]): T[] => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
  return {
    desired: {
      productGroups: mix(desired.productGroups),
      configOptionGroups: mix(desired.configOptionGroups),
      products: mix(desired.products).map((p) => ({ ...p, spec: { ...p.spec, configOptionGroups: mix(p.spec.configOptionGroups) } })),
    },
    live: {
      ...live,
      currencies: mix(live.currencies),
      productGroups: mix(live.productGroups),
      configOptionGroups: mix(live.configOptionGroups),
      products: mix(live.products).map((p) => ({ ...p, state: { ...p.state, configOptionGroupIds: mix(p.state.configOptionGroupIds) } })),
      serviceCounts: live.serviceCounts === undefined ? undefined : mix(live.serviceCounts),
    },
  };
}

describe("field paths", () => {
  it("read back to the segments they were written from", () => {
    assertProperty(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { minLength: 1, maxLength: 6 }), (segments) => {
        expect(parsePath(formatPath(segments))).toEqual(segments);
      }),
      RUNS,
    );
    expect(formatPath(["options", "mailboxes", "choices", "", "pricing", "EUR", "monthly"])).toBe(
      'options.mailboxes.choices[""].pricing.EUR.monthly',
    );
    expect(formatPath(["options", "a.b", "label"])).toBe('options["a.b"].label');
  });
});

describe("plan properties", () => {
  it("planning against the live state a desired catalog produces gives only noops", () => {
    assertProperty(
      fc.property(desiredCatalogArb, (desired) => {
        const plan = computePlan(input(desired, liveEquivalentOf(desired, CURRENCIES)));
        expect(plan.changes.filter((c) => c.action !== "noop")).toEqual([]);
        expect(plan.changes).toHaveLength(desired.productGroups.length + desired.configOptionGroups.length + desired.products.length);
        expect(plan.unmanaged).toEqual([]);
      }),
      RUNS,
    );
  });

  it("shuffling the input arrays gives the byte-identical plan", () => {
    assertProperty(
      fc.property(scenarioArb, fc.integer(), ({ desired, live }, seed) => {
        const a = computePlan(input(deepFreeze(desired), deepFreeze(live)));
        const s = shuffled(desired, live, seed);
        const b = computePlan(input(s.desired, s.live));
        expect(canonicalJson(b)).toBe(canonicalJson(a));
      }),
      RUNS,
    );
  });

  it("the checksum changes when any field of the plan changes", () => {
    assertProperty(
      fc.property(scenarioArb, fc.nat(), ({ desired, live }, pick) => {
        const plan = computePlan(input(desired, live));
        const body = JSON.parse(canonicalJson(plan)) as Record<string, unknown>;
        delete body["checksum"];
        const leaves = leafPaths(body);
        const path = leaves[pick % leaves.length];
        if (path === undefined) return;
        const mutated = mutateAt(body, path);
        expect(checksumOf(mutated as unknown as Plan)).not.toBe(plan.checksum);
        expect(checksumOf(body as unknown as Plan)).toBe(plan.checksum);
      }),
      RUNS,
    );
  });

  it("the checksum is the SHA-256 of the plan's canonical JSON without it, as plan.schema.json defines", () => {
    assertProperty(
      fc.property(scenarioArb, fc.boolean(), ({ desired, live }, reordered) => {
        const plan = computePlan(input(desired, live));
        const body: Record<string, unknown> = { ...plan };
        delete body["checksum"];
        const text = canonicalJson(body);
        // The plan as built, and the same plan with every object's keys reversed (the slow way).
        const subject = reordered ? reverseKeys(plan) : plan;
        expect(checksumOf(subject as Plan)).toBe(`sha256:${sha256Hex(text)}`);
      }),
      RUNS,
    );
  });
});

function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys);
  if (v === null || typeof v !== "object") return v;
  return Object.fromEntries(Object.keys(v).reverse().map((k) => [k, reverseKeys((v as Record<string, unknown>)[k])]));
}

type Path = readonly (string | number)[];

function leafPaths(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return value.length === 0 ? [prefix] : value.flatMap((v, i) => leafPaths(v, [...prefix, i]));
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    return entries.length === 0 ? [prefix] : entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
  }
  return [prefix];
}

function mutateAt(value: unknown, path: Path): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return mutateLeaf(value);
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? mutateAt(v, rest) : v));
  const obj = value as Record<string, unknown>;
  return { ...obj, [head]: mutateAt(obj[head as string], rest) };
}

function mutateLeaf(v: unknown): unknown {
  if (typeof v === "string") return `${v}x`;
  if (typeof v === "number") return v + 1;
  if (typeof v === "boolean") return !v;
  if (Array.isArray(v)) return ["x"];
  if (v === null) return "x";
  return { x: 1 };
}

describe("plan objects are built in canonical key order", () => {
  // canonicalJson writes such a value with the engine's JSON.stringify alone; a large plan's
  // checksum costs a third of what reordering every object would (npm run bench, computePlan).
  it.each(["create", "priceUpdate", "adoptWithDiffs", "optionPrice", "free", "converged"] as const)("%s", (name) => {
    const plan = computePlan(SCENARIOS[name]());
    expect(plan.changes.length).toBeGreaterThan(0);
    for (const c of plan.changes) expect(JSON.stringify(c), c.key).toBe(canonicalJson(c));
  });
});
