import { describe, expect, it } from "vitest";
import type { WhmcsSandbox, WhmcsSandboxOptions } from "../../../src/sandbox/whmcs/index.js";
import { engines, useEngine } from "./engines.js";
import { call } from "./harness.js";
import { addClient, addOrder, b64, MAIL_CATALOG } from "./orders-fixture.js";

const ENGINES = await engines("orders");

describe.each(ENGINES)("orders on %s", (_name, engine) => {
  const scope = useEngine(engine);
  function start(options: WhmcsSandboxOptions = {}): Promise<WhmcsSandbox> {
    return scope.sandbox({ catalog: MAIL_CATALOG, ...options });
  }

  describe("AddOrder", () => {
    it("creates a Pending order and service with option rows, amounts and an invoice, answering ids as strings", async () => {
      const sb = await start();
      const client = await addClient(sb, "it@acme.example");
      const r = await addOrder(sb, client, { pid: 1, cycle: "annually", domain: "acme.example", options: { 1: 25, 2: 3, 3: 1 } });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ result: "success", orderid: "1", serviceids: "1", addonids: "", domainids: "", invoiceid: "1" });

      const order = await sb.store.selectOne("tblorders", { id: 1 });
      expect(order).toMatchObject({ userid: client, status: "Pending", paymentmethod: "banktransfer", amount: "340.50", invoiceid: 1 });
      expect(Number(order?.["ordernum"])).toBeGreaterThanOrEqual(1_000_000_000);
      expect(Number(order?.["ordernum"])).toBeLessThan(10_000_000_000);
      expect(await sb.store.selectOne("tblhosting", { id: 1 })).toMatchObject({
        userid: client,
        orderid: 1,
        packageid: 1,
        server: 1,
        domain: "acme.example",
        billingcycle: "Annually",
        domainstatus: "Pending",
        firstpaymentamount: "340.50",
        amount: "339.00",
        qty: 1,
      });
      expect(await sb.store.select("tblhostingconfigoptions", {}, { columns: ["relid", "configid", "optionid", "qty"] })).toEqual([
        { relid: 1, configid: 1, optionid: 1, qty: 25 },
        { relid: 1, configid: 2, optionid: 3, qty: 0 },
        { relid: 1, configid: 3, optionid: 4, qty: 1 },
      ]);
      expect(await sb.store.selectOne("tblinvoices", { id: 1 })).toMatchObject({ userid: client, status: "Unpaid", total: "340.50" });
      expect(await sb.store.select("tblinvoiceitems", {}, { columns: ["invoiceid", "type", "relid", "amount"] })).toEqual([
        { invoiceid: 1, type: "Hosting", relid: 1, amount: "340.50" },
      ]);
    });

    it("reads the documented base64 example and fills options left out with the order form's defaults", async () => {
      const sb = await start();
      const client = await addClient(sb, "a@example.com");
      // {1: 5}: the reference's own encoding shape (i: keys and values).
      const r = await addOrder(sb, client, { pid: 2, options: { 1: 5 } });
      expect(r.json["result"]).toBe("success");
      expect(await sb.store.select("tblhostingconfigoptions", {}, { columns: ["configid", "optionid", "qty"] })).toEqual([
        { configid: 1, optionid: 1, qty: 5 },
        { configid: 2, optionid: 2, qty: 0 },
        { configid: 3, optionid: 4, qty: 0 },
      ]);
      // No cycle asked: the first offered (monthly): $3 + 5 × $1.
      expect(await sb.store.selectOne("tblhosting", {}, { columns: ["billingcycle", "amount", "firstpaymentamount"] })).toEqual({ billingcycle: "Monthly", amount: "8.00", firstpaymentamount: "8.00" });
    });

    it("orders several items, with qty[], priceoverride[], customfields[] and noinvoice", async () => {
      const sb = await start();
      const client = await addClient(sb, "b@example.com");
      const body = [
        `clientid=${client}`,
        "paymentmethod=banktransfer",
        "pid[0]=1&billingcycle[0]=monthly&domain[0]=one.example",
        `configoptions[0]=${encodeURIComponent(b64({ 1: 2 }))}`,
        `customfields[0]=${encodeURIComponent(b64({ 1: "7001" }))}`,
        "pid[1]=2&qty[1]=3&priceoverride[1]=9.99",
        "pid[2]=3",
        "noinvoice=1",
      ].join("&");
      const r = await call(sb, "AddOrder", body);
      expect(r.json).toEqual({ result: "success", orderid: "1", serviceids: "1,2,3", addonids: "", domainids: "", invoiceid: "0" });
      const services = await sb.store.select("tblhosting", {}, { columns: ["packageid", "qty", "billingcycle", "amount", "firstpaymentamount", "nextduedate"] });
      expect(services).toEqual([
        { packageid: 1, qty: 1, billingcycle: "Monthly", amount: "3.00", firstpaymentamount: "3.00", nextduedate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
        { packageid: 2, qty: 3, billingcycle: "Monthly", amount: "9.99", firstpaymentamount: "9.99", nextduedate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
        { packageid: 3, qty: 1, billingcycle: "Free Account", amount: "0.00", firstpaymentamount: "0.00", nextduedate: "0000-00-00" },
      ]);
      expect(await sb.store.select("tblcustomfieldsvalues", {}, { columns: ["fieldid", "relid", "value"] })).toEqual([{ fieldid: 1, relid: 1, value: "7001" }]);
      expect(await sb.store.count("tblinvoices")).toBe(0);
      expect((await sb.store.selectOne("tblorders"))?.["amount"]).toBe("12.99");
    });

    it("answers the documented errors", async () => {
      const sb = await start();
      const client = await addClient(sb, "c@example.com");
      const cases: [string, string][] = [
        ["clientid=99&paymentmethod=banktransfer&pid[0]=1", "Client ID Not Found"],
        ["paymentmethod=banktransfer&pid[0]=1", "Client ID Not Found"],
        [`clientid=${client}&paymentmethod=bitcoin&pid[0]=1`, "Invalid Payment Method. Valid options include mailin,banktransfer,paypal"],
        [`clientid=${client}&pid[0]=1`, "Invalid Payment Method. Valid options include mailin,banktransfer,paypal"],
        [`clientid=${client}&paymentmethod=banktransfer`, "No items added to cart so order cannot proceed"],
        [`clientid=${client}&paymentmethod=banktransfer&pid=1`, "Expecting parameter 'pid' to be an array"],
        [`clientid=${client}&paymentmethod=banktransfer&pid[0]=1&billingcycle=monthly`, "Expecting parameter 'billingcycle' to be an array"],
      ];
      for (const [body, message] of cases) expect((await call(sb, "AddOrder", body)).json).toEqual({ result: "error", message });
      await sb.store.update("tblclients", { id: client }, { status: "Closed" });
      expect((await call(sb, "AddOrder", `clientid=${client}&paymentmethod=banktransfer&pid[0]=1`)).json).toEqual({
        result: "error",
        message: "Unable to add order when client status is Closed",
      });
      expect(await sb.store.count("tblorders")).toBe(0);
      expect(await sb.store.count("tblhosting")).toBe(0);
    });

    it("accepts a cycle the product has no price for when priceoverride[] prices it", async () => {
      const sb = await start();
      const client = await addClient(sb, "po@example.com");
      // Zoho Mail Lite has no quarterly price.
      expect((await addOrder(sb, client, { pid: 1, cycle: "quarterly" })).json).toEqual({ result: "error", message: "Invalid Billing Cycle Requested" });
      const r = await addOrder(sb, client, { pid: 1, cycle: "quarterly", options: { 1: 5 }, extra: "priceoverride[0]=7.5" });
      expect(r.json).toMatchObject({ result: "success", orderid: "1", serviceids: "1" });
      expect(await sb.store.selectOne("tblhosting", { id: 1 }, { columns: ["billingcycle", "firstpaymentamount", "amount"] })).toEqual({
        billingcycle: "Quarterly",
        firstpaymentamount: "7.50",
        amount: "7.50",
      });
      const services = await call(sb, "GetClientsProducts", `clientid=${client}`);
      expect(services.json["products"]).toMatchObject({ product: [{ billingcycle: "Quarterly", recurringamount: "7.50" }] });
      sb.switches.addOrderUnpricedCycle = "accept-zero";
      expect((await addOrder(sb, client, { pid: 1, cycle: "quarterly" })).json["result"]).toBe("success");
      expect((await sb.store.selectOne("tblhosting", { id: 2 }))?.["amount"]).toBe("0.00");
    });

    it("validates option ids, sub-option ids, cycles and base64 with clear errors, writing nothing", async () => {
      const sb = await start({ catalog: { ...MAIL_CATALOG, configGroups: [...(MAIL_CATALOG.configGroups ?? []), { ref: "other", name: "Other", options: [{ name: "x|X", type: "dropdown", choices: [{ name: "a" }] }] }] } });
      const client = await addClient(sb, "d@example.com");
      expect((await addOrder(sb, client, { pid: 1, options: { 4: 5 } })).json["message"]).toBe("Configurable option ID 4 does not belong to product ID 1");
      expect((await addOrder(sb, client, { pid: 1, options: { 2: 1 } })).json["message"]).toBe("Sub-option ID 1 does not belong to configurable option ID 2");
      expect((await addOrder(sb, client, { pid: 1, cycle: "weekly" })).json["message"]).toMatch(/^Invalid billing cycle "weekly"/);
      expect((await addOrder(sb, client, { pid: 1, cycle: "quarterly" })).json["message"]).toBe("Invalid Billing Cycle Requested");
      expect((await addOrder(sb, client, { pid: 9 })).json["message"]).toBe("Invalid Product ID 9");
      const bad = await call(sb, "AddOrder", `clientid=${client}&paymentmethod=banktransfer&pid[0]=1&configoptions[0]=bm90IHNlcmlhbGl6ZWQ=`);
      expect(bad.json["message"]).toMatch(/^Invalid configoptions\[0\]: malformed PHP serialized data/);
      expect(await sb.store.count("tblorders")).toBe(0);
    });

    it("applies the quantity range policy per switch: clamp to the minimum, reject or accept", async () => {
      const sb = await start();
      const client = await addClient(sb, "e@example.com");
      await addOrder(sb, client, { pid: 2, options: { 1: 80 } });
      await addOrder(sb, client, { pid: 2, options: { 1: 0 } });
      expect((await sb.store.select("tblhostingconfigoptions", { configid: 1 })).map((r) => r["qty"])).toEqual([1, 1]);
      sb.switches.quantityOutOfRange = "reject";
      expect((await addOrder(sb, client, { pid: 2, options: { 1: 80 } })).json["message"]).toBe("Quantity 80 for configurable option ID 1 is outside 1..50");
      sb.switches.quantityOutOfRange = "accept";
      expect((await addOrder(sb, client, { pid: 2, options: { 1: 80 } })).json["result"]).toBe("success");
      expect((await sb.store.select("tblhostingconfigoptions", { configid: 1 })).map((r) => r["qty"])).toEqual([1, 1, 80]);
    });

    it("accepts scalar item fields and answers productids per switch", async () => {
      const sb = await start({ switches: { addOrderScalarArrays: "accept", addOrderProductIds: true } });
      const client = await addClient(sb, "f@example.com");
      const r = await call(sb, "AddOrder", `clientid=${client}&paymentmethod=paypal&pid=2&billingcycle=Monthly&domain=scalar.example`);
      expect(r.json).toEqual({ result: "success", orderid: "1", productids: "1", serviceids: "1", addonids: "", domainids: "", invoiceid: "1" });
      expect(await sb.store.selectOne("tblhosting", {}, { columns: ["domain", "paymentmethod"] })).toEqual({ domain: "scalar.example", paymentmethod: "paypal" });
    });

    it("stores yes/no as its sub-option id only when switched", async () => {
      const sb = await start({ switches: { yesNoStorage: "optionid" } });
      const client = await addClient(sb, "g@example.com");
      await addOrder(sb, client, { pid: 1, cycle: "annually", options: { 3: 1 } });
      await addOrder(sb, client, { pid: 1, cycle: "annually", options: { 3: 0 } });
      expect(await sb.store.select("tblhostingconfigoptions", { configid: 3 }, { columns: ["optionid", "qty"] })).toEqual([
        { optionid: 4, qty: 0 },
        { optionid: 0, qty: 0 },
      ]);
      // Ticked backup adds $5 a year; unticked does not. 1 mailbox at $12 + $10 base.
      expect((await sb.store.select("tblhosting", {}, { columns: ["amount"] })).map((r) => r["amount"])).toEqual(["27.00", "22.00"]);
    });
  });

  describe("AcceptOrder and PendingOrder", () => {
    it("accepts a Pending order once, activating its services without a module call", async () => {
      const sb = await start();
      const client = await addClient(sb, "h@example.com");
      await addOrder(sb, client, { pid: 1, cycle: "annually", domain: "h.example" });
      expect((await call(sb, "AcceptOrder", "orderid=1")).json).toEqual({ result: "success" });
      expect((await sb.store.selectOne("tblorders"))?.["status"]).toBe("Active");
      expect((await sb.store.selectOne("tblhosting"))?.["domainstatus"]).toBe("Active");
      expect(await sb.store.count("tblmodulelog")).toBe(0);
      for (const body of ["orderid=1", "orderid=99", "", "orderid=abc"]) {
        expect((await call(sb, "AcceptOrder", body)).json).toEqual({ result: "error", message: "Order ID not found or Status not Pending" });
      }
    });

    it("leaves services Pending when no module runs, per switch, and writes server and credentials", async () => {
      const sb = await start({ switches: { acceptOrderServiceStatus: "Pending" } });
      const client = await addClient(sb, "i@example.com");
      await addOrder(sb, client, { pid: 1, cycle: "annually" });
      expect((await call(sb, "AcceptOrder", "orderid=1&serverid=7&serviceusername=admin&servicepassword=pw-123")).json["result"]).toBe("success");
      expect(await sb.store.selectOne("tblhosting", {}, { columns: ["domainstatus", "server", "username", "password"] })).toEqual({
        domainstatus: "Pending",
        server: 7,
        username: "admin",
        password: "pw-123",
      });
    });

    it("runs the module's CreateAccount with autosetup and propagates a module error", async () => {
      const sb = await start();
      const client = await addClient(sb, "j@example.com");
      await addOrder(sb, client, { pid: 1, cycle: "annually", domain: "j.example" });
      expect((await call(sb, "AcceptOrder", "orderid=1&autosetup=1")).json).toEqual({ result: "error", message: "Function Not Supported by Module" });
      expect((await sb.store.selectOne("tblorders"))?.["status"]).toBe("Pending");
      expect((await sb.store.selectOne("tblhosting"))?.["domainstatus"]).toBe("Pending");

      await addOrder(sb, client, { pid: 2, domain: "k.example" });
      expect((await call(sb, "AcceptOrder", "orderid=2&autosetup=true")).json).toEqual({ result: "success" });
      expect((await sb.store.selectOne("tblhosting", { id: 2 }))?.["domainstatus"]).toBe("Active");
      expect(await sb.store.select("tblmodulelog", {}, { columns: ["module", "action", "response"] })).toEqual([{ module: "reconcile_test", action: "CreateAccount", response: "success" }]);
    });

    it("follows the product's autosetup=on setting unless autosetup is sent", async () => {
      const sb = await start();
      await sb.store.update("tblproducts", { id: 2 }, { autosetup: "on" });
      const client = await addClient(sb, "l@example.com");
      await addOrder(sb, client, { pid: 2 });
      await addOrder(sb, client, { pid: 2 });
      await call(sb, "AcceptOrder", "orderid=1");
      await call(sb, "AcceptOrder", "orderid=2&autosetup=0");
      expect((await sb.store.select("tblmodulelog", {}, { columns: ["action"] })).map((r) => r["action"])).toEqual(["CreateAccount"]);
    });

    it("puts an order and its services back to Pending", async () => {
      const sb = await start();
      const client = await addClient(sb, "m@example.com");
      await addOrder(sb, client, { pid: 1, cycle: "annually" });
      await call(sb, "AcceptOrder", "orderid=1");
      expect((await call(sb, "PendingOrder", "orderid=1")).json).toEqual({ result: "success" });
      expect((await sb.store.selectOne("tblorders"))?.["status"]).toBe("Pending");
      expect((await sb.store.selectOne("tblhosting"))?.["domainstatus"]).toBe("Pending");
      expect((await call(sb, "PendingOrder", "orderid=5")).json).toEqual({ result: "error", message: "Order ID Not Found" });
      expect((await call(sb, "AcceptOrder", "orderid=1")).json["result"]).toBe("success");
    });

    it("counts accepted services in ReconcileGetCatalog's servicecounts", async () => {
      const sb = await start({ switches: { companion: true } });
      const client = await addClient(sb, "n@example.com");
      await addOrder(sb, client, { pid: 1, cycle: "annually" });
      await addOrder(sb, client, { pid: 1, cycle: "annually" });
      await addOrder(sb, client, { pid: 1, cycle: "monthly" });
      expect((await call(sb, "ReconcileGetCatalog")).json["servicecounts"]).toEqual([]);
      await call(sb, "AcceptOrder", "orderid=1");
      await call(sb, "AcceptOrder", "orderid=2");
      await call(sb, "AcceptOrder", "orderid=3");
      expect((await call(sb, "ReconcileGetCatalog")).json["servicecounts"]).toEqual([
        { pid: 1, billingcycle: "Annually", currency: 1, count: 2 },
        { pid: 1, billingcycle: "Monthly", currency: 1, count: 1 },
      ]);
    });
  });

  describe("GetOrders", () => {
    it("answers the documented shape: numbers for ids, strings for amounts, line items with the service id", async () => {
      const sb = await start();
      const client = await addClient(sb, "o@example.com");
      await addOrder(sb, client, { pid: 1, cycle: "annually", domain: "o.example", options: { 1: 2 } });
      const r = await call(sb, "GetOrders", "id=1");
      expect(Object.keys(r.json)).toEqual(["result", "totalresults", "startnumber", "numreturned", "orders"]);
      expect(r.json).toMatchObject({ result: "success", totalresults: 1, startnumber: 0, numreturned: 1 });
      const order = (r.json["orders"] as { order: Record<string, unknown>[] }).order[0] as Record<string, unknown>;
      const ordernum = (await sb.store.selectOne("tblorders"))?.["ordernum"];
      expect(order).toEqual({
        id: 1,
        ordernum,
        userid: client,
        contactid: 0,
        requestor_id: 0,
        admin_requestor_id: 0,
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
        nameservers: "",
        transfersecret: "",
        renewals: "",
        renewalsByType: { domains: [], services: [], addons: [] },
        promocode: "",
        promotype: "",
        promovalue: "",
        orderdata: "a:0:{}",
        amount: "35.50",
        paymentmethod: "banktransfer",
        invoiceid: 1,
        status: "Pending",
        ipaddress: "",
        fraudmodule: "",
        fraudoutput: "",
        notes: "",
        paymentmethodname: "Bank Transfer",
        paymentstatus: "Unpaid",
        name: "Ada Lovelace",
        currencyprefix: "$",
        currencysuffix: " USD",
        frauddata: "",
        validationdata: "",
        lineitems: {
          lineitem: [
            {
              type: "product",
              relid: 1,
              producttype: "Other Product/Service",
              product: "Business Email - Zoho Mail Lite",
              domain: "o.example",
              billingcycle: "Annually",
              amount: "35.50",
              status: "Pending",
            },
          ],
        },
      });
      expect(r.text).toContain(`"ordernum":${String(ordernum)},`);
    });

    it("filters by id, userid and status and pages newest first (oldest first per switch)", async () => {
      const sb = await start();
      const a = await addClient(sb, "p@example.com");
      const b = await addClient(sb, "q@example.com");
      for (const client of [a, b, a, a]) await addOrder(sb, client, { pid: 2 });
      await call(sb, "AcceptOrder", "orderid=3");
      const ids = async (rest: string): Promise<number[]> =>
        ((await call(sb, "GetOrders", rest)).json["orders"] as { order: { id: number }[] }).order.map((o) => o.id);
      expect(await ids("")).toEqual([4, 3, 2, 1]);
      expect(await ids(`userid=${a}`)).toEqual([4, 3, 1]);
      expect(await ids("status=Active")).toEqual([3]);
      expect(await ids("limitstart=1&limitnum=2")).toEqual([3, 2]);
      const page = await call(sb, "GetOrders", "limitstart=3&limitnum=2");
      expect(page.json).toMatchObject({ totalresults: 4, startnumber: 3, numreturned: 1 });
      sb.switches.getOrdersOrder = "asc";
      expect(await ids("")).toEqual([1, 2, 3, 4]);
    });
  });
});
