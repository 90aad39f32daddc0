import { canonicalJson, compareCodeUnits } from "../core/canonical.js";
import { CYCLE_DISPLAY, CYCLES, isCycle, SETUP_FEES, type Cycle } from "../core/cycles.js";
import { toMoneyOrUndefined } from "../core/money.js";
import type {
  ChoiceState,
  ConfigOptionGroupState,
  Kind,
  OptionState,
  OptionType,
  PayType,
  ProductType,
} from "../model/catalog.js";
import type { ChangeAction, ManualStep } from "../model/plan.js";
import type { SegmentDiff } from "./diff.js";

/*
 * Admin-area instructions for the read-only `api` backend. WHMCS's API cannot create or edit
 * product groups or configurable options and cannot update products. It can create products
 * (AddProduct), but not link option groups to them nor record ownership, so this version leaves
 * product creation to the admin area as well.
 */

const PRODUCTS_PAGE = "Setup → Products/Services → Products/Services";
const OPTIONS_PAGE = "Setup → Products/Services → Configurable Options";

const PRODUCT_TYPE_LABEL: Readonly<Record<ProductType, string>> = {
  hostingaccount: "Shared Hosting",
  reselleraccount: "Reseller Hosting",
  server: "Server/VPS",
  other: "Other",
};
const PAY_TYPE_LABEL: Readonly<Record<PayType, string>> = { free: "Free", onetime: "One Time", recurring: "Recurring" };
const OPTION_TYPE_LABEL: Readonly<Record<OptionType, string>> = {
  dropdown: "Dropdown",
  radio: "Radio",
  yesno: "Yes/No",
  quantity: "Quantity",
};
const SETUP_FEE_CYCLE: ReadonlyMap<string, Cycle> = new Map(SETUP_FEES.map((fee, i) => [fee, CYCLES[i] ?? "monthly"]));

/** Display names WHMCS shows for the resources a product refers to. */
export interface DisplayNames {
  readonly group: (ref: string) => string;
  readonly optionGroup: (ref: string) => string;
}

export interface ManualInput {
  readonly kind: Kind;
  readonly action: ChangeAction;
  readonly remoteId: string | undefined;
  readonly before: unknown;
  readonly after: unknown;
  readonly diffs: readonly SegmentDiff[];
  readonly ownershipKnown: boolean;
  readonly names: DisplayNames;
}

export function manualStep(input: ManualInput): ManualStep {
  return { reason: reasonFor(input), instructions: numbered(instructionsFor(input)) };
}

function reasonFor(input: ManualInput): string {
  const what =
    input.kind === "ProductGroup"
      ? "WHMCS's API cannot create or edit product groups"
      : input.kind === "ConfigOptionGroup"
        ? "WHMCS's API cannot create or edit configurable options"
        : input.action === "create"
          ? "WHMCS's AddProduct cannot link configurable option groups nor record ownership"
          : "WHMCS's API cannot update products";
  const adopt = input.action === "adopt" && !input.ownershipKnown ? "; ownership cannot be recorded either" : "";
  return `${what}, and the api catalog backend is read-only${adopt}: make this change in the WHMCS admin area.`;
}

function numbered(lines: readonly string[]): string[] {
  return lines.map((line, i) => `${i + 1}. ${line}`);
}

