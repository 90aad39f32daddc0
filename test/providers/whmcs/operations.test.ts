import { afterEach, describe, expect, it } from "vitest";
import { Secret } from "../../../src/core/secrets.js";
import {
  acceptOrder,
  addClient,
  addOrder,
  createWhmcsClient,
  findClientByEmail,
  getClientDetails,
  getClients,
  getOrders,
  getPaymentMethods,
  getServices,
  moduleChangePackage,
  moduleCreate,
  moduleCustom,
  moduleSuspend,
  moduleTerminate,
  moduleUnsuspend,
  pendingOrder,
  updateService,
  upgradeService,
  WhmcsApiError,
  WhmcsTransportError,
  type ServiceOptionChange,
  type WhmcsClient,
} from "../../../src/providers/whmcs/index.js";
import { abortOnlyHung } from "../../support/hangs.js";
import { json, startLoopback, type Handler, type Loopback, type RecordedRequest } from "./loopback.js";
import { phpUnserialize } from "./php-unserialize.js";

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(handler: Handler, extra: Partial<Parameters<typeof createWhmcsClient>[0]> = {}): Promise<WhmcsClient> {
  server = await startLoopback(handler);
  return createWhmcsClient({
    url: server.url,
    identifier: new Secret("ident-operations", "t"),
    secret: new Secret("secret-operations", "t"),
    sleep: async () => undefined,
    ...extra,
  });
}

const requests = (): RecordedRequest[] => server?.requests ?? [];
const only = (): RecordedRequest => {
  expect(requests()).toHaveLength(1);
  return requests()[0]!;
};
/** Form fields of a request except credentials and the envelope fields the client adds. */
const fields = (r: RecordedRequest): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of r.form) if (!["identifier", "secret", "responsetype"].includes(k)) out[k] = v;
  return out;
};
const decode = (b64: string | undefined) => phpUnserialize(Buffer.from(b64 ?? "", "base64").toString("utf8"));

