import { cycleFromDisplay, CYCLES } from "../../core/cycles.js";
import { compareCodeUnits } from "../../core/canonical.js";
import type {
  ChoiceState,
  ConfigOptionGroupState,
  Currency,
  Kind,
  LiveCatalog,
  LiveObject,
  LiveOptionIds,
  LiveProductState,
  OptionState,
  OptionType,
  PriceRow,
  Pricing,
  ProductGroupState,
  ServiceCount,
} from "../../model/catalog.js";
import type { RecordFieldFacts } from "../../model/customers.js";
import { asList, asRow, compareIds, toFlag, toId, toInt, toText, WhmcsDataError } from "./coerce.js";
import { decodeHtmlEntities } from "../../core/html.js";
import { hasSingleChoice, optionTypeFromCode, payTypeOf, productTypeOf, readPriceRow, splitOptionName } from "./option-names.js";

/**
 * Raw rows of WHMCS's catalog tables, column names as in the database. The companion's
 * `ReconcileGetCatalog` returns exactly these; a `db` backend selects the same columns, so both
 * share `liveCatalogFromRows`.
 */
export interface CatalogRows {
  readonly currencies: readonly unknown[];
  readonly groups: readonly unknown[];
  readonly products: readonly unknown[];
  /** `tblpricing` rows of type `product` and `configoptions` (others are ignored). */
  readonly pricing: readonly unknown[];
  readonly configgroups: readonly unknown[];
  readonly configoptions: readonly unknown[];
  readonly configsuboptions: readonly unknown[];
  readonly configlinks: readonly unknown[];
  /** Ownership ledger `mod_zoho_reconcile_resources`. */
  readonly resources: readonly unknown[];
  /** Active services per product, cycle and currency; undefined when the source cannot count them. */
  readonly servicecounts: readonly unknown[] | undefined;
  /** `tblcustomfields` rows of type `product`; undefined when the source predates them (an older companion). */
  readonly customfields?: readonly unknown[] | undefined;
}

const REQUIRED_TABLES = [
  "currencies",
  "groups",
  "products",
  "pricing",
  "configgroups",
  "configoptions",
  "configsuboptions",
  "configlinks",
  "resources",
] as const;

/** Checks the companion response has every table; a missing one means the installed PHP files are older than this tool. */
export function catalogRowsFromCompanion(response: unknown): CatalogRows {
  const r = asRow(response, "ReconcileGetCatalog");
  const tables: Partial<Record<(typeof REQUIRED_TABLES)[number], readonly unknown[]>> = {};
  for (const name of REQUIRED_TABLES) {
    if (!(name in r)) {
      throw new WhmcsDataError(`ReconcileGetCatalog.${name}`, "missing; the companion files on the WHMCS server do not match this version");
    }
    tables[name] = asList(r[name], `ReconcileGetCatalog.${name}`);
  }
  const counts = r["servicecounts"];
  const fields = r["customfields"];
  return {
    ...(tables as Record<(typeof REQUIRED_TABLES)[number], readonly unknown[]>),
    servicecounts: counts === undefined ? undefined : asList(counts, "ReconcileGetCatalog.servicecounts"),
    customfields: fields === undefined ? undefined : asList(fields, "ReconcileGetCatalog.customfields"),
  };
}

interface OptionRow {
  readonly id: string;
  readonly gid: string;
  readonly name: string;
  readonly type: OptionType;
  readonly min: number;
  readonly max: number;
  readonly order: number;
  readonly hidden: boolean;
}

interface SubRow {
  readonly id: string;
  readonly configid: string;
  readonly name: string;
  readonly order: number;
  readonly hidden: boolean;
}

/**
 * Canonical live catalog from raw rows. Names, descriptions and labels are entity-decoded;
 * pricing rows are complete per currency present (a currency without a row is absent, the plan
 * fills defaults); pricing rows of unknown currencies, options of unknown groups and links to
 * unknown groups are dropped, as WHMCS itself never shows them. When two pricing rows exist for
 * the same object and currency the first one wins.
 */
