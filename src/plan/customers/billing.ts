import { compareCodeUnits } from "../../core/canonical.js";
import { CYCLE_MONTHS, isCycle, type Cycle } from "../../core/cycles.js";
import { centsToMoney, moneyToCents } from "../../core/money.js";
import type { DesiredConfigOptionGroup, DesiredOption, DesiredProduct } from "../../model/catalog.js";
import { MAILBOXES_OPTION_KEY, type CustomerCycle, type CustomerOrgState, type CustomerServiceStatus } from "../../model/customers.js";
import { divideHalfEven, signedMoney } from "../revenue.js";

/*
 * What WHMCS bills a customer org, computed the way WHMCS computes a new order's recurring amount
 * (docs/decisions.md "Billing per plan type"): the product's price for the cycle in the client's
 * currency, plus each chosen option's price (a quantity option's unit price times the quantity, a
 * ticked yes/no once, a dropdown or radio choice once). Prices come from the desired catalog: the
 * catalog part of the same plan is applied first, so these are the prices WHMCS will hold.
 */

/** A non-quantity option a customer chooses in: dropdown, radio or yes/no. */
export interface ChoiceOption {
  readonly key: string;
  readonly type: "dropdown" | "radio" | "yesno";
  /** Choice keys a manifest may name, in order; `yes`/`no` for yes/no. */
  readonly choices: readonly string[];
  /** The choice an org that names none gets: the first visible choice, or `no`. */
  readonly defaultChoice: string;
}

/** The priced options of one product, from its linked option groups (first group wins per key). */
export interface ProductOptions {
  readonly mailboxes: DesiredOption | undefined;
  readonly choices: readonly ChoiceOption[];
  /** Option key → the declared option (pricing). */
  readonly byKey: ReadonlyMap<string, DesiredOption>;
}

export function productOptions(product: DesiredProduct, groups: ReadonlyMap<string, DesiredConfigOptionGroup>): ProductOptions {
  const byKey = new Map<string, DesiredOption>();
  for (const g of [...product.configOptionGroups].sort(compareCodeUnits)) {
    for (const o of groups.get(g)?.options ?? []) if (!byKey.has(o.key)) byKey.set(o.key, o);
  }
  const choices: ChoiceOption[] = [];
  for (const o of [...byKey.values()].sort((a, b) => compareCodeUnits(a.key, b.key))) {
    if (o.type === "quantity" || o.hidden) continue;
    if (o.type === "yesno") {
      choices.push({ key: o.key, type: "yesno", choices: ["no", "yes"], defaultChoice: "no" });
      continue;
    }
    const visible = o.choices.filter((c) => !c.hidden).map((c) => c.key);
    if (visible.length === 0) continue;
    choices.push({ key: o.key, type: o.type, choices: visible, defaultChoice: visible[0] as string });
  }
  const mailboxes = byKey.get(MAILBOXES_OPTION_KEY);
  return { mailboxes: mailboxes?.type === "quantity" ? mailboxes : undefined, choices, byKey };
}

/** The terms a recurring amount depends on. */
export interface PricedTerms {
  readonly cycle: CustomerCycle;
  readonly currency: string;
  readonly mailboxes: number;
  readonly options: Readonly<Record<string, string>>;
}

export type PriceResult =
  | { readonly ok: true; readonly cents: bigint }
  /** `field` is the manifest path that cannot be priced (`/spec/billingCycle`, `/spec/options/storage`). */
  | { readonly ok: false; readonly field: string; readonly message: string };

/**
 * The catalog's recurring amount for these terms, in cents; not ok when the product is not offered
 * for the cycle in the currency, or a charged option has no price in the currency.
 */
export function catalogPrice(product: DesiredProduct, options: ProductOptions, terms: PricedTerms): PriceResult {
  if (terms.cycle === "free" || product.payType === "free") return { ok: true, cents: 0n };
  const column: Cycle = terms.cycle === "onetime" ? "monthly" : terms.cycle;
  const row = product.pricing[terms.currency];
  const base = row?.[column];
  if (row === undefined) {
    return { ok: false, field: "/spec/client/currency", message: `Product '${product.name}' has no price in ${terms.currency}` };
  }
  if (base === undefined || moneyToCents(base) < 0n) {
    // Offered in another currency: the currency is what is wrong; offered in none: the cycle (the invariants say so).
    const elsewhere = Object.values(product.pricing).some((r) => r[column] !== undefined && moneyToCents(r[column] as string) >= 0n);
    return {
      ok: false,
      field: elsewhere ? "/spec/client/currency" : "/spec/billingCycle",
      message: `Product '${product.name}' is not offered ${terms.cycle} in ${terms.currency}`,
    };
  }
  let cents = moneyToCents(base);
  const charged: [DesiredOption, string, bigint][] = [];
  if (options.mailboxes !== undefined) charged.push([options.mailboxes, "", BigInt(terms.mailboxes)]);
  for (const c of options.choices) {
    const choice = terms.options[c.key] ?? c.defaultChoice;
    const option = options.byKey.get(c.key) as DesiredOption;
    if (c.type === "yesno") {
      if (choice === "yes") charged.push([option, "", 1n]);
    } else {
      charged.push([option, choice, 1n]);
    }
  }
  for (const [option, choiceKey, units] of charged) {
    const choice = option.choices.find((x) => x.key === choiceKey);
    if (choice === undefined || units === 0n) continue;
    const priced = Object.keys(choice.pricing).length > 0;
    const price = choice.pricing[terms.currency];
    if (priced && price === undefined) {
      const field = option.key === MAILBOXES_OPTION_KEY ? "/spec/mailboxes" : `/spec/options/${option.key}`;
      return { ok: false, field, message: `option '${option.key}'${choiceKey !== "" ? ` choice '${choiceKey}'` : ""} has no price in ${terms.currency}` };
    }
    const unit = price?.[column];
    if (unit !== undefined) cents += moneyToCents(unit) * units;
  }
  return { ok: true, cents };
}