describe("clients", () => {
  it("GetClients walks every page and types each client", async () => {
    const all = [1, 2, 3, 4, 5].map((id) => ({
      id,
      firstname: `F&amp;${id}`,
      lastname: "L",
      companyname: "",
      email: ` c${id}@example.com `,
      datecreated: "2016-01-15",
      groupid: 0,
      status: id === 5 ? "Closed" : "Active",
    }));
    const client = await clientFor((req, res) => {
      const start = Number(req.form.get("limitstart"));
      const num = Number(req.form.get("limitnum"));
      const page = all.slice(start, start + num);
      json(res, 200, { result: "success", totalresults: all.length, startnumber: start, numreturned: page.length, clients: { client: page } });
    });
    const clients = await getClients(client, { search: "c", status: "active", orderBy: "email", sorting: "DESC" }, { pageSize: 2 });
    expect(clients.map((c) => c.id)).toEqual(["1", "2", "3", "4", "5"]);
    expect(clients[0]).toEqual({
      id: "1",
      firstName: "F&1",
      lastName: "L",
      companyName: "",
      email: "c1@example.com",
      dateCreated: "2016-01-15",
      groupId: "0",
      status: "active",
    });
    expect(clients[4]?.status).toBe("closed");
    expect(requests().map((r) => [r.form.get("limitstart"), r.form.get("limitnum")])).toEqual([
      ["0", "2"],
      ["2", "2"],
      ["4", "2"],
    ]);
    expect(requests().every((r) => r.form.get("status") === "Active" && r.form.get("orderby") === "email" && r.form.get("sorting") === "DESC")).toBe(true);
  });

  it("AddClient sends the documented fields, custom fields as one base64 map, and reads clientid as a string id", async () => {
    const client = await clientFor((_req, res) => json(res, 200, { result: "success", clientid: "42" }));
    const result = await addClient(client, {
      firstName: "Ada",
      lastName: "Lovelace",
      email: " it@acme.example ",
      companyName: "Acme Ltd",
      address1: "1 Main St",
      city: "London",
      state: "London",
      postcode: "EC1A 1AA",
      country: "gb",
      phoneNumber: "+44.2071234567",
      currencyId: "2",
      password: new Secret("user-pass-1234", "t"),
      customFields: { "7": "Zoho € ID" },
      noEmail: true,
    });
    expect(result).toEqual({ clientId: "42" });
    const sent = fields(only());
    expect(sent).toMatchObject({
      action: "AddClient",
      firstname: "Ada",
      email: "it@acme.example",
      country: "GB",
      currency: "2",
      password2: "user-pass-1234",
      noemail: "1",
      companyname: "Acme Ltd",
    });
    expect(decode(sent["customfields"])).toEqual(new Map([[7, "Zoho € ID"]]));
  });

  it("AddClient is a write: a 503 is not retried, and bad input is refused before sending", async () => {
    const client = await clientFor((_req, res) => json(res, 503, { result: "error", message: "busy" }));
    const input = { firstName: "A", lastName: "B", email: "a@b.example", address1: "x", city: "c", state: "s", postcode: "p", country: "GB", phoneNumber: "1" };
    await expect(addClient(client, input)).rejects.toBeInstanceOf(WhmcsApiError);
    expect(requests()).toHaveLength(1);
    await expect(addClient(client, { ...input, country: "Great Britain" })).rejects.toMatchObject({ code: "whmcs.request.invalid" });
    await expect(addClient(client, { ...input, email: " " })).rejects.toThrow(/email is required/);
    await expect(addClient(client, { ...input, customFields: { abc: "x" } })).rejects.toMatchObject({ code: "whmcs.request.invalid" });
    expect(requests()).toHaveLength(1);
  });

  it("GetClientsDetails reads the client object, and a missing client is undefined for findClientByEmail", async () => {
    const client = await clientFor((req, res) => {
      if (req.form.get("email") === "nobody@example.com") return json(res, 200, { result: "error", message: "Client Not Found" });
      json(res, 200, {
        result: "success",
        userid: 3,
        client: {
          id: 3,
          firstname: "Ada",
          lastname: "Lovelace",
          companyname: "Acme &amp; Co",
          email: "it@acme.example",
          address1: "1 Main St",
          address2: "",
          city: "London",
          state: "London",
          postcode: "EC1A 1AA",
          country: "GB",
          countrycode: "GB",
          phonenumber: "+44.2071234567",
          currency: 1,
          currency_code: "USD",
          groupid: 0,
          status: "Active",
          datecreated: "2024-01-01",
          taxexempt: false,
        },
        customfields: [{ id: 4, value: "abc" }],
      });
    });
    const details = await getClientDetails(client, { clientId: "3" });
    expect(details).toMatchObject({ id: "3", companyName: "Acme & Co", country: "GB", currencyId: "1", currencyCode: "USD", customFields: { "4": "abc" } });
    expect(fields(requests()[0]!)).toEqual({ action: "GetClientsDetails", clientid: "3" });
    await expect(findClientByEmail(client, "nobody@example.com")).resolves.toBeUndefined();
    await expect(findClientByEmail(client, "it@acme.example")).resolves.toMatchObject({ id: "3" });
    await expect(getClientDetails(client, { clientId: "0" })).rejects.toMatchObject({ code: "whmcs.request.invalid" });
  });
});

