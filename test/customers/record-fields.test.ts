import { describe, expect, it } from "vitest";
import type { Change } from "../../src/model/plan.js";
import { computeFullPlan } from "../../src/plan/customers/index.js";
import { fieldDiffs } from "../../src/plan/diff.js";
import { customerCatalog, fullInput, liveCustomers, MAIL_LITE_PID, WORKPLACE_PID } from "./builders.js";
import { EUR, input, USD } from "../plan/builders.js";
import { renderText } from "../../src/render/index.js";

const FIELDS = ["ZOID", "Zoho domain verified", "Zoho super admin", "Zoho verification checked", "Zoho verification code"];

function productChange(changes: readonly Change[], name: string): Change {
  const c = changes.find((x) => x.key === `Product/${name}`);
  if (c === undefined) throw new Error(`no change for Product/${name}`);
  return c;
}

describe("record fields on managed products", () => {
  it("a managed product missing some fields is updated to get them; complete ones stay noops", () => {
    const base = fullInput([], liveCustomers());
    const live = { ...base.live, productCustomFields: { ...base.live.productCustomFields, [MAIL_LITE_PID]: ["Notes", "ZOID"] } };
    const plan = computeFullPlan({ ...base, live });
    const c = productChange(plan.changes, "mail-lite");
    expect(c.action).toBe("update");
    expect(c.diffs).toEqual([{ path: "recordFields", before: ["ZOID"], after: FIELDS }]);
    expect(c.impact.notes?.some((n) => n.startsWith('adds the admin-only custom fields "ZOID", "Zoho super admin", "Zoho domain verified"'))).toBe(true);
    expect(c.classes).toEqual([]);
    expect(productChange(plan.changes, "workplace-standard").action).toBe("noop");
    expect(plan.summary.update).toBe(1);
  });

  it("a managed product with no fields at all lists all five as missing", () => {
    const base = fullInput([], liveCustomers());
    const { [WORKPLACE_PID]: _dropped, ...rest } = base.live.productCustomFields ?? {};
    const plan = computeFullPlan({ ...base, live: { ...base.live, productCustomFields: rest } });
    expect(productChange(plan.changes, "workplace-standard").diffs).toEqual([{ path: "recordFields", before: [], after: FIELDS }]);
  });

  it("a managed product being created gets them; other modules never do", () => {
    const catalog = customerCatalog();
    const live = { currencies: [USD, EUR], productGroups: [], configOptionGroups: [], products: [], ownershipKnown: true, serviceCounts: [], productCustomFields: {} };
    const plan = computeFullPlan({ ...input(catalog, live), live, customers: { desired: [], live: liveCustomers(), zohoPlans: {} } });
    expect(fieldDiffs(productChange(plan.changes, "mail-lite"))).toContainEqual({ path: "recordFields", before: null, after: FIELDS });
    expect(fieldDiffs(productChange(plan.changes, "zz-hosting")).some((d) => d.path === "recordFields")).toBe(false);
  });

  it("the api backend: manual steps say how to add each missing field", () => {
    const base = fullInput([], liveCustomers());
    const live = { ...base.live, ownershipKnown: false, productCustomFields: { [MAIL_LITE_PID]: ["ZOID", "Zoho super admin"] } };
    const plan = computeFullPlan({ ...base, live, backend: "api", target: { ...base.target, catalogBackend: "api" } });
    const c = productChange(plan.changes, "mail-lite");
    expect(c.manual?.instructions.at(-1)).toMatch(
      /^\d+\. Setup → Products\/Services → Products\/Services: edit product "Zoho Mail Lite", Custom Fields tab: add the Text Box field "Zoho verification code", tick Admin Only, leave Show on Order Form unticked$/,
    );
    expect(c.manual?.instructions.every((step, i) => step.startsWith(`${i + 1}. `))).toBe(true);
  });

  it("when the backend cannot see the fields, no diff and a warning", () => {
    const base = fullInput([], liveCustomers());
    const { productCustomFields: _unknown, ...live } = base.live;
    const plan = computeFullPlan({ ...base, live });
    expect(productChange(plan.changes, "mail-lite").action).toBe("noop");
    expect(plan.warnings.some((w) => w.includes('cannot see admin-only custom fields: check that every zoho_mail product has the text fields "ZOID"'))).toBe(true);
    expect(renderText(plan)).toContain("Warnings:");
  });
});
