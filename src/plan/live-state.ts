import { compareCodeUnits } from "../core/canonical.js";
import { isPriceKey, PRICE_KEYS_IN_KEY_ORDER, type PriceKey } from "../core/cycles.js";
import type { Money } from "../core/money.js";
import type {
  ChoiceState,
  ConfigOptionGroupState,
  LiveProductState,
  OptionState,
  Pricing,
  PriceRow,
  ProductGroupState,
  ProductState,
} from "../model/catalog.js";

/*
 * Live states are copied member by member into the canonical shapes, so anything else a
 * provider attaches (remote ids, slugs, timestamps) never shows up as a difference. Members are
 * written in code-unit order, as the desired states are, so a plan's canonical JSON needs no
 * reordering (see canonicalJson).
 */

export function liveProductGroupState(s: ProductGroupState): ProductGroupState {
  return { headline: s.headline, hidden: s.hidden, name: s.name, order: s.order, tagline: s.tagline };
}

export function liveConfigOptionGroupState(s: ConfigOptionGroupState): ConfigOptionGroupState {
  const options: Record<string, OptionState> = {};
  for (const [key, o] of Object.entries(s.options)) {
    const choices: Record<string, ChoiceState> = {};
    for (const [ck, c] of Object.entries(o.choices)) {
      choices[ck] = { hidden: c.hidden, key: c.key, label: c.label, order: c.order, pricing: copyPricing(c.pricing) };
    }
    options[key] = { choices, hidden: o.hidden, key: o.key, label: o.label, max: o.max, min: o.min, order: o.order, type: o.type };
  }
  return { description: s.description, name: s.name, options };
}

/**
 * Resolves a live product's remote references to resource names through the matching of
 * groups; an id no desired resource matched reads `#<id>`.
 */
export function liveProductState(
  s: LiveProductState,
  groupNames: ReadonlyMap<string, string>,
  optionGroupNames: ReadonlyMap<string, string>,
): ProductState {
  const nameOf = (names: ReadonlyMap<string, string>, id: string): string => names.get(id) ?? `#${id}`;
  return {
    configOptionGroups: [...new Set(s.configOptionGroupIds.map((id) => nameOf(optionGroupNames, id)))].sort(compareCodeUnits),
    description: s.description,
    group: nameOf(groupNames, s.groupId),
    hidden: s.hidden,
    module: s.module,
    name: s.name,
    payType: s.payType,
    pricing: copyPricing(s.pricing),
    // Only when set: a declared product that WHMCS has retired is brought back (declared = sold).
    ...(s.retired === true ? { retired: true } : {}),
    type: s.type,
  };
}

function copyPricing(p: Pricing): Pricing {
  const out: Record<string, PriceRow> = {};
  for (const code of Object.keys(p).sort(compareCodeUnits)) out[code] = copyRow(p[code] as PriceRow);
  return out;
}

/** The row's price keys in code-unit order; a row with any other member is copied as it is. */
function copyRow(row: PriceRow): PriceRow {
  const keys = Object.keys(row);
  if (keys.length !== PRICE_KEYS_IN_KEY_ORDER.length || !keys.every(isPriceKey)) return { ...row };
  const out = {} as Record<PriceKey, Money>;
  for (const key of PRICE_KEYS_IN_KEY_ORDER) out[key] = row[key];
  return out;
}
