import { OPTION_TYPE, type ProductOption } from "../catalog/options.js";
import { WhmcsApiError } from "../errors.js";
import type { FormValue } from "../form.js";
import { phpInt } from "../params.js";
import { PhpArray, type PhpValue } from "../php-array.js";
import { completeRow, intOf } from "../rows.js";
import type { WhmcsStore } from "../store.js";
import type { WhmcsSwitches } from "../switches.js";

/** One `tblhostingconfigoptions` row's values. */
export interface OptionChoice {
  readonly configid: number;
  /** The chosen sub-option (dropdown/radio), the option's single sub-option (quantity, yes/no), or 0. */
  readonly optionid: number;
  /** Quantity for type 4, 1/0 for type 3 stored as `qty`, else 0. */
  readonly qty: number;
}

type Switches = Pick<WhmcsSwitches, "quantityOutOfRange" | "yesNoStorage">;

/** True when a yes/no choice is ticked, under either storage convention. */
export function isTicked(choice: OptionChoice, switches: Pick<WhmcsSwitches, "yesNoStorage">): boolean {
  return switches.yesNoStorage === "qty" ? choice.qty > 0 : choice.optionid > 0;
}

/**
 * AddOrder's per-item `{configid: value}` (docs/whmcs.md#addorder) as one row per option the product
 * offers: sub-option ids for dropdown/radio, 1/0 for yes/no, the quantity for quantity options
 * (range per `quantityOutOfRange`). Options left out get the order form's defaults: the first
 * sub-option, unticked, the minimum quantity.
 */
export function choicesFromOrder(options: readonly ProductOption[], given: PhpValue | undefined, pid: number, switches: Switches): OptionChoice[] {
  const values = new Map<number, PhpValue>();
  if (given instanceof PhpArray) {
    for (const [key, value] of given.entries()) {
      const id = phpInt(key);
      if (!options.some((o) => o.id === id)) throw new WhmcsApiError(`Configurable option ID ${key} does not belong to product ID ${pid}`);
      values.set(id, value);
    }
  }
  return options.map((o) => {
    const value = values.get(o.id);
    switch (o.type) {
      case OPTION_TYPE.quantity: {
        const qty = value === undefined ? o.min : quantity(o, value, switches);
        return { configid: o.id, optionid: firstSub(o), qty };
      }
      case OPTION_TYPE.yesno: {
        const ticked = value === undefined ? false : scalarInt(o, value) !== 0;
        return yesNo(o, ticked, switches);
      }
      default: {
        const sub = value === undefined ? firstSub(o) : subOf(o, scalarInt(o, value));
        return { configid: o.id, optionid: sub, qty: 0 };
      }
    }
  });
}

/**
 * UpdateClientProduct's single `configoptions` map (docs/whmcs.md#updateclientproduct):
 * `configid → sub-option id` for
 * dropdown/radio, `configid → {optionid, qty}` for quantities (a yes/no takes either form).
 * Only the options named change; the range policy does not apply (admin records).
 */
export function choicesFromUpdate(options: readonly ProductOption[], given: PhpValue, pid: number, switches: Switches): OptionChoice[] {
  if (!(given instanceof PhpArray)) throw new WhmcsApiError("Invalid configoptions: expected a serialized array of configurable option values");
  const out: OptionChoice[] = [];
  for (const [key, value] of given.entries()) {
    const id = phpInt(key);
    const o = options.find((x) => x.id === id);
    if (o === undefined) throw new WhmcsApiError(`Configurable option ID ${key} does not belong to product ID ${pid}`);
    const pair = value instanceof PhpArray ? value : undefined;
    switch (o.type) {
      case OPTION_TYPE.quantity: {
        if (pair === undefined) throw new WhmcsApiError(`Configurable option ID ${o.id} is a quantity option: send {optionid, qty}`);
        const optionid = pair.has("optionid") ? scalarInt(o, pair.get("optionid") ?? "") : firstSub(o);
        const qty = scalarInt(o, pair.get("qty") ?? "");
        if (qty < 0) throw new WhmcsApiError(`Invalid quantity ${qty} for configurable option ID ${o.id}`);
        out.push({ configid: o.id, optionid: optionid === 0 ? firstSub(o) : subOf(o, optionid), qty });
        break;
      }
      case OPTION_TYPE.yesno: {
        const ticked = pair === undefined ? scalarInt(o, value) !== 0 : scalarInt(o, pair.get("qty") ?? "0") !== 0;
        out.push(yesNo(o, ticked, switches));
        break;
      }
      default: {
        const sub = pair === undefined ? scalarInt(o, value) : scalarInt(o, pair.get("optionid") ?? "");
        out.push({ configid: o.id, optionid: subOf(o, sub), qty: 0 });
      }
    }
  }
  return out;
}

