import { PRICE_KEYS, SETUP_FEES, type PriceKey } from "../../../core/cycles.js";
import { completeRow, intOf } from "../rows.js";
import type { Row, WhmcsStore } from "../store.js";

export type PricingType = "product" | "configoptions";
/** The twelve price columns of one `tblpricing` row, as decimal strings. */
export type PriceColumns = Readonly<Record<PriceKey, string>>;

/** The twelve price columns of a row, in column order. */
export function priceColumns(row: Row): PriceColumns {
  const out: Partial<Record<PriceKey, string>> = {};
  for (const key of PRICE_KEYS) out[key] = String(row[key] ?? "0.00");
  return out as PriceColumns;
}

/** A full price row from some keys: setup fees default to "0.00", cycles to `missingCycle`. */
export function fillPrices(given: Readonly<Partial<Record<PriceKey, string>>>, missingCycle: string): PriceColumns {
  const out: Partial<Record<PriceKey, string>> = {};
  for (const key of PRICE_KEYS) {
    const isSetup = (SETUP_FEES as readonly string[]).includes(key);
    out[key] = given[key] ?? (isSetup ? "0.00" : missingCycle);
  }
  return out as PriceColumns;
}

/**
 * Replace the `(type, relid, currency)` row: update it when it exists (removing duplicates),
 * insert it otherwise. One row per type, relid and currency is WHMCS's convention.
 */
export async function replacePricing(
  store: WhmcsStore,
  type: PricingType,
  relid: number,
  currency: number,
  prices: PriceColumns,
): Promise<void> {
  const existing = await store.select("tblpricing", { type, relid, currency }, { columns: ["id"] });
  const [first, ...duplicates] = existing;
  if (first === undefined) {
    await store.insert("tblpricing", completeRow("tblpricing", { type, relid, currency, ...prices }));
    return;
  }
  await store.update("tblpricing", { id: intOf(first, "id") }, { ...prices });
  if (duplicates.length > 0) await store.delete("tblpricing", { id: duplicates.map((r) => intOf(r, "id")) });
}

/** Pricing rows of one type for some relids, grouped by relid then currency id. */
export async function pricingByRelid(
  store: WhmcsStore,
  type: PricingType,
  relids: readonly number[],
): Promise<Map<number, Map<number, Row>>> {
  const out = new Map<number, Map<number, Row>>();
  if (relids.length === 0) return out;
  for (const row of await store.select("tblpricing", { type, relid: [...relids] })) {
    const relid = intOf(row, "relid");
    let perCurrency = out.get(relid);
    if (perCurrency === undefined) {
      perCurrency = new Map();
      out.set(relid, perCurrency);
    }
    // Keep the first row per currency, as a lookup by (type, relid, currency) would.
    if (!perCurrency.has(intOf(row, "currency"))) perCurrency.set(intOf(row, "currency"), row);
  }
  return out;
}
