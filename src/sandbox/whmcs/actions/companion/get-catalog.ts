import { PRICE_KEYS } from "../../../../core/cycles.js";
import { intOf, textOf } from "../../rows.js";
import type { Row } from "../../store.js";
import type { ActionContext, ActionDef } from "../types.js";
import { LEDGER_TABLE } from "./ledger.js";

/**
 * `ReconcileGetCatalog` (docs/companion-api.md): raw rows of the catalog tables, every row,
 * numbers as JSON numbers, money and rates as strings, text as stored (NULL stays null).
 */
export const reconcileGetCatalog: ActionDef = { name: "ReconcileGetCatalog", companion: true, handler };

async function handler({ store }: ActionContext): Promise<Record<string, unknown>> {
  const currencies = await store.select("tblcurrencies");
  const groups = await store.select("tblproductgroups");
  const products = await store.select("tblproducts");
  const pricing = await store.select("tblpricing", { type: ["product", "configoptions"] });
  const configGroups = await store.select("tblproductconfiggroups");
  const options = await store.select("tblproductconfigoptions");
  const subs = await store.select("tblproductconfigoptionssub");
  const links = await store.select("tblproductconfiglinks");
  const resources = await store.select(LEDGER_TABLE);
  const customFields = await store.select("tblcustomfields", { type: "product" });

  return {
    currencies: currencies.map((c) => ({
      id: intOf(c, "id"),
      code: textOf(c, "code"),
      prefix: textOf(c, "prefix"),
      suffix: textOf(c, "suffix"),
      format: intOf(c, "format"),
      rate: textOf(c, "rate"),
      default: intOf(c, "default"),
    })),
    groups: groups.map((g) => ({
      id: intOf(g, "id"),
      name: textOf(g, "name"),
      slug: textOf(g, "slug"),
      headline: nullableText(g, "headline"),
      tagline: nullableText(g, "tagline"),
      hidden: intOf(g, "hidden"),
      order: intOf(g, "order"),
    })),
    products: products.map((p) => ({
      id: intOf(p, "id"),
      gid: intOf(p, "gid"),
      type: textOf(p, "type"),
      name: textOf(p, "name"),
      slug: textOf(p, "slug"),
      description: textOf(p, "description"),
      hidden: intOf(p, "hidden"),
      retired: intOf(p, "retired"),
      paytype: textOf(p, "paytype"),
      servertype: textOf(p, "servertype"),
      order: intOf(p, "order"),
    })),
    pricing: pricing.map((r) => {
      const out: Record<string, unknown> = { type: textOf(r, "type"), currency: intOf(r, "currency"), relid: intOf(r, "relid") };
      for (const key of PRICE_KEYS) out[key] = textOf(r, key);
      return out;
    }),
    configgroups: configGroups.map((g) => ({ id: intOf(g, "id"), name: textOf(g, "name"), description: textOf(g, "description") })),
    configoptions: options.map((o) => ({
      id: intOf(o, "id"),
      gid: intOf(o, "gid"),
      optionname: textOf(o, "optionname"),
      optiontype: textOf(o, "optiontype"),
      qtyminimum: intOf(o, "qtyminimum"),
      qtymaximum: intOf(o, "qtymaximum"),
      order: intOf(o, "order"),
      hidden: intOf(o, "hidden"),
    })),
    configsuboptions: subs.map((s) => ({
      id: intOf(s, "id"),
      configid: intOf(s, "configid"),
      optionname: textOf(s, "optionname"),
      sortorder: intOf(s, "sortorder"),
      hidden: intOf(s, "hidden"),
    })),
    configlinks: links.map((l) => ({ gid: intOf(l, "gid"), pid: intOf(l, "pid") })),
    resources: resources.map((r) => ({ kind: textOf(r, "kind"), name: textOf(r, "name"), relid: intOf(r, "relid") })),
    customfields: customFields.map((f) => ({
      id: intOf(f, "id"),
      relid: intOf(f, "relid"),
      fieldname: textOf(f, "fieldname"),
      fieldtype: textOf(f, "fieldtype"),
      adminonly: textOf(f, "adminonly"),
      showorder: textOf(f, "showorder"),
      sortorder: intOf(f, "sortorder"),
    })),
    servicecounts: await serviceCounts(store),
  };
}

function nullableText(row: Row, column: string): string | null {
  const v = row[column];
  return v === null || v === undefined ? null : String(v);
}

/** Active services per product, billing cycle (as stored) and the client's currency. */
async function serviceCounts(store: ActionContext["store"]): Promise<{ pid: number; billingcycle: string; currency: number; count: number }[]> {
  const services = await store.select("tblhosting", { domainstatus: "Active" }, { columns: ["userid", "packageid", "billingcycle"] });
  if (services.length === 0) return [];
  const clientIds = [...new Set(services.map((s) => intOf(s, "userid")))];
  const currencyOf = new Map<number, number>();
  for (const c of await store.select("tblclients", { id: clientIds }, { columns: ["id", "currency"] })) {
    currencyOf.set(intOf(c, "id"), intOf(c, "currency"));
  }
  const counts = new Map<string, { pid: number; billingcycle: string; currency: number; count: number }>();
  for (const s of services) {
    const pid = intOf(s, "packageid");
    const billingcycle = textOf(s, "billingcycle");
    const currency = currencyOf.get(intOf(s, "userid")) ?? 0;
    const k = JSON.stringify([pid, billingcycle, currency]);
    const entry = counts.get(k);
    if (entry === undefined) counts.set(k, { pid, billingcycle, currency, count: 1 });
    else entry.count++;
  }
  return [...counts.values()].sort(
    (a, b) => a.pid - b.pid || (a.billingcycle < b.billingcycle ? -1 : a.billingcycle > b.billingcycle ? 1 : 0) || a.currency - b.currency,
  );
}
