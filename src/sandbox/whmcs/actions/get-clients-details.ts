import { WhmcsApiError } from "../errors.js";
import { intOf, textOf } from "../rows.js";
import type { Row } from "../store.js";
import type { ActionContext, ActionDef } from "./types.js";

/**
 * `GetClientsDetails` (docs/whmcs.md#getclientsdetails): by `clientid`, else by `email` (case-insensitive).
 * Answers `client{…}` and, as WHMCS still does for old integrations, the same fields again at
 * the top level; client custom fields as `[{id, value}]`; `currency_code`. Flags are booleans,
 * `credit` a string, ids numbers. Users (8.0 logins) are not modelled: `users.user` is empty.
 */
export const getClientsDetails: ActionDef = { name: "GetClientsDetails", companion: false, handler };

export const ERR_CLIENT_REQUIRED = "Either clientid Or email Is Required";
export const ERR_CLIENT_NOT_FOUND = "Client Not Found";

async function handler({ params, store }: ActionContext): Promise<Record<string, unknown>> {
  const idText = (params.str("clientid") ?? "").trim();
  const email = (params.str("email") ?? "").trim();
  let client: Row | undefined;
  if (idText !== "") {
    client = /^\d+$/.test(idText) ? await store.selectOne("tblclients", { id: Number(idText) }) : undefined;
  } else if (email !== "") {
    client = await store.selectOne("tblclients", { email });
  } else {
    throw new WhmcsApiError(ERR_CLIENT_REQUIRED);
  }
  if (client === undefined) throw new WhmcsApiError(ERR_CLIENT_NOT_FOUND);

  const id = intOf(client, "id");
  const currency = await store.selectOne("tblcurrencies", { id: intOf(client, "currency") });
  const fields = await store.select("tblcustomfields", { type: "client" }, { orderBy: ["sortorder", "id"] });
  const values = fields.length === 0 ? [] : await store.select("tblcustomfieldsvalues", { relid: id, fieldid: fields.map((f) => intOf(f, "id")) });
  const customfields = fields.map((f) => {
    const v = values.find((x) => intOf(x, "fieldid") === intOf(f, "id"));
    return { id: intOf(f, "id"), value: v === undefined ? "" : textOf(v, "value") };
  });
  const flag = (column: string): boolean => intOf(client, column) !== 0;
  const details: Record<string, unknown> = {
    userid: id,
    client_id: id,
    id,
    uuid: textOf(client, "uuid"),
    firstname: textOf(client, "firstname"),
    lastname: textOf(client, "lastname"),
    fullname: `${textOf(client, "firstname")} ${textOf(client, "lastname")}`.trim(),
    companyname: textOf(client, "companyname"),
    email: textOf(client, "email"),
    address1: textOf(client, "address1"),
    address2: textOf(client, "address2"),
    city: textOf(client, "city"),
    fullstate: textOf(client, "state"),
    state: textOf(client, "state"),
    postcode: textOf(client, "postcode"),
    countrycode: textOf(client, "country"),
    country: textOf(client, "country"),
    phonenumber: textOf(client, "phonenumber"),
    tax_id: textOf(client, "tax_id"),
    billingcid: intOf(client, "billingcid"),
    notes: textOf(client, "notes"),
    currency: intOf(client, "currency"),
    defaultgateway: textOf(client, "defaultgateway"),
    securityqid: intOf(client, "securityqid"),
    groupid: intOf(client, "groupid"),
    status: textOf(client, "status"),
    credit: textOf(client, "credit"),
    taxexempt: flag("taxexempt"),
    latefeeoveride: flag("latefeeoveride"),
    overideduenotices: flag("overideduenotices"),
    separateinvoices: flag("separateinvoices"),
    disableautocc: flag("disableautocc"),
    emailoptout: flag("emailoptout"),
    marketing_emails_opt_in: flag("marketing_emails_opt_in"),
    overrideautoclose: flag("overrideautoclose"),
    allowSingleSignOn: intOf(client, "allow_sso"),
    email_verified: flag("email_verified"),
    language: textOf(client, "language"),
    lastlogin: client["lastlogin"] === null ? "No Login Logged" : textOf(client, "lastlogin"),
    datecreated: textOf(client, "datecreated"),
    currency_code: currency === undefined ? "" : textOf(currency, "code"),
  };
  return {
    client: { ...details, customfields, users: { user: [] } },
    ...details,
    customfields,
  };
}
