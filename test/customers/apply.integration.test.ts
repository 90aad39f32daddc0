import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/log.js";
import { renderVerification, verifyPendingDomains } from "../../src/apply/customers/index.js";
import { Secret } from "../../src/core/secrets.js";
import { addClient, addOrder, acceptOrder, createDbCatalogBackend, getServices } from "../../src/providers/whmcs/index.js";
import { abortOnlyHung } from "../support/hangs.js";
import { useTestDatabase } from "../support/mariadb.js";
import { hasChanges, type Change, type Plan } from "../../src/model/plan.js";
import type { DesiredCustomerResource } from "../../src/plan/customers/index.js";
import { renderText } from "../../src/render/index.js";
import { customerCatalog, customerOrg } from "./builders.js";
import { startRig, type CustomerRig } from "./rig.js";

let rig: CustomerRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const catalog = customerCatalog();

function customerChanges(plan: Plan): Change[] {
  return plan.changes.filter((c) => c.kind === "CustomerOrg" && c.action !== "noop");
}

/** Plan, apply, plan again: the second plan must have no change. Returns the first plan's report. */
async function converge(r: CustomerRig, orgs: readonly DesiredCustomerResource[]) {
  const first = await r.plan(catalog, orgs);
  const report = await r.apply(first.plan, orgs, first.live);
  expect(report.results.filter((x) => x.status !== "succeeded" && x.status !== "unchanged")).toEqual([]);
  const second = await r.plan(catalog, orgs);
  expect(customerChanges(second.plan).map((c) => ({ key: c.key, diffs: c.diffs }))).toEqual([]);
  expect(hasChanges(second.plan)).toBe(false);
  return { first, report, second };
}

async function service(r: CustomerRig, domain: string) {
  const rows = await r.whmcs.store.select("tblhosting", { domain });
  expect(rows).toHaveLength(1);
  return rows[0] ?? {};
}

async function fieldValues(r: CustomerRig, serviceId: unknown): Promise<Record<string, string>> {
  const fields = await r.whmcs.store.select("tblcustomfields", { type: "product" });
  const values = await r.whmcs.store.select("tblcustomfieldsvalues", { relid: Number(serviceId) });
  const out: Record<string, string> = {};
  for (const v of values) {
    const f = fields.find((x) => x["id"] === v["fieldid"]);
    if (f !== undefined) out[String(f["fieldname"])] = String(v["value"]);
  }
  return out;
}