/** Write choices for a service: update its row per option, insert the missing ones. */
export async function writeChoices(store: WhmcsStore, serviceId: number, choices: readonly OptionChoice[]): Promise<void> {
  for (const c of choices) {
    const existing = await store.select("tblhostingconfigoptions", { relid: serviceId, configid: c.configid }, { columns: ["id"] });
    const [first, ...duplicates] = existing;
    if (first === undefined) {
      await store.insert("tblhostingconfigoptions", completeRow("tblhostingconfigoptions", { relid: serviceId, configid: c.configid, optionid: c.optionid, qty: c.qty }));
    } else {
      await store.update("tblhostingconfigoptions", { id: intOf(first, "id") }, { optionid: c.optionid, qty: c.qty });
      if (duplicates.length > 0) await store.delete("tblhostingconfigoptions", { id: duplicates.map((r) => intOf(r, "id")) });
    }
  }
}

/** A service's stored choices. */
export async function readChoices(store: WhmcsStore, serviceId: number): Promise<OptionChoice[]> {
  return (await store.select("tblhostingconfigoptions", { relid: serviceId })).map((r) => ({
    configid: intOf(r, "configid"),
    optionid: intOf(r, "optionid"),
    qty: intOf(r, "qty"),
  }));
}

function yesNo(o: ProductOption, ticked: boolean, switches: Switches): OptionChoice {
  if (switches.yesNoStorage === "qty") return { configid: o.id, optionid: firstSub(o), qty: ticked ? 1 : 0 };
  return { configid: o.id, optionid: ticked ? firstSub(o) : 0, qty: 0 };
}

function quantity(o: ProductOption, value: PhpValue | FormValue, switches: Switches): number {
  const n = scalarInt(o, value);
  const inRange = n >= o.min && (o.max === 0 || n <= o.max) && n >= 0;
  if (inRange) return n;
  switch (switches.quantityOutOfRange) {
    case "accept":
      if (n < 0) throw new WhmcsApiError(`Invalid quantity ${n} for configurable option ID ${o.id}`);
      return n;
    case "reject":
      throw new WhmcsApiError(
        `Quantity ${n} for configurable option ID ${o.id} is outside ${o.min}..${o.max === 0 ? "unlimited" : o.max}`,
      );
    case "clamp-to-min":
      return o.min;
  }
}

function scalarInt(o: ProductOption, value: PhpValue | FormValue): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) return phpInt(value);
  throw new WhmcsApiError(`Invalid value for configurable option ID ${o.id}: expected an integer`);
}

function firstSub(o: ProductOption): number {
  const visible = o.subs.find((s) => intOf(s, "hidden") === 0) ?? o.subs[0];
  return visible === undefined ? 0 : intOf(visible, "id");
}

function subOf(o: ProductOption, id: number): number {
  if (!o.subs.some((s) => intOf(s, "id") === id)) {
    throw new WhmcsApiError(`Sub-option ID ${id} does not belong to configurable option ID ${o.id}`);
  }
  return id;
}
