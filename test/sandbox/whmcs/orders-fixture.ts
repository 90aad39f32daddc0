import type { SeedCatalog, WhmcsSandbox } from "../../../src/sandbox/whmcs/index.js";
import { call, type ApiReply } from "./harness.js";

/**
 * A mail catalog with one option group linked to three products:
 * option 1 `mailboxes` (quantity 1..50, sub-option 1, $1/month, $12/year per mailbox),
 * option 2 `plan` (dropdown: sub-option 2 basic free, 3 pro $2/month, $24/year),
 * option 3 `backup` (yes/no, sub-option 4, $5/year);
 * products 1 Zoho Mail Lite (`zoho_mail`, $1/month, $10/year + $1.50 setup, custom field 1 ZOID),
 * 2 Test Mail (`reconcile_test`, $3/month), 3 Plain (no module, free).
 */
export const MAIL_CATALOG: SeedCatalog = {
  groups: [{ ref: "email", name: "Business Email", order: 1 }],
  configGroups: [
    {
      ref: "mail-opts",
      name: "Mail options",
      options: [
        { name: "mailboxes|Mailboxes", type: "quantity", min: 1, max: 50, choices: [{ name: "Mailbox", pricing: { USD: { monthly: "1.00", annually: "12.00" } } }] },
        { name: "plan|Plan", type: "dropdown", choices: [{ name: "basic|Basic" }, { name: "pro|Pro", pricing: { USD: { monthly: "2.00", annually: "24.00" } } }] },
        { name: "backup|Backup", type: "yesno", choices: [{ name: "Enable", pricing: { USD: { annually: "5.00" } } }] },
      ],
    },
  ],
  products: [
    {
      ref: "lite",
      group: "email",
      name: "Zoho Mail Lite",
      module: "zoho_mail",
      configGroups: ["mail-opts"],
      pricing: { USD: { monthly: "1.00", annually: "10.00", asetupfee: "1.50" } },
      customFields: [{ name: "ZOID|Zoho org id", showOnOrder: false, adminOnly: true }],
    },
    { ref: "test", group: "email", name: "Test Mail", module: "reconcile_test", configGroups: ["mail-opts"], pricing: { USD: { monthly: "3.00" } } },
    { ref: "plain", group: "email", name: "Plain", module: "", payType: "free" },
  ],
};

/** PHP `serialize` + base64 of a flat or nested map, written for the tests (never the sandbox's own encoder). */
type Serializable = number | string | { readonly [key: string]: Serializable };

export function b64(map: { readonly [key: string]: Serializable }): string {
  const ser = (v: Serializable): string => {
    if (typeof v === "number") return `i:${v};`;
    if (typeof v === "string") return `s:${Buffer.byteLength(v)}:"${v}";`;
    return `a:${Object.keys(v).length}:{${Object.entries(v)
      .map(([k, x]) => (/^\d+$/.test(k) ? `i:${k};` : ser(k)) + ser(x))
      .join("")}}`;
  };
  return Buffer.from(ser(map)).toString("base64");
}

export const CLIENT_FIELDS =
  "firstname=Ada&lastname=Lovelace&companyname=Acme+Ltd&address1=1+Main+St&city=London&state=London&postcode=EC1A+1AA&country=GB&phonenumber=%2B44.2071234567";

/** AddClient with the standard fields and `email`; returns the new client id. */
export async function addClient(sb: WhmcsSandbox, email: string, extra = ""): Promise<number> {
  const r = await call(sb, "AddClient", `${CLIENT_FIELDS}&email=${encodeURIComponent(email)}${extra === "" ? "" : `&${extra}`}`);
  if (r.json["result"] !== "success") throw new Error(`AddClient failed: ${String(r.json["message"])}`);
  return Number(r.json["clientid"]);
}

/** AddOrder of one item. */
export function addOrder(sb: WhmcsSandbox, clientId: number, item: { pid: number; cycle?: string; domain?: string; options?: Record<string, number>; extra?: string }): Promise<ApiReply> {
  const parts = [`clientid=${clientId}`, "paymentmethod=banktransfer", `pid[0]=${item.pid}`];
  if (item.cycle !== undefined) parts.push(`billingcycle[0]=${item.cycle}`);
  if (item.domain !== undefined) parts.push(`domain[0]=${encodeURIComponent(item.domain)}`);
  if (item.options !== undefined) parts.push(`configoptions[0]=${encodeURIComponent(b64(item.options))}`);
  if (item.extra !== undefined) parts.push(item.extra);
  return call(sb, "AddOrder", parts.join("&"));
}
