import { describe, expect, it } from "vitest";
import type { WhmcsSandbox, WhmcsSandboxOptions } from "../../../src/sandbox/whmcs/index.js";
import { engines, useEngine } from "./engines.js";
import { call, type ApiReply } from "./harness.js";
import { addClient, addOrder, b64, MAIL_CATALOG } from "./orders-fixture.js";

const ENGINES = await engines("services");

type Product = Record<string, unknown>;
function products(r: ApiReply): Product[] {
  return (r.json["products"] as { product: Product[] }).product;
}

describe.each(ENGINES)("services on %s", (_name, engine) => {
  const scope = useEngine(engine);
  function start(options: WhmcsSandboxOptions = {}): Promise<WhmcsSandbox> {
    return scope.sandbox({ catalog: MAIL_CATALOG, ...options });
  }

  /** A client with an accepted Zoho Mail Lite service for acme.example: 25 mailboxes, pro plan, yearly. */
  async function ordered(sb: WhmcsSandbox): Promise<number> {
    const client = await addClient(sb, "it@acme.example");
    const r = await addOrder(sb, client, { pid: 1, cycle: "annually", domain: "acme.example", options: { 1: 25, 2: 3 } });
    expect(r.json["result"]).toBe("success");
    expect((await call(sb, "AcceptOrder", "orderid=1")).json["result"]).toBe("success");
    return client;
  }

  describe("GetClientsProducts", () => {
    it("answers the documented shape with string fields, null echoes and mailboxes as a quantity option", async () => {
      const sb = await start();
      const client = await ordered(sb);
      await sb.store.insert("tblcustomfieldsvalues", { fieldid: 1, relid: 1, value: "90001" });
      const r = await call(sb, "GetClientsProducts", `clientid=${client}`);
      expect(Object.keys(r.json)).toEqual(["result", "clientid", "serviceid", "pid", "domain", "totalresults", "startnumber", "numreturned", "products"]);
      expect(r.json).toMatchObject({ result: "success", clientid: String(client), serviceid: null, pid: null, domain: null, totalresults: "1", startnumber: 0, numreturned: 1 });
      const ordernum = String((await sb.store.selectOne("tblorders"))?.["ordernum"]);
      const service = products(r)[0] as Product;
      expect(service).toEqual({
        id: "1",
        qty: "1",
        clientid: String(client),
        orderid: "1",
        ordernumber: ordernum,
        pid: "1",
        regdate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        name: "Zoho Mail Lite",
        translated_name: "Zoho Mail Lite",
        groupname: "Business Email",
        translated_groupname: "Business Email",
        domain: "acme.example",
        dedicatedip: "",
        serverid: "1",
        servername: "Zoho Mail",
        serverip: "",
        serverhostname: "mail.zoho.com",
        suspensionreason: "",
        firstpaymentamount: "335.50",
        recurringamount: "334.00",
        paymentmethod: "banktransfer",
        paymentmethodname: "Bank Transfer",
        billingcycle: "Annually",
        nextduedate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        status: "Active",
        username: "",
        password: "",
        subscriptionid: "",
        promoid: "0",
        overideautosuspend: "",
        overidesuspenduntil: "0000-00-00",
        ns1: "",
        ns2: "",
        assignedips: "",
        notes: "",
        diskusage: "0",
        disklimit: "0",
        bwusage: "0",
        bwlimit: "0",
        lastupdate: "0000-00-00 00:00:00",
        customfields: { customfield: [{ id: "1", name: "ZOID|Zoho org id", translated_name: "ZOID|Zoho org id", value: "90001" }] },
        configoptions: {
          configoption: [
            { id: "1", option: "mailboxes|Mailboxes", type: "quantity", value: "25" },
            { id: "2", option: "plan|Plan", type: "dropdown", value: "Pro" },
            { id: "3", option: "backup|Backup", type: "yesno", value: "0" },
          ],
        },
      });
    });

    it("switches option type words, the quantity value, custom field entries and ordernumber", async () => {
      const sb = await start({
        switches: {
          clientsProductsOptionTypes: { "4": "qty" },
          clientsProductsQuantityValue: "number",
          clientsProductsCustomField: "id-value",
          clientsProductsOrderNumber: false,
        },
      });
      await ordered(sb);
      let service = products(await call(sb, "GetClientsProducts", "serviceid=1"))[0] as Product;
      expect(service).not.toHaveProperty("ordernumber");
      expect(service["customfields"]).toEqual({ customfield: [{ id: "1", value: "" }] });
      expect((service["configoptions"] as { configoption: unknown[] }).configoption[0]).toEqual({ id: "1", option: "mailboxes|Mailboxes", type: "qty", value: 25 });
      expect((service["configoptions"] as { configoption: unknown[] }).configoption[1]).toMatchObject({ type: "dropdown" });
      sb.switches.clientsProductsQuantityValue = "qty-x-name";
      service = products(await call(sb, "GetClientsProducts", "serviceid=1"))[0] as Product;
      expect((service["configoptions"] as { configoption: unknown[] }).configoption[0]).toMatchObject({ value: "25 x Mailbox" });
    });

    it("filters by clientid, serviceid, pid, domain and username2, echoing them, and pages", async () => {
      const sb = await start();
      const a = await addClient(sb, "a@example.com");
      const b = await addClient(sb, "b@example.com");
      await addOrder(sb, a, { pid: 2, domain: "one.example" });
      await addOrder(sb, a, { pid: 1, cycle: "monthly", domain: "two.example" });
      await addOrder(sb, b, { pid: 2, domain: "three.example" });
      await sb.store.update("tblhosting", { id: 3 }, { username: "boss" });
      const ids = async (rest: string): Promise<string[]> => products(await call(sb, "GetClientsProducts", rest)).map((p) => String(p["id"]));
      expect(await ids("")).toEqual(["1", "2", "3"]);
      expect(await ids(`clientid=${a}`)).toEqual(["1", "2"]);
      expect(await ids("pid=2")).toEqual(["1", "3"]);
      expect(await ids("domain=TWO.example")).toEqual(["2"]);
      expect(await ids("username2=boss")).toEqual(["3"]);
      expect(await ids("serviceid=9")).toEqual([]);
      const echo = await call(sb, "GetClientsProducts", "serviceid=3&pid=2&domain=three.example");
      expect(echo.json).toMatchObject({ clientid: null, serviceid: "3", pid: "2", domain: "three.example", totalresults: "1" });
      const page = await call(sb, "GetClientsProducts", "limitstart=1&limitnum=1");
      expect(page.json).toMatchObject({ totalresults: "3", startnumber: 1, numreturned: 1 });
      expect(products(page).map((p) => p["id"])).toEqual(["2"]);
    });
  });

  describe("UpdateClientProduct", () => {
    it("changes the mailbox quantity from one base64 {optionid, qty} map, without calling the module", async () => {
      const sb = await start();
      await ordered(sb);
      // The reference's UpdateClientProduct example shape: {configid: {optionid, qty}}.
      const r = await call(sb, "UpdateClientProduct", `serviceid=1&configoptions=${encodeURIComponent(b64({ 1: { optionid: 1, qty: 40 }, 2: 2 }))}`);
      expect(r.json).toEqual({ result: "success", serviceid: "1" });
      expect(r.text).toBe('{"result":"success","serviceid":"1"}');
      const options = (products(await call(sb, "GetClientsProducts", "serviceid=1"))[0]?.["configoptions"] as { configoption: { value: unknown }[] }).configoption;
      expect(options.map((o) => o.value)).toEqual(["40", "Basic", "0"]);
      expect(await sb.store.count("tblhostingconfigoptions")).toBe(3);
      expect(await sb.store.count("tblmodulelog")).toBe(0);
      // Records only: the recurring amount stays until autorecalc.
      expect((await sb.store.selectOne("tblhosting"))?.["amount"]).toBe("334.00");
      expect((await call(sb, "UpdateClientProduct", "serviceid=1&autorecalc=1&recurringamount=1.00")).json["result"]).toBe("success");
      expect((await sb.store.selectOne("tblhosting"))?.["amount"]).toBe("490.00");
    });

    it("writes record fields, display billing cycles, status, custom fields and unset[]", async () => {
      const sb = await start();
      await ordered(sb);
      const body = [
        "serviceid=1",
        "billingcycle=semiannually",
        "status=suspended",
        "nextduedate=2027-01-31",
        "recurringamount=99.5",
        "domain=new.example",
        "notes=moved",
        "ns1=ns1.example",
        "overideautosuspend=on",
        `customfields=${encodeURIComponent(b64({ 1: "777" }))}`,
      ].join("&");
      expect((await call(sb, "UpdateClientProduct", body)).json["result"]).toBe("success");
      expect(await sb.store.selectOne("tblhosting", {}, { columns: ["billingcycle", "domainstatus", "nextduedate", "amount", "domain", "notes", "ns1", "overideautosuspend"] })).toEqual({
        billingcycle: "Semi-Annually",
        domainstatus: "Suspended",
        nextduedate: "2027-01-31",
        amount: "99.50",
        domain: "new.example",
        notes: "moved",
        ns1: "ns1.example",
        overideautosuspend: "on",
      });
      expect((await sb.store.selectOne("tblcustomfieldsvalues"))?.["value"]).toBe("777");
      expect((await call(sb, "UpdateClientProduct", "serviceid=1&billingcycle=One-Time&unset[]=domain&unset[]=notes")).json["result"]).toBe("success");
      expect(await sb.store.selectOne("tblhosting", {}, { columns: ["billingcycle", "domain", "notes", "ns1"] })).toEqual({ billingcycle: "One-Time", domain: "", notes: "", ns1: "ns1.example" });
      sb.switches.billingCycleDisplay = { ...sb.switches.billingCycleDisplay, semiannually: "Semiannually" };
      await call(sb, "UpdateClientProduct", "serviceid=1&billingcycle=semiannually");
      expect((await sb.store.selectOne("tblhosting"))?.["billingcycle"]).toBe("Semiannually");
    });

    it("answers Service ID Not Found and refuses malformed values", async () => {
      const sb = await start();
      await ordered(sb);
      expect((await call(sb, "UpdateClientProduct", "serviceid=9")).json).toEqual({ result: "error", message: "Service ID Not Found" });
      expect((await call(sb, "UpdateClientProduct", "")).json).toEqual({ result: "error", message: "Service ID Not Found" });
      const errors: [string, string][] = [
        [`configoptions=${encodeURIComponent(b64({ 1: 40 }))}`, "Configurable option ID 1 is a quantity option: send {optionid, qty}"],
        [`configoptions=${encodeURIComponent(b64({ 2: 4 }))}`, "Sub-option ID 4 does not belong to configurable option ID 2"],
        [`configoptions=${encodeURIComponent(b64({ 9: 1 }))}`, "Configurable option ID 9 does not belong to product ID 1"],
        ["status=Gone", 'Invalid status "Gone": expected one of Pending, Active, Suspended, Terminated, Cancelled, Fraud, Completed'],
        ["billingcycle=Weekly", 'Invalid billing cycle "Weekly"'],
        ["nextduedate=31/01/2027", "Invalid date for nextduedate: expected Y-m-d"],
        ["unset[]=amount", 'Invalid unset field "amount": expected one of domain, serviceusername, servicepassword, subscriptionid, ns1, ns2, dedicatedip, assignedips, notes, suspendreason'],
        ["configoptions=%25%25%25", "Invalid configoptions: malformed PHP serialized data at byte 0: unexpected end of input"],
      ];
      for (const [rest, message] of errors) expect((await call(sb, "UpdateClientProduct", `serviceid=1&${rest}`)).json).toEqual({ result: "error", message });
      expect((await sb.store.select("tblhostingconfigoptions", { configid: 1 }))[0]?.["qty"]).toBe(25);
    });
  });

  describe("UpgradeProduct", () => {
    it("prices a quantity upgrade with calconly, prorated to the next due date", async () => {
      const sb = await start();
      await ordered(sb);
      const due = new Date(Date.now() + 73 * 86_400_000).toISOString().slice(0, 10);
      await call(sb, "UpdateClientProduct", `serviceid=1&nextduedate=${due}`);
      const r = await call(sb, "UpgradeProduct", "serviceid=1&paymentmethod=banktransfer&type=configoptions&configoptions[1]=30&calconly=1");
      expect(r.json["result"]).toBe("success");
      const totaldays = r.json["totaldays"] as number;
      expect(totaldays === 365 || totaldays === 366).toBe(true);
      expect(r.json).toMatchObject({ oldproductid: "1", newproductid: 1, newproductname: "Zoho Mail Lite", daysuntilrenewal: 73, newproductbillingcycle: "annually", upgradeinprogress: false });
      // 5 more mailboxes at $12 a year, for 73 of the year's days, in the client's currency.
      expect(r.json["price"]).toBe(`$${((6000 * 73) / totaldays / 100).toFixed(2)} USD`);
      expect(await sb.store.count("tblupgrades")).toBe(0);
    });

    it("creates an unpaid upgrade order, invoice and tblupgrades rows, and refuses another while unpaid", async () => {
      const sb = await start();
      await ordered(sb);
      const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      await call(sb, "UpdateClientProduct", `serviceid=1&nextduedate=${due}`);
      const r = await call(sb, "UpgradeProduct", "serviceid=1&paymentmethod=banktransfer&type=configoptions&configoptions[1]=30");
      expect(r.json).toMatchObject({ result: "success", id: "1", orderid: 2, invoiceid: 2 });
      expect(r.json["order_number"]).toMatch(/^\d+$/);
      expect(r.json).not.toHaveProperty("upgradeinprogress");
      expect(await sb.store.select("tblupgrades", {}, { columns: ["type", "relid", "originalvalue", "newvalue", "paid", "status", "new_recurring_amount"] })).toEqual([
        { type: "configoptions", relid: 1, originalvalue: "1=>1,25", newvalue: "1,30", paid: "N", status: "Pending", new_recurring_amount: "394.00" },
      ]);
      expect((await sb.store.selectOne("tblinvoices", { id: 2 }))?.["status"]).toBe("Unpaid");
      // Not applied until paid.
      expect((await sb.store.selectOne("tblhostingconfigoptions", { configid: 1 }))?.["qty"]).toBe(25);
      const again = await call(sb, "UpgradeProduct", "serviceid=1&paymentmethod=banktransfer&type=configoptions&configoptions[1]=35");
      expect(again.json).toEqual({ result: "error", message: "Unable to accept upgrade order. Previous upgrade invoice for service is still unpaid." });
      // A price calculation still answers, and says an upgrade is in progress.
      expect((await call(sb, "UpgradeProduct", "serviceid=1&type=configoptions&configoptions[1]=35&calconly=1")).json).toMatchObject({ result: "success", upgradeinprogress: true });
      await sb.store.update("tblupgrades", { id: 1 }, { paid: "Y", status: "Completed" });
      expect((await call(sb, "UpgradeProduct", "serviceid=1&paymentmethod=banktransfer&type=configoptions&configoptions[1]=35&calconly=1")).json).toMatchObject({ result: "success", upgradeinprogress: false });
    });

    it("completes a free upgrade at once and runs ChangePackage", async () => {
      const sb = await start();
      const client = await addClient(sb, "x@example.com");
      await addOrder(sb, client, { pid: 2, options: { 1: 2 } });
      await call(sb, "AcceptOrder", "orderid=1");
      // Due today: nothing left to prorate, so the upgrade costs nothing.
      const r = await call(sb, "UpgradeProduct", "serviceid=1&paymentmethod=banktransfer&type=product&newproductid=1&newproductbillingcycle=annually");
      expect(r.json).toMatchObject({ result: "success", oldproductid: "2", oldproductname: "Test Mail", newproductid: 1, newproductname: "Zoho Mail Lite", price: "$0.00 USD", daysuntilrenewal: 0 });
      expect(await sb.store.selectOne("tblhosting", {}, { columns: ["packageid", "billingcycle", "amount"] })).toEqual({ packageid: 1, billingcycle: "Annually", amount: "34.00" });
      expect((await sb.store.selectOne("tblupgrades"))).toMatchObject({ type: "package", originalvalue: "2", newvalue: "1,annually", paid: "Y", status: "Completed" });
      // The new product's module (zoho_mail) has no ChangePackage: nothing runs, and the upgrade still stands.
      expect(await sb.store.count("tblmodulelog")).toBe(0);
    });

    it("prices with calconly without a payment method, and refuses an unpriced or unknown cycle with WHMCS's wording", async () => {
      const sb = await start();
      await ordered(sb);
      const quote = await call(sb, "UpgradeProduct", "serviceid=1&type=product&newproductid=1&newproductbillingcycle=monthly&calconly=1");
      expect(quote.json).toMatchObject({ result: "success", oldproductid: "1", newproductid: 1, newproductbillingcycle: "monthly", upgradeinprogress: false });
      expect(quote.json["price"]).toMatch(/^\$-?\d+\.\d{2} USD$/);
      for (const cycle of ["quarterly", "weekly"]) {
        expect((await call(sb, "UpgradeProduct", `serviceid=1&type=product&newproductid=1&newproductbillingcycle=${cycle}&calconly=1`)).json).toEqual({
          result: "error",
          message: "Invalid Billing Cycle Requested",
        });
      }
      // Placing the upgrade still needs a payment method.
      expect((await call(sb, "UpgradeProduct", "serviceid=1&type=product&newproductid=1&newproductbillingcycle=monthly")).json).toEqual({
        result: "error",
        message: "Invalid Payment Method. Valid options include mailin,banktransfer,paypal",
      });
      expect(await sb.store.count("tblupgrades")).toBe(0);
    });

    it("answers a downgrade's price negative, and a plain decimal with the switch", async () => {
      const sb = await start();
      await ordered(sb);
      const due = new Date(Date.now() + 73 * 86_400_000).toISOString().slice(0, 10);
      await call(sb, "UpdateClientProduct", `serviceid=1&nextduedate=${due}`);
      const down = await call(sb, "UpgradeProduct", "serviceid=1&type=configoptions&configoptions[1]=20&calconly=1");
      const totaldays = down.json["totaldays"] as number;
      const amount = ((6000 * 73) / totaldays / 100).toFixed(2);
      expect(down.json["price"]).toBe(`$-${amount} USD`);
      sb.switches.upgradePriceFormat = "plain";
      expect((await call(sb, "UpgradeProduct", "serviceid=1&type=configoptions&configoptions[1]=20&calconly=1")).json["price"]).toBe(`-${amount}`);
    });

    it("answers the documented and validation errors", async () => {
      const sb = await start();
      await ordered(sb);
      const errors: [string, string][] = [
        ["serviceid=1&paymentmethod=banktransfer&type=addon", "Invalid Upgrade Type"],
        ["serviceid=1&paymentmethod=banktransfer", "Invalid Upgrade Type"],
        ["serviceid=9&paymentmethod=banktransfer&type=product", "Service ID Not Found"],
        ["serviceid=1&paymentmethod=cash&type=product", "Invalid Payment Method. Valid options include mailin,banktransfer,paypal"],
        ["serviceid=1&paymentmethod=banktransfer&type=product&newproductid=99", "Invalid new product ID 99"],
        [`serviceid=1&paymentmethod=banktransfer&type=configoptions&configoptions=${encodeURIComponent(b64({ 1: 3 }))}`, "Invalid configoptions: expected configoptions[<configid>]=<value>"],
        ["serviceid=1&paymentmethod=banktransfer&type=configoptions&configoptions[7]=1", "Configurable option ID 7 does not belong to product ID 1"],
      ];
      for (const [body, message] of errors) expect((await call(sb, "UpgradeProduct", body)).json).toEqual({ result: "error", message });
    });
  });
});
