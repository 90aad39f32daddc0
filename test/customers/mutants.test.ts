import { afterEach, describe, expect, it } from "vitest";
import { hasChanges } from "../../src/model/plan.js";
import { computeFullPlan, CustomerIssueCode } from "../../src/plan/customers/index.js";
import { classifyCustomer } from "../../src/plan/customers/classify.js";
import { convergedParts, customerCatalog, customerOrg, fullInput, liveCustomers } from "./builders.js";
import { startRig, type CustomerRig } from "./rig.js";

/*
 * Boundaries and lookups a one-line change could break without any other test noticing: each
 * test here fails when its rule is loosened, tightened or dropped.
 */

describe("leaving a paid plan is destructive; joining one is not", () => {
  const diff = (before: unknown, after: unknown) => ({ segments: ["zoho", "plan", "type"], path: "zoho.plan.type", before, after });
  it.each([
    ["paid", "free", true],
    ["paid", "trial", true],
    ["free", "paid", false],
    ["trial", "paid", false],
    ["free", "trial", false],
  ])("%s → %s", (before, after, destructive) => {
    expect(classifyCustomer("assign", [diff(before, after)]).includes("destructive")).toBe(destructive);
  });
});

describe("mailboxes below what the org uses", () => {
  const acme = convergedParts("acme", 1);
  const planWith = (mailboxes: number, usersCount: number) =>
    computeFullPlan(
      fullInput([customerOrg("acme", { mailboxes })], liveCustomers({ clients: [acme.client], services: [acme.service], zohoOrgs: [{ ...acme.org, usersCount }] })),
    );
  it("as many mailboxes as users in use is allowed", () => {
    expect(planWith(30, 30).blocked).toBeUndefined();
  });
  it("one fewer is refused, for that org only", () => {
    expect(planWith(29, 30).blocked?.[0]?.reasons.map((r) => r.code)).toEqual([CustomerIssueCode.belowUsedMailboxes]);
  });
});

describe("one client, one more org per run", () => {
  let rig: CustomerRig | undefined;
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
  });

  it("three runs: each org keeps its own service and Zoho org; a later org never takes over an earlier one's service", async () => {
    rig = await startRig();
    const catalog = customerCatalog();
    const email = "it@holding.example";
    const orgs = ["one", "two", "three"].map((n, i) =>
      customerOrg(`holding-${n}`, { domain: `${n}.holding.example`, mailboxes: 10 + i, client: { email } }),
    );
    for (let run = 1; run <= 3; run++) {
      const declared = orgs.slice(0, run);
      const first = await rig.plan(catalog, declared);
      const report = await rig.apply(first.plan, declared, first.live);
      expect(report.ok).toBe(true);
      const again = await rig.plan(catalog, declared);
      expect(hasChanges(again.plan)).toBe(false);
    }
    const clients = await rig.whmcs.store.select("tblclients", { email });
    expect(clients).toHaveLength(1);
    const services = await rig.whmcs.store.select("tblhosting", { userid: clients[0]?.["id"] ?? 0 });
    expect(services.map((s) => String(s["domain"])).sort()).toEqual(["one.holding.example", "three.holding.example", "two.holding.example"]);
    const orgsAtZoho = rig.zoho.state.orgs().filter((o) => o.domain.endsWith(".holding.example"));
    expect(orgsAtZoho).toHaveLength(3);
    // Each service records the ZOID of the Zoho org with its own domain.
    const zoidOf = new Map(orgsAtZoho.map((o) => [o.domain, String(o.zoid)]));
    const fields = await rig.whmcs.store.select("tblcustomfields", { type: "product", fieldname: "ZOID" });
    const fieldIds = new Set(fields.map((f) => f["id"]));
    for (const s of services) {
      const values = await rig.whmcs.store.select("tblcustomfieldsvalues", { relid: Number(s["id"]) });
      const zoid = values.find((v) => fieldIds.has(v["fieldid"]))?.["value"];
      expect(String(zoid)).toBe(zoidOf.get(String(s["domain"])));
    }
  });
});