describe("applying customer orgs against both sandboxes", () => {
  it("creates client, service, org and subscription, records them, and then has nothing left to do", async () => {
    rig = await startRig();
    const orgs = [
      customerOrg("acme"),
      customerOrg("beta", { product: "workplace-standard", billingCycle: "monthly", plan: { type: "paid", payPeriod: "monthly" }, mailboxes: 7 }),
      customerOrg("gamma", { product: "workplace-standard", plan: { type: "trial", trialPlan: "basicTrial" }, mailboxes: 5 }),
      customerOrg("delta", { client: { email: "it@acme.example" }, mailboxes: 3 }),
    ];
    const { first, report, second } = await converge(rig, orgs);
    expect(customerChanges(first.plan).map((c) => c.action)).toEqual(["create", "create", "create", "create"]);
    expect(report.results.find((r) => r.key === "CustomerOrg/acme")).toMatchObject({ status: "succeeded", created: true });

    // WHMCS: one client per email, one active service per domain, with its mailbox quantity and records.
    expect((await rig.whmcs.store.select("tblclients")).map((c) => c["email"]).sort()).toEqual(["it@acme.example", "it@beta.example", "it@gamma.example"]);
    const acme = await service(rig, "acme.example");
    expect(acme).toMatchObject({ domainstatus: "Active", billingcycle: "Annually" });
    const beta = await service(rig, "beta.example");
    expect(beta).toMatchObject({ domainstatus: "Active", billingcycle: "Monthly" });
    const qty = await rig.whmcs.store.select("tblhostingconfigoptions", { relid: Number(beta["id"]) });
    expect(qty.map((q) => q["qty"])).toEqual([7]);
    const zohoBeta = rig.zoho.state.org("beta.example");
    // The new org's verification code is recorded with it, so plans need not ask Zoho for it.
    expect(await fieldValues(rig, beta["id"])).toEqual({
      ZOID: zohoBeta?.zoid,
      "Zoho super admin": "it@beta.example",
      "Zoho domain verified": "false",
      "Zoho verification code": expect.stringMatching(/^zb\d+$/),
    });

    // Zoho: the plans asked for, licences equal to the WHMCS quantities.
    expect(zohoBeta?.plan).toMatchObject({ type: "paid", planId: 10730, period: "MONT", addons: [{ id: 10779, count: 7 }] });
    expect(rig.zoho.state.org("acme.example")?.plan).toMatchObject({ type: "paid", planId: 17033, period: "YEAR", addons: [{ id: 17083, count: 25 }] });
    expect(rig.zoho.state.org("gamma.example")?.plan).toMatchObject({ type: "trial", trial: "basicTrial" });
    // One super admin per Zoho org: the client's second org is headed by admin@<its domain>.
    expect(rig.zoho.state.org("delta.example")?.superAdmin).toBe("admin@delta.example");
    expect(customerChanges(first.plan).find((c) => c.name === "delta")?.impact.notes).toContain(
      "Zoho org: creates delta.example with admin@delta.example as super admin (it@acme.example is the super admin of another org already, " +
        "and Zoho makes an email the super admin of one org only), on the free plan; if Zoho answers that the customer belongs to another partner, the customer must tag this partner first",
    );

    // New orgs are unverified: the next plan lists the record to publish, not as a change.
    expect(second.plan.pending?.map((p) => [p.key, p.record?.name.endsWith(`.${p.domain}`), p.record?.value])).toEqual([
      ["CustomerOrg/acme", true, "zmverify.zoho.com"],
      ["CustomerOrg/beta", true, "zmverify.zoho.com"],
      ["CustomerOrg/delta", true, "zmverify.zoho.com"],
      ["CustomerOrg/gamma", true, "zmverify.zoho.com"],
    ]);
    const acmeCode = rig.zoho.state.org("acme.example")?.domains[0]?.htmlCode;
    expect(second.plan.pending?.[0]?.record?.name).toBe(`zb${acmeCode}.acme.example`);
  });

  it("adopts a WHMCS service and a Zoho org that exist already, without duplicating either", async () => {
    rig = await startRig();
    const orgs = [customerOrg("acme", { mailboxes: 12 })];
    await converge(rig, []); // the catalog
    const { clientId } = await addClient(rig.client, {
      firstName: "Ada",
      lastName: "Lovelace",
      email: "it@acme.example",
      address1: "1 Main St",
      city: "London",
      state: "London",
      postcode: "EC1A 1AA",
      country: "GB",
      phoneNumber: "+44.2071234567",
    });
    const pid = String((await rig.whmcs.store.select("tblproducts", { name: "Zoho Mail Lite" }))[0]?.["id"]);
    const order = await addOrder(rig.client, { clientId, paymentMethod: "banktransfer", items: [{ productId: pid, billingCycle: "annually", domain: "acme.example" }] });
    await acceptOrder(rig.client, order.orderId);
    const zoid = rig.zoho.state.addOrg({ domain: "acme.example", email: "it@acme.example", verified: true });

    const { first } = await converge(rig, orgs);
    const c = customerChanges(first.plan)[0];
    expect(c).toMatchObject({ action: "adopt", remoteId: order.serviceIds[0] });
    expect(c?.impact.notes?.some((n) => n.startsWith(`WHMCS service: adopts #${order.serviceIds[0]}`))).toBe(true);
    expect(c?.impact.notes?.some((n) => n === `Zoho org: uses the existing org ${zoid} for acme.example, matched by domain`)).toBe(true);
    expect(await rig.whmcs.store.count("tblhosting")).toBe(1);
    expect(await rig.whmcs.store.count("tblclients")).toBe(1);
    expect(rig.zoho.state.orgs()).toHaveLength(1);
    expect(await fieldValues(rig, order.serviceIds[0])).toEqual({ ZOID: zoid, "Zoho super admin": "it@acme.example", "Zoho domain verified": "true" });
  });

  it("a lost AddOrder response: the retry finds the order instead of placing a second one", async () => {
    rig = await startRig();
    const orgs = [customerOrg("acme")];
    const first = await rig.plan(catalog, orgs);
    rig.whmcs.faults.add({ action: "AddOrder", phase: "after", times: 1, fault: { kind: "reset" } });
    const report = await rig.apply(first.plan, orgs, first.live);
    const failed = report.results.find((r) => r.key === "CustomerOrg/acme");
    expect(failed).toMatchObject({ status: "failed", error: { code: "whmcs.transport.network" } });
    expect(failed?.error?.message).toMatch(/^acme\.example, step service: /);

    const again = await rig.plan(catalog, orgs);
    const c = customerChanges(again.plan)[0];
    expect(c).toMatchObject({ action: "adopt", diffs: expect.arrayContaining([{ path: "status", before: "pending", after: "active" }]) });
    await rig.apply(again.plan, orgs, again.live);
    const third = await rig.plan(catalog, orgs);
    expect(customerChanges(third.plan)).toEqual([]);
    expect(await rig.whmcs.store.count("tblhosting")).toBe(1);
    expect(await rig.whmcs.store.count("tblorders")).toBe(1);
    expect(rig.zoho.state.orgs()).toHaveLength(1);
  });

  it("a declined card leaves WHMCS as it was; a WHMCS failure after Zoho leaves only the WHMCS difference", async () => {
    rig = await startRig();
    await converge(rig, [customerOrg("acme", { mailboxes: 10 })]);
    const more = [customerOrg("acme", { mailboxes: 15 })];

    rig.zoho.switches.cardDeclined = true;
    const declined = await rig.plan(catalog, more);
    const r1 = await rig.apply(declined.plan, more, declined.live);
    expect(r1.results.find((r) => r.key === "CustomerOrg/acme")).toMatchObject({ status: "failed", error: { code: "zoho.store_failure" } });
    expect((await rig.whmcs.store.select("tblhostingconfigoptions")).map((q) => q["qty"])).toEqual([10]);
    rig.zoho.switches.cardDeclined = false;

    const retry = await rig.plan(catalog, more);
    expect(customerChanges(retry.plan)[0]?.diffs.map((d) => d.path)).toEqual(["billing.recurringAmount", "mailboxes", "zoho.plan.licenses"]);
    // UpdateClientProduct is idempotent and sent up to three times: three failures in a row stop it.
    rig.whmcs.faults.add({ action: "UpdateClientProduct", times: 3, fault: { kind: "status", status: 503 } });
    const r2 = await rig.apply(retry.plan, more, retry.live);
    expect(r2.results.find((r) => r.key === "CustomerOrg/acme")?.error?.message).toMatch(/step whmcs-service/);
    const left = await rig.plan(catalog, more);
    expect(customerChanges(left.plan).map((c) => [c.action, c.diffs.map((d) => `${d.path}: ${String(d.before)} → ${String(d.after)}`)])).toEqual([["update", ["billing.recurringAmount: 130.00 → 190.00", "mailboxes: 10 → 15"]]]);
    await rig.apply(left.plan, more, left.live);
    expect(customerChanges((await rig.plan(catalog, more)).plan)).toEqual([]);
    expect(rig.zoho.state.org("acme.example")?.plan).toMatchObject({ addons: [{ id: 17083, count: 15 }] });
  });

  it("a customer of another partner fails with the tagging instructions, and nothing is retried", async () => {
    rig = await startRig();
    rig.zoho.state.addForeignCustomer({ domain: "taken.example", email: "boss@taken.example" });
    const orgs = [customerOrg("taken")];
    const first = await rig.plan(catalog, orgs);
    const report = await rig.apply(first.plan, orgs, first.live);
    const r = report.results.find((x) => x.key === "CustomerOrg/taken");
    expect(r?.error).toMatchObject({ code: "apply.customer.zoho-customer-elsewhere" });
    expect(r?.error?.message).toBe(
      "taken.example, step zoho-org: Zoho refused to create an org for taken.example: The customer already exists in Zoho and is not mapped to your partner account",
    );
    expect(r?.error?.hint).toContain("https://store.zoho.com/html/store/tagyourpartner.html");
    expect(rig.zoho.calls.count("mail.createOrg")).toBe(1);
  });

  it("suspends at WHMCS only, and terminates by cancelling Zoho to free", async () => {
    rig = await startRig();
    await converge(rig, [customerOrg("acme"), customerOrg("beta")]);
    const { first } = await converge(rig, [customerOrg("acme", { status: "suspended" }), customerOrg("beta", { status: "terminated" })]);
    expect(renderText(first.plan)).toContain("Zoho has no suspend API: the mailboxes stay usable at Zoho and Zoho keeps charging the partner for the licences");
    expect((await service(rig, "acme.example"))["domainstatus"]).toBe("Suspended");
    expect(rig.zoho.state.org("acme.example")?.plan).toMatchObject({ type: "paid", addons: [{ id: 17083, count: 25 }] });
    expect((await service(rig, "beta.example"))["domainstatus"]).toBe("Terminated");
    expect(rig.zoho.state.org("beta.example")?.plan).toEqual({ type: "free" });
    // Back to active: WHMCS only (Zoho never stopped); the terminated org stays terminated.
    await converge(rig, [customerOrg("acme"), customerOrg("beta", { status: "terminated" })]);
    expect((await service(rig, "acme.example"))["domainstatus"]).toBe("Active");
  });

  it("verifies pending domains after apply, and the next plan records it", async () => {
    rig = await startRig();
    const orgs = [customerOrg("acme"), customerOrg("beta")];
    const { second } = await converge(rig, orgs);
    const acme = second.plan.pending?.find((p) => p.domain === "acme.example");
    rig.zoho.state.dns.addCname(acme?.record?.name ?? "", "zmverify.zoho.com");
    rig.zoho.calls.reset();
    const outcomes = await verifyPendingDomains({ plan: second.plan, mail: rig.provider.mail, logger: silentLogger() });
    expect(outcomes.map((o) => [o.domain, o.verified])).toEqual([
      ["acme.example", true],
      ["beta.example", false],
    ]);
    expect(renderVerification(outcomes)).toContain("1 of 2 pending domains verified");
    const next = await rig.plan(catalog, orgs);
    expect(customerChanges(next.plan).map((c) => [c.key, c.action, c.diffs])).toEqual([["CustomerOrg/acme", "update", [{ path: "records.verified", before: "false", after: "true" }]]]);
    expect(next.plan.pending?.map((p) => p.domain)).toEqual(["beta.example"]);
    await rig.apply(next.plan, orgs, next.live);
    expect(await fieldValues(rig, (await service(rig, "acme.example"))["id"])).toMatchObject({ "Zoho domain verified": "true" });
  });

  it("reads in bulk: services per managed product, and no getDomain once the verification codes are recorded", async () => {
    rig = await startRig();
    const orgs = [customerOrg("acme"), customerOrg("beta")];
    await converge(rig, orgs);
    rig.zoho.state.verifyDomain("acme.example");
    rig.zoho.state.addOrg({ domain: "stray.example", email: "x@stray.example" });
    rig.zoho.calls.reset();
    rig.whmcs.calls.reset();
    const { customers, plan } = await rig.plan(catalog, orgs);
    // The org listing's paging is undocumented: the provider reads until a page repeats (one page + one).
    expect(rig.zoho.calls.byEndpoint).toEqual({ "mail.listCustomerOrgs": 2, "store.listSubscriptions": 1 });
    expect(customers.zohoOrgs.find((o) => o.domain === "beta.example")?.cnameCode).toMatch(/^zb\d+$/);
    expect(customers.zohoOrgs.find((o) => o.domain === "stray.example")?.cnameCode).toBeUndefined();
    expect(plan.unmanaged.map((u) => u.name)).toEqual(["stray.example (Zoho org)"]);
    // The sandbox has USD and EUR: one page of orders gives the clients' currencies.
    expect(rig.whmcs.calls.counts()).toEqual({ reconcilegetcatalog: 1, getclients: 1, getclientsproducts: 3, getorders: 1 });
    expect((await getServices(rig.client, {})).length).toBe(2);
  });

  it("a code not recorded yet is read from Zoho once and recorded by the next apply; then plans read it from WHMCS", async () => {
    rig = await startRig();
    const orgs = [customerOrg("beta")];
    await converge(rig, orgs);
    const betaId = Number((await service(rig, "beta.example"))["id"]);
    const field = (await rig.whmcs.store.select("tblcustomfields", { type: "product", fieldname: "Zoho verification code" }))[0];
    await rig.whmcs.store.update("tblcustomfieldsvalues", { relid: betaId, fieldid: Number(field?.["id"]) }, { value: "" });
    rig.zoho.calls.reset();
    const before = await rig.plan(catalog, orgs);
    expect(rig.zoho.calls.byEndpoint["mail.getDomain"]).toBe(1);
    expect(customerChanges(before.plan).map((c) => [c.action, c.diffs.map((d) => d.path)])).toEqual([["update", ["records.verificationCode"]]]);
    await rig.apply(before.plan, orgs, before.live);
    rig.zoho.calls.reset();
    const after = await rig.plan(catalog, orgs);
    expect(rig.zoho.calls.byEndpoint["mail.getDomain"]).toBeUndefined();
    expect(customerChanges(after.plan)).toEqual([]);
    expect(after.plan.pending?.[0]?.record?.name).toBe(before.plan.pending?.[0]?.record?.name);
  });
});

