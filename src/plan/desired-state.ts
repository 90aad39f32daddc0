import { compareCodeUnits } from "../core/canonical.js";
import type { ManifestIssue } from "../core/errors.js";
import { isCycle, isPriceKey, PRICE_KEYS, PRICE_KEYS_IN_KEY_ORDER, type PriceKey } from "../core/cycles.js";
import { toMoneyOrUndefined, type Money } from "../core/money.js";
import type {
  ChoiceState,
  ConfigOptionGroupState,
  DesiredConfigOptionGroup,
  DesiredProduct,
  DesiredProductGroup,
  OptionState,
  PartialPricing,
  Pricing,
  PriceRow,
  ProductGroupState,
  ProductState,
  SourcePosition,
} from "../model/catalog.js";
import { issueAt, PlanErrorCode } from "./errors.js";
import { decodeHtmlEntities } from "../core/html.js";

/**
 * Text as WHMCS will give it back: the live side decodes the HTML entities WHMCS's input
 * sanitiser may store, so the desired side is decoded the same way (and written decoded).
 */
const text = (value: string): string => decodeHtmlEntities(value);

/** What completing desired state needs to know about WHMCS, and where problems are collected. */
export interface CompletionContext {
  /** Currency codes WHMCS has, sorted by code unit. */
  readonly currencies: readonly string[];
  readonly issues: ManifestIssue[];
}

/** Values for price keys the manifest leaves out. */
interface PriceDefaults {
  readonly cycle: Money;
  readonly setupFee: Money;
}
/** Product cycles not written are not offered. */
export const PRODUCT_PRICE_DEFAULTS: PriceDefaults = { cycle: "-1.00", setupFee: "0.00" };
/** Option prices not written carry no surcharge. */
export const OPTION_PRICE_DEFAULTS: PriceDefaults = { cycle: "0.00", setupFee: "0.00" };

/**
 * Completes manifest pricing to one full row per WHMCS currency. A currency the manifest
 * omits gets the defaults in every column; a currency WHMCS lacks is an issue.
 */
export function completePricing(
  partial: PartialPricing,
  defaults: PriceDefaults,
  ctx: CompletionContext,
  source: SourcePosition,
  path: string,
): Pricing {
  for (const code of Object.keys(partial).sort(compareCodeUnits)) {
    if (!ctx.currencies.includes(code)) {
      ctx.issues.push(
        issueAt(
          source,
          PlanErrorCode.unknownCurrency,
          `${path}/${code}`,
          `currency ${code} does not exist in WHMCS`,
          ctx.currencies.length > 0
            ? `WHMCS has these currencies: ${ctx.currencies.join(", ")}`
            : "WHMCS reported no currencies at all",
        ),
      );
      continue;
    }
    const row = partial[code] ?? {};
    for (const key of Object.keys(row).sort(compareCodeUnits)) {
      if (!isPriceKey(key)) {
        ctx.issues.push(
          issueAt(
            source,
            PlanErrorCode.unknownPriceKey,
            `${path}/${code}/${key}`,
            `unknown price key ${JSON.stringify(key)}`,
            `use one of: ${PRICE_KEYS.join(", ")}`,
          ),
        );
      } else if (toMoneyOrUndefined(row[key]) === undefined) {
        ctx.issues.push(
          issueAt(
            source,
            PlanErrorCode.invalidMoney,
            `${path}/${code}/${key}`,
            `not a money amount: ${JSON.stringify(row[key])}`,
            'write amounts as decimal strings with at most two decimals, e.g. "12.00"',
          ),
        );
      }
    }
  }
  const out: Record<string, PriceRow> = {};
  for (const code of ctx.currencies) {
    const written = partial[code] ?? {};
    const row = {} as Record<PriceKey, Money>;
    for (const key of PRICE_KEYS_IN_KEY_ORDER) {
      row[key] = toMoneyOrUndefined(written[key]) ?? (isCycle(key) ? defaults.cycle : defaults.setupFee);
    }
    out[code] = row;
  }
  return out;
}

export function desiredProductGroupState(spec: DesiredProductGroup): ProductGroupState {
  return { headline: text(spec.headline), hidden: spec.hidden, name: text(spec.name), order: spec.order, tagline: text(spec.tagline) };
}

