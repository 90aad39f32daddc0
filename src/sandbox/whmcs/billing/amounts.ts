import { SETUP_FEE_OF, type PriceKey } from "../../../core/cycles.js";
import { centsToMoney, moneyToCents } from "../../../core/money.js";
import { OPTION_TYPE, type ProductOption } from "../catalog/options.js";
import { pricingByRelid } from "../catalog/pricing.js";
import { intOf, textOf } from "../rows.js";
import type { Row, WhmcsStore } from "../store.js";
import type { WhmcsSwitches } from "../switches.js";
import { isTicked, type OptionChoice } from "../services/config-values.js";
import type { Term } from "./cycles.js";

/** First payment (with setup fees) and recurring amount of a service, as decimal strings. */
export interface ServiceAmounts {
  readonly first: string;
  readonly recurring: string;
}

export interface AmountInput {
  readonly pid: number;
  readonly term: Term;
  readonly currency: number;
  /** The item quantity (`qty[]`, 8.12+): everything is multiplied by it. */
  readonly qty: number;
  readonly options: readonly ProductOption[];
  readonly choices: readonly OptionChoice[];
}

/** The price and setup-fee columns a term reads: one-time prices live in `monthly`. */
function columnsOf(term: Term): { price: PriceKey; setup: PriceKey } | undefined {
  if (term === "free") return undefined;
  if (term === "onetime") return { price: "monthly", setup: "msetupfee" };
  return { price: term, setup: SETUP_FEE_OF[term] };
}

/**
 * The product's base price for a term in a currency, or undefined when the term is not offered
 * there (`-1.00`, or no pricing row). Free products cost nothing.
 */
export function basePrice(pricing: Row | undefined, term: Term): { price: bigint; setup: bigint } | undefined {
  const cols = columnsOf(term);
  if (cols === undefined) return { price: 0n, setup: 0n };
  if (pricing === undefined) return undefined;
  const price = moneyToCents(textOf(pricing, cols.price));
  if (price < 0n) return undefined;
  const setup = moneyToCents(textOf(pricing, cols.setup));
  return { price, setup: setup < 0n ? 0n : setup };
}

/**
 * Amounts of one service: base price plus every charged option (the chosen sub-option's price,
 * times the quantity for quantity options; a ticked yes/no once), all times the item quantity.
 * Undefined when the product is not offered for the term in the currency.
 */
export async function serviceAmounts(store: WhmcsStore, input: AmountInput, switches: Pick<WhmcsSwitches, "yesNoStorage">): Promise<ServiceAmounts | undefined> {
  const productPricing = (await pricingByRelid(store, "product", [input.pid])).get(input.pid)?.get(input.currency);
  const base = basePrice(productPricing, input.term);
  if (base === undefined) return undefined;
  let price = base.price;
  let setup = base.setup;
  const cols = columnsOf(input.term);
  if (cols !== undefined) {
    const charged = input.choices.filter((c) => c.optionid > 0);
    const subPricing = await pricingByRelid(store, "configoptions", charged.map((c) => c.optionid));
    for (const c of charged) {
      const option = input.options.find((o) => o.id === c.configid);
      if (option === undefined) continue;
      const units = option.type === OPTION_TYPE.quantity ? BigInt(c.qty) : option.type === OPTION_TYPE.yesno ? (isTicked(c, switches) ? 1n : 0n) : 1n;
      const row = subPricing.get(c.optionid)?.get(input.currency);
      if (row === undefined || units === 0n) continue;
      price += moneyToCents(textOf(row, cols.price)) * units;
      setup += moneyToCents(textOf(row, cols.setup)) * units;
    }
  }
  const qty = BigInt(Math.max(1, input.qty));
  return { first: centsToMoney((price + setup) * qty), recurring: centsToMoney(price * qty) };
}

/** The currency a client pays in: its own, else the default currency, else 1. */
export async function clientCurrency(store: WhmcsStore, client: Row): Promise<number> {
  const own = intOf(client, "currency");
  if (own > 0 && (await store.count("tblcurrencies", { id: own })) > 0) return own;
  const def = await store.selectOne("tblcurrencies", { default: 1 });
  return def === undefined ? 1 : intOf(def, "id");
}
