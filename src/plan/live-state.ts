import { compareCodeUnits } from "../core/canonical.js";
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
 * provider attaches (remote ids, slugs, timestamps) never shows up as a difference.
 */

export function liveProductGroupState(s: ProductGroupState): ProductGroupState {
  return { name: s.name, headline: s.headline, tagline: s.tagline, hidden: s.hidden, order: s.order };
}

export function liveConfigOptionGroupState(s: ConfigOptionGroupState): ConfigOptionGroupState {
  const options: Record<string, OptionState> = {};
  for (const [key, o] of Object.entries(s.options)) {
    const choices: Record<string, ChoiceState> = {};
    for (const [ck, c] of Object.entries(o.choices)) {
      choices[ck] = { key: c.key, label: c.label, order: c.order, hidden: c.hidden, pricing: copyPricing(c.pricing) };
    }
    options[key] = { key: o.key, label: o.label, type: o.type, min: o.min, max: o.max, order: o.order, hidden: o.hidden, choices };
  }
  return { name: s.name, description: s.description, options };
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
    group: nameOf(groupNames, s.groupId),
    name: s.name,
    description: s.description,
    type: s.type,
    payType: s.payType,
    hidden: s.hidden,
    module: s.module,
    configOptionGroups: [...new Set(s.configOptionGroupIds.map((id) => nameOf(optionGroupNames, id)))].sort(compareCodeUnits),
    pricing: copyPricing(s.pricing),
    // Only when set: a declared product that WHMCS has retired is brought back (declared = sold).
    ...(s.retired === true ? { retired: true } : {}),
  };
}

function copyPricing(p: Pricing): Pricing {
  const out: Record<string, PriceRow> = {};
  for (const [code, row] of Object.entries(p)) out[code] = { ...row };
  return out;
}
