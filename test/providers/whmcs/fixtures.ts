import type { PriceRow } from "../../../src/model/catalog.js";

/** A canonical price row: setup fees "0.00", cycles `notOffered` ("-1.00" for products, "0.00" for options) unless given. */
export function fullPriceRow(over: Partial<PriceRow>, notOffered: string): PriceRow {
  return {
    msetupfee: "0.00",
    qsetupfee: "0.00",
    ssetupfee: "0.00",
    asetupfee: "0.00",
    bsetupfee: "0.00",
    tsetupfee: "0.00",
    monthly: notOffered,
    quarterly: notOffered,
    semiannually: notOffered,
    annually: notOffered,
    biennially: notOffered,
    triennially: notOffered,
    ...over,
  };
}

/** Builders for raw WHMCS rows as the companion returns them (numbers as numbers, money as strings). */
export function priceRow(type: "product" | "configoptions" | "addon", relid: number | string, currency: number | string, over: Record<string, unknown> = {}) {
  return { type, currency, relid, ...fullPriceRow({}, type === "product" ? "-1.00" : "0.00"), ...over };
}

export function companionCatalog(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    result: "success",
    currencies: [
      { id: 1, code: "USD", prefix: "$", suffix: " USD", format: 1, rate: "1.00000", default: 1 },
      { id: "2", code: "EUR", prefix: "€", suffix: " EUR", format: "1", rate: "0.90000", default: "0" },
    ],
    groups: [{ id: 1, name: "Business &amp; Email", slug: "business-email", headline: "Email &lt;on&gt; your domain", tagline: null, hidden: 0, order: 1 }],
    products: [
      {
        id: 1,
        gid: "1",
        type: "other",
        name: "Zoho Mail &quot;Lite&quot;",
        slug: "zoho-mail-lite",
        description: "Ad-free &#039;email&#39; &#x2014; 5&#8239;GB",
        hidden: "0",
        retired: 0,
        paytype: "recurring",
        servertype: "zoho_mail",
        order: 0,
      },
    ],
    pricing: [
      priceRow("product", 1, 1, { annually: "12", asetupfee: 0 }),
      priceRow("configoptions", 1, 1, { monthly: "1.00", annually: 12 }),
      priceRow("configoptions", 2, 1),
      priceRow("configoptions", 3, 1, { monthly: "5.00" }),
      priceRow("configoptions", 3, 2, { monthly: "4.50" }),
      priceRow("configoptions", 1, 99, { monthly: "7.00" }),
      priceRow("addon", 1, 1),
    ],
    configgroups: [{ id: 1, name: "Mail Lite options", description: "Mailboxes &amp; plan" }],
    configoptions: [
      { id: 1, gid: 1, optionname: "mailboxes|Mailboxes", optiontype: "4", qtyminimum: 1, qtymaximum: 0, order: 0, hidden: 0 },
      { id: 2, gid: "1", optionname: "Plan", optiontype: 1, qtyminimum: "5", qtymaximum: "9", order: "1", hidden: "1" },
    ],
    configsuboptions: [
      { id: 1, configid: 1, optionname: "Mailbox", sortorder: 0, hidden: 0 },
      { id: 3, configid: 2, optionname: "pro|Pro &amp; more", sortorder: 1, hidden: 0 },
      { id: 2, configid: 2, optionname: "Basic", sortorder: 0, hidden: "1" },
    ],
    configlinks: [
      { gid: 1, pid: 1 },
      { gid: "1", pid: "1" },
      { gid: 77, pid: 1 },
    ],
    resources: [
      { kind: "ProductGroup", name: "business-email", relid: 1 },
      { kind: "Product", name: "mail-lite", relid: "1" },
    ],
    servicecounts: [
      { pid: 1, billingcycle: "Annually", currency: 1, count: 3 },
      { pid: "1", billingcycle: "annually", currency: "1", count: "2" },
      { pid: 1, billingcycle: "Semi-Annually", currency: 2, count: 1 },
      { pid: 1, billingcycle: "One-Time", currency: 1, count: 4 },
      { pid: 1, billingcycle: "Monthly", currency: 42, count: 4 },
    ],
    ...over,
  };
}