/** What WHMCS holds for orders: clients, orders, services, invoices, and the order/client e-mail flags sent. */
async function whmcsCounts(r: CustomerRig) {
  return {
    clients: await r.whmcs.store.count("tblclients"),
    orders: await r.whmcs.store.count("tblorders"),
    services: await r.whmcs.store.count("tblhosting"),
    invoices: await r.whmcs.store.count("tblinvoices"),
  };
}

const NOTHING = { clients: 0, orders: 0, services: 0, invoices: 0 };
const ONE_PAID = { clients: 1, orders: 1, services: 1, invoices: 1 };

/** A new paid org whose Zoho step fails leaves WHMCS empty; the next plan and apply converge with one of each. */
async function expectZohoFirst(r: CustomerRig, fail: () => void, code: string | RegExp, heal: () => void = () => undefined) {
  const orgs = [customerOrg("acme")];
  const first = await r.plan(catalog, orgs);
  fail();
  const report = await r.apply(first.plan, orgs, first.live);
  const result = report.results.find((x) => x.key === "CustomerOrg/acme");
  expect(result?.status).toBe("failed");
  expect(result?.error?.code).toMatch(code);
  expect(result?.error?.message).toMatch(/step zoho-(org|plan)/);
  expect(await whmcsCounts(r)).toEqual(NOTHING);
  expect(r.whmcs.calls.count("AddClient") + r.whmcs.calls.count("AddOrder") + r.whmcs.calls.count("AcceptOrder")).toBe(0);
  heal();
  await converge(r, orgs);
  expect(await whmcsCounts(r)).toEqual(ONE_PAID);
  expect(r.zoho.state.orgs()).toHaveLength(1);
  expect(r.zoho.state.org("acme.example")?.plan).toMatchObject({ type: "paid", planId: 17033, addons: [{ id: 17083, count: 25 }] });
}

