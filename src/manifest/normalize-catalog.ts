import { compareCodeUnits } from "../core/canonical.js";
import type { Money } from "../core/money.js";
import type { PriceKey } from "../core/cycles.js";
import type {
  DesiredChoice,
  DesiredConfigOptionGroup,
  DesiredOption,
  DesiredProduct,
  DesiredProductGroup,
  PartialPricing,
} from "../model/catalog.js";
import { IssueCode } from "./codes.js";
import type { DocContext } from "./context.js";
import type { PathSegment } from "./locate.js";
import { moneyField } from "./money-field.js";
import type { WrittenConfigOptionGroup, WrittenOption, WrittenPricing, WrittenProduct, WrittenProductGroup } from "./written.js";

export function normalizeProductGroup(spec: WrittenProductGroup): DesiredProductGroup {
  return {
    name: spec.name,
    headline: spec.headline ?? "",
    tagline: spec.tagline ?? "",
    hidden: spec.hidden ?? false,
    order: spec.order ?? 0,
  };
}

/** One-time products keep their price in WHMCS's monthly column and its setup fee in msetupfee. */
const ONETIME_KEYS: Readonly<Record<string, PriceKey>> = { onetime: "monthly", setupfee: "msetupfee" };

export function normalizeProduct(ctx: DocContext, spec: WrittenProduct): DesiredProduct {
  const payType = spec.payType ?? "recurring";
  const pricing =
    payType === "free" ? {} : normalizePricing(ctx, spec.pricing ?? {}, ["spec", "pricing"], payType === "onetime" ? ONETIME_KEYS : undefined);
  return {
    group: spec.group,
    name: spec.name,
    description: spec.description ?? "",
    type: spec.type ?? "other",
    payType,
    hidden: spec.hidden ?? false,
    module: spec.module ?? "zoho_mail",
    zoho: spec.zoho ? { plan: spec.zoho.plan } : undefined,
    configOptionGroups: [...(spec.configOptionGroups ?? [])].sort(compareCodeUnits),
    pricing,
  };
}

export function normalizeConfigOptionGroup(ctx: DocContext, spec: WrittenConfigOptionGroup): DesiredConfigOptionGroup {
  const options = spec.options ?? [];
  const firstByKey = new Map<string, number>();
  options.forEach((option, i) => {
    const first = firstByKey.get(option.key);
    if (first === undefined) firstByKey.set(option.key, i);
    else {
      ctx.report(
        IssueCode.optionDuplicateKey,
        ["spec", "options", i, "key"],
        `option key '${option.key}' is used twice in this group (first as option ${first + 1})`,
        "option keys are the stable part of WHMCS's 'key|Label' name; give each option its own key",
      );
    }
  });
  return {
    name: spec.name,
    description: spec.description ?? "",
    options: options.map((option, i) => normalizeOption(ctx, option, ["spec", "options", i])),
  };
}

function normalizeOption(ctx: DocContext, option: WrittenOption, path: readonly PathSegment[]): DesiredOption {
  const isQuantity = option.type === "quantity";
  const min = isQuantity ? (option.min ?? 0) : 0;
  const max = isQuantity ? (option.max ?? 0) : 0;
  if (isQuantity && max !== 0 && min > max) {
    ctx.report(IssueCode.optionMinMax, [...path, "min"], `min (${min}) is greater than max (${max})`, "lower min, raise max, or set max to 0 for no upper limit");
  }
  let choices: DesiredChoice[];
  if (option.type === "quantity" || option.type === "yesno") {
    choices = [
      {
        key: "",
        label: option.unitLabel ?? option.label,
        hidden: false,
        pricing: normalizePricing(ctx, option.pricing ?? {}, [...path, "pricing"]),
      },
    ];
  } else {
    const written = option.choices ?? [];
    const firstByKey = new Map<string, number>();
    written.forEach((choice, j) => {
      const first = firstByKey.get(choice.key);
      if (first === undefined) firstByKey.set(choice.key, j);
      else {
        ctx.report(
          IssueCode.choiceDuplicateKey,
          [...path, "choices", j, "key"],
          `choice key '${choice.key}' is used twice in option '${option.key}' (first as choice ${first + 1})`,
          "give each choice its own key",
        );
      }
    });
    choices = written.map((choice, j) => ({
      key: choice.key,
      label: choice.label,
      hidden: choice.hidden ?? false,
      pricing: normalizePricing(ctx, choice.pricing ?? {}, [...path, "choices", j, "pricing"]),
    }));
  }
  return { key: option.key, label: option.label, type: option.type, min, max, hidden: option.hidden ?? false, choices };
}

/** Currency and price keys sorted by code unit; `rename` maps written keys to price columns. */
function normalizePricing(
  ctx: DocContext,
  pricing: WrittenPricing,
  path: readonly PathSegment[],
  rename?: Readonly<Record<string, PriceKey>>,
): PartialPricing {
  const out: Record<string, Partial<Record<PriceKey, Money>>> = {};
  for (const currency of Object.keys(pricing).sort(compareCodeUnits)) {
    const row: Partial<Record<PriceKey, Money>> = {};
    const written = pricing[currency] ?? {};
    const entries = Object.keys(written).map((k) => [k, (rename?.[k] ?? k) as PriceKey] as const);
    entries.sort((a, b) => compareCodeUnits(a[1], b[1]));
    for (const [writtenKey, column] of entries) {
      const value = written[writtenKey];
      if (value === undefined) continue;
      const money = moneyField(ctx, value, [...path, currency, writtenKey]);
      if (money !== undefined) row[column] = money;
    }
    out[currency] = row;
  }
  return out;
}
