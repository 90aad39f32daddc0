import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { loadProject } from "../../src/manifest/index.js";
import { GROUP_DOC, issuesOf, productDoc, tempProject } from "./projects.js";
import type { TempProject } from "./projects.js";
import { assertAsyncProperty } from "../support/budget.js";

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

/** Write a project whose product's USD annual price is `written` (YAML source text, line 13). */
async function withAnnualPrice(written: string): Promise<string> {
  project = await tempProject({ "catalog.yaml": `${GROUP_DOC}---\n${productDoc(`USD: { annually: ${written} }`)}` });
  return project.config;
}

async function annualPrice(written: string): Promise<string | undefined> {
  const p = await loadProject(await withAnnualPrice(written));
  return p.catalog.products[0]?.spec.pricing["USD"]?.annually;
}

describe("money in manifests", () => {
  it.each([
    ["10", "10.00"],
    ['"10"', "10.00"],
    ['"10.00"', "10.00"],
    ["10.0", "10.00"],
    ['"10.5"', "10.50"],
    ["10.5", "10.50"],
    ["0", "0.00"],
    ["0.1", "0.10"],
    ['"007.10"', "7.10"],
    ["99999999999999.99", "99999999999999.99"],
  ])("%s is canonicalised to %s", async (written, canonical) => {
    expect(await annualPrice(written)).toBe(canonical);
  });

  it.each([
    ["10.001", "money.invalid"],
    ['"10.001"', "money.invalid"],
    ["1e3", "money.invalid"],
    ['"1e3"', "money.invalid"],
    ["1.5e2", "money.invalid"],
    ["-5", "money.invalid"],
    ['"-5.00"', "money.invalid"],
    ["0x10", "money.invalid"],
    [".5", "money.invalid"],
    ['"10,00"', "money.invalid"],
    ['" 10"', "money.invalid"],
    ["123456789012345", "money.invalid"],
    ["true", "schema.type"],
    ["null", "schema.type"],
  ])("%s is refused with %s", async (written, code) => {
    const issues = await issuesOf(loadProject(await withAnnualPrice(written)));
    expect(issues.map((i) => [i.code, i.path, i.line, i.col])).toEqual([[code, "/spec/pricing/USD/annually", 13, 22]]);
  });

  it("canonicalises any amount in cents the same whether written as a number or a string", async () => {
    await assertAsyncProperty(
      fc.asyncProperty(fc.integer({ min: 0, max: 10_000_000_00 }), fc.boolean(), async (cents, asString) => {
        const whole = Math.floor(cents / 100);
        const frac = cents % 100;
        // Written in the shortest form a person would type: 12, 12.5, 12.05.
        const text = frac === 0 ? `${whole}` : frac % 10 === 0 ? `${whole}.${frac / 10}` : `${whole}.${String(frac).padStart(2, "0")}`;
        const got = await annualPrice(asString ? `"${text}"` : text);
        await project?.cleanup();
        project = undefined;
        expect(got).toBe(`${whole}.${String(frac).padStart(2, "0")}`);
      }),
      { numRuns: 40, minRuns: 10 },
    );
  });
});