/** Keys of options and choices that exist live but are not declared: kept, hidden. */
export interface Retired {
  readonly options: readonly string[];
  /** `[optionKey, choiceKey]`, for declared options only. */
  readonly choices: readonly (readonly [string, string])[];
}

/**
 * A desired option group in canonical form: option `order` is the manifest index, choice
 * `order` likewise. Options and choices that exist live but are not declared stay, hidden:
 * WHMCS services may still reference them, so they are retired, never deleted.
 */
export function desiredConfigOptionGroupState(
  spec: DesiredConfigOptionGroup,
  live: ConfigOptionGroupState | undefined,
  ctx: CompletionContext,
  source: SourcePosition,
): { state: ConfigOptionGroupState; retired: Retired } {
  const options: Record<string, OptionState> = {};
  const retiredChoices: (readonly [string, string])[] = [];
  spec.options.forEach((opt, i) => {
    const path = `/spec/options/${i}`;
    if (Object.hasOwn(options, opt.key)) {
      ctx.issues.push(
        issueAt(
          source,
          PlanErrorCode.duplicateOption,
          `${path}/key`,
          `option key ${JSON.stringify(opt.key)} is declared twice`,
        ),
      );
      return;
    }
    const single = opt.type === "quantity" || opt.type === "yesno";
    if (single && opt.choices.length !== 1) {
      ctx.issues.push(
        issueAt(
          source,
          PlanErrorCode.invalidOption,
          path,
          `${opt.type} option ${JSON.stringify(opt.key)} needs exactly one sub-option, found ${opt.choices.length}`,
        ),
      );
    }
    const choices: Record<string, ChoiceState> = {};
    opt.choices.forEach((choice, j) => {
      // Quantity and yes/no options carry their single sub-option's pricing on the option itself.
      const choicePath = single ? path : `${path}/choices/${j}`;
      if (Object.hasOwn(choices, choice.key)) {
        ctx.issues.push(
          issueAt(
            source,
            PlanErrorCode.duplicateOption,
            `${choicePath}/key`,
            `choice key ${JSON.stringify(choice.key)} of option ${JSON.stringify(opt.key)} is declared twice`,
          ),
        );
        return;
      }
      choices[choice.key] = {
        hidden: choice.hidden,
        key: choice.key,
        label: text(choice.label),
        order: j,
        pricing: completePricing(choice.pricing, OPTION_PRICE_DEFAULTS, ctx, source, `${choicePath}/pricing`),
      };
    });
    const liveOption = live?.options[opt.key];
    for (const [key, liveChoice] of sortedEntries(liveOption?.choices ?? {})) {
      if (Object.hasOwn(choices, key)) continue;
      choices[key] = { ...liveChoice, hidden: true };
      retiredChoices.push([opt.key, key]);
    }
    // The quantity range means nothing for other option types; both sides read it as 0/0.
    const quantity = opt.type === "quantity";
    options[opt.key] = { choices, hidden: opt.hidden, key: opt.key, label: text(opt.label), max: quantity ? opt.max : 0, min: quantity ? opt.min : 0, order: i, type: opt.type };
  });
  const retiredOptions: string[] = [];
  for (const [key, liveOption] of sortedEntries(live?.options ?? {})) {
    if (Object.hasOwn(options, key)) continue;
    options[key] = { ...liveOption, hidden: true };
    retiredOptions.push(key);
  }
  return {
    state: { description: text(spec.description), name: text(spec.name), options },
    retired: { options: retiredOptions, choices: retiredChoices },
  };
}

/** A desired product in canonical form; `group` and option groups stay resource names. */
export function desiredProductState(spec: DesiredProduct, ctx: CompletionContext, source: SourcePosition): ProductState {
  return {
    configOptionGroups: [...new Set(spec.configOptionGroups)].sort(compareCodeUnits),
    description: text(spec.description),
    group: spec.group,
    hidden: spec.hidden,
    module: spec.module,
    name: text(spec.name),
    payType: spec.payType,
    pricing: completePricing(spec.pricing, PRODUCT_PRICE_DEFAULTS, ctx, source, "/spec/pricing"),
    type: spec.type,
  };
}

function sortedEntries<V>(record: Readonly<Record<string, V>>): [string, V][] {
  return Object.entries(record).sort((a, b) => compareCodeUnits(a[0], b[0]));
}
