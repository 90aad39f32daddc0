import { gatewayNames } from "../billing/gateways.js";
import { OPTION_TYPE, optionLabel } from "../catalog/options.js";
import { pageOf } from "../paging.js";
import { intOf, textOf } from "../rows.js";
import type { Row, Where } from "../store.js";
import type { ActionContext, ActionDef } from "./types.js";

/**
 * `GetClientsProducts` (docs/whmcs.md#getclientsproducts): the client's services, filters `clientid`,
 * `serviceid`, `pid`, `domain`, `username2`; paging. Every field is a string except
 * `startnumber`/`numreturned`; the filters are echoed (`null` when not given). `billingcycle` is
 * the stored display string, `status` the service status. Option entries carry a type word and,
 * for quantities, the quantity; both shapes are switches, like the custom field entries.
 */
export const getClientsProducts: ActionDef = { name: "GetClientsProducts", companion: false, handler };

async function handler({ params, store, switches }: ActionContext): Promise<Record<string, unknown>> {
  const page = pageOf(params);
  const echo = (name: string): string | null => {
    const v = params.str(name);
    return v === undefined || v === "" ? null : v;
  };
  const where: Record<string, string | number> = {};
  const numeric = (name: string, column: string): boolean => {
    const v = echo(name);
    if (v === null) return true;
    if (!/^\s*\d+\s*$/.test(v)) return false;
    where[column] = Number(v.trim());
    return true;
  };
  const valid = numeric("clientid", "userid") && numeric("serviceid", "id") && numeric("pid", "packageid");
  const domain = echo("domain");
  if (domain !== null) where["domain"] = domain;
  const username = echo("username2");
  if (username !== null) where["username"] = username;

  const total = valid ? await store.count("tblhosting", where as Where) : 0;
  const services = valid ? await store.select("tblhosting", where as Where, { limit: page.limit, offset: page.start }) : [];

  const productIds = [...new Set(services.map((s) => intOf(s, "packageid")))];
  const products = productIds.length === 0 ? [] : await store.select("tblproducts", { id: productIds });
  const groupIds = [...new Set(products.map((p) => intOf(p, "gid")))];
  const groups = groupIds.length === 0 ? [] : await store.select("tblproductgroups", { id: groupIds });
  const serverIds = [...new Set(services.map((s) => intOf(s, "server")).filter((id) => id > 0))];
  const servers = serverIds.length === 0 ? [] : await store.select("tblservers", { id: serverIds });
  const orderIds = [...new Set(services.map((s) => intOf(s, "orderid")).filter((id) => id > 0))];
  const orders = orderIds.length === 0 ? [] : await store.select("tblorders", { id: orderIds }, { columns: ["id", "ordernum"] });
  const serviceIds = services.map((s) => intOf(s, "id"));
  const chosen = serviceIds.length === 0 ? [] : await store.select("tblhostingconfigoptions", { relid: serviceIds });
  const options = chosen.length === 0 ? [] : await store.select("tblproductconfigoptions", { id: [...new Set(chosen.map((c) => intOf(c, "configid")))] });
  const subs = chosen.length === 0 ? [] : await store.select("tblproductconfigoptionssub", { configid: options.map((o) => intOf(o, "id")) }, { orderBy: ["sortorder", "id"] });
  const fields = productIds.length === 0 ? [] : await store.select("tblcustomfields", { type: "product", relid: productIds }, { orderBy: ["sortorder", "id"] });
  const values = serviceIds.length === 0 || fields.length === 0 ? [] : await store.select("tblcustomfieldsvalues", { relid: serviceIds, fieldid: fields.map((f) => intOf(f, "id")) });
  const gateways = await gatewayNames(store);
  const byId = (rows: readonly Row[], id: number): Row | undefined => rows.find((r) => intOf(r, "id") === id);
  const str = (row: Row | undefined, column: string): string => (row === undefined ? "" : textOf(row, column));
  const num = (row: Row, column: string): string => String(intOf(row, column));

  const list = services.map((s) => {
    const product = byId(products, intOf(s, "packageid"));
    const group = product === undefined ? undefined : byId(groups, intOf(product, "gid"));
    const server = byId(servers, intOf(s, "server"));
    const order = byId(orders, intOf(s, "orderid"));
    const entry: Record<string, unknown> = {
      id: num(s, "id"),
      qty: num(s, "qty"),
      clientid: num(s, "userid"),
      orderid: num(s, "orderid"),
    };
    if (order !== undefined && switches.clientsProductsOrderNumber) entry["ordernumber"] = num(order, "ordernum");
    Object.assign(entry, {
      pid: num(s, "packageid"),
      regdate: textOf(s, "regdate"),
      name: str(product, "name"),
      translated_name: str(product, "name"),
      groupname: str(group, "name"),
      translated_groupname: str(group, "name"),
      domain: textOf(s, "domain"),
      dedicatedip: textOf(s, "dedicatedip"),
      serverid: num(s, "server"),
      servername: str(server, "name"),
      serverip: str(server, "ipaddress"),
      serverhostname: str(server, "hostname"),
      suspensionreason: textOf(s, "suspendreason"),
      firstpaymentamount: textOf(s, "firstpaymentamount"),
      recurringamount: textOf(s, "amount"),
      paymentmethod: textOf(s, "paymentmethod"),
      paymentmethodname: gateways.get(textOf(s, "paymentmethod").toLowerCase()) ?? "",
      billingcycle: textOf(s, "billingcycle"),
      nextduedate: s["nextduedate"] === null ? "0000-00-00" : textOf(s, "nextduedate"),
      status: textOf(s, "domainstatus"),
      username: textOf(s, "username"),
      password: textOf(s, "password"),
      subscriptionid: textOf(s, "subscriptionid"),
      promoid: num(s, "promoid"),
      overideautosuspend: textOf(s, "overideautosuspend"),
      overidesuspenduntil: textOf(s, "overidesuspenduntil"),
      ns1: textOf(s, "ns1"),
      ns2: textOf(s, "ns2"),
      assignedips: textOf(s, "assignedips"),
      notes: textOf(s, "notes"),
      diskusage: num(s, "diskusage"),
      disklimit: num(s, "disklimit"),
      bwusage: num(s, "bwusage"),
      bwlimit: num(s, "bwlimit"),
      lastupdate: textOf(s, "lastupdate"),
      customfields: {
        customfield: fields
          .filter((f) => intOf(f, "relid") === intOf(s, "packageid"))
          .map((f) => {
            const v = values.find((x) => intOf(x, "fieldid") === intOf(f, "id") && intOf(x, "relid") === intOf(s, "id"));
            const value = v === undefined ? "" : textOf(v, "value");
            return switches.clientsProductsCustomField === "full"
              ? { id: num(f, "id"), name: textOf(f, "fieldname"), translated_name: textOf(f, "fieldname"), value }
              : { id: num(f, "id"), value };
          }),
      },
      configoptions: {
        configoption: chosen
          .filter((c) => intOf(c, "relid") === intOf(s, "id"))
          .flatMap((c) => {
            const option = byId(options, intOf(c, "configid"));
            if (option === undefined) return [];
            const type = textOf(option, "optiontype");
            const sub = byId(subs, intOf(c, "optionid")) ?? subs.find((x) => intOf(x, "configid") === intOf(option, "id"));
            return [{ id: num(option, "id"), option: textOf(option, "optionname"), type: switches.clientsProductsOptionTypes[type] ?? type, value: optionValue(type, c, sub) }];
          }),
      },
    });
    return entry;
  });

  return {
    clientid: echo("clientid"),
    serviceid: echo("serviceid"),
    pid: echo("pid"),
    domain,
    totalresults: String(total),
    startnumber: page.start,
    numreturned: list.length,
    products: { product: list },
  };

  function optionValue(type: string, chosenRow: Row, sub: Row | undefined): string | number {
    const qty = intOf(chosenRow, "qty");
    if (type === OPTION_TYPE.quantity) {
      switch (switches.clientsProductsQuantityValue) {
        case "number":
          return qty;
        case "qty-x-name":
          return `${qty} x ${sub === undefined ? "" : optionLabel(textOf(sub, "optionname"))}`;
        case "string":
          return String(qty);
      }
    }
    if (type === OPTION_TYPE.yesno) {
      const ticked = switches.yesNoStorage === "qty" ? qty > 0 : intOf(chosenRow, "optionid") > 0;
      return ticked ? "1" : "0";
    }
    return sub === undefined ? "" : optionLabel(textOf(sub, "optionname"));
  }
}
