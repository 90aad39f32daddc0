import { CYCLE_DISPLAY, cycleFromDisplay, type Cycle } from "../../core/cycles.js";
import { asRow, toId, toInt, toPrice, toText, WhmcsDataError, type Row } from "./coerce.js";
import { decodeHtmlEntities } from "../../core/html.js";
import { listAt } from "./paginate.js";
import {
  CLIENT_STATUSES,
  SERVICE_STATUSES,
  type ClientStatus,
  type PaymentMethod,
  type ServiceCustomFieldValue,
  type ServiceCycle,
  type ServiceOptionValue,
  type ServiceStatus,
  type WhmcsClientDetails,
  type WhmcsClientSummary,
  type WhmcsOrder,
  type WhmcsOrderLine,
  type WhmcsService,
} from "./service-types.js";

/**
 * Tolerant readers for the client, order and service actions: ids and counts may come as numbers
 * or strings, lists as `""` when empty, and anything that cannot be read fails with its location.
 */

/**
 * Display strings WHMCS stores in `tblhosting.billingcycle` for each cycle. `Monthly`, `Quarterly`
 * and `One-Time` are documented; the rest follow the same pattern and can be overridden by callers.
 */
export const SERVICE_CYCLE_TEXT: Readonly<Record<ServiceCycle, string>> = {
  ...CYCLE_DISPLAY,
  onetime: "One-Time",
  free: "Free Account",
};

/** `Annually`, `annually`, `Semi-Annually`, `One-Time`, `onetime`, `Free Account`, `free` → canonical cycle. */
export function serviceCycleFromText(x: unknown, where: string): ServiceCycle {
  const text = toText(x, where).trim();
  const cycle: Cycle | undefined = cycleFromDisplay(text);
  if (cycle !== undefined) return cycle;
  const squashed = text.toLowerCase().replace(/[-\s]/g, "");
  if (squashed === "onetime") return "onetime";
  if (squashed === "free" || squashed === "freeaccount") return "free";
  throw new WhmcsDataError(where, `unknown billing cycle ${JSON.stringify(text)}`);
}

export function serviceStatusFromText(x: unknown, where: string): ServiceStatus {
  const text = toText(x, where).trim().toLowerCase();
  const found = SERVICE_STATUSES.find((s) => s === text);
  if (found === undefined) throw new WhmcsDataError(where, `unknown service status ${JSON.stringify(x)}`);
  return found;
}

export function clientStatusFromText(x: unknown, where: string): ClientStatus {
  const text = toText(x, where).trim().toLowerCase();
  const found = CLIENT_STATUSES.find((s) => s === text);
  if (found === undefined) throw new WhmcsDataError(where, `unknown client status ${JSON.stringify(x)}`);
  return found;
}

/** `"1,2"`, `"7"`, `7`, `""` or absent → canonical ids (AddOrder's comma-joined lists). */
export function splitIds(x: unknown, where: string): string[] {
  if (x === undefined || x === null || x === "") return [];
  if (typeof x === "number") return [toId(x, where)];
  const text = toText(x, where);
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map((part, i) => toId(part, `${where}[${i}]`));
}

/** An optional id: absent, empty and `0` (WHMCS's "none") read as undefined. */
export function optionalId(x: unknown, where: string): string | undefined {
  if (x === undefined || x === null || x === "") return undefined;
  const id = toId(x, where);
  return id === "0" ? undefined : id;
}

/** An optional money field (`price` of UpgradeProduct); undefined when absent. */
export function optionalPrice(x: unknown, where: string): string | undefined {
  if (x === undefined || x === null || x === "") return undefined;
  return toPrice(x, where);
}

/**
 * A price WHMCS formats in the client's currency (`$-8.67 USD`, `-€3.00`, `12.00`): the signed
 * amount without prefix, suffix or thousands separators (docs/whmcs.md#upgradeproduct).
 */
