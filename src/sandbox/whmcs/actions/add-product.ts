import { PRICE_KEYS, type PriceKey } from "../../../core/cycles.js";
import { fillPrices, replacePricing } from "../catalog/pricing.js";
import { slugify, uniqueSlug } from "../catalog/slug.js";
import { WhmcsApiError } from "../errors.js";
import { PhpArray } from "../php-array.js";
import { phpDecimal, phpInt } from "../params.js";
import { completeRow, sqlDateTime } from "../rows.js";
import type { SqlValue } from "../store.js";
import type { ActionContext, ActionDef } from "./types.js";

export const PRODUCT_TYPES = ["hostingaccount", "reselleraccount", "server", "other"] as const;
export const PAY_TYPES = ["free", "onetime", "recurring"] as const;
const AUTOSETUP = ["", "on", "order", "payment"];

export const ERR_NAME = "You must supply a name for the product";
export const ERR_GROUP = "You must supply a valid Product Group ID";
export const ERR_WELCOME = "You must supply a valid welcome email ID";
export const ERR_TYPE = 'Invalid product type. Must be one of "hostingaccount", "reselleraccount", "server" or "other"';
export const ERR_PAYTYPE = 'Invalid pay type. Must be one of "free", "onetime" or "recurring"';
export const ERR_AUTOSETUP = 'Invalid autosetup value. Must be one of "", "on", "order" or "payment"';
export const ERR_COLOR = "The color must be a valid hexadecimal value.";
export const ERR_RECOMMENDATION = "The recommendation product ID is invalid. This must be an existing product ID.";

/**
 * `AddProduct` (docs/whmcs.md#addproduct): validations in the documented order with the documented
 * messages; `pricing[<currencyid>][<key>]` writes one `tblpricing` row per currency; response
 * `{"pid": <number>}`.
 */
export const addProduct: ActionDef = { name: "AddProduct", companion: false, handler };

