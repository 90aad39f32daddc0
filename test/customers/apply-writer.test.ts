import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/log.js";
import { applyCustomerChanges, type CustomerApplyResult } from "../../src/apply/customers/index.js";
import { memoryJournal } from "../../src/apply/index.js";
import type { LiveCatalog } from "../../src/model/catalog.js";
import { DEFAULT_ORDER_SETTINGS, type OrderSettings } from "../../src/model/config.js";
import type { CustomerOrgState } from "../../src/model/customers.js";
import type { Change, Plan } from "../../src/model/plan.js";
import type { DesiredCustomerResource } from "../../src/plan/customers/index.js";
import { liveCatalog, liveChoice, liveOption, liveOptionGroup, liveProduct, row } from "../plan/builders.js";
import { customerOrg, PLANS, type OrgOverrides } from "./builders.js";
import { FakeCustomerWriter } from "./fake-writer.js";

/*
 * The customer apply's step order and failure behaviour, against an in-memory writer: no sandbox,
 * no plan engine. Each test builds the plan's `after` state itself.
 */

/** Product 300 (mail-lite) with group 7: mailboxes (id 70, sub 700), storage (71: std 710, big 711), archive yes/no (72, sub 720). */
function catalog(): LiveCatalog {
  const eurUsd = (usd: string, eur: string) => ({ USD: row({ annually: usd }, "0.00"), EUR: row({ annually: eur }, "0.00") });
  return liveCatalog({
    configOptionGroups: [
      liveOptionGroup("7", "mail-lite-options", {
        options: {
          mailboxes: liveOption("mailboxes"),
          storage: liveOption("storage", {
            label: "Storage",
            type: "dropdown",
            min: 0,
            choices: { std: liveChoice("std", "Standard", 0, eurUsd("0.00", "0.00")), big: liveChoice("big", "Big", 1, eurUsd("5.00", "4.50")) },
          }),
          archive: liveOption("archive", { label: "Archive", type: "yesno", min: 0, choices: { "": liveChoice("", "Archive", 0, eurUsd("2.00", "1.80")) } }),
        },
      }),
    ],
    products: [liveProduct("300", "mail-lite", { configOptionGroupIds: ["7"], pricing: { USD: row({ annually: "10.00" }), EUR: row({ annually: "9.00" }) } })],
  });
}

interface AfterOver {
  readonly options?: Record<string, string>;
  readonly amount?: string;
  readonly currency?: string | null;
  readonly plan?: CustomerOrgState["zoho"]["plan"];
  readonly mailboxes?: number;
  /** The ZOID a plan read from Zoho's listing; null (default) when it found no org for the domain. */
  readonly zoid?: string | null;
}

function afterOf(org: DesiredCustomerResource, over: AfterOver = {}): CustomerOrgState {
  const s = org.spec;
  const mailboxes = over.mailboxes ?? s.mailboxes;
  return {
    client: { email: s.client.email, firstName: s.client.firstName, lastName: s.client.lastName, company: s.client.company },
    domain: s.domain,
    product: s.product,
    billingCycle: s.billingCycle,
    mailboxes,
    status: s.status,
    options: over.options ?? { archive: "no", storage: "std" },
    billing: { currency: over.currency === undefined ? null : over.currency, recurringAmount: over.amount ?? "310.00" },
    zoho: { org: true, superAdmin: s.client.email, plan: over.plan ?? { type: "paid", plan: "mail-lite", payPeriod: "yearly", licenses: mailboxes } },
    records: { zoid: over.zoid ?? null, superAdmin: s.client.email, verified: "false" },
  };
}

/** The state a fresh plan computes on the next run: it has read the org an earlier run created. */
function replanned(w: FakeCustomerWriter, org: DesiredCustomerResource, over: AfterOver = {}): CustomerOrgState {
  return afterOf(org, { ...over, zoid: w.zohoOrgs.get(org.spec.domain)?.zoid ?? null });
}

function change(org: DesiredCustomerResource, after: CustomerOrgState, action: Change["action"] = "create"): Change {
  return { id: org.key, key: org.key, kind: "CustomerOrg", name: org.name, action, before: null, after, diffs: [], dependsOn: [], classes: [], impact: {} };
}

