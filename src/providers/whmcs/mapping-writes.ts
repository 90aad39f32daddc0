import { PRICE_KEYS } from "../../core/cycles.js";
import { ReconcileError } from "../../core/errors.js";
import { toMoneyOrUndefined } from "../../core/money.js";
import { OPTION_TYPE_CODE } from "../../model/catalog.js";
import type {
  ChoiceWrite,
  ConfigOptionGroupWrite,
  OptionWrite,
  PricingById,
  ProductGroupWrite,
  ProductWrite,
  UpsertResult,
} from "../../model/provider.js";
import { asRow, compareIds, toFlag, toId, WhmcsDataError } from "./coerce.js";
import type { FormParams, FormValue } from "./encode.js";
import { hasSingleChoice } from "./option-names.js";
import { productCustomFieldsFor } from "./record-fields.js";

/** A write the companion would store wrongly or reject; caught before anything is sent. */
export class WhmcsWriteError extends ReconcileError {
  constructor(where: string, message: string) {
    super("whmcs.write.invalid", `cannot write ${where}: ${message}`);
  }
}

/** `ReconcileUpsertProductGroup` parameters. */
export function productGroupParams(w: ProductGroupWrite): FormParams {
  const where = `ProductGroup/${w.key}`;
  return {
    key: resourceName(w.key, where),
    ...idParam(w.id, where),
    name: w.state.name,
    headline: w.state.headline,
    tagline: w.state.tagline,
    hidden: flag(w.state.hidden),
    order: int(w.state.order, `${where} order`),
  };
}

/** `ReconcileUpsertProduct` parameters. */
export function productParams(w: ProductWrite): FormParams {
  const where = `Product/${w.key}`;
  const groups = [...new Set(w.configOptionGroupIds.map((id) => remoteId(id, `${where} configOptionGroupIds`)))].sort(compareIds);
  return {
    key: resourceName(w.key, where),
    ...idParam(w.id, where),
    gid: remoteId(w.groupId, `${where} groupId`),
    name: w.name,
    description: w.description,
    type: w.type,
    paytype: w.payType,
    hidden: flag(w.hidden),
    ...(w.retired !== undefined ? { retired: flag(w.retired) } : {}),
    module: w.module,
    // PHP sends nothing for an empty array; the contract asks for `configgroups=` to unlink all.
    configgroups: groups.length === 0 ? "" : groups,
    pricing: pricingParams(w.pricing, `${where} pricing`),
    ...customFieldParams(w.module),
  };
}

/** `customfields[]`: the fields a managed product must carry; absent for other products (left as they are). */
function customFieldParams(module: string): { customfields?: FormValue } {
  const names = productCustomFieldsFor(module);
  return names.length === 0 ? {} : { customfields: [...names] };
}

/** `ReconcileUpsertConfigGroup` parameters. */
export function configGroupParams(w: ConfigOptionGroupWrite): FormParams {
  const where = `ConfigOptionGroup/${w.key}`;
  const seen = new Set<string>();
  const options = w.options.map((o) => {
    const ow = `${where} option ${JSON.stringify(o.key)}`;
    if (seen.has(o.key)) throw new WhmcsWriteError(ow, "option key appears twice");
    seen.add(o.key);
    return optionParams(o, ow);
  });
  return {
    key: resourceName(w.key, where),
    ...idParam(w.id, where),
    name: w.name,
    description: w.description,
    options,
  };
}

function optionParams(o: OptionWrite, where: string): FormValue {
  if (o.key === "") throw new WhmcsWriteError(where, "option key is empty");
  // WHMCS stores `key|label` in one column; a `|` in the key would move the split point.
  if (o.key.includes("|")) throw new WhmcsWriteError(where, 'option key must not contain "|"');
  if (hasSingleChoice(o.type)) {
    if (o.choices.length !== 1 || o.choices[0]?.key !== "") {
      throw new WhmcsWriteError(where, `${o.type} options need exactly one choice, with key ""`);
    }
  }
  const seen = new Set<string>();
  const choices = o.choices.map((c) => {
    const cw = `${where} choice ${JSON.stringify(c.key)}`;
    if (seen.has(c.key)) throw new WhmcsWriteError(cw, "choice key appears twice");
    seen.add(c.key);
    if (!hasSingleChoice(o.type) && c.key === "") {
      // Stored as the bare label, it would read back keyed by the label: a change on every plan.
      throw new WhmcsWriteError(cw, `${o.type} choices need a non-empty key`);
    }
    if (c.key.includes("|")) throw new WhmcsWriteError(cw, 'choice key must not contain "|"');
    return choiceParams(c, cw);
  });
  const quantity = o.type === "quantity";
  return {
    key: o.key,
    label: o.label,
    type: OPTION_TYPE_CODE[o.type],
    min: quantity ? int(o.min, `${where} min`) : 0,
    max: quantity ? int(o.max, `${where} max`) : 0,
    order: int(o.order, `${where} order`),
    hidden: flag(o.hidden),
    choices,
  };
}

function choiceParams(c: ChoiceWrite, where: string): FormValue {
  return {
    key: c.key,
    label: c.label,
    order: int(c.order, `${where} order`),
    hidden: flag(c.hidden),
    pricing: pricingParams(c.pricing, `${where} pricing`),
  };
}

/** `pricing[<currencyid>][<key>]`, every one of the twelve keys, canonical amounts, currencies in id order. */
function pricingParams(pricing: PricingById, where: string): FormValue {
  const out = new Map<string, FormValue>();
  const rows = Object.entries(pricing).map(([id, row]) => [remoteId(id, `${where} currency`), row] as const);
  for (const [currencyId, row] of rows.sort((a, b) => compareIds(a[0], b[0]))) {
    const amounts = new Map<string, string>();
    for (const key of PRICE_KEYS) {
      const amount = toMoneyOrUndefined(row[key]);
      if (amount === undefined) throw new WhmcsWriteError(`${where} ${currencyId}.${key}`, `not a money amount: ${JSON.stringify(row[key])}`);
      amounts.set(key, amount);
    }
    out.set(currencyId, amounts);
  }
  return out;
}

/** Reads `{"id": 12, "created": true}`; ids and flags may come as strings. */
export function upsertResultFrom(response: unknown, action: string): UpsertResult {
  const r = asRow(response, action);
  if (!("created" in r)) throw new WhmcsDataError(`${action}.created`, "missing");
  return { id: toId(r["id"], `${action}.id`), created: toFlag(r["created"], `${action}.created`) };
}

function idParam(id: string | undefined, where: string): { id?: string } {
  return id === undefined ? {} : { id: remoteId(id, `${where} id`) };
}

function remoteId(id: string, where: string): string {
  if (!/^[1-9]\d*$/.test(id)) throw new WhmcsWriteError(where, `not a WHMCS id: ${JSON.stringify(id)}`);
  return id;
}

function resourceName(key: string, where: string): string {
  if (key === "") throw new WhmcsWriteError(where, "resource key is empty");
  return key;
}

function int(n: number, where: string): number {
  if (!Number.isSafeInteger(n)) throw new WhmcsWriteError(where, `not an integer: ${n}`);
  return n;
}

function flag(b: boolean): 0 | 1 {
  return b ? 1 : 0;
}