describe("orders", () => {
  it("AddOrder sends every per-item field as an index-keyed array with per-item base64 options, and no paging parameters", async () => {
    const client = await clientFor((_req, res) =>
      json(res, 200, { result: "success", orderid: "9", serviceids: "11,12", addonids: "", domainids: "", invoiceid: "0" }),
    );
    const result = await addOrder(client, {
      clientId: "3",
      paymentMethod: "banktransfer",
      items: [
        { productId: "1", billingCycle: "annually", domain: " acme.example " },
        {
          productId: "2",
          billingCycle: "semiannually",
          domain: "beta.example",
          qty: 2,
          configOptions: new Map([
            ["12", 25],
            ["13", 44],
          ]),
          customFields: { "5": "ZOID 1" },
          priceOverride: "9.5",
          addons: ["3", "4"],
        },
      ],
      noInvoice: true,
      noEmail: true,
    });
    expect(result).toEqual({ orderId: "9", serviceIds: ["11", "12"], addonIds: [], domainIds: [], invoiceId: undefined });
    const sent = fields(only());
    expect(sent).toEqual({
      action: "AddOrder",
      clientid: "3",
      paymentmethod: "banktransfer",
      "pid[0]": "1",
      "pid[1]": "2",
      "billingcycle[0]": "annually",
      "billingcycle[1]": "semiannually",
      "domain[0]": "acme.example",
      "domain[1]": "beta.example",
      "qty[1]": "2",
      "configoptions[1]": sent["configoptions[1]"],
      "customfields[1]": sent["customfields[1]"],
      "priceoverride[1]": "9.50",
      "addons[1]": "3,4",
      noinvoice: "1",
      noemail: "1",
    });
    expect(decode(sent["configoptions[1]"])).toEqual(
      new Map([
        [12, 25],
        [13, 44],
      ]),
    );
    expect(decode(sent["customfields[1]"])).toEqual(new Map([[5, "ZOID 1"]]));
  });

  it("AddOrder reads the pre-7.8 productids, numeric ids and a real invoice id", async () => {
    const client = await clientFor((_req, res) => json(res, 200, { result: "success", orderid: 10, productids: "21", invoiceid: 77, addonids: "5" }));
    await expect(addOrder(client, { clientId: "1", paymentMethod: "mailin", items: [{ productId: "1", billingCycle: "monthly" }] })).resolves.toEqual({
      orderId: "10",
      serviceIds: ["21"],
      addonIds: ["5"],
      domainIds: [],
      invoiceId: "77",
    });
  });

  it("AddOrder refuses malformed orders before sending anything", async () => {
    const client = await clientFor((_req, res) => json(res, 200, { result: "success", orderid: "1" }));
    const base = { clientId: "1", paymentMethod: "mailin" };
    await expect(addOrder(client, { ...base, items: [] })).rejects.toThrow(/at least one item/);
    await expect(addOrder(client, { ...base, items: [{ productId: "x", billingCycle: "monthly" }] })).rejects.toMatchObject({ code: "whmcs.request.invalid" });
    await expect(addOrder(client, { ...base, items: [{ productId: "1", billingCycle: "weekly" as "monthly" }] })).rejects.toThrow(/billing cycle/);
    await expect(addOrder(client, { ...base, items: [{ productId: "1", billingCycle: "monthly", configOptions: { "12": -1 } }] })).rejects.toThrow(/≥ 0/);
    await expect(addOrder(client, { ...base, items: [{ productId: "1", billingCycle: "monthly", priceOverride: "1.234" }] })).rejects.toThrow(/2 decimals/);
    await expect(addOrder(client, { ...base, paymentMethod: "", items: [{ productId: "1", billingCycle: "monthly" }] })).rejects.toThrow(/paymentMethod/);
    expect(requests()).toHaveLength(0);
  });

  it("AcceptOrder gets the long timeout, a read does not, and neither write is retried", async () => {
    // AcceptOrder is answered after 150 ms, later than the 60 ms short timeout, which starts first;
    // GetOrders and PendingOrder are never answered, and the timeout reaches each of them only once the
    // server holds it, so every attempt is counted however busy the machine.
    const sent: Record<string, number> = {};
    const received = (action: string) => requests().filter((r) => r.form.get("action") === action).length;
    const client = await clientFor(
      async (req, res) => {
        if (req.form.get("action") !== "AcceptOrder") return;
        await new Promise((r) => setTimeout(r, 150));
        json(res, 200, { result: "success" });
      },
      {
        timeoutMs: 60,
        longTimeoutMs: 10_000,
        retries: 2,
        fetch: abortOnlyHung((_url, init) => {
          const action = new URLSearchParams(String(init?.body)).get("action") ?? "";
          if (action === "AcceptOrder") return "untouched";
          const nth = (sent[action] = (sent[action] ?? 0) + 1);
          return () => received(action) >= nth;
        }),
      },
    );
    await expect(acceptOrder(client, "9", { autoSetup: false, sendEmail: true })).resolves.toBeUndefined();
    expect(fields(requests()[0]!)).toEqual({ action: "AcceptOrder", orderid: "9", autosetup: "0", sendemail: "1" });
    const timedOut = await getOrders(client).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(WhmcsTransportError);
    expect((timedOut as WhmcsTransportError).failure).toBe("timeout");
    expect((timedOut as WhmcsTransportError).message).toMatch(/within 60 ms/);
    expect(received("GetOrders")).toBe(3);
    const pending = await pendingOrder(client, "9").catch((e: unknown) => e);
    expect(pending).toBeInstanceOf(WhmcsTransportError);
    expect((pending as WhmcsTransportError).message).toMatch(/within 60 ms/);
    expect(received("PendingOrder")).toBe(1);
  });

  it("GetOrders types orders and line items (numbers and strings mixed, as documented)", async () => {
    const client = await clientFor((_req, res) =>
      json(res, 200, {
        result: "success",
        totalresults: 1,
        startnumber: 0,
        numreturned: 1,
        orders: {
          order: [
            {
              id: 1,
              ordernum: 7858259149,
              userid: 1,
              date: "2020-09-23 13:59:35",
              amount: "8.00",
              paymentmethod: "stripe",
              invoiceid: 1,
              status: "Active",
              paymentstatus: "Paid",
              currencyprefix: "$",
              currencysuffix: "USD",
              lineitems: {
                lineitem: [{ type: "product", relid: 1, product: "SSL &amp; more", domain: "sampledomain.com", billingcycle: "One-Time", amount: "8.00", status: "Active" }],
              },
            },
          ],
        },
      }),
    );
    const orders = await getOrders(client, { clientId: "1", status: "Active" });
    expect(orders).toEqual([
      {
        id: "1",
        orderNumber: "7858259149",
        clientId: "1",
        date: "2020-09-23 13:59:35",
        amount: "8.00",
        paymentMethod: "stripe",
        invoiceId: "1",
        status: "Active",
        paymentStatus: "Paid",
        currencyPrefix: "$",
        currencySuffix: "USD",
        lines: [{ type: "product", relid: "1", product: "SSL & more", domain: "sampledomain.com", billingCycleText: "One-Time", amount: "8.00", status: "Active" }],
      },
    ]);
    expect(requests()[0]?.form.get("userid")).toBe("1");
  });

  it("GetPaymentMethods lists the gateways", async () => {
    const client = await clientFor((_req, res) =>
      json(res, 200, { result: "success", totalresults: 2, paymentmethods: { paymentmethod: [{ module: "paypal", displayname: "PayPal" }, { module: "mailin", displayname: "Mail In" }] } }),
    );
    await expect(getPaymentMethods(client)).resolves.toEqual([
      { module: "paypal", displayName: "PayPal" },
      { module: "mailin", displayName: "Mail In" },
    ]);
  });
});

