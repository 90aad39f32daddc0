import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/canonical.js";
import type { Change, Plan } from "../../src/model/plan.js";
import { computePlan, verifyChecksum } from "../../src/plan/index.js";
import { GITHUB_COMMENT_LIMIT, PLAN_COMMENT_MARKER, renderJson, renderMarkdown, renderText } from "../../src/render/index.js";
import { SCENARIOS } from "../plan/scenarios.js";
import { realisticInput } from "./realistic.js";

const plan = computePlan(realisticInput());
const apiPlan = computePlan(realisticInput("api"));
const ANSI = /\x1b\[[0-9;]*m/;

describe("the realistic plan", () => {
  it("has the changes the scenario describes", () => {
    expect(plan.changes.map((c) => `${c.action} ${c.key}`)).toEqual([
      "update ProductGroup/business-email",
      "create ProductGroup/workplace",
      "update ConfigOptionGroup/mail-lite-options",
      "update Product/mail-lite",
      "adopt Product/mail-premium",
      "create Product/workplace-standard",
    ]);
  });
});

describe("renderText", () => {
  it("matches the snapshot", async () => {
    await expect(renderText(plan)).toMatchFileSnapshot("__snapshots__/realistic.txt");
  });

  it("colours only when asked", () => {
    expect(renderText(plan)).not.toMatch(ANSI);
    const coloured = renderText(plan, { color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, "")).toBe(renderText(plan));
  });

  it("says so when nothing changes, and hides noops", () => {
    const converged = computePlan(SCENARIOS.converged());
    const text = renderText(converged);
    expect(text).toContain("No changes. Live state matches the manifests.");
    expect(text).not.toContain("Plan:");
    expect(text).not.toContain("ProductGroup/business-email");
    expect(text.trimEnd().endsWith(`Checksum: ${converged.checksum}`)).toBe(true);
  });

  it("marks manual steps with ! and lists their instructions", () => {
    const text = renderText(apiPlan);
    expect(text).toContain("! manual adopt Product/mail-lite (#7)");
    expect(text).toContain("1. Setup → Products/Services → Products/Services: edit product \"Zoho Mail Lite\" (id 7)");
    expect(text).toMatch(/^Plan: 2 to create, 0 to update, 4 to adopt, 0 to delete, 0 unchanged\. 6 manual steps, /m);
  });
});

describe("renderMarkdown", () => {
  it("matches the snapshot", async () => {
    await expect(renderMarkdown(plan)).toMatchFileSnapshot("__snapshots__/realistic.md");
  });

  it("matches the snapshot with manual steps (api backend)", async () => {
    await expect(renderMarkdown(apiPlan)).toMatchFileSnapshot("__snapshots__/realistic-api.md");
  });

  it("starts with the hidden marker and ends with the checksum", () => {
    const md = renderMarkdown(plan);
    expect(md.split("\n")[0]).toBe(PLAN_COMMENT_MARKER);
    expect(md.trimEnd().endsWith(`Checksum: \`${plan.checksum}\``)).toBe(true);
  });

  it("stays under GitHub's comment limit and points at the artifact", () => {
    const huge = bigPlan(4000);
    const md = renderMarkdown(huge);
    expect(renderMarkdown(huge, { maxLength: 10 ** 9 }).length).toBeGreaterThan(GITHUB_COMMENT_LIMIT);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md.split("\n")[0]).toBe(PLAN_COMMENT_MARKER);
    expect(md).toContain("does not fit in a comment, so the longest sections show counts and names only. The full plan is in the `plan.json` artifact");
    expect(md.trimEnd().endsWith(`Checksum: \`${huge.checksum}\``)).toBe(true);
  });

  it("truncates at any limit without cutting a section in half", () => {
    for (const maxLength of [1_500, 2_500, 4_000]) {
      const md = renderMarkdown(plan, { maxLength, artifactName: "plan-artifact" });
      expect(md.length).toBeLessThanOrEqual(maxLength);
      expect(md).toContain("`plan-artifact` artifact");
      expect(md.match(/<details>/g)?.length ?? 0).toBe(md.match(/<\/details>/g)?.length ?? 0);
    }
    expect(renderMarkdown(plan)).not.toContain("Truncated");
  });

  it("keeps table cells intact whatever the text contains", () => {
    const md = renderMarkdown(plan);
    expect(md).toContain("50 GB per mailbox, &lt;b&gt;eDiscovery&lt;/b&gt; \\| backups");
    expect(md).not.toContain("<b>");
  });
});

describe("renderJson", () => {
  it("is the canonical plan, pretty, with a trailing newline", () => {
    const json = renderJson(plan);
    expect(json.endsWith("}\n")).toBe(true);
    expect(json.split("\n")[1]).toMatch(/^ {2}"changes": \[$/);
    expect(JSON.stringify(JSON.parse(json))).toBe(canonicalJson(plan));
    expect(verifyChecksum(JSON.parse(json) as Plan)).toBe(true);
  });

  it("is the same for the same plan computed from shuffled inputs", () => {
    const input = realisticInput();
    const reversed = {
      ...input,
      desired: { ...input.desired, products: [...input.desired.products].reverse() },
      live: { ...input.live, products: [...input.live.products].reverse(), currencies: [...input.live.currencies].reverse() },
    };
    expect(renderJson(computePlan(reversed))).toBe(renderJson(plan));
    expect(renderMarkdown(computePlan(reversed))).toBe(renderMarkdown(plan));
    expect(renderText(computePlan(reversed))).toBe(renderText(plan));
  });
});

/** A plan with many created products, as a first import of a large catalog would give. */
function bigPlan(n: number): Plan {
  const template = plan.changes.find((c) => c.key === "Product/workplace-standard") as Change;
  const changes = Array.from({ length: n }, (_, i): Change => {
    const key = `Product/p${String(i).padStart(5, "0")}` as const;
    return { ...template, id: key, key, name: key.slice(8) };
  });
  const body = { ...plan, changes, summary: { ...plan.summary, create: n } };
  return { ...body, checksum: plan.checksum };
}