export function optionalFormattedPrice(x: unknown, where: string): string | undefined {
  if (x === undefined || x === null || x === "") return undefined;
  if (typeof x === "number") return toPrice(x, where);
  const text = String(x).trim();
  const m = /^(-?)[^\d-]*?(-?)([\d,]*\d(?:\.\d+)?)\D*$/.exec(text);
  if (m === null) return toPrice(x, where);
  const sign = m[1] === "-" || m[2] === "-" ? "-" : "";
  return toPrice(`${sign}${(m[3] ?? "").replace(/,/g, "")}`, where);
}

export function clientSummaryFrom(x: unknown, where: string): WhmcsClientSummary {
  const row = asRow(x, where);
  const w = (c: string): string => `${where}.${c}`;
  return {
    id: toId(row["id"], w("id")),
    firstName: decodeHtmlEntities(toText(row["firstname"], w("firstname"))),
    lastName: decodeHtmlEntities(toText(row["lastname"], w("lastname"))),
    companyName: decodeHtmlEntities(toText(row["companyname"], w("companyname"))),
    email: toText(row["email"], w("email")).trim(),
    dateCreated: toText(row["datecreated"], w("datecreated")),
    groupId: toId(row["groupid"] ?? 0, w("groupid")),
    status: clientStatusFromText(row["status"], w("status")),
  };
}

/** `GetClientsDetails`: fields under `client` (current) or at the top level (deprecated duplicates). */
export function clientDetailsFrom(response: unknown): WhmcsClientDetails {
  const top = asRow(response, "GetClientsDetails");
  const inner = top["client"];
  const row: Row = inner !== null && typeof inner === "object" && !Array.isArray(inner) ? { ...top, ...(inner as Row) } : top;
  const where = inner === undefined ? "GetClientsDetails" : "GetClientsDetails.client";
  const w = (c: string): string => `${where}.${c}`;
  const idSource = row["id"] ?? row["client_id"] ?? row["userid"];
  const summary = clientSummaryFrom({ ...row, id: idSource }, where);
  const currency = row["currency"];
  return {
    ...summary,
    address1: decodeHtmlEntities(toText(row["address1"], w("address1"))),
    address2: decodeHtmlEntities(toText(row["address2"], w("address2"))),
    city: decodeHtmlEntities(toText(row["city"], w("city"))),
    state: decodeHtmlEntities(toText(row["state"], w("state"))),
    postcode: toText(row["postcode"], w("postcode")),
    country: toText(row["countrycode"] ?? row["country"], w("country")).trim().toUpperCase(),
    phoneNumber: toText(row["phonenumber"], w("phonenumber")),
    currencyId: currency === undefined || currency === null || currency === "" ? undefined : toId(currency, w("currency")),
    currencyCode: row["currency_code"] === undefined ? undefined : toText(row["currency_code"], w("currency_code")),
    customFields: clientCustomFields(top["customfields"] ?? row["customfields"], `GetClientsDetails.customfields`),
  };
}

function clientCustomFields(x: unknown, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  listAt({ list: x }, ["list"]).forEach((entry, i) => {
    const row = asRow(entry, `${where}[${i}]`);
    out[toId(row["id"], `${where}[${i}].id`)] = toText(row["value"], `${where}[${i}].value`);
  });
  return out;
}

