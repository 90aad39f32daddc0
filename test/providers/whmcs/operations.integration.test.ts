import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Secret } from "../../../src/core/secrets.js";
import {
  acceptOrder,
  addClient,
  addOrder,
  createCatalogProvider,
  createWhmcsClient,
  findClientByEmail,
  getClientDetails,
  getClients,
  getOrders,
  getPaymentMethods,
  getServices,
  liveServiceFrom,
  moduleChangePackage,
  moduleCreate,
  moduleCustom,
  moduleSuspend,
  moduleTerminate,
  moduleUnsuspend,
  pendingOrder,
  quantityOptionRef,
  updateService,
  upgradeService,
  WhmcsApiError,
  type WhmcsClient,
} from "../../../src/providers/whmcs/index.js";
import { startWhmcsSandbox, type WhmcsSandbox } from "../../../src/sandbox/whmcs/index.js";
import { fullPriceRow } from "./fixtures.js";

const price = fullPriceRow;

/** The customer path the reconciler takes, against the sandbox's client, order and service actions. */
describe("client, order and service operations against the WHMCS sandbox", () => {
  let sandbox: WhmcsSandbox;
  let client: WhmcsClient;
  let productId: string;
  let testModuleProductId: string;
  let mailboxesId: string;
  let mailboxSubId: string;

  beforeAll(async () => {
    sandbox = await startWhmcsSandbox({ switches: { companion: true } });
    client = createWhmcsClient({
      url: sandbox.url,
      identifier: new Secret(sandbox.credentials.identifier, "test"),
      secret: new Secret(sandbox.credentials.secret, "test"),
    });
    const writer = createCatalogProvider({ client, backend: "companion" }).writer!;
    const group = await writer.upsertProductGroup({ key: "g", state: { name: "Business Email", headline: "", tagline: "", hidden: false, order: 0 } });
    const options = await writer.upsertConfigOptionGroup({
      key: "o",
      name: "Mail options",
      description: "",
      options: [{ key: "mailboxes", label: "Mailboxes", type: "quantity", min: 1, max: 0, order: 0, hidden: false, choices: [{ key: "", label: "Mailbox", order: 0, hidden: false, pricing: { "1": price({ annually: "12.00" }, "0.00") } }] }],
    });
    productId = (
      await writer.upsertProduct({
        key: "p",
        groupId: group.id,
        name: "Zoho Mail Lite",
        description: "",
        type: "other",
        payType: "recurring",
        hidden: false,
        module: "zoho_mail",
        configOptionGroupIds: [options.id],
        pricing: { "1": price({ annually: "0.00" }, "-1.00") },
      })
    ).id;
    testModuleProductId = (
      await writer.upsertProduct({
        key: "t",
        groupId: group.id,
        name: "Well-behaved",
        description: "",
        type: "other",
        payType: "recurring",
        hidden: false,
        module: "reconcile_test",
        configOptionGroupIds: [],
        pricing: { "1": price({ monthly: "1.00" }, "-1.00") },
      })
    ).id;
    const live = await createCatalogProvider({ client, backend: "companion" }).readCatalog();
    const ids = live.configOptionGroups.find((g) => g.remoteId === options.id)!.ids.options["mailboxes"]!;
    mailboxesId = ids.id;
    mailboxSubId = ids.choices[""]!;
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it("adds a client, finds it by e-mail, and lists it", async () => {
    const { clientId } = await addClient(client, {
      firstName: "Ada",
      lastName: "Lovelace",
      email: "it@acme.example",
      companyName: "Acme Ltd",
      address1: "1 Main St",
      city: "London",
      state: "London",
      postcode: "EC1A 1AA",
      country: "GB",
      phoneNumber: "+44.2071234567",
      password: new Secret("client-password-1", "test"),
    });
    expect(clientId).toMatch(/^[1-9]\d*$/);
    await expect(findClientByEmail(client, "it@acme.example")).resolves.toMatchObject({ id: clientId, companyName: "Acme Ltd", country: "GB", status: "active" });
    await expect(findClientByEmail(client, "nobody@acme.example")).resolves.toBeUndefined();
    await expect(getClientDetails(client, { clientId })).resolves.toMatchObject({ email: "it@acme.example" });
    expect((await getClients(client, {}, { pageSize: 1 })).map((c) => c.email)).toContain("it@acme.example");
  });

  it("orders, accepts and resizes a service, and reads it back canonically", async () => {
    const customer = (await findClientByEmail(client, "it@acme.example"))!;
    expect((await getPaymentMethods(client)).map((m) => m.module)).toContain("banktransfer");
    const order = await addOrder(client, {
      clientId: customer.id,
      paymentMethod: "banktransfer",
      items: [{ productId, billingCycle: "annually", domain: "Acme.Example", configOptions: { [mailboxesId]: 25 } }],
      noEmail: true,
    });
    expect(order.serviceIds).toHaveLength(1);
    const serviceId = order.serviceIds[0]!;
    expect((await getOrders(client, { id: order.orderId }))[0]).toMatchObject({ id: order.orderId, clientId: customer.id, status: "Pending" });

    await acceptOrder(client, order.orderId);
    expect((await getOrders(client, { id: order.orderId }))[0]?.status).toBe("Active");
    const ref = quantityOptionRef(await createCatalogProvider({ client, backend: "companion" }).readCatalog(), "mailboxes");
    const [service] = await getServices(client, { clientId: customer.id });
    expect(liveServiceFrom(service!, { quantityOption: ref })).toMatchObject({ id: serviceId, clientId: customer.id, productId, domain: "acme.example", cycle: "annually", quantity: 25 });

    await updateService(client, { serviceId, configOptions: { [mailboxesId]: { subOptionId: mailboxSubId, qty: 40 } }, billingCycle: "annually" });
    const [resized] = await getServices(client, { serviceId });
    expect(liveServiceFrom(resized!, { quantityOption: ref }).quantity).toBe(40);

    await expect(acceptOrder(client, order.orderId)).rejects.toBeInstanceOf(WhmcsApiError);
    await pendingOrder(client, order.orderId);
    expect((await getOrders(client, { id: order.orderId }))[0]?.status).toBe("Pending");
  });

  it("prices an option upgrade with a plain configoptions map", async () => {
    const customer = (await findClientByEmail(client, "it@acme.example"))!;
    const [service] = await getServices(client, { clientId: customer.id, productId });
    const quote = await upgradeService(client, { type: "configoptions", serviceId: service!.id, paymentMethod: "banktransfer", configOptions: { [mailboxesId]: 50 }, calcOnly: true });
    expect(quote.orderId).toBeUndefined();
    expect(quote.price).toMatch(/^\d+\.\d{2}$/);
  });

  it("runs module commands: zoho_mail lacks them, a well-behaved module moves the status", async () => {
    const customer = (await findClientByEmail(client, "it@acme.example"))!;
    const [zoho] = await getServices(client, { clientId: customer.id, productId });
    const unsupported = await moduleSuspend(client, zoho!.id, "Overdue").catch((e: unknown) => e);
    expect(unsupported).toMatchObject({ category: "module", code: "whmcs.api.module" });

    const order = await addOrder(client, { clientId: customer.id, paymentMethod: "banktransfer", items: [{ productId: testModuleProductId, billingCycle: "monthly", domain: "beta.example" }], noInvoice: true });
    const serviceId = order.serviceIds[0]!;
    const status = async () => liveServiceFrom((await getServices(client, { serviceId }))[0]!).status;
    await moduleCreate(client, serviceId);
    expect(await status()).toBe("active");
    await moduleSuspend(client, serviceId, "Overdue");
    expect(await status()).toBe("suspended");
    await moduleUnsuspend(client, serviceId);
    expect(await status()).toBe("active");
    await moduleChangePackage(client, serviceId);
    await moduleCustom(client, serviceId, "ping");
    expect(await status()).toBe("active");
    await moduleTerminate(client, serviceId);
    expect(await status()).toBe("terminated");
  });
});