function instructionsFor(input: ManualInput): string[] {
  const creating = input.action === "create";
  const liveName = nameOf(input.before);
  const id = input.remoteId ?? "?";
  switch (input.kind) {
    case "ProductGroup": {
      const open = creating ? `${PRODUCTS_PAGE}: click Create a New Group` : `${PRODUCTS_PAGE}: edit group ${q(liveName)} (id ${id})`;
      const diffs = [...input.diffs].sort((a, b) => rank(GROUP_FIELD_ORDER, a) - rank(GROUP_FIELD_ORDER, b));
      return withOpenAndSave(open, fieldSteps(diffs, creating, groupStep), creating, `group ${q(liveName)} (id ${id})`);
    }
    case "Product": {
      const after = input.after as { type?: ProductType; group?: string; name?: string; module?: string };
      const open = creating
        ? `${PRODUCTS_PAGE}: click Create a New Product; set Product Type to ${PRODUCT_TYPE_LABEL[after.type ?? "other"]}, ` +
          `Product Group to ${q(input.names.group(after.group ?? ""))}, Product Name to ${q(after.name ?? "")}` +
          `, Module to ${after.module ?? ""}; click Continue`
        : `${PRODUCTS_PAGE}: edit product ${q(liveName)} (id ${id})`;
      // On a create, the opening dialog already sets type, group, name and module.
      const inOpen = creating ? ["type", "group", "name", "module"] : [];
      const diffs = input.diffs.filter((d) => !inOpen.includes(d.segments[0] ?? "")).sort(compareProductDiffs);
      const steps = fieldSteps(diffs, creating, (d) => productStep(d, input.names));
      return withOpenAndSave(open, steps, creating, `product ${q(liveName)} (id ${id})`);
    }
    case "ConfigOptionGroup":
      return optionGroupSteps(input, liveName, id);
    case "CustomerOrg":
      return [`Apply this change to customer ${q(liveName)} by hand`];
  }
}

function withOpenAndSave(open: string, steps: readonly string[], creating: boolean, what: string): string[] {
  if (steps.length === 0 && !creating) return [`Nothing to change: ${what} already matches the manifest`];
  return [open, ...steps, "Click Save Changes"];
}

/** One step per field difference; on a create, fields left at WHMCS's defaults need no step. */
function fieldSteps(diffs: readonly SegmentDiff[], creating: boolean, step: (d: SegmentDiff) => string): string[] {
  return diffs.filter((d) => !(creating && isCreateDefault(d))).map(step);
}

function isCreateDefault(d: SegmentDiff): boolean {
  const last = d.segments[d.segments.length - 1] ?? "";
  if (d.after === null || d.after === false || d.after === "") return true;
  if (Array.isArray(d.after) && d.after.length === 0) return true;
  if (d.segments[d.segments.length - 3] === "pricing") {
    const m = toMoneyOrUndefined(d.after);
    return isCycle(last) ? m === "-1.00" : m === "0.00";
  }
  return false;
}

function groupStep(d: SegmentDiff): string {
  switch (d.path) {
    case "name":
      return `Set Product Group Name to ${q(d.after)}`;
    case "headline":
      return `Set Headline to ${q(d.after)}`;
    case "tagline":
      return `Set Tagline to ${q(d.after)}`;
    case "hidden":
      return d.after === true ? "Tick Hidden" : "Untick Hidden";
    case "order":
      return `Give the group display order ${String(d.after)} (drag and drop in the list of groups)`;
    default:
      return genericStep(d);
  }
}

/** Steps follow the admin pages: fields top to bottom, product tabs left to right, prices by currency then cycle. */
const GROUP_FIELD_ORDER = ["name", "headline", "tagline", "hidden", "order"];
const PRODUCT_FIELD_ORDER = ["type", "group", "name", "description", "hidden", "payType", "pricing", "module", "configOptionGroups"];
const PRICE_CELL_ORDER: readonly string[] = CYCLES.flatMap((cycle, i) => [cycle, SETUP_FEES[i] ?? ""]);

function rank(order: readonly string[], d: SegmentDiff): number {
  const i = order.indexOf(d.segments[0] ?? "");
  return i < 0 ? order.length : i;
}

function compareProductDiffs(a: SegmentDiff, b: SegmentDiff): number {
  return (
    rank(PRODUCT_FIELD_ORDER, a) - rank(PRODUCT_FIELD_ORDER, b) ||
    compareCodeUnits(a.segments[1] ?? "", b.segments[1] ?? "") ||
    PRICE_CELL_ORDER.indexOf(a.segments[2] ?? "") - PRICE_CELL_ORDER.indexOf(b.segments[2] ?? "")
  );
}

