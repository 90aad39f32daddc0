import { PRICE_KEYS } from "../../../core/cycles.js";
import { pricingByRelid } from "../catalog/pricing.js";
import { getConfiguration } from "../configuration.js";
import { phpInt } from "../params.js";
import { intOf, textOf } from "../rows.js";
import type { Row } from "../store.js";
import type { ActionContext, ActionDef } from "./types.js";

/**
 * `GetProducts` (docs/whmcs.md#getproducts): filters `pid` (one id or a comma list), `gid`, `module`.
 * Shape and JSON types follow the documented example: numeric ids, string prices keyed by
 * currency code, option `type` as "1".."4", only linked option groups, only custom fields
 * shown on the order form, nothing about hidden/retired/module settings.
 */
export const getProducts: ActionDef = { name: "GetProducts", companion: false, handler };

async function handler(ctx: ActionContext): Promise<Record<string, unknown>> {
  const { params, store, switches } = ctx;
  let products = await store.select("tblproducts");

  const pid = params.str("pid");
  if (pid !== undefined && pid.trim() !== "") {
    const ids = new Set(pid.split(",").map((p) => phpInt(p)));
    products = products.filter((p) => ids.has(intOf(p, "id")));
  }
  const gid = params.str("gid");
  if (gid !== undefined && gid.trim() !== "") {
    const g = phpInt(gid);
    products = products.filter((p) => intOf(p, "gid") === g);
  }
  const module = params.str("module");
  if (module !== undefined && module !== "") products = products.filter((p) => textOf(p, "servertype") === module);

  const groups = new Map((await store.select("tblproductgroups")).map((g) => [intOf(g, "id"), g]));
  products = sortProducts(products, groups, switches.getProductsOrder);

  const ids = products.map((p) => intOf(p, "id"));
  const currencies = await store.select("tblcurrencies");
  const productPricing = await pricingByRelid(store, "product", ids);
  const options = await linkedOptions(ctx, ids);
  const fields = ids.length === 0 ? [] : await store.select("tblcustomfields", { type: "product", relid: ids, showorder: "on" }, { orderBy: ["sortorder", "id"] });
  const systemUrl = await baseUrl(ctx);

  const list = products.map((p) => {
    const id = intOf(p, "id");
    const group = groups.get(intOf(p, "gid"));
    const pricing: Record<string, unknown> = {};
    const rows = productPricing.get(id);
    for (const cur of currencies) {
      const row = rows?.get(intOf(cur, "id"));
      if (row === undefined) continue;
      pricing[textOf(cur, "code")] = { prefix: textOf(cur, "prefix"), suffix: textOf(cur, "suffix"), ...prices(row) };
    }
    return {
      pid: id,
      gid: intOf(p, "gid"),
      type: textOf(p, "type"),
      name: textOf(p, "name"),
      slug: textOf(p, "slug"),
      [switches.productUrlKey]: `${systemUrl}${group === undefined ? "" : `${textOf(group, "slug")}/`}${textOf(p, "slug")}`,
      description: textOf(p, "description"),
      module: textOf(p, "servertype"),
      paytype: textOf(p, "paytype"),
      allowqty: intOf(p, "allowqty"),
      // The product's stock quantity (AddProduct `qty`).
      quantity_available: intOf(p, "qty"),
      pricing: phpMap(pricing),
      customfields: {
        customfield: fields
          .filter((f) => intOf(f, "relid") === id)
          .map((f) => ({
            id: intOf(f, "id"),
            name: textOf(f, "fieldname"),
            description: textOf(f, "description"),
            required: textOf(f, "required"),
          })),
      },
      configoptions: { configoption: options.get(id) ?? [] },
    };
  });

  return {
    totalresults: list.length,
    ...(switches.getProductsPagingFields ? { startnumber: 0, numreturned: list.length } : {}),
    products: { product: list },
  };

  function prices(row: Row): Record<string, string> {
    const out: Record<string, string> = {};
    for (const key of PRICE_KEYS) out[key] = textOf(row, key);
    return out;
  }
}

