import { optionKey } from "../catalog/options.js";
import { intOf, textOf } from "../rows.js";
import type { Row, WhmcsStore } from "../store.js";
import type { ModuleParams } from "./types.js";

/** `$params` for one service, read fresh from the tables. */
export async function moduleParams(store: WhmcsStore, service: Row, product: Row): Promise<ModuleParams> {
  const serviceId = intOf(service, "id");
  const client = await store.selectOne("tblclients", { id: intOf(service, "userid") });
  const serverId = intOf(service, "server");
  const server = serverId === 0 ? undefined : await store.selectOne("tblservers", { id: serverId });

  const productSettings: Record<string, string> = {};
  for (let i = 1; i <= 24; i++) productSettings[`configoption${i}`] = textOf(product, `configoption${i}`);

  const customfields: Record<string, string> = {};
  const fields = await store.select("tblcustomfields", { type: "product", relid: intOf(product, "id") });
  const values = fields.length === 0 ? [] : await store.select("tblcustomfieldsvalues", { relid: serviceId, fieldid: fields.map((f) => intOf(f, "id")) });
  for (const f of fields) {
    const v = values.find((x) => intOf(x, "fieldid") === intOf(f, "id"));
    customfields[optionKey(textOf(f, "fieldname"))] = v === undefined ? "" : textOf(v, "value");
  }

  const configoptions: Record<string, string | number> = {};
  const chosen = await store.select("tblhostingconfigoptions", { relid: serviceId });
  const options = chosen.length === 0 ? [] : await store.select("tblproductconfigoptions", { id: chosen.map((c) => intOf(c, "configid")) });
  const subs = chosen.length === 0 ? [] : await store.select("tblproductconfigoptionssub", { id: chosen.map((c) => intOf(c, "optionid")) });
  for (const c of chosen) {
    const option = options.find((o) => intOf(o, "id") === intOf(c, "configid"));
    if (option === undefined) continue;
    const type = textOf(option, "optiontype");
    const sub = subs.find((s) => intOf(s, "id") === intOf(c, "optionid"));
    // Modules get the quantity for quantity and yes/no options, else the chosen value's key.
    configoptions[optionKey(textOf(option, "optionname"))] =
      type === "3" || type === "4" ? intOf(c, "qty") : sub === undefined ? "" : optionKey(textOf(sub, "optionname"));
  }

  return {
    serviceid: serviceId,
    userid: intOf(service, "userid"),
    pid: intOf(product, "id"),
    serverid: serverId,
    domain: textOf(service, "domain"),
    username: textOf(service, "username"),
    password: textOf(service, "password"),
    producttype: textOf(product, "type"),
    moduletype: textOf(product, "servertype"),
    status: textOf(service, "domainstatus"),
    productSettings,
    clientsdetails:
      client === undefined
        ? {}
        : {
            userid: intOf(client, "id"),
            id: intOf(client, "id"),
            firstname: textOf(client, "firstname"),
            lastname: textOf(client, "lastname"),
            fullname: `${textOf(client, "firstname")} ${textOf(client, "lastname")}`.trim(),
            companyname: textOf(client, "companyname"),
            email: textOf(client, "email"),
            address1: textOf(client, "address1"),
            address2: textOf(client, "address2"),
            city: textOf(client, "city"),
            state: textOf(client, "state"),
            postcode: textOf(client, "postcode"),
            country: textOf(client, "country"),
            countrycode: textOf(client, "country"),
            phonenumber: textOf(client, "phonenumber"),
          },
    customfields,
    configoptions,
    server:
      server === undefined
        ? null
        : {
            ip: textOf(server, "ipaddress"),
            hostname: textOf(server, "hostname"),
            username: textOf(server, "username"),
            password: textOf(server, "password"),
            accesshash: textOf(server, "accesshash"),
            secure: textOf(server, "secure") === "on",
            port: server["port"] === null ? null : intOf(server, "port"),
          },
  };
}

/** What `tblmodulelog.request` records of `$params`: no passwords, no server credentials. */
export function loggableParams(p: ModuleParams): string {
  return JSON.stringify({
    serviceid: p.serviceid,
    userid: p.userid,
    pid: p.pid,
    serverid: p.serverid,
    domain: p.domain,
    username: p.username,
    moduletype: p.moduletype,
    configoptions: p.configoptions,
    customfields: p.customfields,
  });
}
