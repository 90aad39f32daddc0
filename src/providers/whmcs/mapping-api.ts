import { compareCodeUnits } from "../../core/canonical.js";
import type {
  ChoiceState,
  ConfigOptionGroupState,
  Currency,
  LiveCatalog,
  LiveObject,
  LiveOptionIds,
  LiveProductState,
  OptionState,
  PriceRow,
  Pricing,
  ProductGroupState,
} from "../../model/catalog.js";
import { asRow, compareIds, toFlag, toId, toInt, toText } from "./coerce.js";
import { decodeHtmlEntities } from "../../core/html.js";
import { hasSingleChoice, optionTypeFromCode, payTypeOf, productTypeOf, readPriceRow, splitOptionName } from "./option-names.js";
import { listAt } from "./paginate.js";

/** Prefix of the remote ids of option groups this backend synthesises; no WHMCS id looks like it. */
export const SYNTHETIC_GROUP_PREFIX = "api:options:";

/**
 * Live catalog from the core API alone (`GetCurrencies` + `GetProducts`), for the read-only `api`
 * backend. What the API does not return is lost, and the result says so rather than guessing:
 *
 * - ownership: no ledger, so `ownershipKnown: false` and every `ownedAs` is undefined;
 * - product groups: only their ids (`gid` of each product); each appears as `#<gid>` with empty
 *   headline/tagline, not hidden, order 0;
 * - products: `hidden` and `retired` are not returned, so `hidden` reads false;
 * - option groups: not readable as groups. One group is synthesised per distinct set of options
 *   linked to a product (remote id `api:options:<option ids>`, name `#<that id>`): products sharing
 *   a real group share it, a product linked to two real groups sees them merged; hidden options
 *   and choices are not returned, so `hidden` reads false and `order` is the position in the list;
 * - currencies: `GetCurrencies` has no default flag; `isDefault` is read from `default` when
 *   present and is otherwise false for all;
 * - active service counts: unknown (`serviceCounts: undefined`).
 */
export function liveCatalogFromApi(currenciesResponse: unknown, productsResponse: unknown): LiveCatalog {
  const currencies: Currency[] = listAt(currenciesResponse, ["currencies", "currency"])
    .map((x, i): Currency => {
      const row = asRow(x, `GetCurrencies.currencies.currency[${i}]`);
      const w = (c: string): string => `GetCurrencies.currencies.currency[${i}].${c}`;
      return {
        id: toId(row["id"], w("id")),
        code: toText(row["code"], w("code")).trim(),
        prefix: toText(row["prefix"], w("prefix")),
        suffix: toText(row["suffix"], w("suffix")),
        isDefault: toFlag(row["default"], w("default")),
      };
    })
    .sort((a, b) => compareIds(a.id, b.id));

  const groupIds = new Set<string>();
  const optionGroups = new Map<string, LiveObject<ConfigOptionGroupState> & { ids: LiveOptionIds }>();
  const products: LiveObject<LiveProductState>[] = [];

  listAt(productsResponse, ["products", "product"]).forEach((x, i) => {
    const where = `GetProducts.products.product[${i}]`;
    const row = asRow(x, where);
    const w = (c: string): string => `${where}.${c}`;
    const gid = toId(row["gid"], w("gid"));
    groupIds.add(gid);
    const synthesised = synthesiseOptionGroup(row, where);
    if (synthesised !== undefined && !optionGroups.has(synthesised.remoteId)) optionGroups.set(synthesised.remoteId, synthesised);
    products.push({
      remoteId: toId(row["pid"], w("pid")),
      ownedAs: undefined,
      state: {
        groupId: gid,
        name: decodeHtmlEntities(toText(row["name"], w("name"))),
        description: decodeHtmlEntities(toText(row["description"], w("description"))),
        type: productTypeOf(row["type"], w("type")),
        payType: payTypeOf(row["paytype"], w("paytype")),
        hidden: false,
        module: toText(row["module"], w("module")),
        configOptionGroupIds: synthesised === undefined ? [] : [synthesised.remoteId],
        pricing: pricingByCode(row["pricing"], w("pricing")),
      },
    });
  });

  const productGroups = [...groupIds].sort(compareIds).map(
    (gid): LiveObject<ProductGroupState> => ({
      remoteId: gid,
      ownedAs: undefined,
      state: { name: `#${gid}`, headline: "", tagline: "", hidden: false, order: 0 },
    }),
  );

  return {
    currencies,
    productGroups,
    configOptionGroups: [...optionGroups.values()].sort((a, b) => compareCodeUnits(a.remoteId, b.remoteId)),
    products: products.sort((a, b) => compareIds(a.remoteId, b.remoteId)),
    ownershipKnown: false,
    serviceCounts: undefined,
  };
}