/** One `GetClientsProducts` entry; the service password it carries is dropped. */
export function serviceFrom(x: unknown, where: string): WhmcsService {
  const row = asRow(x, where);
  const w = (c: string): string => `${where}.${c}`;
  const qty = row["qty"];
  return {
    id: toId(row["id"], w("id")),
    clientId: toId(row["clientid"], w("clientid")),
    orderId: toId(row["orderid"] ?? 0, w("orderid")),
    productId: toId(row["pid"], w("pid")),
    productName: decodeHtmlEntities(toText(row["name"], w("name"))),
    groupName: decodeHtmlEntities(toText(row["groupname"], w("groupname"))),
    domain: toText(row["domain"], w("domain")),
    qty: qty === undefined || qty === null || qty === "" ? 1 : toInt(qty, w("qty")),
    regDate: toText(row["regdate"], w("regdate")),
    nextDueDate: toText(row["nextduedate"], w("nextduedate")),
    billingCycleText: toText(row["billingcycle"], w("billingcycle")),
    cycle: serviceCycleFromText(row["billingcycle"], w("billingcycle")),
    status: serviceStatusFromText(row["status"], w("status")),
    paymentMethod: toText(row["paymentmethod"], w("paymentmethod")),
    firstPaymentAmount: toPrice(row["firstpaymentamount"] ?? "0.00", w("firstpaymentamount")),
    recurringAmount: toPrice(row["recurringamount"] ?? "0.00", w("recurringamount")),
    serverId: toId(row["serverid"] ?? 0, w("serverid")),
    username: toText(row["username"], w("username")),
    configOptions: listAt(row, ["configoptions", "configoption"]).map((o, i): ServiceOptionValue => {
      const ow = `${where}.configoptions.configoption[${i}]`;
      const opt = asRow(o, ow);
      return {
        id: toId(opt["id"], `${ow}.id`),
        name: toText(opt["option"] ?? opt["name"], `${ow}.option`),
        type: toText(opt["type"], `${ow}.type`),
        value: toText(opt["value"], `${ow}.value`),
      };
    }),
    customFields: listAt(row, ["customfields", "customfield"]).map((f, i): ServiceCustomFieldValue => {
      const fw = `${where}.customfields.customfield[${i}]`;
      const field = asRow(f, fw);
      return {
        id: toId(field["id"], `${fw}.id`),
        name: decodeHtmlEntities(toText(field["name"], `${fw}.name`)),
        value: toText(field["value"], `${fw}.value`),
      };
    }),
  };
}

export function orderFrom(x: unknown, where: string): WhmcsOrder {
  const row = asRow(x, where);
  const w = (c: string): string => `${where}.${c}`;
  return {
    id: toId(row["id"], w("id")),
    orderNumber: toId(row["ordernum"], w("ordernum")),
    clientId: toId(row["userid"], w("userid")),
    date: toText(row["date"], w("date")),
    amount: toPrice(row["amount"] ?? "0.00", w("amount")),
    paymentMethod: toText(row["paymentmethod"], w("paymentmethod")),
    invoiceId: optionalId(row["invoiceid"], w("invoiceid")),
    status: toText(row["status"], w("status")),
    paymentStatus: toText(row["paymentstatus"], w("paymentstatus")),
    currencyPrefix: toText(row["currencyprefix"] ?? "", w("currencyprefix")),
    currencySuffix: toText(row["currencysuffix"] ?? "", w("currencysuffix")),
    lines: listAt(row, ["lineitems", "lineitem"]).map((l, i): WhmcsOrderLine => {
      const lw = `${where}.lineitems.lineitem[${i}]`;
      const line = asRow(l, lw);
      return {
        type: toText(line["type"], `${lw}.type`),
        relid: toId(line["relid"] ?? 0, `${lw}.relid`),
        product: decodeHtmlEntities(toText(line["product"], `${lw}.product`)),
        domain: toText(line["domain"], `${lw}.domain`),
        billingCycleText: toText(line["billingcycle"], `${lw}.billingcycle`),
        amount: toPrice(line["amount"] ?? "0.00", `${lw}.amount`),
        status: toText(line["status"], `${lw}.status`),
      };
    }),
  };
}

export function paymentMethodsFrom(response: unknown): PaymentMethod[] {
  return listAt(response, ["paymentmethods", "paymentmethod"]).map((x, i) => {
    const where = `GetPaymentMethods.paymentmethods.paymentmethod[${i}]`;
    const row = asRow(x, where);
    return { module: toText(row["module"], `${where}.module`), displayName: toText(row["displayname"], `${where}.displayname`) };
  });
}
