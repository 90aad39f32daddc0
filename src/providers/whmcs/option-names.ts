import { PRICE_KEYS, type PriceKey } from "../../core/cycles.js";
import type { Money } from "../../core/money.js";
import type { OptionType, PayType, PriceRow, ProductType } from "../../model/catalog.js";
import { toPrice, toText, WhmcsDataError, type Row } from "./coerce.js";
import { decodeHtmlEntities } from "../../core/html.js";

/**
 * `key|Label` → key and label, split on the first `|` before entity decoding (so an encoded
 * `&#124;` never becomes a separator). Without a `|` the whole name is both key and label,
 * verbatim: that is the key modules receive in `$params['configoptions']` and the key the
 * companion matches on (text left of `|`), so lower-casing it would make plan and write disagree.
 */
export function splitOptionName(raw: string): { readonly key: string; readonly label: string } {
  const bar = raw.indexOf("|");
  if (bar < 0) {
    const whole = decodeHtmlEntities(raw);
    return { key: whole, label: whole };
  }
  return { key: decodeHtmlEntities(raw.slice(0, bar)), label: decodeHtmlEntities(raw.slice(bar + 1)) };
}

const OPTION_TYPES: Readonly<Record<string, OptionType>> = { "1": "dropdown", "2": "radio", "3": "yesno", "4": "quantity" };

export function optionTypeFromCode(x: unknown, where: string): OptionType {
  const code = toText(x, where).trim();
  const type = OPTION_TYPES[code];
  if (type === undefined) throw new WhmcsDataError(where, `unknown configurable option type ${JSON.stringify(x)} (WHMCS uses "1".."4")`);
  return type;
}

/** Quantity and yes/no options carry one unnamed sub-option (key ""). */
export function hasSingleChoice(type: OptionType): boolean {
  return type === "quantity" || type === "yesno";
}

const PRODUCT_TYPES: readonly ProductType[] = ["hostingaccount", "reselleraccount", "server", "other"];
const PAY_TYPES: readonly PayType[] = ["free", "onetime", "recurring"];

export function productTypeOf(x: unknown, where: string): ProductType {
  const t = toText(x, where).trim().toLowerCase();
  const found = PRODUCT_TYPES.find((p) => p === t);
  if (found === undefined) throw new WhmcsDataError(where, `unknown product type ${JSON.stringify(x)}`);
  return found;
}

export function payTypeOf(x: unknown, where: string): PayType {
  const t = toText(x, where).trim().toLowerCase();
  const found = PAY_TYPES.find((p) => p === t);
  if (found === undefined) throw new WhmcsDataError(where, `unknown pay type ${JSON.stringify(x)}`);
  return found;
}

/** All twelve price columns of a row; a missing column is an error (the columns are NOT NULL). */
export function readPriceRow(row: Row, where: string): PriceRow {
  const out: Partial<Record<PriceKey, Money>> = {};
  for (const key of PRICE_KEYS) out[key] = toPrice(row[key], `${where}.${key}`);
  return out as PriceRow;
}