async function handler(ctx: ActionContext): Promise<Record<string, unknown>> {
  const { params, store, switches, now } = ctx;

  const name = (params.str("name") ?? "").trim();
  if (name === "") throw new WhmcsApiError(ERR_NAME);

  const gid = params.int("gid");
  if (gid <= 0 || (await store.count("tblproductgroups", { id: gid })) === 0) throw new WhmcsApiError(ERR_GROUP);

  const welcome = params.int("welcomeemail");
  if (welcome !== 0 && (await store.count("tblemailtemplates", { id: welcome, type: "product" })) === 0) {
    throw new WhmcsApiError(ERR_WELCOME);
  }

  const type = nonEmpty(params.str("type")) ?? switches.addProductDefaultType;
  if (!(PRODUCT_TYPES as readonly string[]).includes(type)) throw new WhmcsApiError(ERR_TYPE);

  const paytype = nonEmpty(params.str("paytype")) ?? switches.addProductDefaultPayType;
  if (!(PAY_TYPES as readonly string[]).includes(paytype)) throw new WhmcsApiError(ERR_PAYTYPE);

  const autosetup = params.str("autosetup") ?? "";
  if (!AUTOSETUP.includes(autosetup)) throw new WhmcsApiError(ERR_AUTOSETUP);

  const color = params.str("color") ?? "";
  if (color !== "" && !/^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.test(color)) throw new WhmcsApiError(ERR_COLOR);

  const recommendations = await readRecommendations(ctx);

  // Booleans are read before any write so a malformed one fails the whole call.
  const flags = {
    hidden: params.bool("hidden") ? 1 : 0,
    showdomainoptions: params.bool("showdomainoptions") ? 1 : 0,
    stockcontrol: params.bool("stockcontrol") ? 1 : 0,
    tax: params.bool("tax") ? 1 : 0,
    is_featured: params.bool("isFeatured") ? 1 : 0,
    proratabilling: params.bool("proratabilling") ? 1 : 0,
  };
  const text = (s: string): string => (switches.htmlEntityEncodeInput ? htmlSpecialChars(s) : s);
  const moduleSettings: Record<string, SqlValue> = {};
  for (let n = 1; n <= switches.addProductMaxConfigOption; n++) {
    const v = params.str(`configoption${n}`);
    if (v !== undefined) moduleSettings[`configoption${n}`] = v;
  }
  const pricing = readPricing(ctx);

  const pid = await store.transaction(async (tx) => {
    const slugParam = nonEmpty(params.str("slug"));
    const slug = slugParam ?? (await uniqueSlug(tx, "tblproducts", slugify(name, "product")));
    const stamp = sqlDateTime(now);
    const id = await tx.insert(
      "tblproducts",
      completeRow("tblproducts", {
        type,
        gid,
        name: text(name),
        slug,
        description: text(params.str("description") ?? ""),
        short_description: text(params.str("shortdescription") ?? ""),
        tagline: text(params.str("tagline") ?? ""),
        color,
        welcomeemail: welcome,
        qty: params.int("qty"),
        proratadate: params.int("proratadate"),
        proratachargenextmonth: params.int("proratachargenextmonth"),
        paytype,
        subdomain: params.str("subdomain") ?? "",
        autosetup,
        servertype: params.str("module") ?? "",
        servergroup: params.int("servergroupid"),
        order: params.int("order"),
        ...flags,
        ...moduleSettings,
        created_at: stamp,
        updated_at: stamp,
      }),
    );
    const currencies = new Set((await tx.select("tblcurrencies", {}, { columns: ["id"] })).map((c) => Number(c["id"])));
    for (const [currency, given] of pricing) {
      // Unknown currency ids are skipped: the docs list no error for them.
      if (!currencies.has(currency)) continue;
      await replacePricing(tx, "product", id, currency, fillPrices(given, switches.addProductMissingCycle));
    }
    for (const r of recommendations) {
      await tx.insert("tblproduct_recommendations", { id, product_id: r.id, sortorder: r.order });
    }
    return id;
  });
  return { pid };
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s === "" ? undefined : s;
}

async function readRecommendations(ctx: ActionContext): Promise<{ id: number; order: number }[]> {
  const raw = ctx.params.raw("recommendations");
  if (raw === undefined || raw === "") return [];
  if (!(raw instanceof PhpArray)) throw new WhmcsApiError(ERR_RECOMMENDATION);
  const out: { id: number; order: number }[] = [];
  for (const entry of raw.values()) {
    const id = entry instanceof PhpArray ? phpInt(scalar(entry.get("id"))) : 0;
    if (id <= 0 || (await ctx.store.count("tblproducts", { id })) === 0) throw new WhmcsApiError(ERR_RECOMMENDATION);
    const order = entry instanceof PhpArray ? phpInt(scalar(entry.get("order"))) : 0;
    if (!out.some((r) => r.id === id)) out.push({ id, order });
  }
  return out;
}

function scalar(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** `pricing[<currencyid>][<key>]`, values stored the way a decimal(16,2) column takes them. */
function readPricing(ctx: ActionContext): Map<number, Partial<Record<PriceKey, string>>> {
  const out = new Map<number, Partial<Record<PriceKey, string>>>();
  const raw = ctx.params.arr("pricing");
  if (raw === undefined) return out;
  for (const [currencyKey, perCurrency] of raw.entries()) {
    if (!(perCurrency instanceof PhpArray)) continue;
    const prices: Partial<Record<PriceKey, string>> = {};
    for (const key of PRICE_KEYS) {
      const v = perCurrency.get(key);
      if (typeof v === "string") prices[key] = phpDecimal(v, 2);
    }
    out.set(phpInt(currencyKey), prices);
  }
  return out;
}

/** PHP `htmlspecialchars` with ENT_QUOTES: what admin-side input sanitising may store. */
function htmlSpecialChars(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/'/g, "&#039;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