export function liveCatalogFromRows(rows: CatalogRows): LiveCatalog & RecordFieldFacts {
  const currencies: Currency[] = rows.currencies
    .map((x, i): Currency => {
      const row = asRow(x, `currencies[${i}]`);
      const w = (c: string): string => `currencies[${i}].${c}`;
      return {
        id: toId(row["id"], w("id")),
        code: toText(row["code"], w("code")).trim(),
        prefix: toText(row["prefix"], w("prefix")),
        suffix: toText(row["suffix"], w("suffix")),
        isDefault: toFlag(row["default"], w("default")),
      };
    })
    .sort((a, b) => compareIds(a.id, b.id));
  const codeOf = new Map(currencies.map((c) => [c.id, c.code]));

  const owners = readLedger(rows.resources);
  const ownerOf = (kind: Kind, id: string): string | undefined => owners.get(`${kind}\n${id}`);
  const pricingFor = readPricing(rows.pricing, codeOf);

  const productGroups = rows.groups
    .map((x, i): LiveObject<ProductGroupState> => {
      const row = asRow(x, `groups[${i}]`);
      const w = (c: string): string => `groups[${i}].${c}`;
      const id = toId(row["id"], w("id"));
      return {
        remoteId: id,
        ownedAs: ownerOf("ProductGroup", id),
        state: {
          name: decodeHtmlEntities(toText(row["name"], w("name"))),
          headline: decodeHtmlEntities(toText(row["headline"], w("headline"))),
          tagline: decodeHtmlEntities(toText(row["tagline"], w("tagline"))),
          hidden: toFlag(row["hidden"], w("hidden")),
          order: toInt(row["order"], w("order")),
        },
      };
    })
    .sort(byRemoteId);

  const options = rows.configoptions.map((x, i): OptionRow => {
    const row = asRow(x, `configoptions[${i}]`);
    const w = (c: string): string => `configoptions[${i}].${c}`;
    const type = optionTypeFromCode(row["optiontype"], w("optiontype"));
    const quantity = type === "quantity";
    return {
      id: toId(row["id"], w("id")),
      gid: toId(row["gid"], w("gid")),
      name: toText(row["optionname"], w("optionname")),
      type,
      // The range only means something for quantity options; others read 0/0 whatever is stored.
      min: quantity ? toInt(row["qtyminimum"], w("qtyminimum")) : 0,
      max: quantity ? toInt(row["qtymaximum"], w("qtymaximum")) : 0,
      order: toInt(row["order"], w("order")),
      hidden: toFlag(row["hidden"], w("hidden")),
    };
  });
  const subs = rows.configsuboptions.map((x, i): SubRow => {
    const row = asRow(x, `configsuboptions[${i}]`);
    const w = (c: string): string => `configsuboptions[${i}].${c}`;
    return {
      id: toId(row["id"], w("id")),
      configid: toId(row["configid"], w("configid")),
      name: toText(row["optionname"], w("optionname")),
      order: toInt(row["sortorder"], w("sortorder")),
      hidden: toFlag(row["hidden"], w("hidden")),
    };
  });
  const optionsByGroup = groupBy(options, (o) => o.gid);
  const subsByOption = groupBy(subs, (s) => s.configid);

  const configOptionGroups = rows.configgroups
    .map((x, i) => {
      const row = asRow(x, `configgroups[${i}]`);
      const w = (c: string): string => `configgroups[${i}].${c}`;
      const id = toId(row["id"], w("id"));
      const built = buildOptions(optionsByGroup.get(id) ?? [], subsByOption, pricingFor);
      const state: ConfigOptionGroupState = {
        name: decodeHtmlEntities(toText(row["name"], w("name"))),
        description: decodeHtmlEntities(toText(row["description"], w("description"))),
        options: built.options,
      };
      return { remoteId: id, ownedAs: ownerOf("ConfigOptionGroup", id), state, ids: built.ids };
    })
    .sort(byRemoteId);
  const knownGroups = new Set(configOptionGroups.map((g) => g.remoteId));

  const links = new Map<string, Set<string>>();
  rows.configlinks.forEach((x, i) => {
    const row = asRow(x, `configlinks[${i}]`);
    const gid = toId(row["gid"], `configlinks[${i}].gid`);
    const pid = toId(row["pid"], `configlinks[${i}].pid`);
    if (!knownGroups.has(gid)) return;
    const set = links.get(pid) ?? new Set<string>();
    set.add(gid);
    links.set(pid, set);
  });

  const products = rows.products
    .map((x, i): LiveObject<LiveProductState> => {
      const row = asRow(x, `products[${i}]`);
      const w = (c: string): string => `products[${i}].${c}`;
      const id = toId(row["id"], w("id"));
      return {
        remoteId: id,
        ownedAs: ownerOf("Product", id),
        state: {
          groupId: toId(row["gid"], w("gid")),
          name: decodeHtmlEntities(toText(row["name"], w("name"))),
          description: decodeHtmlEntities(toText(row["description"], w("description"))),
          type: productTypeOf(row["type"], w("type")),
          payType: payTypeOf(row["paytype"], w("paytype")),
          hidden: toFlag(row["hidden"], w("hidden")),
          ...(row["retired"] !== undefined && row["retired"] !== null && toFlag(row["retired"], w("retired")) ? { retired: true } : {}),
          module: toText(row["servertype"], w("servertype")),
          configOptionGroupIds: [...(links.get(id) ?? [])].sort(compareCodeUnits),
          pricing: pricingFor("product", id),
        },
      };
    })
    .sort(byRemoteId);

  return {
    currencies,
    productGroups,
    configOptionGroups,
    products,
    ownershipKnown: true,
    serviceCounts: rows.servicecounts === undefined ? undefined : readServiceCounts(rows.servicecounts, codeOf),
    ...(rows.customfields === undefined ? {} : { productCustomFields: readProductCustomFields(rows.customfields) }),
  };
}