function productStep(d: SegmentDiff, names: DisplayNames): string {
  const [field, currency, key] = d.segments;
  switch (field) {
    case "name":
      return `Details tab: set Product Name to ${q(d.after)}`;
    case "description":
      return `Details tab: set Product Description to ${q(d.after)}`;
    case "type":
      return `Details tab: set Product Type to ${PRODUCT_TYPE_LABEL[d.after as ProductType] ?? String(d.after)}`;
    case "group":
      return `Details tab: set Product Group to ${q(names.group(String(d.after)))}`;
    case "hidden":
      return d.after === true ? "Details tab: tick Hidden" : "Details tab: untick Hidden";
    case "payType":
      return `Pricing tab: set Payment Type to ${PAY_TYPE_LABEL[d.after as PayType] ?? String(d.after)}`;
    case "module":
      return `Module Settings tab: set Module Name to ${String(d.after)}`;
    case "configOptionGroups": {
      const groups = Array.isArray(d.after) ? d.after.map((g) => q(names.optionGroup(String(g)))) : [];
      return groups.length === 0
        ? "Configurable Options tab: untick every group"
        : `Configurable Options tab: tick exactly ${groups.join(", ")}`;
    }
    case "pricing":
      if (currency !== undefined && key !== undefined && d.segments.length === 3) return priceStep("Pricing tab: ", currency, key, d, true);
      return genericStep(d);
    default:
      return genericStep(d);
  }
}

/** A price cell; product cycles can be switched off ("-1.00"), option prices cannot. */
function priceStep(prefix: string, currency: string, key: string, d: SegmentDiff, product: boolean): string {
  const after = toMoneyOrUndefined(d.after) ?? String(d.after);
  const before = toMoneyOrUndefined(d.before);
  if (isCycle(key)) {
    const cycle = CYCLE_DISPLAY[key];
    if (product && after === "-1.00") return `${prefix}untick Enable for ${cycle} in ${currency} (not offered)`;
    if (product && (before === undefined || before === "-1.00")) {
      return `${prefix}tick Enable for ${cycle} in ${currency} and set its price to ${after}`;
    }
    return `${prefix}set ${cycle} price in ${currency} to ${after}`;
  }
  const cycle = SETUP_FEE_CYCLE.get(key);
  return `${prefix}set ${cycle === undefined ? key : CYCLE_DISPLAY[cycle]} setup fee in ${currency} to ${after}`;
}

function genericStep(d: SegmentDiff): string {
  return `Set ${d.path} to ${d.after === null ? "(nothing)" : canonicalJson(d.after)}`;
}

// --- configurable option groups: compared option by option, choice by choice -----------------

function optionGroupSteps(input: ManualInput, liveName: string, id: string): string[] {
  const creating = input.action === "create";
  const before = (input.before ?? undefined) as ConfigOptionGroupState | undefined;
  const after = input.after as ConfigOptionGroupState;
  const steps: string[] = [];
  if (creating) {
    steps.push(`${OPTIONS_PAGE}: click Create a New Group`);
    steps.push(`Set Group Name to ${q(after.name)}`);
    if (after.description !== "") steps.push(`Set Description to ${q(after.description)}`);
    steps.push("Click Save Changes, so options can be added");
  } else {
    if (input.diffs.length === 0) return [`Nothing to change: configurable option group ${q(liveName)} (id ${id}) already matches the manifest`];
    steps.push(`${OPTIONS_PAGE}: edit group ${q(liveName)} (id ${id})`);
    if (before?.name !== after.name) steps.push(`Set Group Name to ${q(after.name)}`);
    if (before?.description !== after.description) steps.push(`Set Description to ${q(after.description)}`);
  }
  for (const opt of byOrder(after.options)) steps.push(...optionSteps(before?.options[opt.key], opt));
  steps.push("Click Save Changes");
  return steps;
}

