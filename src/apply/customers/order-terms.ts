import { isCycle } from "../../core/cycles.js";
import { moneyToCents, centsToMoney } from "../../core/money.js";
import type { LiveCatalog } from "../../model/catalog.js";
import type { CustomerServiceOption } from "../../model/customer-writer.js";
import type { CustomerCycle } from "../../model/customers.js";
import { MAILBOXES_OPTION_KEY } from "../../model/customers.js";
import type { ProductOptionIds } from "./catalog-ids.js";
import { applyError } from "./errors.js";

/*
 * The option values and amounts of the orders and updates the apply sends, from the live catalog's
 * ids (pure). Money is compared in cents, so "60" and "60.00" are the same amount.
 */

/** The terms one service should have. */
export interface ServiceTerms {
  readonly productId: string;
  readonly cycle: CustomerCycle;
  readonly mailboxes: number;
  /** Every non-quantity option: choice key, or `yes`/`no`. */
  readonly options: Readonly<Record<string, string>>;
}

function option(options: ReadonlyMap<string, ProductOptionIds>, key: string, productId: string): ProductOptionIds {
  const o = options.get(key);
  if (o === undefined) {
    throw applyError(
      "apply.customer.unknown-option",
      `WHMCS product #${productId} has no linked option '${key}'`,
      "link the product's option groups in the catalog manifests and apply the catalog, then plan again",
    );
  }
  return o;
}

function subOptionOf(o: ProductOptionIds, choice: string, productId: string): string {
  const sub = o.type === "yesno" || o.type === "quantity" ? (o.choices[""] ?? Object.values(o.choices)[0]) : o.choices[choice];
  if (sub === undefined) {
    throw applyError(
      "apply.customer.unknown-choice",
      `option '${o.key}' of WHMCS product #${productId} has no choice '${choice}'`,
      "apply the catalog (it creates the choice), then plan again",
    );
  }
  return sub;
}

/**
 * AddOrder's `configoptions` for one item: the mailbox quantity, and every chosen option (the
 * sub-option id for dropdown and radio options, 1 or 0 for yes/no options).
 */
export function orderConfigOptions(options: ReadonlyMap<string, ProductOptionIds>, terms: ServiceTerms): Record<string, number> {
  const out: Record<string, number> = {};
  const mailboxes = option(options, MAILBOXES_OPTION_KEY, terms.productId);
  if (mailboxes.type !== "quantity") throw applyError("apply.customer.no-mailboxes-option", `option 'mailboxes' of WHMCS product #${terms.productId} is not a quantity`);
  out[mailboxes.configId] = terms.mailboxes;
  for (const [key, choice] of Object.entries(terms.options)) {
    const o = option(options, key, terms.productId);
    out[o.configId] = o.type === "yesno" ? (choice === "yes" ? 1 : 0) : Number(subOptionOf(o, choice, terms.productId));
  }
  return out;
}

/**
 * UpdateClientProduct's `configoptions`: the mailbox quantity when it changes, each option whose
 * choice changes; everything when the service moves to another product (its option ids differ).
 */
export function serviceOptionChanges(
  options: ReadonlyMap<string, ProductOptionIds>,
  terms: ServiceTerms,
  live: { readonly mailboxes: number | undefined; readonly options: Readonly<Record<string, string>>; readonly moved: boolean },
): Record<string, CustomerServiceOption> {
  const out: Record<string, CustomerServiceOption> = {};
  if (live.moved || live.mailboxes !== terms.mailboxes) {
    const o = option(options, MAILBOXES_OPTION_KEY, terms.productId);
    out[o.configId] = { subOptionId: subOptionOf(o, "", terms.productId), qty: terms.mailboxes };
  }
  for (const [key, choice] of Object.entries(terms.options)) {
    if (!live.moved && live.options[key] === choice) continue;
    const o = option(options, key, terms.productId);
    out[o.configId] =
      o.type === "yesno" ? { subOptionId: subOptionOf(o, "", terms.productId), qty: choice === "yes" ? 1 : 0 } : { subOptionId: subOptionOf(o, choice, terms.productId) };
  }
  return out;
}

/**
 * The recurring amount WHMCS computes for a new order on these terms in `currency`: the product's
 * price for the cycle plus each chosen option's price (a quantity option's times the quantity, a
 * ticked yes/no once). Undefined when the catalog cannot say (not offered, no price in the
 * currency): the order then carries the amount explicitly.
 */
export function catalogAmount(catalog: LiveCatalog, options: ReadonlyMap<string, ProductOptionIds>, terms: ServiceTerms, currency: string | undefined): string | undefined {
  if (terms.cycle === "free") return "0.00";
  if (currency === undefined) return undefined;
  const product = catalog.products.find((p) => p.remoteId === terms.productId);
  if (product === undefined) return undefined;
  if (product.state.payType === "free") return "0.00";
  const column = terms.cycle === "onetime" ? "monthly" : terms.cycle;
  if (!isCycle(column)) return undefined;
  const base = product.state.pricing[currency]?.[column];
  if (base === undefined || moneyToCents(base) < 0n) return undefined;
  let cents = moneyToCents(base);
  const charged: [ProductOptionIds | undefined, string, bigint][] = [[options.get(MAILBOXES_OPTION_KEY), "", BigInt(terms.mailboxes)]];
  for (const [key, choice] of Object.entries(terms.options)) {
    const o = options.get(key);
    if (o?.type === "yesno") charged.push([o, "", choice === "yes" ? 1n : 0n]);
    else charged.push([o, choice, 1n]);
  }
  for (const [o, choice, units] of charged) {
    if (o === undefined) return undefined;
    if (units === 0n) continue;
    const pricing = o.pricing[choice];
    if (pricing === undefined) return undefined;
    const unit = pricing[currency]?.[column];
    if (unit === undefined) {
      if (Object.keys(pricing).length > 0) return undefined;
      continue;
    }
    cents += moneyToCents(unit) * units;
  }
  return centsToMoney(cents);
}

/** Two money strings are the same amount. */
export function sameAmount(a: string, b: string): boolean {
  return moneyToCents(a) === moneyToCents(b);
}
