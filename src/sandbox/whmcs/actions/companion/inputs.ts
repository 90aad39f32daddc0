import { PRICE_KEYS, type PriceKey } from "../../../../core/cycles.js";
import { toMoneyOrUndefined } from "../../../../core/money.js";
import type { PriceColumns } from "../../catalog/pricing.js";
import { WhmcsApiError } from "../../errors.js";
import type { FormValue } from "../../form.js";
import { PhpArray } from "../../php-array.js";
import type { Params } from "../../params.js";
import { parseBool } from "../../params.js";
import type { WhmcsSwitches } from "../../switches.js";

/** Companion error texts (docs/companion-api.md); the rest of the contract's texts are in ledger.ts. */
export const ERR_KEY = "You must supply a resource key";

/** `key`: the resource name, required. */
export function requireKey(params: Params): string {
  const key = params.str("key") ?? "";
  if (key === "") throw new WhmcsApiError(ERR_KEY);
  return key;
}

/** `id`: an existing row id to update or adopt; absent or empty means "look the key up". */
export function optionalId(params: Params): number | undefined {
  const raw = params.str("id");
  if (raw === undefined || raw === "") return undefined;
  if (!/^[1-9][0-9]*$/.test(raw)) throw new WhmcsApiError(`Invalid id ${JSON.stringify(raw)}: expected a positive integer`);
  return Number(raw);
}

export function scalarOf(value: FormValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** An integer parameter; `fallback` when absent, a typed error when not an integer. */
export function intParam(value: FormValue | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const s = typeof value === "string" ? value.trim() : undefined;
  if (s === undefined || !/^-?[0-9]+$/.test(s)) throw new WhmcsApiError(`Invalid value for ${name}: expected an integer`);
  return Number(s);
}

export function flagParam(value: FormValue | undefined, name: string, fallback: boolean, switches: Pick<WhmcsSwitches, "booleans">): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "string") throw new WhmcsApiError(`Invalid value for ${name}: expected a boolean (1/0)`);
  return parseBool(value, switches.booleans, name);
}

/**
 * `pricing[<currencyid>][<key>]` with all twelve keys per currency, money with at most two
 * decimals; currency ids must exist.
 */
export function pricingParam(
  value: FormValue | undefined,
  name: string,
  currencyIds: ReadonlySet<number>,
): Map<number, PriceColumns> {
  const out = new Map<number, PriceColumns>();
  if (value === undefined || value === "") return out;
  if (!(value instanceof PhpArray)) throw new WhmcsApiError(`Invalid value for ${name}: expected pricing[<currencyid>][<key>]`);
  for (const [currencyKey, perCurrency] of value.entries()) {
    const currency = /^[1-9][0-9]*$/.test(currencyKey) ? Number(currencyKey) : NaN;
    if (!currencyIds.has(currency)) throw new WhmcsApiError(`Invalid currency ID ${currencyKey} in ${name}`);
    if (!(perCurrency instanceof PhpArray)) throw new WhmcsApiError(`Invalid value for ${name}[${currencyKey}]: expected the twelve price keys`);
    const row: Partial<Record<PriceKey, string>> = {};
    const missing: string[] = [];
    for (const key of PRICE_KEYS) {
      const raw = perCurrency.get(key);
      if (raw === undefined) {
        missing.push(key);
        continue;
      }
      const money = typeof raw === "string" ? toMoneyOrUndefined(raw) : undefined;
      if (money === undefined) throw new WhmcsApiError(`Invalid price for ${name}[${currencyKey}][${key}]: ${JSON.stringify(raw)}`);
      row[key] = money;
    }
    if (missing.length > 0) {
      throw new WhmcsApiError(`Pricing for currency ${currencyKey} in ${name} must include all twelve price keys (missing ${missing.join(", ")})`);
    }
    out.set(currency, row as PriceColumns);
  }
  return out;
}