/** Product id → its custom field names (entity-decoded), sorted; every product without one is absent. */
function readProductCustomFields(rows: readonly unknown[]): Record<string, readonly string[]> {
  const byProduct = new Map<string, Set<string>>();
  rows.forEach((x, i) => {
    const row = asRow(x, `customfields[${i}]`);
    const pid = toId(row["relid"], `customfields[${i}].relid`);
    const name = decodeHtmlEntities(toText(row["fieldname"], `customfields[${i}].fieldname`)).trim();
    const set = byProduct.get(pid) ?? new Set<string>();
    set.add(name);
    byProduct.set(pid, set);
  });
  const out: Record<string, readonly string[]> = {};
  for (const pid of [...byProduct.keys()].sort(compareIds)) out[pid] = [...(byProduct.get(pid) ?? [])].sort(compareCodeUnits);
  return out;
}

function readLedger(resources: readonly unknown[]): Map<string, string> {
  const owners = new Map<string, string>();
  resources.forEach((x, i) => {
    const row = asRow(x, `resources[${i}]`);
    const kind = toText(row["kind"], `resources[${i}].kind`);
    const relid = toId(row["relid"], `resources[${i}].relid`);
    owners.set(`${kind}\n${relid}`, toText(row["name"], `resources[${i}].name`));
  });
  return owners;
}

type PricingLookup = (type: "product" | "configoptions", relid: string) => Pricing;

function readPricing(pricing: readonly unknown[], codeOf: ReadonlyMap<string, string>): PricingLookup {
  const byObject = new Map<string, Map<string, PriceRow>>();
  pricing.forEach((x, i) => {
    const row = asRow(x, `pricing[${i}]`);
    const type = toText(row["type"], `pricing[${i}].type`);
    if (type !== "product" && type !== "configoptions") return;
    const code = codeOf.get(toId(row["currency"], `pricing[${i}].currency`));
    if (code === undefined) return;
    const key = `${type}:${toId(row["relid"], `pricing[${i}].relid`)}`;
    const perCurrency = byObject.get(key) ?? new Map<string, PriceRow>();
    if (!perCurrency.has(code)) perCurrency.set(code, readPriceRow(row, `pricing[${i}]`));
    byObject.set(key, perCurrency);
  });
  return (type, relid) => {
    const perCurrency = byObject.get(`${type}:${relid}`);
    const out: Record<string, PriceRow> = {};
    if (perCurrency) for (const code of [...perCurrency.keys()].sort(compareCodeUnits)) out[code] = perCurrency.get(code) as PriceRow;
    return out;
  };
}

