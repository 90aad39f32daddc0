import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/canonical.js";
import { computePlan } from "../../src/plan/index.js";
import { input } from "./builders.js";
import { scenarioArb } from "./arbitraries.js";
import { SCENARIOS } from "./scenarios.js";
import { assertProperty } from "../support/budget.js";

const schemaPath = fileURLToPath(new URL("../../schemas/plan.schema.json", import.meta.url));
const schema = JSON.parse(readFileSync(schemaPath, "utf8")) as object;
const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);

/** The plan as it travels: the JSON artifact, not the in-memory value. */
function asJson(value: unknown): unknown {
  return JSON.parse(canonicalJson(value));
}

describe("plan.schema.json", () => {
  it.each(Object.keys(SCENARIOS) as (keyof typeof SCENARIOS)[])("accepts the %s plan", (name) => {
    const plan = asJson(computePlan(SCENARIOS[name]()));
    expect(validate(plan), JSON.stringify(validate.errors)).toBe(true);
  });

  it("accepts generated plans", () => {
    assertProperty(
      fc.property(scenarioArb, ({ desired, live }) => {
        const ok = validate(asJson(computePlan(input(desired, live))));
        expect(ok, JSON.stringify(validate.errors)).toBe(true);
      }),
      { numRuns: 50, minRuns: 10 },
    );
  });

  it.each([
    { name: "the previous format version", edit: (p: Record<string, unknown>) => ({ ...p, formatVersion: 1 }) },
    { name: "a malformed checksum", edit: (p: Record<string, unknown>) => ({ ...p, checksum: "sha256:XYZ" }) },
    {
      name: "an unknown action",
      edit: (p: Record<string, unknown>) => ({ ...p, changes: (p["changes"] as object[]).map((c) => ({ ...c, action: "rename" })) }),
    },
    {
      // Format 2: a create's fields are its `after`, never listed again as diffs.
      name: "a create that lists field diffs",
      edit: (p: Record<string, unknown>) => ({
        ...p,
        changes: (p["changes"] as { diffs: unknown[] }[]).map((c) => (c.diffs.length > 0 ? { ...c, action: "create" } : c)),
      }),
    },
    { name: "an unknown member", edit: (p: Record<string, unknown>) => ({ ...p, createdAt: "2026-01-01" }) },
  ])("rejects $name", ({ edit }) => {
    const plan = asJson(computePlan(SCENARIOS.priceUpdate())) as Record<string, unknown>;
    expect(validate(plan)).toBe(true);
    expect(validate(edit(plan))).toBe(false);
  });
});
