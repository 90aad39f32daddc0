import fc from "fast-check";
import { PRICE_KEYS, type PriceKey } from "../../src/core/cycles.js";
import { centsToMoney, type Money } from "../../src/core/money.js";
import {
  resourceKey,
  type Currency,
  type DesiredCatalog,
  type DesiredChoice,
  type DesiredOption,
  type LiveCatalog,
  type OptionType,
  type PartialPricing,
  type PriceRow,
} from "../../src/model/catalog.js";
import { EUR, USD } from "./builders.js";
import { liveEquivalentOf } from "./live-equivalent.js";

export const GBP: Currency = { id: "3", code: "GBP", prefix: "£", suffix: " GBP", isDefault: false };
export const CURRENCIES: readonly Currency[] = [USD, EUR, GBP];

const money: fc.Arbitrary<Money> = fc.integer({ min: 0, max: 99_999 }).map((c) => centsToMoney(BigInt(c)));
const resourceName = fc.stringMatching(/^[a-z][a-z0-9-]{0,7}$/);

const partialPricing: fc.Arbitrary<PartialPricing> = fc
  .subarray(CURRENCIES.map((c) => c.code))
  .chain((codes) =>
    fc.tuple(...codes.map((code) => fc.subarray([...PRICE_KEYS]).chain((keys) => fc.tuple(fc.constant(code), fc.tuple(...keys.map((k) => fc.tuple(fc.constant(k), money))))))),
  )
  .map((rows) => Object.fromEntries(rows.map(([code, cells]) => [code, Object.fromEntries(cells) as Partial<Record<PriceKey, Money>>])));

const choice = (key: string): fc.Arbitrary<DesiredChoice> =>
  fc.record({ key: fc.constant(key), label: fc.string({ maxLength: 6 }), hidden: fc.boolean(), pricing: partialPricing });

const option = (key: string): fc.Arbitrary<DesiredOption> =>
  fc.constantFrom<OptionType>("quantity", "yesno", "dropdown", "radio").chain((type) =>
    fc.record({
      key: fc.constant(key),
      label: fc.string({ maxLength: 6 }),
      type: fc.constant(type),
      min: fc.nat(3),
      max: fc.nat(50),
      hidden: fc.boolean(),
      choices:
        type === "quantity" || type === "yesno"
          ? fc.tuple(choice(""))
          : fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,4}$/), { minLength: 1, maxLength: 3 }).chain((keys) => fc.tuple(...keys.map(choice))),
    }),
  );

/** A valid desired catalog: unique names and display names, references that resolve. */
export const desiredCatalogArb: fc.Arbitrary<DesiredCatalog> = fc
  .record({
    groups: fc.uniqueArray(resourceName, { minLength: 1, maxLength: 3 }),
    optionGroups: fc.uniqueArray(resourceName, { maxLength: 3 }),
    products: fc.uniqueArray(resourceName, { maxLength: 4 }),
  })
  .chain(({ groups, optionGroups, products }) =>
    fc.record({
      productGroups: fc.tuple(
        ...groups.map((name, i) =>
          fc.record({ headline: fc.string({ maxLength: 8 }), tagline: fc.string({ maxLength: 8 }), hidden: fc.boolean(), order: fc.nat(5) }).map((s) => ({
            kind: "ProductGroup" as const,
            name,
            key: resourceKey("ProductGroup", name),
            source: { file: "g.yaml", line: i + 1, col: 1 },
            spec: { name: `Group ${name}`, ...s },
          })),
        ),
      ),
      configOptionGroups: fc.tuple(
        ...optionGroups.map((name, i) =>
          fc
            .uniqueArray(fc.stringMatching(/^[a-z]{1,5}$/), { maxLength: 3 })
            .chain((keys) => fc.tuple(fc.string({ maxLength: 8 }), fc.tuple(...keys.map(option))))
            .map(([description, options]) => ({
              kind: "ConfigOptionGroup" as const,
              name,
              key: resourceKey("ConfigOptionGroup", name),
              source: { file: "o.yaml", line: i + 1, col: 1 },
              spec: { name: `Options ${name}`, description, options },
            })),
        ),
      ),
      products: fc.tuple(
        ...products.map((name, i) =>
          fc
            .record({
              group: fc.constantFrom(...groups),
              description: fc.string({ maxLength: 8 }),
              type: fc.constantFrom("hostingaccount" as const, "reselleraccount" as const, "server" as const, "other" as const),
              payType: fc.constantFrom("free" as const, "onetime" as const, "recurring" as const),
              hidden: fc.boolean(),
              configOptionGroups: fc.subarray(optionGroups),
              pricing: partialPricing,
            })
            .map((s) => ({
              kind: "Product" as const,
              name,
              key: resourceKey("Product", name),
              source: { file: "p.yaml", line: i + 1, col: 1 },
              spec: { ...s, name: `Product ${name}`, module: "zoho_mail", zoho: undefined },
            })),
        ),
      ),
    }),
  );

/**
 * A desired catalog and a live catalog that differs from its converged state in random ways:
 * some objects are missing, some lose their ownership record, some prices and flags drift,
 * unrelated objects exist, services are counted.
 */
export const scenarioArb: fc.Arbitrary<{ desired: DesiredCatalog; live: LiveCatalog }> = desiredCatalogArb.chain((desired) => {
  const base = liveEquivalentOf(desired, CURRENCIES);
  const flags = (n: number) => fc.array(fc.boolean(), { minLength: n, maxLength: n });
  return fc
    .record({
      unowned: flags(base.productGroups.length + base.configOptionGroups.length + base.products.length),
      missing: flags(base.productGroups.length + base.configOptionGroups.length + base.products.length),
      drift: flags(base.products.length),
      hiddenGroups: flags(base.productGroups.length),
      extraGroups: fc.uniqueArray(fc.stringMatching(/^[A-Z][a-z]{2,6}$/), { maxLength: 3 }),
      counts: fc.array(fc.nat(20), { minLength: base.products.length, maxLength: base.products.length }),
      price: money,
    })
    .map(({ unowned, missing, drift, hiddenGroups, extraGroups, counts, price }) => {
      let i = 0;
      const own = <T extends { ownedAs: string | undefined }>(o: T): T => (unowned[i++] === true ? { ...o, ownedAs: undefined } : o);
      let k = 0;
      const present = (): boolean => missing[k++] !== true;
      const live: LiveCatalog = {
        ...base,
        productGroups: [
          ...base.productGroups
            .map((g, j) => own({ ...g, state: { ...g.state, hidden: hiddenGroups[j] === true ? !g.state.hidden : g.state.hidden } }))
            .filter(present),
          ...extraGroups.map((name, j) => ({ remoteId: String(900 + j), ownedAs: undefined, state: { name, headline: "", tagline: "", hidden: false, order: 0 } })),
        ],
        configOptionGroups: base.configOptionGroups.map(own).filter(present),
        products: base.products.map((p, j) =>
          own(
            drift[j] === true
              ? { ...p, state: { ...p.state, pricing: { ...p.state.pricing, USD: { ...(p.state.pricing["USD"] as PriceRow), annually: price, monthly: price } } } }
              : p,
          ),
        ).filter(present),
        serviceCounts: base.products.flatMap((p, j) => [
          { productId: p.remoteId, cycle: "annually" as const, currency: "USD", active: counts[j] ?? 0 },
          { productId: p.remoteId, cycle: "monthly" as const, currency: "USD", active: (counts[j] ?? 0) + 1 },
        ]),
      };
      return { desired, live };
    });
});
