import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChanges } from "../../src/model/plan.js";
import type { LoadedProject } from "../../src/manifest/index.js";
import { manifestProject, type ManifestProject, type OrgLine } from "../customers/manifests.js";
import { startRig, type CustomerRig } from "../customers/rig.js";

/**
 * 1,000 customer orgs: a plan that finds nothing to do reads both systems in bulk. Its calls
 * grow with pages (WHMCS `limitnum`, Zoho's 200-row pages), not with orgs, and it mints one
 * access token.
 */
const ORGS = 1000;
const WHMCS_PAGE = 250;
const ZOHO_PAGE = 200;

function orgs(): OrgLine[] {
  return Array.from({ length: ORGS }, (_, i): OrgLine =>
    i % 5 < 3
      ? { name: `c${String(i).padStart(4, "0")}`, product: "mail-lite", billingCycle: "annually", mailboxes: 1 + (i % 50), plan: { type: "paid" } }
      : { name: `c${String(i).padStart(4, "0")}`, product: "workplace-standard", billingCycle: "monthly", mailboxes: 1 + (i % 30), plan: { type: "paid", payPeriod: "monthly" } },
  );
}

let rig: CustomerRig;
let files: ManifestProject;
let project: LoadedProject;

beforeAll(async () => {
  files = manifestProject();
  files.write(orgs());
  project = await files.load();
  // Zoho's org listing pages at 200 here, so its pages show in the counts (its paging is undocumented).
  rig = await startRig({ pageSize: WHMCS_PAGE, zoho: { switches: { customerOrgPageSize: ZOHO_PAGE } } });
  const first = await rig.plan(project.catalog, project.customerOrgs);
  const report = await rig.apply(first.plan, project.customerOrgs, first.live);
  expect(report.summary.failed).toBe(0);
  // Customers publish their DNS records; the next apply records the verification in WHMCS.
  for (const o of rig.zoho.state.orgs()) rig.zoho.state.verifyDomain(o.domain);
  const second = await rig.plan(project.catalog, project.customerOrgs);
  expect(second.plan.summary.update).toBe(ORGS);
  expect((await rig.apply(second.plan, project.customerOrgs, second.live)).summary.failed).toBe(0);
}, 600_000);

afterAll(async () => {
  await rig?.close();
  files?.remove();
});

describe(`a no-change plan for ${ORGS} customer orgs`, () => {
  it("makes calls that grow with pages, not orgs, and mints exactly one access token", async () => {
    rig.renewProvider();
    rig.zoho.calls.reset();
    rig.whmcs.calls.reset();
    const { plan, customers } = await rig.plan(project.catalog, project.customerOrgs);
    expect(hasChanges(plan)).toBe(false);
    expect(plan.changes.filter((c) => c.kind === "CustomerOrg")).toHaveLength(ORGS);
    expect(plan.pending).toBeUndefined();

    const pages = (n: number, size: number): number => Math.ceil(n / size);
    const lite = customers.services.filter((s) => s.productId === customers.services.find((x) => x.domain === "c0000.example")?.productId).length;
    expect(lite).toBe(600);
    expect(rig.whmcs.calls.counts()).toEqual({
      reconcilegetcatalog: 1,
      getclients: pages(ORGS, WHMCS_PAGE),
      getclientsproducts: pages(600, WHMCS_PAGE) + pages(400, WHMCS_PAGE),
      // The sandbox has USD and EUR: the clients' currencies come from the orders, one order per org.
      getorders: pages(ORGS, WHMCS_PAGE),
    });
    expect(rig.zoho.calls.byEndpoint).toEqual({
      "accounts.token": 1,
      // Full pages, then the empty page that ends a listing whose paging is undocumented.
      "mail.listCustomerOrgs": pages(ORGS, ZOHO_PAGE) + 1,
      // The Store listing says its total in a header: no extra page.
      "store.listSubscriptions": pages(ORGS, ZOHO_PAGE),
    });
    expect(rig.zoho.calls.tokensMinted).toBe(1);
    expect(rig.provider.tokens.mints).toBe(1);
    expect(rig.whmcs.calls.total() + rig.zoho.calls.total).toBeLessThan(30);
  });
});