describe("a new org: Zoho before any WHMCS write", () => {
  it("a declined card leaves no WHMCS client, order, invoice or e-mail; the next run buys and orders once", async () => {
    rig = await startRig();
    const r = rig;
    await expectZohoFirst(
      r,
      () => (r.zoho.switches.cardDeclined = true),
      "zoho.store_failure",
      () => (r.zoho.switches.cardDeclined = false),
    );
  });

  it("a Zoho timeout after the purchase went through: nothing in WHMCS; the next run finds the subscription and does not buy again", async () => {
    rig = await startRig();
    const r = rig;
    // The 300 ms timeout may cut only the hung purchase, once the sandbox holds it; every other call gets its answer.
    let purchases = 0;
    r.renewProvider({
      timeoutMs: 300,
      fetch: abortOnlyHung((url, init) =>
        init?.method === "POST" && url.endsWith("/restapi/partner/v1/json/subscription") && ++purchases === 1
          ? () => r.zoho.calls.count("store.createSubscription") >= 1
          : "answered",
      ),
    });
    await expectZohoFirst(r, () => r.zoho.faults.hangNext({ endpoint: "store.createSubscription", phase: "after" }), /^zoho\.timeout/);
    expect(r.zoho.calls.count("store.createSubscription")).toBe(1);
  });

  it("a lost answer to the org creation: the org is looked up by domain at once and used, created once, and the run goes on", async () => {
    rig = await startRig();
    const r = rig;
    const orgs = [customerOrg("acme")];
    const first = await r.plan(catalog, orgs);
    r.zoho.faults.resetNext({ endpoint: "mail.createOrg", phase: "after" });
    r.zoho.calls.reset();
    const report = await r.apply(first.plan, orgs, first.live);
    expect(report.results.find((x) => x.key === "CustomerOrg/acme")?.status).toBe("succeeded");
    expect(r.zoho.calls.count("mail.createOrg")).toBe(1);
    // The one lookup by domain, after the lost answer (none before: the plan had just read Zoho).
    expect(r.zoho.calls.count("mail.listCustomerOrgs")).toBe(1);
    expect(r.zoho.state.orgs()).toHaveLength(1);
    expect(await whmcsCounts(r)).toEqual(ONE_PAID);
    expect(hasChanges((await r.plan(catalog, orgs)).plan)).toBe(false);
  });

  it("a create refused for a domain that has no org leaves WHMCS untouched; the next run creates it once", async () => {
    rig = await startRig();
    const r = rig;
    await expectZohoFirst(r, () => r.zoho.faults.failNext({ endpoint: "mail.createOrg", status: 500 }), /^zoho\./);
    expect(r.zoho.calls.count("mail.createOrg")).toBe(2);
  });

  it("a crash between the Zoho steps and the WHMCS client: the next run finds org and subscription, creates the client and order once", async () => {
    rig = await startRig();
    const orgs = [customerOrg("acme")];
    const first = await rig.plan(catalog, orgs);
    const killed = await rig.apply(first.plan, orgs, first.live, {
      wrap: (w) => ({
        ...w,
        addClient: () => Promise.reject(new Error("process killed")),
      }),
    });
    expect(killed.results.find((x) => x.key === "CustomerOrg/acme")?.error?.message).toBe("acme.example, step client: process killed");
    expect(await whmcsCounts(rig)).toEqual(NOTHING);
    expect(rig.zoho.state.org("acme.example")?.plan).toMatchObject({ type: "paid" });
    rig.zoho.calls.reset();
    await converge(rig, orgs);
    expect(await whmcsCounts(rig)).toEqual(ONE_PAID);
    expect(rig.zoho.calls.count("mail.createOrg") + rig.zoho.calls.count("store.createSubscription")).toBe(0);
  });
});