interface BuiltOptions {
  readonly options: Readonly<Record<string, OptionState>>;
  readonly ids: LiveOptionIds;
}

function buildOptions(rows: readonly OptionRow[], subsByOption: ReadonlyMap<string, readonly SubRow[]>, pricingFor: PricingLookup): BuiltOptions {
  const options: Record<string, OptionState> = {};
  const ids: Record<string, { id: string; choices: Record<string, string> }> = {};
  const keys = new UniqueKeys();
  for (const o of [...rows].sort(byOrderThenId)) {
    const named = splitOptionName(o.name);
    const key = keys.take(named.key, o.id);
    const choices: Record<string, ChoiceState> = {};
    const choiceIds: Record<string, string> = {};
    const choiceKeys = new UniqueKeys();
    [...(subsByOption.get(o.id) ?? [])].sort(byOrderThenId).forEach((s, index) => {
      // The first sub-option of a quantity/yes-no option is its unit label, not a choice.
      const unit = hasSingleChoice(o.type) && index === 0;
      const split = unit ? { key: "", label: decodeHtmlEntities(s.name) } : splitOptionName(s.name);
      const choiceKey = choiceKeys.take(split.key, s.id);
      choices[choiceKey] = { key: choiceKey, label: split.label, order: s.order, hidden: s.hidden, pricing: pricingFor("configoptions", s.id) };
      choiceIds[choiceKey] = s.id;
    });
    options[key] = { key, label: named.label, type: o.type, min: o.min, max: o.max, order: o.order, hidden: o.hidden, choices };
    ids[key] = { id: o.id, choices: choiceIds };
  }
  return { options, ids: { options: ids } };
}

/**
 * Keys must be unique within a group (options) or an option (choices). Hand-made catalogs can
 * repeat a name; the later row then gets `<key>#<id>`, so nothing is silently dropped and the
 * result does not depend on row order beyond (order, id).
 */
class UniqueKeys {
  readonly #seen = new Set<string>();
  take(key: string, id: string): string {
    const unique = this.#seen.has(key) ? `${key}#${id}` : key;
    this.#seen.add(unique);
    return unique;
  }
}

function readServiceCounts(rows: readonly unknown[], codeOf: ReadonlyMap<string, string>): ServiceCount[] {
  const totals = new Map<string, ServiceCount>();
  rows.forEach((x, i) => {
    const row = asRow(x, `servicecounts[${i}]`);
    const w = (c: string): string => `servicecounts[${i}].${c}`;
    // One-Time and Free Account services have no recurring cycle, hence no MRR.
    const cycle = cycleFromDisplay(toText(row["billingcycle"], w("billingcycle")));
    const currency = codeOf.get(toId(row["currency"], w("currency")));
    if (cycle === undefined || currency === undefined) return;
    const productId = toId(row["pid"], w("pid"));
    const active = toInt(row["count"], w("count"));
    const key = `${productId}\n${cycle}\n${currency}`;
    const prev = totals.get(key);
    totals.set(key, { productId, cycle, currency, active: (prev?.active ?? 0) + active });
  });
  return [...totals.values()].sort(
    (a, b) =>
      compareIds(a.productId, b.productId) ||
      CYCLES.indexOf(a.cycle) - CYCLES.indexOf(b.cycle) ||
      compareCodeUnits(a.currency, b.currency),
  );
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function byOrderThenId(a: { order: number; id: string }, b: { order: number; id: string }): number {
  return a.order - b.order || compareIds(a.id, b.id);
}

function byRemoteId(a: { remoteId: string }, b: { remoteId: string }): number {
  return compareIds(a.remoteId, b.remoteId);
}