async function apply(
  writer: FakeCustomerWriter,
  items: readonly (readonly [DesiredCustomerResource, CustomerOrgState])[],
  orders: Partial<OrderSettings> = {},
): Promise<CustomerApplyResult[]> {
  const plan = { checksum: "sha256:test", changes: items.map(([o, a]) => change(o, a)) } as unknown as Plan;
  return applyCustomerChanges({
    plan,
    desired: items.map(([o]) => o),
    writer,
    catalog: catalog(),
    zohoPlans: PLANS,
    paymentMethod: "banktransfer",
    orders: { ...DEFAULT_ORDER_SETTINGS, ...orders },
    journal: memoryJournal(),
    logger: silentLogger(),
  });
}

function org(name: string, over: OrgOverrides = {}): DesiredCustomerResource {
  return customerOrg(name, over);
}

const WHMCS_WRITES = ["addClient", "addOrder", "acceptOrder", "updateService"];

describe("customer apply through the CustomerWriter", () => {
  it("creates a new org Zoho first: org, subscription, then client, order, acceptance, records", async () => {
    const w = new FakeCustomerWriter(catalog());
    const acme = org("acme");
    const [r] = await apply(w, [[acme, afterOf(acme, { options: { storage: "big", archive: "yes" }, amount: "317.00" })]]);
    expect(r).toMatchObject({ status: "succeeded", remoteId: w.services[0]?.id });
    expect(w.writes()).toEqual(["createZohoOrg", "createSubscription", "addClient", "addOrder", "acceptOrder", "updateService", "recordModuleRow"]);
    // The plan read Zoho's listing (under the apply lock) and found no org: created without a lookup.
    expect(w.calls.slice(0, 2)).toEqual(["findClient", "createZohoOrg"]);
    expect(w.calls).not.toContain("findZohoOrg");
    // 10.00 + 25 × 12.00 + 5.00 (big) + 2.00 (archive): what WHMCS computes, so no override.
    expect(w.orders[0]?.order).toEqual({
      clientId: w.clients[0]?.id,
      paymentMethod: "banktransfer",
      item: { productId: "300", billingCycle: "annually", domain: "acme.example", configOptions: { "70": 25, "71": 711, "72": 1 } },
      noInvoice: false,
      noInvoiceEmail: true,
      noEmail: true,
    });
    expect(w.orders[0]?.acceptEmail).toBe(false);
    expect(w.clients[0]).toMatchObject({ email: "it@acme.example", currencyId: undefined, noEmail: true });
    expect(w.invoices).toHaveLength(1);
    expect(w.subscriptions.get("it@acme.example")).toEqual({ planId: 17033, payPeriod: "yearly", addons: [{ id: 17083, count: 25 }] });
    // The records step writes ZOID, super admin and verification state; terms needed no update.
    expect(w.updates).toEqual([{ serviceId: w.services[0]?.id, customFields: { "51": w.zohoOrgs.get("acme.example")?.zoid, "52": "it@acme.example", "53": "false" } }]);
  });

  it("a free org's order bills 0.00 with a price override and raises no invoice", async () => {
    const w = new FakeCustomerWriter(catalog());
    const free = org("free", { plan: { type: "free" }, mailboxes: 3 });
    await apply(w, [[free, afterOf(free, { amount: "0.00", plan: { type: "free" } })]]);
    expect(w.orders[0]?.order).toMatchObject({ item: { priceOverride: "0.00" }, noInvoice: true });
    expect(w.invoices).toEqual([]);
    expect(w.services[0]).toMatchObject({ recurringAmount: "0.00", status: "active" });
    expect(w.writes()).not.toContain("createSubscription");
  });

  it("a paid org whose plan amount differs from the catalog's is ordered at the plan's amount; EUR clients get the EUR currency id", async () => {
    const w = new FakeCustomerWriter(catalog());
    const eur = org("eur", { client: { currency: "EUR" } });
    await apply(w, [[eur, afterOf(eur, { currency: "EUR", amount: "294.00" })]]);
    // EUR catalog: 9.00 + 25 × 11.40 = 294.00: no override.
    expect(w.clients[0]).toMatchObject({ currencyId: "2", currency: "EUR" });
    expect(w.orders[0]?.order.item.priceOverride).toBeUndefined();

    const w2 = new FakeCustomerWriter(catalog());
    await apply(w2, [[eur, afterOf(eur, { currency: "EUR", amount: "250.00" })]]);
    expect(w2.orders[0]?.order.item.priceOverride).toBe("250.00");
  });

  it("order settings: invoice off raises none, e-mails on are sent", async () => {
    const w = new FakeCustomerWriter(catalog());
    const acme = org("acme");
    await apply(w, [[acme, afterOf(acme)]], { invoice: false, emails: true });
    expect(w.orders[0]?.order).toMatchObject({ noInvoice: true, noInvoiceEmail: false, noEmail: false });
    expect(w.orders[0]?.acceptEmail).toBe(true);
    expect(w.clients[0]?.noEmail).toBe(false);
  });

  for (const [method, phase] of [
    ["createZohoOrg", "before"],
    ["createZohoOrg", "after"],
    ["createSubscription", "before"],
    ["createSubscription", "after"],
    ["getSubscription", "before"],
  ] as const) {
    it(`a ${method} failure (${phase === "before" ? "nothing done" : "done, answer lost"}) leaves WHMCS untouched; the next run converges without duplicates`, async () => {
      const w = new FakeCustomerWriter(catalog());
      const acme = org("acme");
      const after = afterOf(acme);
      w.fail(method, { phase });
      const [r] = await apply(w, [[acme, after]]);
      if (method === "createZohoOrg" && phase === "after") {
        // The create happened and its answer was lost: the org is looked up at once and used.
        expect(r?.status).toBe("succeeded");
        expect(w.calls.filter((c) => c === "createZohoOrg" || c === "findZohoOrg")).toEqual(["createZohoOrg", "findZohoOrg"]);
        expect([w.zohoOrgs.size, w.subscriptions.size, w.clients.length, w.orders.length]).toEqual([1, 1, 1, 1]);
        return;
      }
      expect(r?.status).toBe("failed");
      expect(r?.error?.message).toMatch(method === "createZohoOrg" ? /step zoho-org/ : /step zoho-plan/);
      expect(w.writes().filter((c) => WHMCS_WRITES.includes(c))).toEqual([]);
      expect(w.clients).toEqual([]);
      expect(w.orders).toEqual([]);
      expect(w.invoices).toEqual([]);

      const [again] = await apply(w, [[acme, replanned(w, acme)]]);
      expect(again?.status).toBe("succeeded");
      expect(w.zohoOrgs.size).toBe(1);
      expect(w.subscriptions.size).toBe(1);
      expect(w.clients).toHaveLength(1);
      expect(w.orders).toHaveLength(1);
      expect(w.invoices).toHaveLength(1);
    });
  }

  it("an org the plan found is looked up again; an org that appeared after the plan read Zoho is found when the create is refused", async () => {
    const w = new FakeCustomerWriter(catalog());
    const acme = org("acme");
    await apply(w, [[acme, afterOf(acme)]]);
    const zoid = w.zohoOrgs.get("acme.example")?.zoid;
    w.calls.length = 0;
    await apply(w, [[acme, afterOf(acme, { zoid: zoid ?? null })]]);
    expect(w.calls).toContain("findZohoOrg");
    expect(w.calls).not.toContain("createZohoOrg");

    // Another tool created beta's org between the plan's read and the apply.
    const beta = org("beta", { client: { email: "it@beta.example" } });
    w.zohoOrgs.set("beta.example", { zoid: "9001", superAdmin: "it@beta.example", verified: false, basePlan: "free", plan: "free" });
    w.calls.length = 0;
    const [r] = await apply(w, [[beta, afterOf(beta)]]);
    expect(r?.status).toBe("succeeded");
    expect(w.calls.filter((c) => c === "createZohoOrg" || c === "findZohoOrg")).toEqual(["createZohoOrg", "findZohoOrg"]);
    expect(w.zohoOrgs.size).toBe(2);
  });

  it("a crash after the Zoho steps leaves only Zoho; the next run finds the org and the subscription and goes on", async () => {
    const w = new FakeCustomerWriter(catalog());
    const acme = org("acme");
    w.fail("addClient", { error: new Error("killed") });
    const [r] = await apply(w, [[acme, afterOf(acme)]]);
    expect(r?.error?.message).toMatch(/step client: killed/);
    expect([w.clients.length, w.orders.length, w.subscriptions.size]).toEqual([0, 0, 1]);
    w.calls.length = 0;
    await apply(w, [[acme, replanned(w, acme)]]);
    expect(w.writes()).toEqual(["addClient", "addOrder", "acceptOrder", "updateService", "recordModuleRow"]);
    expect(w.orders).toHaveLength(1);
  });

  it("refuses in the read-only lookup (an unknown choice, a client paying in another currency) before writing anywhere", async () => {
    const w = new FakeCustomerWriter(catalog());
    const acme = org("acme");
    const [r] = await apply(w, [[acme, afterOf(acme, { options: { storage: "huge", archive: "no" } })]]);
    expect(r?.error).toMatchObject({ code: "apply.customer.unknown-choice" });
    expect(r?.error?.message).toMatch(/step lookup/);
    expect(w.writes()).toEqual([]);

    await w.addClient({ ...acme.spec.client, currencyId: "1", noEmail: true });
    w.calls.length = 0;
    const [m] = await apply(w, [[acme, afterOf(acme, { currency: "EUR" })]]);
    expect(m?.error).toMatchObject({ code: "apply.customer.currency-mismatch" });
    expect(w.writes()).toEqual([]);
  });

  it("terms: one update with the changed quantity, the changed option and the plan's recurring amount, nothing else", async () => {
    const w = new FakeCustomerWriter(catalog());
    const acme = org("acme");
    await apply(w, [[acme, afterOf(acme)]]);
    const id = w.services[0]?.id ?? "";
    w.updates.length = 0;
    const more = org("acme", { mailboxes: 30 });
    await apply(w, [[more, afterOf(more, { options: { storage: "big", archive: "no" }, amount: "375.00" })]]);
    expect(w.updates).toEqual([
      { serviceId: id, configOptions: { "70": { subOptionId: "700", qty: 30 }, "71": { subOptionId: "711" } }, recurringAmount: "375.00" },
    ]);
    expect(w.subscriptions.get("it@acme.example")?.addons).toEqual([{ id: 17083, count: 30 }]);

    // Only the amount differs (the plan repriced the service): the amount alone is sent.
    w.updates.length = 0;
    await apply(w, [[more, afterOf(more, { options: { storage: "big", archive: "no" }, amount: "360.00" })]]);
    expect(w.updates).toEqual([{ serviceId: id, recurringAmount: "360.00" }]);
    // Nothing differs: nothing is sent.
    w.updates.length = 0;
    await apply(w, [[more, afterOf(more, { options: { storage: "big", archive: "no" }, amount: "360.00" })]]);
    expect(w.updates).toEqual([]);
  });

  it("existing services: Zoho changes before the WHMCS terms, and a Zoho failure leaves the terms as they were", async () => {
    const w = new FakeCustomerWriter(catalog());
    const acme = org("acme");
    await apply(w, [[acme, afterOf(acme)]]);
    const more = org("acme", { mailboxes: 40 });
    w.fail("updateSubscription", { error: new Error("card declined") });
    w.calls.length = 0;
    const [r] = await apply(w, [[more, replanned(w, more, { amount: "490.00" })]]);
    expect(r?.error?.message).toMatch(/step zoho-plan: card declined/);
    expect(w.writes()).toEqual(["updateSubscription"]);
    expect(w.services[0]?.values["70"]).toBe(25);
    w.calls.length = 0;
    await apply(w, [[more, replanned(w, more, { amount: "490.00" })]]);
    expect(w.writes()).toEqual(["updateSubscription", "updateService", "recordModuleRow"]);
    expect(w.services[0]).toMatchObject({ recurringAmount: "490.00", values: { "70": 40 } });
  });

  it("two orgs of one new client create the client once", async () => {
    const w = new FakeCustomerWriter(catalog());
    const a = org("acme");
    const b = org("beta", { client: { email: "it@acme.example" } });
    const results = await apply(w, [
      [a, afterOf(a)],
      [b, { ...afterOf(b), zoho: { org: true, superAdmin: "admin@beta.example", plan: { type: "paid", plan: "mail-lite", payPeriod: "yearly", licenses: 25 } } }],
    ]);
    expect(results.map((r) => r.status)).toEqual(["succeeded", "succeeded"]);
    expect(w.clients).toHaveLength(1);
    expect(w.orders.map((o) => o.order.clientId)).toEqual([w.clients[0]?.id, w.clients[0]?.id]);
  });
});