describe("what the orders bill", () => {
  it("a free org and a trial: services at 0.00, no invoice, no e-mails", async () => {
    rig = await startRig();
    const orgs = [customerOrg("free", { plan: { type: "free" }, mailboxes: 3 }), customerOrg("gamma", { product: "workplace-standard", plan: { type: "trial", trialPlan: "basicTrial" }, mailboxes: 5 })];
    await converge(rig, orgs);
    expect((await service(rig, "free.example"))["amount"]).toBe("0.00");
    expect((await service(rig, "gamma.example"))["amount"]).toBe("0.00");
    expect(await rig.whmcs.store.count("tblinvoices")).toBe(0);
    const orders = rig.whmcs.calls.list("AddOrder").map((c) => c.params);
    expect(orders).toHaveLength(2);
    for (const p of orders) expect(p).toMatchObject({ noinvoice: "1", noinvoiceemail: "1", noemail: "1", priceoverride: ["0.00"] });
    for (const c of rig.whmcs.calls.list("AcceptOrder")) expect(c.params).toMatchObject({ sendemail: "0" });
    for (const c of rig.whmcs.calls.list("AddClient")) expect(c.params).toMatchObject({ noemail: "1" });
  });

  it("a paid EUR client: the client is created in EUR and the service bills the catalog's EUR price, with its invoice", async () => {
    rig = await startRig();
    const eurCatalog = {
      ...catalog,
      products: catalog.products.map((p) => (p.name === "mail-lite" ? { ...p, spec: { ...p.spec, pricing: { ...p.spec.pricing, EUR: { annually: "9.00" } } } } : p)),
    };
    const orgs = [customerOrg("euro", { client: { currency: "EUR" } })];
    const first = await rig.plan(eurCatalog, orgs);
    const report = await rig.apply(first.plan, orgs, first.live);
    expect(report.results.filter((x) => x.status === "failed").map((x) => x.error)).toEqual([]);
    const eur = (await rig.whmcs.store.select("tblcurrencies", { code: "EUR" }))[0];
    expect((await rig.whmcs.store.select("tblclients"))[0]?.["currency"]).toBe(eur?.["id"]);
    // 9.00 + 25 mailboxes × 11.40 = 294.00, what WHMCS computes itself: no override is sent.
    expect((await service(rig, "euro.example"))["amount"]).toBe("294.00");
    expect(rig.whmcs.calls.last("AddOrder")?.params["priceoverride"]).toBeUndefined();
    expect(await rig.whmcs.store.count("tblinvoices")).toBe(1);
    expect(customerChanges((await rig.plan(eurCatalog, orgs)).plan)).toEqual([]);

    // A mailbox edit: UpdateClientProduct carries the plan's amount, never autorecalc.
    const more = [customerOrg("euro", { client: { currency: "EUR" }, mailboxes: 30 })];
    const next = await rig.plan(eurCatalog, more);
    const after = customerChanges(next.plan)[0]?.after as { billing: { recurringAmount: string } };
    await rig.apply(next.plan, more, next.live);
    const updates = rig.whmcs.calls.list("UpdateClientProduct").map((c) => c.params);
    expect(updates.some((p) => "autorecalc" in p)).toBe(false);
    expect((await service(rig, "euro.example"))["amount"]).toBe(after.billing.recurringAmount);
    expect(customerChanges((await rig.plan(eurCatalog, more)).plan)).toEqual([]);
  });
});