// ---------------------------------------------------------------------------------------------
// Monthly recurring revenue, exact.
// ---------------------------------------------------------------------------------------------

/** Statuses WHMCS keeps invoicing: active and suspended services (suspension does not stop invoices). */
const BILLING_STATUSES: ReadonlySet<CustomerServiceStatus> = new Set(["active", "suspended"]);

/** 72 is the least common multiple of 1, 3, 6, 12, 24 and 36: MRR sums stay exact in 1/72 cents. */
export const MRR_SCALE = 72n;

/**
 * The monthly equivalent of what a service bills, in 1/72 cents: the recurring amount divided by
 * the cycle's months (quarterly / 3 … triennially / 36); 0 for one-time and free cycles and for
 * services WHMCS does not invoice.
 */
export function scaledMrr(state: Pick<CustomerOrgState, "billingCycle" | "status" | "billing"> | null): bigint {
  if (state === null || !BILLING_STATUSES.has(state.status) || !isCycle(state.billingCycle)) return 0n;
  return (moneyToCents(state.billing.recurringAmount) * MRR_SCALE) / BigInt(CYCLE_MONTHS[state.billingCycle]);
}

/** Scaled MRR (1/72 cents) to signed money a month, rounded once, half to even. */
export function mrrMoney(scaled: bigint): string {
  return signedMoney(divideHalfEven(scaled, MRR_SCALE));
}

// ---------------------------------------------------------------------------------------------
// The amount a service should bill after apply.
// ---------------------------------------------------------------------------------------------

export interface BillingDecision {
  readonly recurringAmount: string;
  /** Why, in plain words, for the plan. */
  readonly basis: string;
  /** A manifest field that cannot be priced; the amount is then the live one (or 0.00). */
  readonly problem?: { readonly field: string; readonly message: string };
}

export interface BillingInput {
  readonly terms: Omit<CustomerOrgState, "billing">;
  readonly before: CustomerOrgState | null;
  readonly product: DesiredProduct | undefined;
  readonly options: ProductOptions | undefined;
  readonly currency: string;
  /** `policy.reprice` covers the product: existing services move to the catalog price. */
  readonly repriced: boolean;
}

/**
 * Free and trial orgs bill 0.00. A paid org bills the catalog price when its service is new, was
 * free or on trial, moves to another product or cycle, or is repriced by policy. Otherwise WHMCS
 * keeps the service's amount (it does not reprice existing services), and a mailbox or option
 * change adds only the catalog price of what changed: the rest of the service keeps its price.
 */
export function decideBilling(input: BillingInput): BillingDecision {
  const { terms, before } = input;
  const kept = before?.billing.recurringAmount ?? "0.00";
  const plan = terms.zoho.plan;
  if (plan?.type === "free") return { recurringAmount: "0.00", basis: "free plan: the service bills 0.00" };
  if (plan?.type === "trial") return { recurringAmount: "0.00", basis: "Zoho trial: the service bills 0.00 during the trial" };
  if (input.product === undefined || input.options === undefined) return { recurringAmount: kept, basis: "product not declared: amount kept" };
  const priced = catalogPrice(input.product, input.options, { cycle: terms.billingCycle, currency: input.currency, mailboxes: terms.mailboxes ?? 0, options: terms.options });
  if (!priced.ok) return { recurringAmount: kept, basis: "cannot be priced", problem: { field: priced.field, message: priced.message } };
  const catalog = centsToMoney(priced.cents);
  if (before === null) return { recurringAmount: catalog, basis: "catalog price" };
  if (before.zoho.plan?.type !== "paid") return { recurringAmount: catalog, basis: "catalog price: the org starts paying" };
  if (before.product !== terms.product || before.billingCycle !== terms.billingCycle) {
    return { recurringAmount: catalog, basis: `catalog price of the new ${before.product !== terms.product ? "product" : "billing cycle"}` };
  }
  if (input.repriced) return { recurringAmount: catalog, basis: "repriced to the catalog price (policy.reprice)" };
  const termsChanged = before.mailboxes !== terms.mailboxes || !sameChoices(before.options, terms.options);
  if (!termsChanged) return { recurringAmount: kept, basis: "kept: WHMCS does not reprice existing services (policy.reprice)" };
  const old = catalogPrice(input.product, input.options, {
    cycle: before.billingCycle,
    currency: input.currency,
    mailboxes: before.mailboxes ?? 0,
    options: before.options,
  });
  if (!old.ok) return { recurringAmount: catalog, basis: "catalog price (the old terms have no catalog price)" };
  const cents = moneyToCents(kept) + priced.cents - old.cents;
  return {
    recurringAmount: centsToMoney(cents < 0n ? 0n : cents),
    basis: "kept amount plus the catalog price of the mailbox or option change; the rest keeps its price",
  };
}

function sameChoices(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}