function synthesiseOptionGroup(product: Readonly<Record<string, unknown>>, where: string) {
  const list = listAt(product, ["configoptions", "configoption"]);
  if (list.length === 0) return undefined;
  const options: Record<string, OptionState> = {};
  const ids: Record<string, { id: string; choices: Record<string, string> }> = {};
  const optionIds: string[] = [];
  list.forEach((x, i) => {
    const ow = `${where}.configoptions.configoption[${i}]`;
    const o = asRow(x, ow);
    const id = toId(o["id"], `${ow}.id`);
    optionIds.push(id);
    const type = optionTypeFromCode(o["type"], `${ow}.type`);
    const named = splitOptionName(toText(o["name"], `${ow}.name`));
    const key = options[named.key] === undefined ? named.key : `${named.key}#${id}`;
    const choices: Record<string, ChoiceState> = {};
    const choiceIds: Record<string, string> = {};
    listAt(o, ["options", "option"]).forEach((y, j) => {
      const sw = `${ow}.options.option[${j}]`;
      const s = asRow(y, sw);
      const sid = toId(s["id"], `${sw}.id`);
      // rawName carries the stored `key|Label` when WHMCS splits it for display; fall back to name.
      const rawName = typeof s["rawName"] === "string" && s["rawName"] !== "" ? s["rawName"] : toText(s["name"], `${sw}.name`);
      const split = hasSingleChoice(type) && j === 0 ? { key: "", label: decodeHtmlEntities(rawName) } : splitOptionName(rawName);
      const choiceKey = choices[split.key] === undefined ? split.key : `${split.key}#${sid}`;
      choices[choiceKey] = { key: choiceKey, label: split.label, order: j, hidden: false, pricing: pricingByCode(s["pricing"], `${sw}.pricing`) };
      choiceIds[choiceKey] = sid;
    });
    const quantity = type === "quantity";
    options[key] = {
      key,
      label: named.label,
      type,
      min: quantity ? toInt(o["minqty"] ?? 0, `${ow}.minqty`) : 0,
      max: quantity ? toInt(o["maxqty"] ?? 0, `${ow}.maxqty`) : 0,
      order: i,
      hidden: false,
      choices,
    };
    ids[key] = { id, choices: choiceIds };
  });
  const remoteId = `${SYNTHETIC_GROUP_PREFIX}${[...optionIds].sort(compareIds).join(",")}`;
  return {
    remoteId,
    ownedAs: undefined,
    state: { name: `#${remoteId}`, description: "", options },
    ids: { options: ids },
  };
}

/** GetProducts pricing: keyed by currency code, each with prefix/suffix next to the twelve amounts. */
function pricingByCode(x: unknown, where: string): Pricing {
  if (x === undefined || x === null || x === "" || (Array.isArray(x) && x.length === 0)) return {};
  const byCode = asRow(x, where);
  const out: Record<string, PriceRow> = {};
  for (const code of Object.keys(byCode).sort(compareCodeUnits)) {
    out[code] = readPriceRow(asRow(byCode[code], `${where}.${code}`), `${where}.${code}`);
  }
  return out;
}
