import { CYCLES, PRICE_KEYS, type PriceKey } from "../../src/core/cycles.js";
import { toMoney, type Money } from "../../src/core/money.js";
import type {
  ChoiceState,
  ConfigOptionGroupState,
  Currency,
  DesiredCatalog,
  LiveCatalog,
  LiveObject,
  LiveOptionIds,
  LiveProductState,
  OptionState,
  PartialPricing,
  PriceRow,
  Pricing,
  ProductGroupState,
} from "../../src/model/catalog.js";
import { decodeHtmlEntities as t } from "../../src/core/html.js";

/**
 * The live catalog WHMCS would hold right after a desired catalog was applied by a backend
 * that records ownership: every resource owned under its name, prices stored as full rows
 * (cycles not written: "-1.00" for products, "0.00" for option surcharges), ids assigned in
 * name order. Written independently of the plan engine, so the two can check each other.
 */
export function liveEquivalentOf(desired: DesiredCatalog, currencies: readonly Currency[]): LiveCatalog {
  const codes = currencies.map((c) => c.code);
  const full = (partial: PartialPricing, cycleDefault: Money): Pricing => {
    const out: Record<string, PriceRow> = {};
    for (const code of codes) {
      const cells = partial[code] ?? {};
      const r = {} as Record<PriceKey, Money>;
      for (const key of PRICE_KEYS) {
        const v = cells[key];
        r[key] = v !== undefined ? toMoney(v) : (CYCLES as readonly string[]).includes(key) ? cycleDefault : "0.00";
      }
      out[code] = r;
    }
    return out;
  };

  const byName = <T extends { readonly name: string }>(xs: readonly T[]): T[] => [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const groupIds = new Map<string, string>();
  const productGroups: LiveObject<ProductGroupState>[] = byName(desired.productGroups).map((r, i) => {
    const id = String(100 + i);
    groupIds.set(r.name, id);
    const s = r.spec;
    return { remoteId: id, ownedAs: r.name, state: { name: t(s.name), headline: t(s.headline), tagline: t(s.tagline), hidden: s.hidden, order: s.order } };
  });

  const optionGroupIds = new Map<string, string>();
  const configOptionGroups = byName(desired.configOptionGroups).map((r, i) => {
    const id = String(200 + i);
    optionGroupIds.set(r.name, id);
    const options: Record<string, OptionState> = {};
    const ids: Record<string, { id: string; choices: Record<string, string> }> = {};
    r.spec.options.forEach((o, oi) => {
      const choices: Record<string, ChoiceState> = {};
      const choiceIds: Record<string, string> = {};
      o.choices.forEach((c, ci) => {
        choices[c.key] = { key: c.key, label: t(c.label), order: ci, hidden: c.hidden, pricing: full(c.pricing, "0.00") };
        choiceIds[c.key] = `${id}-${oi}-${ci}`;
      });
      options[o.key] = { key: o.key, label: t(o.label), type: o.type, min: o.type === "quantity" ? o.min : 0, max: o.type === "quantity" ? o.max : 0, order: oi, hidden: o.hidden, choices };
      ids[o.key] = { id: `${id}-${oi}`, choices: choiceIds };
    });
    const state: ConfigOptionGroupState = { name: t(r.spec.name), description: t(r.spec.description), options };
    const optionIds: LiveOptionIds = { options: ids };
    return { remoteId: id, ownedAs: r.name, state, ids: optionIds };
  });

  const products: LiveObject<LiveProductState>[] = byName(desired.products).map((r, i) => {
    const s = r.spec;
    return {
      remoteId: String(300 + i),
      ownedAs: r.name,
      state: {
        groupId: groupIds.get(s.group) ?? "0",
        name: t(s.name),
        description: t(s.description),
        type: s.type,
        payType: s.payType,
        hidden: s.hidden,
        module: s.module,
        configOptionGroupIds: s.configOptionGroups.map((g) => optionGroupIds.get(g) ?? "0"),
        pricing: full(s.pricing, "-1.00"),
      },
    };
  });

  return { currencies, productGroups, configOptionGroups, products, ownershipKnown: true, serviceCounts: [] };
}