function optionSteps(before: OptionState | undefined, after: OptionState): string[] {
  const name = optionName(after);
  if (before === undefined) {
    const range = after.type === "quantity" ? `, Minimum Quantity ${after.min}, Maximum Quantity ${after.max}${after.max === 0 ? " (unlimited)" : ""}` : "";
    const hide = after.hidden ? ", tick Hide" : "";
    return [
      `Click Add New Configurable Option: Option Name ${q(name)}, Option Type ${OPTION_TYPE_LABEL[after.type]}${range}, Order ${after.order}${hide}`,
      ...byOrder(after.choices).flatMap((c) => choiceSteps(name, undefined, c)),
    ];
  }
  const at = `In option ${q(optionName(before))}: `;
  const steps: string[] = [];
  if (before.label !== after.label) steps.push(`${at}set Option Name to ${q(name)}`);
  if (before.type !== after.type) steps.push(`${at}set Option Type to ${OPTION_TYPE_LABEL[after.type]}`);
  if (before.min !== after.min) steps.push(`${at}set Minimum Quantity to ${after.min}`);
  if (before.max !== after.max) steps.push(`${at}set Maximum Quantity to ${after.max}${after.max === 0 ? " (unlimited)" : ""}`);
  if (before.order !== after.order) steps.push(`${at}set Order to ${after.order}`);
  if (before.hidden !== after.hidden) steps.push(`${at}${after.hidden ? "tick Hide (retired, not deleted)" : "untick Hide"}`);
  for (const c of byOrder(after.choices)) steps.push(...choiceSteps(name, before.choices[c.key], c));
  return steps;
}

function choiceSteps(option: string, before: ChoiceState | undefined, after: ChoiceState): string[] {
  const name = choiceName(after);
  const at = `In option ${q(option)}, sub-option ${q(before === undefined ? name : choiceName(before))}: `;
  const steps: string[] = [];
  if (before === undefined) {
    steps.push(`In option ${q(option)}: add sub-option ${q(name)}, Order ${after.order}${after.hidden ? ", tick Hide" : ""}`);
  } else {
    if (before.label !== after.label) steps.push(`${at}rename to ${q(name)}`);
    if (before.order !== after.order) steps.push(`${at}set Order to ${after.order}`);
    if (before.hidden !== after.hidden) steps.push(`${at}${after.hidden ? "tick Hide (retired, not deleted)" : "untick Hide"}`);
  }
  for (const currency of Object.keys(after.pricing).sort(compareCodeUnits)) {
    const row = after.pricing[currency] ?? {};
    const old = before?.pricing[currency];
    for (const key of Object.keys(row).sort(comparePriceKeys)) {
      const value = (row as Readonly<Record<string, string>>)[key];
      const was: unknown = old === undefined ? undefined : (old as Readonly<Record<string, unknown>>)[key];
      if (before === undefined ? toMoneyOrUndefined(value) === "0.00" : toMoneyOrUndefined(was) === toMoneyOrUndefined(value)) continue;
      steps.push(priceStep(at, currency, key, { segments: ["pricing", currency, key], path: "", before: was ?? null, after: value }, false));
    }
  }
  return steps;
}

function comparePriceKeys(a: string, b: string): number {
  return PRICE_CELL_ORDER.indexOf(a) - PRICE_CELL_ORDER.indexOf(b) || compareCodeUnits(a, b);
}

function byOrder<T extends { readonly key: string; readonly order: number }>(record: Readonly<Record<string, T>>): T[] {
  return Object.values(record).sort((a, b) => a.order - b.order || compareCodeUnits(a.key, b.key));
}

function optionName(o: OptionState): string {
  return `${o.key}|${o.label}`;
}

function choiceName(c: ChoiceState): string {
  return c.key === "" ? c.label : `${c.key}|${c.label}`;
}

function nameOf(state: unknown): string {
  return state !== null && typeof state === "object" && typeof (state as { name?: unknown }).name === "string"
    ? (state as { name: string }).name
    : "";
}

function q(value: unknown): string {
  return JSON.stringify(typeof value === "string" ? value : String(value));
}
