import { pageOf } from "../paging.js";
import { gatewayNames } from "../billing/gateways.js";
import { intOf, textOf } from "../rows.js";
import type { Row, Where } from "../store.js";
import type { ActionContext, ActionDef } from "./types.js";

/**
 * `GetOrders` (docs/whmcs.md#getorders): filters `id`, `userid`, `requestor_id`, `status`; paging.
 * Ids are numbers, amounts and dates strings; `lineitems.lineitem[]` has one `product` line per
 * service with `relid` = the service id.
 */
export const getOrders: ActionDef = { name: "GetOrders", companion: false, handler };

/** `tblproducts.type` as WHMCS shows it on an order line. */
const PRODUCT_TYPES: Readonly<Record<string, string>> = {
  hostingaccount: "Hosting Account",
  reselleraccount: "Reseller Account",
  server: "Dedicated/VPS Server",
  other: "Other Product/Service",
};

async function handler({ params, store, switches }: ActionContext): Promise<Record<string, unknown>> {
  const page = pageOf(params);
  const where: Record<string, string | number> = {};
  for (const name of ["id", "userid", "requestor_id"] as const) {
    const v = params.str(name);
    if (v !== undefined && v.trim() !== "") where[name] = params.int(name);
  }
  const status = params.str("status");
  if (status !== undefined && status.trim() !== "") where["status"] = status.trim();
  const desc = switches.getOrdersOrder === "desc";
  const total = await store.count("tblorders", where as Where);
  const orders = await store.select("tblorders", where as Where, { orderBy: [{ column: "id", desc }], limit: page.limit, offset: page.start });

  const orderIds = orders.map((o) => intOf(o, "id"));
  const services = orderIds.length === 0 ? [] : await store.select("tblhosting", { orderid: orderIds });
  const productIds = [...new Set(services.map((s) => intOf(s, "packageid")))];
  const products = productIds.length === 0 ? [] : await store.select("tblproducts", { id: productIds });
  const groupIds = [...new Set(products.map((p) => intOf(p, "gid")))];
  const groups = groupIds.length === 0 ? [] : await store.select("tblproductgroups", { id: groupIds });
  const clientIds = [...new Set(orders.map((o) => intOf(o, "userid")))];
  const clients = clientIds.length === 0 ? [] : await store.select("tblclients", { id: clientIds });
  const currencies = await store.select("tblcurrencies");
  const invoiceIds = orders.map((o) => intOf(o, "invoiceid")).filter((id) => id > 0);
  const invoices = invoiceIds.length === 0 ? [] : await store.select("tblinvoices", { id: invoiceIds });
  const gateways = await gatewayNames(store);
  const byId = (rows: readonly Row[], id: number): Row | undefined => rows.find((r) => intOf(r, "id") === id);

  return {
    totalresults: total,
    startnumber: page.start,
    numreturned: orders.length,
    orders: {
      order: orders.map((o) => {
        const client = byId(clients, intOf(o, "userid"));
        const currency = (client === undefined ? undefined : byId(currencies, intOf(client, "currency"))) ?? currencies.find((c) => intOf(c, "default") === 1);
        const invoice = byId(invoices, intOf(o, "invoiceid"));
        return {
          id: intOf(o, "id"),
          ordernum: intOf(o, "ordernum"),
          userid: intOf(o, "userid"),
          contactid: intOf(o, "contactid"),
          requestor_id: intOf(o, "requestor_id"),
          admin_requestor_id: intOf(o, "admin_requestor_id"),
          date: textOf(o, "date"),
          nameservers: textOf(o, "nameservers"),
          transfersecret: textOf(o, "transfersecret"),
          renewals: textOf(o, "renewals"),
          renewalsByType: { domains: [], services: [], addons: [] },
          promocode: textOf(o, "promocode"),
          promotype: textOf(o, "promotype"),
          promovalue: textOf(o, "promovalue"),
          orderdata: textOf(o, "orderdata"),
          amount: textOf(o, "amount"),
          paymentmethod: textOf(o, "paymentmethod"),
          invoiceid: intOf(o, "invoiceid"),
          status: textOf(o, "status"),
          ipaddress: textOf(o, "ipaddress"),
          fraudmodule: textOf(o, "fraudmodule"),
          fraudoutput: textOf(o, "fraudoutput"),
          notes: textOf(o, "notes"),
          paymentmethodname: gateways.get(textOf(o, "paymentmethod").toLowerCase()) ?? "",
          paymentstatus: invoice === undefined ? "" : textOf(invoice, "status"),
          name: client === undefined ? "" : `${textOf(client, "firstname")} ${textOf(client, "lastname")}`.trim(),
          currencyprefix: currency === undefined ? "" : textOf(currency, "prefix"),
          currencysuffix: currency === undefined ? "" : textOf(currency, "suffix"),
          frauddata: "",
          validationdata: "",
          lineitems: {
            lineitem: services
              .filter((s) => intOf(s, "orderid") === intOf(o, "id"))
              .map((s) => {
                const product = byId(products, intOf(s, "packageid"));
                const group = product === undefined ? undefined : byId(groups, intOf(product, "gid"));
                return {
                  type: "product",
                  relid: intOf(s, "id"),
                  producttype: product === undefined ? "" : (PRODUCT_TYPES[textOf(product, "type")] ?? textOf(product, "type")),
                  product: `${group === undefined ? "" : `${textOf(group, "name")} - `}${product === undefined ? "" : textOf(product, "name")}`,
                  domain: textOf(s, "domain"),
                  billingcycle: textOf(s, "billingcycle"),
                  amount: textOf(s, "firstpaymentamount"),
                  status: textOf(s, "domainstatus"),
                };
              }),
          },
        };
      }),
    },
  };
}