describe("services", () => {
  const documented = {
    result: "success",
    clientid: "1",
    serviceid: null,
    pid: null,
    domain: null,
    totalresults: "2",
    startnumber: 0,
    numreturned: 2,
    products: {
      product: [
        {
          id: "1",
          qty: "1",
          clientid: "1",
          orderid: "1",
          ordernumber: "456789",
          pid: "1",
          regdate: "2015-01-01",
          name: "Starter",
          groupname: "Shared Hosting",
          domain: "demodomain.com",
          serverid: "1",
          firstpaymentamount: "12.95",
          recurringamount: "12.95",
          paymentmethod: "authorize",
          billingcycle: "Monthly",
          nextduedate: "2016-11-25",
          status: "Terminated",
          username: "demodoma",
          password: "xxxxxxxx",
          customfields: { customfield: [] },
          configoptions: { configoption: [] },
        },
        {
          id: "2",
          qty: "2",
          clientid: "1",
          orderid: "2",
          pid: "3",
          regdate: "2015-05-20",
          name: "Plus",
          groupname: "Shared Hosting",
          domain: "Plus.Example",
          serverid: "0",
          firstpaymentamount: "24.95",
          recurringamount: "24.95",
          paymentmethod: "authorize",
          billingcycle: "Semi-Annually",
          nextduedate: "2016-11-25",
          status: "Active",
          username: "",
          password: "secret-pw",
          customfields: { customfield: [{ id: "9", name: "ZOID", value: "123" }] },
          configoptions: { configoption: [{ id: "1", option: "Sample Config Option", type: "dropdown", value: "Selected option value" }] },
        },
      ],
    },
  };

  it("GetClientsProducts types every service and never keeps the password", async () => {
    const client = await clientFor((_req, res) => json(res, 200, documented));
    const services = await getServices(client, { clientId: "1", domain: " plus.example " });
    expect(services.map((s) => [s.id, s.cycle, s.status, s.qty])).toEqual([
      ["1", "monthly", "terminated", 1],
      ["2", "semiannually", "active", 2],
    ]);
    expect(services[1]).toMatchObject({
      productId: "3",
      recurringAmount: "24.95",
      billingCycleText: "Semi-Annually",
      configOptions: [{ id: "1", name: "Sample Config Option", type: "dropdown", value: "Selected option value" }],
      customFields: [{ id: "9", name: "ZOID", value: "123" }],
    });
    expect(JSON.stringify(services)).not.toMatch(/xxxxxxxx|secret-pw/);
    expect(fields(only())).toEqual({ action: "GetClientsProducts", clientid: "1", domain: "plus.example", limitstart: "0", limitnum: "100" });
  });

  it("an unknown billing cycle or status is a data error with its location", async () => {
    const bad = structuredClone(documented);
    bad.products.product[1]!.billingcycle = "Fortnightly";
    const client = await clientFor((_req, res) => json(res, 200, bad));
    await expect(getServices(client)).rejects.toMatchObject({ code: "whmcs.data.invalid", where: "GetClientsProducts.products.product[1].billingcycle" });
  });

  it("UpdateClientProduct sends ONE base64 configoptions with {optionid, qty}, display cycles and a string serviceid back", async () => {
    const client = await clientFor((_req, res) => json(res, 200, { result: "success", serviceid: "7" }));
    await expect(
      updateService(client, {
        serviceId: "7",
        billingCycle: "semiannually",
        status: "suspended",
        nextDueDate: "2026-01-31",
        recurringAmount: "10",
        configOptions: new Map<string, ServiceOptionChange>([
          ["5", { subOptionId: "23" }],
          ["6", { subOptionId: "24", qty: 10 }],
        ]),
        customFields: { "9": "ZOID-1" },
        unset: ["notes", "notes", "ns1"],
      }),
    ).resolves.toEqual({ serviceId: "7" });
    const sent = fields(only());
    expect(sent).toMatchObject({
      action: "UpdateClientProduct",
      serviceid: "7",
      billingcycle: "Semi-Annually",
      status: "Suspended",
      nextduedate: "2026-01-31",
      recurringamount: "10.00",
      "unset[0]": "notes",
      "unset[1]": "ns1",
    });
    expect(sent["configoptions"]).toBe("YToyOntpOjU7aToyMztpOjY7YToyOntzOjg6Im9wdGlvbmlkIjtpOjI0O3M6MzoicXR5IjtpOjEwO319");
    expect(decode(sent["customfields"])).toEqual(new Map([[9, "ZOID-1"]]));
    expect(Object.keys(sent).some((k) => k.startsWith("configoptions["))).toBe(false);
  });

  it("UpdateClientProduct takes overridden cycle display strings and refuses empty or bad updates", async () => {
    const client = await clientFor((_req, res) => json(res, 200, { result: "success", serviceid: 7 }));
    await updateService(client, { serviceId: "7", billingCycle: "annually" }, { cycleText: { annually: "Yearly" } });
    expect(only().form.get("billingcycle")).toBe("Yearly");
    await expect(updateService(client, { serviceId: "7" })).rejects.toThrow(/nothing to update/);
    await expect(updateService(client, { serviceId: "7", nextDueDate: "31/01/2026" })).rejects.toThrow(/YYYY-MM-DD/);
    await expect(updateService(client, { serviceId: "7", configOptions: { "5": { subOptionId: "0" } } })).rejects.toMatchObject({ code: "whmcs.request.invalid" });
    expect(requests()).toHaveLength(1);
  });

  it("UpgradeProduct sends a plain configoptions[id]=value map and reads the upgrade order", async () => {
    const client = await clientFor((_req, res) => json(res, 200, { result: "success", id: 3, orderid: 12, order_number: "555", invoiceid: 40, price: "5.5" }));
    await expect(
      upgradeService(client, { type: "configoptions", serviceId: "7", paymentMethod: "mailin", configOptions: { "12": 30 }, calcOnly: false }),
    ).resolves.toEqual({ orderId: "12", invoiceId: "40", upgradeId: "3", price: "5.50" });
    expect(fields(only())).toEqual({ action: "UpgradeProduct", serviceid: "7", paymentmethod: "mailin", type: "configoptions", "configoptions[12]": "30", calconly: "0" });
  });

  it("UpgradeProduct to another product sends the API cycle key", async () => {
    const client = await clientFor((_req, res) => json(res, 200, { result: "success", price: "0.00" }));
    await expect(
      upgradeService(client, { type: "product", serviceId: "7", paymentMethod: "mailin", newProductId: "4", newBillingCycle: "annually", calcOnly: true }),
    ).resolves.toEqual({ orderId: undefined, invoiceId: undefined, upgradeId: undefined, price: "0.00" });
    expect(fields(only())).toMatchObject({ type: "product", newproductid: "4", newproductbillingcycle: "annually", calconly: "1" });
    await expect(upgradeService(client, { type: "configoptions", serviceId: "7", paymentMethod: "mailin", configOptions: {} })).rejects.toThrow(/empty/);
  });
});