function sortProducts(products: Row[], groups: Map<number, Row>, order: "group-then-product" | "id"): Row[] {
  const byId = (a: Row, b: Row): number => intOf(a, "id") - intOf(b, "id");
  if (order === "id") return [...products].sort(byId);
  const groupOrder = (p: Row): [number, number] => {
    const g = groups.get(intOf(p, "gid"));
    // Products whose group is gone sort last.
    return g === undefined ? [Number.MAX_SAFE_INTEGER, intOf(p, "gid")] : [intOf(g, "order"), intOf(g, "id")];
  };
  return [...products].sort((a, b) => {
    const [ga, gaId] = groupOrder(a);
    const [gb, gbId] = groupOrder(b);
    return ga - gb || gaId - gbId || intOf(a, "order") - intOf(b, "order") || byId(a, b);
  });
}

/** The configurable options each product sees through its linked option groups. */
async function linkedOptions(ctx: ActionContext, productIds: readonly number[]): Promise<Map<number, unknown[]>> {
  const { store } = ctx;
  const out = new Map<number, unknown[]>();
  if (productIds.length === 0) return out;
  const links = await store.select("tblproductconfiglinks", { pid: [...productIds] });
  const groupIds = [...new Set(links.map((l) => intOf(l, "gid")))];
  if (groupIds.length === 0) return out;
  const options = await store.select("tblproductconfigoptions", { gid: groupIds }, { orderBy: ["order", "id"] });
  const optionIds = options.map((o) => intOf(o, "id"));
  const subs = optionIds.length === 0 ? [] : await store.select("tblproductconfigoptionssub", { configid: optionIds }, { orderBy: ["sortorder", "id"] });
  const subPricing = await pricingByRelid(store, "configoptions", subs.map((s) => intOf(s, "id")));
  const currencies = await store.select("tblcurrencies");

  const rendered = new Map<number, unknown>();
  for (const o of options) {
    const oid = intOf(o, "id");
    rendered.set(oid, {
      id: oid,
      name: textOf(o, "optionname"),
      type: textOf(o, "optiontype"),
      minqty: intOf(o, "qtyminimum"),
      maxqty: intOf(o, "qtymaximum"),
      options: {
        option: subs
          .filter((s) => intOf(s, "configid") === oid)
          .map((s) => {
            const pricing: Record<string, unknown> = {};
            const rows = subPricing.get(intOf(s, "id"));
            for (const cur of currencies) {
              const row = rows?.get(intOf(cur, "id"));
              if (row === undefined) continue;
              const p: Record<string, string> = {};
              for (const key of PRICE_KEYS) p[key] = textOf(row, key);
              pricing[textOf(cur, "code")] = p;
            }
            return { id: intOf(s, "id"), name: textOf(s, "optionname"), rawName: null, recurring: 0, required: null, pricing: phpMap(pricing) };
          }),
      },
    });
  }
  for (const pid of productIds) {
    const groupsOfProduct = new Set(links.filter((l) => intOf(l, "pid") === pid).map((l) => intOf(l, "gid")));
    const mine = options.filter((o) => groupsOfProduct.has(intOf(o, "gid")));
    out.set(pid, mine.map((o) => rendered.get(intOf(o, "id"))));
  }
  return out;
}

/** WHMCS's own URL (`SystemURL`), else the address the request came in on. */
async function baseUrl(ctx: ActionContext): Promise<string> {
  const configured = await getConfiguration(ctx.store, "SystemURL");
  if (configured !== undefined && configured !== "") return configured.endsWith("/") ? configured : `${configured}/`;
  return `http://${ctx.request.host}${ctx.request.basePath}/`;
}


/** PHP's json_encode writes an empty array as `[]`, never `{}`. */
function phpMap(map: Record<string, unknown>): Record<string, unknown> | [] {
  return Object.keys(map).length === 0 ? [] : map;
}
