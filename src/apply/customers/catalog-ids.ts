import { compareCodeUnits } from "../../core/canonical.js";
import type { LiveCatalog, OptionType, Pricing } from "../../model/catalog.js";
import { MAILBOXES_OPTION_KEY } from "../../model/customers.js";
import type { Plan } from "../../model/plan.js";
import { applyError } from "./errors.js";

export interface MailboxesOptionIds {
  /** `tblproductconfigoptions.id`. */
  readonly configId: string;
  /** The option's single sub-option (`tblproductconfigoptionssub.id`). */
  readonly subOptionId: string;
}

/**
 * WHMCS id of a product resource after the catalog was applied: the product recorded under its
 * name, else the id the plan matched it to.
 */
export function productIdOf(catalog: LiveCatalog, plan: Plan, name: string): string {
  const owned = catalog.ownershipKnown ? catalog.products.find((p) => p.ownedAs === name) : undefined;
  const planned = plan.changes.find((c) => c.kind === "Product" && c.name === name)?.remoteId;
  const id = owned?.remoteId ?? planned;
  if (id === undefined) {
    throw applyError(
      "apply.customer.unresolved-product",
      `Product/${name} has no WHMCS id: it was neither created nor matched`,
      "apply the catalog first (a failed product change leaves its customer orgs unapplied), then plan again",
    );
  }
  return id;
}

/** The `mailboxes` quantity option linked to a product, by ids. */
export function mailboxesOptionOf(catalog: LiveCatalog, productId: string): MailboxesOptionIds {
  const product = catalog.products.find((p) => p.remoteId === productId);
  const groups = catalog.configOptionGroups
    .filter((g) => product?.state.configOptionGroupIds.includes(g.remoteId) === true)
    .sort((a, b) => compareCodeUnits(a.remoteId, b.remoteId));
  for (const g of groups) {
    const ids = g.ids.options[MAILBOXES_OPTION_KEY];
    const option = g.state.options[MAILBOXES_OPTION_KEY];
    const sub = ids?.choices[""] ?? Object.values(ids?.choices ?? {})[0];
    if (ids !== undefined && option?.type === "quantity" && sub !== undefined) return { configId: ids.id, subOptionId: sub };
  }
  throw applyError(
    "apply.customer.no-mailboxes-option",
    `WHMCS product #${productId} has no linked quantity option 'mailboxes'`,
    "link the product's mailboxes option group in the catalog manifests and apply the catalog",
  );
}

/** One configurable option of a product, by ids, with its choices' prices. */
export interface ProductOptionIds {
  readonly key: string;
  readonly type: OptionType;
  /** `tblproductconfigoptions.id`. */
  readonly configId: string;
  /** Choice key → sub-option id; quantity and yes/no options have one choice, key "". */
  readonly choices: Readonly<Record<string, string>>;
  /** Choice key → its price per currency. */
  readonly pricing: Readonly<Record<string, Pricing>>;
}

/** Every option linked to a product, by key; the first group by id wins a key two groups share. */
export function productOptionsOf(catalog: LiveCatalog, productId: string): ReadonlyMap<string, ProductOptionIds> {
  const product = catalog.products.find((p) => p.remoteId === productId);
  const groups = catalog.configOptionGroups
    .filter((g) => product?.state.configOptionGroupIds.includes(g.remoteId) === true)
    .sort((a, b) => compareCodeUnits(a.remoteId, b.remoteId));
  const out = new Map<string, ProductOptionIds>();
  for (const g of groups) {
    for (const [key, option] of Object.entries(g.state.options)) {
      const ids = g.ids.options[key];
      if (ids === undefined || out.has(key)) continue;
      const pricing: Record<string, Pricing> = {};
      for (const [choiceKey, choice] of Object.entries(option.choices)) pricing[choiceKey] = choice.pricing;
      out.set(key, { key, type: option.type, configId: ids.id, choices: ids.choices, pricing });
    }
  }
  return out;
}

/** `tblcurrencies.id` of a currency code; undefined for null (WHMCS's default). */
export function currencyIdOf(catalog: LiveCatalog, code: string | null): string | undefined {
  if (code === null) return undefined;
  const found = catalog.currencies.find((c) => c.code.toUpperCase() === code.toUpperCase());
  if (found === undefined) {
    throw applyError(
      "apply.customer.unknown-currency",
      `WHMCS has no currency ${code}`,
      `add ${code} under System Settings → Currencies, or give the client a currency WHMCS has`,
    );
  }
  return found.id;
}

/** The code of WHMCS's default currency, if the catalog says. */
export function defaultCurrencyOf(catalog: LiveCatalog): string | undefined {
  return catalog.currencies.find((c) => c.isDefault)?.code;
}
