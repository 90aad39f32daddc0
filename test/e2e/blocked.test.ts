import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/errors.js";
import { silentLogger } from "../../src/core/log.js";
import { runPipeline, type PipelineOutcome } from "../../src/pipeline/index.js";
import { CustomerIssueCode } from "../../src/plan/customers/index.js";
import { addOrder, acceptOrder, findClientByEmail } from "../../src/providers/whmcs/index.js";
import { manifestProject, type ManifestProject, type OrgLine } from "../customers/manifests.js";
import { startRig, type CustomerRig } from "../customers/rig.js";

/**
 * What live state decides blocks one org, never the run: the other orgs plan and apply, the
 * blocked one is left alone and named with its field and fix, and the run exits 7 so CI goes red.
 * Through the real pipeline (lock, plan, check, apply, verify) against both sandboxes.
 */
const name = (i: number): string => `blk${String(i).padStart(2, "0")}`;
const orgs = (mailboxes: number): OrgLine[] =>
  Array.from({ length: 10 }, (_, k) => ({ name: name(k + 1), product: "workplace-standard", billingCycle: "monthly", mailboxes, plan: { type: "paid", payPeriod: "monthly" } }) as OrgLine);

let rig: CustomerRig;
let files: ManifestProject;

beforeAll(async () => {
  files = manifestProject();
  rig = await startRig({ plans: { "mail-lite": { planId: 17033, userAddonId: 17083, payPeriods: ["yearly"] }, "workplace-standard": { planId: 10730, userAddonId: 10779, payPeriods: ["monthly", "yearly"] } } });
});
afterAll(async () => {
  await rig?.close();
  files?.remove();
});

async function apply(): Promise<PipelineOutcome> {
  const project = await files.load();
  return runPipeline(
    { configPath: `${files.dir}/reconcile.yaml`, env: {}, logger: silentLogger(), project, targets: { whmcs: rig.client, catalog: rig.catalog, zoho: rig.provider } },
    { mode: "apply", force: true },
  );
}

describe("one org blocked, the rest applied", () => {
  it("a customer switched to yearly in Zoho's console: the other 9 changes apply, exit 7 names the org, the field and the fix", async () => {
    files.write(orgs(3));
    expect((await apply()).exitCode).toBe(ExitCode.ok);

    // The customer moves their own subscription to yearly at Zoho; the manifest still says monthly.
    const domain = `${name(4)}.example`;
    rig.zoho.state.setPlan(domain, { type: "paid", planId: 10730, period: "YEAR", addons: [{ id: 10779, count: 3 }] });
    files.write(orgs(4));
    const outcome = await apply();
    expect(outcome.exitCode).toBe(ExitCode.blocked);
    expect(outcome.report?.ok).toBe(true);
    expect(outcome.run.plan.blocked?.map((b) => [b.key, b.reasons.map((r) => [r.code, r.field])])).toEqual([
      [`CustomerOrg/${name(4)}`, [[CustomerIssueCode.yearlyToMonthly, "/spec/plan/payPeriod"]]],
    ]);
    expect(outcome.run.plan.blocked?.[0]?.reasons[0]?.hint).toContain("keep payPeriod yearly");
    for (let i = 1; i <= 10; i++) {
      const org = rig.zoho.state.org(`${name(i)}.example`);
      expect(org?.licenseCount).toBe(i === 4 ? 3 : 4);
    }
  });

  it("a second service made behind the tool's back is reported with both ids; that org is blocked, the others apply", async () => {
    const email = `it@${name(7)}.example`;
    const client = await findClientByEmail(rig.client, email);
    const live = await rig.catalog.readCatalog();
    const pid = live.products.find((p) => p.ownedAs === "workplace-standard")?.remoteId as string;
    const order = await addOrder(rig.client, { clientId: client?.id as string, paymentMethod: "banktransfer", items: [{ productId: pid, billingCycle: "monthly", domain: `${name(7)}.example` }], noInvoice: true });
    await acceptOrder(rig.client, order.orderId, { autoSetup: false });

    files.write(orgs(5).map((o) => (o.name === name(4) ? { ...o, plan: { type: "paid", payPeriod: "yearly" }, billingCycle: "annually", mailboxes: 4 } : o)));
    const outcome = await apply();
    expect(outcome.exitCode).toBe(ExitCode.blocked);
    const blocked = outcome.run.plan.blocked ?? [];
    expect(blocked.map((b) => b.key)).toEqual([`CustomerOrg/${name(7)}`]);
    const message = blocked[0]?.reasons[0]?.message ?? "";
    expect(blocked[0]?.reasons[0]?.code).toBe(CustomerIssueCode.duplicateService);
    expect(message).toContain(`service #${order.serviceIds[0]}`);
    expect(message.match(/service #\d+/g)).toHaveLength(2);
    // Everyone else moved to 5 mailboxes; the blocked org kept 4, and no third service appeared.
    for (let i = 1; i <= 10; i++) if (i !== 7) expect(rig.zoho.state.org(`${name(i)}.example`)?.licenseCount).toBe(i === 4 ? 4 : 5);
    expect(rig.zoho.state.org(`${name(7)}.example`)?.licenseCount).toBe(4);
    expect(await rig.whmcs.store.count("tblhosting", { domain: `${name(7)}.example` })).toBe(2);
  });
});
