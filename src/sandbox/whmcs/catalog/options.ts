import { intOf, textOf } from "../rows.js";
import type { Row, WhmcsStore } from "../store.js";

/** The stable key of an option, sub-option or custom field name: left of the first `|`, else the whole name. */
export function optionKey(name: string): string {
  const bar = name.indexOf("|");
  return bar < 0 ? name : name.slice(0, bar);
}

/** The part customers see: right of the first `|`, else the whole name. */
export function optionLabel(name: string): string {
  const bar = name.indexOf("|");
  return bar < 0 ? name : name.slice(bar + 1);
}

/** `tblproductconfigoptions.optiontype` codes (docs/whmcs.md#configurable-option-tables). */
export const OPTION_TYPE = { dropdown: "1", radio: "2", yesno: "3", quantity: "4" } as const;

/** A configurable option a product offers, with its sub-options in display order. */
export interface ProductOption {
  readonly id: number;
  readonly name: string;
  readonly type: string;
  readonly min: number;
  readonly max: number;
  readonly subs: readonly Row[];
}

/** The options linked to a product through its option groups, in display order. */
export async function productOptions(store: WhmcsStore, pid: number): Promise<ProductOption[]> {
  const links = await store.select("tblproductconfiglinks", { pid });
  if (links.length === 0) return [];
  const options = await store.select("tblproductconfigoptions", { gid: [...new Set(links.map((l) => intOf(l, "gid")))] }, { orderBy: ["order", "id"] });
  if (options.length === 0) return [];
  const subs = await store.select("tblproductconfigoptionssub", { configid: options.map((o) => intOf(o, "id")) }, { orderBy: ["sortorder", "id"] });
  return options.map((o) => ({
    id: intOf(o, "id"),
    name: textOf(o, "optionname"),
    type: textOf(o, "optiontype"),
    min: intOf(o, "qtyminimum"),
    max: intOf(o, "qtymaximum"),
    subs: subs.filter((s) => intOf(s, "configid") === intOf(o, "id")),
  }));
}