const db = await useTestDatabase("customers-apply");

describe.skipIf(!db.available)("with the db backend on MariaDB", () => {
  it("records each org in the zoho_mail module's table too, as its admin screen reads it", async () => {
    rig = await startRig({ store: await db.freshStore() });
    const moduleTable = createDbCatalogBackend({ url: db.url, ...(db.password === undefined ? {} : { password: new Secret(db.password, "test:db") }) }).moduleTable;
    const orgs = [customerOrg("acme"), customerOrg("beta", { mailboxes: 4 })];
    const first = await rig.plan(catalog, orgs);
    const report = await rig.apply(first.plan, orgs, first.live, moduleTable);
    expect(report.results.filter((r) => r.status === "failed").map((r) => r.error)).toEqual([]);
    rig.zoho.state.verifyDomain("beta.example");
    const second = await rig.plan(catalog, orgs);
    expect((await rig.apply(second.plan, orgs, second.live, moduleTable)).ok).toBe(true);
    const rows = await rig.whmcs.store.select("zoho_mail");
    const admin = rig.provider.client.url("mailadmin", "");
    expect(rows.map((r) => ({ ...r })).sort((a, b) => (String(a["domain"]) < String(b["domain"]) ? -1 : 1))).toEqual(
      ["acme", "beta"].map((n) => {
        const org = rig?.zoho.state.org(`${n}.example`);
        return {
          domain: `${n}.example`,
          zoid: org?.zoid,
          superAdmin: `it@${n}.example`,
          isverified: n === "beta" ? "true" : "false",
          url: `${admin}/cpanel/home.do?zaaid=${org?.zoid}#dashboard`,
        };
      }),
    );
    expect(customerChanges((await rig.plan(catalog, orgs)).plan)).toEqual([]);
  });
});