describe("module commands", () => {
  it("send serviceid (and func_name / suspendreason) as writes with the long timeout", async () => {
    const client = await clientFor(
      async (req, res) => {
        await new Promise((r) => setTimeout(r, 120));
        if (req.form.get("action") === "ModuleCreate") return json(res, 200, { result: "error", message: "Function Not Supported by Module" });
        json(res, 200, { result: "success" });
      },
      { timeoutMs: 50, longTimeoutMs: 10_000 },
    );
    await moduleSuspend(client, "7", "Overdue");
    await moduleUnsuspend(client, "7");
    await moduleTerminate(client, "7");
    await moduleChangePackage(client, "7");
    await moduleCustom(client, "7", "buttonOneFunction");
    const err = await moduleCreate(client, "7").catch((e: unknown) => e);
    expect(err).toMatchObject({ category: "module", code: "whmcs.api.module", apiMessage: "Function Not Supported by Module" });
    expect(requests().map(fields)).toEqual([
      { action: "ModuleSuspend", serviceid: "7", suspendreason: "Overdue" },
      { action: "ModuleUnsuspend", serviceid: "7" },
      { action: "ModuleTerminate", serviceid: "7" },
      { action: "ModuleChangePackage", serviceid: "7" },
      { action: "ModuleCustom", serviceid: "7", func_name: "buttonOneFunction" },
      { action: "ModuleCreate", serviceid: "7" },
    ]);
    await expect(moduleCustom(client, "7", "drop table")).rejects.toMatchObject({ code: "whmcs.request.invalid" });
    await expect(moduleTerminate(client, "seven")).rejects.toMatchObject({ code: "whmcs.request.invalid" });
    expect(requests()).toHaveLength(6);
  });

  it("a module timeout is not retried", async () => {
    // The server never answers; the timeout reaches the request only once the server holds it.
    const client = await clientFor(() => undefined, { timeoutMs: 50, longTimeoutMs: 80, retries: 3, fetch: abortOnlyHung(() => () => requests().length >= 1) });
    const err = await moduleCreate(client, "7").catch((e: unknown) => e);
    expect(err).toMatchObject({ failure: "timeout" });
    expect((err as WhmcsTransportError).message).toMatch(/within 80 ms/);
    expect(requests()).toHaveLength(1);
  });
});
