import { Secret } from "../../src/core/secrets.js";
import { addClient, addOrder, createWhmcsClient, type WhmcsClient } from "../../src/providers/whmcs/index.js";
import type { Project } from "./harness.js";

/* Storefront orders in the WHMCS sandbox, placed through the API as the cart places them. */

export interface StorefrontOrder {
  readonly domain: string;
  readonly product: string;
  readonly mailboxes: number;
  readonly cycle: "monthly" | "annually";
  readonly currency?: string;
  readonly storage?: string;
}

export interface Placed {
  readonly orderId: string;
  readonly serviceId: string;
  readonly invoiceId: string | undefined;
}

export function whmcsApi(p: Project): WhmcsClient {
  return createWhmcsClient({
    url: p.sandbox.url,
    identifier: new Secret(p.env["WHMCS_API_IDENTIFIER"] ?? "", "test"),
    secret: new Secret(p.env["WHMCS_API_SECRET"] ?? "", "test"),
  });
}

/** AddClient and AddOrder as the cart does: a Pending order with an invoice, nothing accepted. */
export async function placeOrder(p: Project, api: WhmcsClient, o: StorefrontOrder): Promise<Placed> {
  const store = p.sandbox.store;
  const pid = Number((await store.selectOne("tblproducts", { name: o.product }))?.["id"]);
  const links = await store.select("tblproductconfiglinks", { pid });
  const options = links.length === 0 ? [] : await store.select("tblproductconfigoptions", { gid: links.map((l) => Number(l["gid"])) });
  const mailboxes = options.find((x) => String(x["optionname"]).startsWith("mailboxes|"));
  const configOptions: Record<string, number> = { [String(mailboxes?.["id"])]: o.mailboxes };
  const storage = options.find((x) => String(x["optionname"]).startsWith("storage|"));
  if (storage !== undefined) {
    const subs = await store.select("tblproductconfigoptionssub", { configid: Number(storage["id"]) });
    const pick = subs.find((s) => String(s["optionname"]).startsWith(`${o.storage ?? "none"}|`)) ?? subs[0];
    configOptions[String(storage["id"])] = Number(pick?.["id"]);
  }
  const currencyId = o.currency === undefined ? undefined : String((await store.selectOne("tblcurrencies", { code: o.currency }))?.["id"]);
  const { clientId } = await addClient(api, {
    firstName: "Grace",
    lastName: `Hopper ${o.domain}`,
    companyName: `${o.domain} Ltd`,
    email: `admin@${o.domain}`,
    address1: "1 Storefront Way",
    city: "Leeds",
    state: "West Yorkshire",
    postcode: "LS1 1AA",
    country: "GB",
    phoneNumber: "+44.1131234567",
    ...(currencyId !== undefined ? { currencyId } : {}),
    noEmail: true,
  });
  const order = await addOrder(api, {
    clientId,
    paymentMethod: "banktransfer",
    items: [{ productId: String(pid), billingCycle: o.cycle, domain: o.domain, configOptions }],
    noEmail: true,
  });
  return { orderId: order.orderId, serviceId: order.serviceIds[0] ?? "", invoiceId: order.invoiceId };
}

/** The customer pays the order's invoice (AddInvoicePayment). */
export async function pay(api: WhmcsClient, placed: Placed): Promise<void> {
  await api.call("AddInvoicePayment", { invoiceid: placed.invoiceId ?? "", transid: `tx-${placed.orderId}`, gateway: "banktransfer" }, { kind: "write" });
}

