import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/canonical.js";
import { hasChanges } from "../../src/model/plan.js";
import { computePlan, verifyChecksum } from "../../src/plan/index.js";
import { computeFullPlan } from "../../src/plan/customers/index.js";
import { renderMarkdown, renderText } from "../../src/render/index.js";
import { SCENARIOS } from "../plan/scenarios.js";
import { driftedScenarioArb } from "./arbitraries.js";
import { customersInput, fullInput, withFields } from "./builders.js";
import { realisticCustomers } from "./realistic.js";
import { assertProperty } from "../support/budget.js";

const plan = computeFullPlan(realisticCustomers());
const schema = JSON.parse(readFileSync(fileURLToPath(new URL("../../schemas/plan.schema.json", import.meta.url)), "utf8")) as object;
const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);

describe("a plan with customer orgs", () => {
  it("has the changes the scenario describes", () => {
    expect(plan.changes.filter((c) => c.kind === "CustomerOrg").map((c) => `${c.action} ${c.name}`)).toEqual([
      "update goneco",
      "update growco",
      "update lateco",
      "update moverco",
      "create newco",
      "update shrinkco",
      "assign trialco",
      "noop waitco",
    ]);
    expect(verifyChecksum(plan)).toBe(true);
  });

  it("renders as text (snapshot)", async () => {
    await expect(renderText(plan)).toMatchFileSnapshot("__snapshots__/customers.txt");
  });

  it("renders as Markdown (snapshot)", async () => {
    await expect(renderMarkdown(plan)).toMatchFileSnapshot("__snapshots__/customers.md");
  });

  it("validates against plan.schema.json, as do generated customer plans", () => {
    expect(validate(JSON.parse(canonicalJson(plan))), JSON.stringify(validate.errors)).toBe(true);
    assertProperty(
      fc.property(driftedScenarioArb, ({ desired, live }) => {
        const ok = validate(JSON.parse(canonicalJson(computeFullPlan(fullInput(desired, live)))));
        expect(ok, JSON.stringify(validate.errors)).toBe(true);
      }),
      { numRuns: 50, minRuns: 10 },
    );
  });

  it("a plan with only pending items has no changes and says so", () => {
    const only = computeFullPlan({
      ...realisticCustomers(),
      customers: customersInput(
        realisticCustomers().customers.desired.filter((r) => r.name === "waitco"),
        realisticCustomers().customers.live,
      ),
    });
    expect(hasChanges(only)).toBe(false);
    expect(only.pending).toHaveLength(1);
    const text = renderText(only);
    expect(text).toContain("No changes. Live state matches the manifests.");
    expect(text).toContain("CustomerOrg/waitco waitco.example (zoid 7000007): zb60906216.waitco.example CNAME zmverify.zoho.com");
  });

  it("leaves catalog-only plans as computePlan makes them when the record fields are in place", () => {
    const catalogOnly = SCENARIOS.priceUpdate();
    const full = computeFullPlan({ ...catalogOnly, live: withFields(catalogOnly.live), customers: { desired: [], live: { clients: [], services: [], zohoOrgs: [], warnings: [] }, zohoPlans: {} } });
    expect(full).toEqual(computePlan(catalogOnly));
    expect(renderMarkdown(full)).toContain("### Catalog plan for");
  });
});
