import { optionKey } from "../../catalog/options.js";
import { replacePricing, type PriceColumns } from "../../catalog/pricing.js";
import { WhmcsApiError } from "../../errors.js";
import type { FormValue } from "../../form.js";
import { PhpArray } from "../../php-array.js";
import { completeRow, intOf, textOf } from "../../rows.js";
import type { Row, WhmcsStore } from "../../store.js";
import type { WhmcsSwitches } from "../../switches.js";
import { retryOnConflict } from "../../store-retry.js";
import type { ActionContext, ActionDef } from "../types.js";
import { flagParam, intParam, optionalId, pricingParam, requireKey, scalarOf } from "./inputs.js";
import { recordOwnership, resolveTarget } from "./ledger.js";

export const ERR_CONFIG_GROUP_NAME = "You must supply a name for the configurable option group";
export const ERR_SINGLE_CHOICE = "Quantity and yes/no options need exactly one sub-option";

interface ChoiceInput {
  readonly key: string;
  readonly label: string;
  readonly order: number;
  readonly hidden: boolean;
  readonly pricing: FormValue | undefined;
  readonly where: string;
}

interface OptionInput {
  readonly key: string;
  readonly label: string;
  readonly type: "1" | "2" | "3" | "4";
  readonly min: number;
  readonly max: number;
  readonly order: number;
  readonly hidden: boolean;
  readonly choices: readonly ChoiceInput[];
}

/**
 * `ReconcileUpsertConfigGroup` (docs/companion-api.md): one configurable option group with
 * its options, sub-options and their `type=configoptions` pricing, in one transaction.
 * Options match existing rows by key (left of `|`, or the whole name), choices by key within
 * their option; the single sub-option of a quantity or yes/no option matches positionally.
 * Rows missing from the request are hidden, never deleted.
 */
export const reconcileUpsertConfigGroup: ActionDef = { name: "ReconcileUpsertConfigGroup", companion: true, handler };

async function handler({ params, store, switches, now }: ActionContext): Promise<Record<string, unknown>> {
  const key = requireKey(params);
  const id = optionalId(params);
  const name = params.str("name") ?? "";
  if (name === "") throw new WhmcsApiError(ERR_CONFIG_GROUP_NAME);
  const description = scalarOf(params.raw("description"));
  const options = readOptions(params.raw("options"), switches);

  return retryOnConflict(() => store.transaction(async (tx) => {
    const target = await resolveTarget(tx, "ConfigOptionGroup", "tblproductconfiggroups", key, id);
    let groupId: number;
    if (target === undefined) {
      groupId = await tx.insert("tblproductconfiggroups", { name, description: description ?? "" });
    } else {
      groupId = target;
      await tx.update("tblproductconfiggroups", { id: groupId }, description === undefined ? { name } : { name, description });
    }
    const currencyIds = new Set((await tx.select("tblcurrencies", {}, { columns: ["id"] })).map((c) => intOf(c, "id")));

    const existing = await tx.select("tblproductconfigoptions", { gid: groupId }, { orderBy: ["id"] });
    const matched = new Set<number>();
    const result: { key: string; id: number; choices: { key: string; id: number }[] }[] = [];
    for (const option of options) {
      const row = existing.find((r) => !matched.has(intOf(r, "id")) && optionKey(textOf(r, "optionname")) === option.key);
      const fields = {
        optionname: `${option.key}|${option.label}`,
        optiontype: option.type,
        qtyminimum: option.min,
        qtymaximum: option.max,
        order: option.order,
        hidden: option.hidden ? 1 : 0,
      };
      let optionId: number;
      if (row === undefined) {
        optionId = await tx.insert("tblproductconfigoptions", completeRow("tblproductconfigoptions", { gid: groupId, ...fields }));
      } else {
        optionId = intOf(row, "id");
        matched.add(optionId);
        await tx.update("tblproductconfigoptions", { id: optionId }, fields);
      }
      const choices = await upsertChoices(tx, optionId, option, currencyIds);
      result.push({ key: option.key, id: optionId, choices });
    }
    for (const row of existing) {
      if (!matched.has(intOf(row, "id"))) await tx.update("tblproductconfigoptions", { id: intOf(row, "id") }, { hidden: 1 });
    }
    await recordOwnership(tx, "ConfigOptionGroup", key, groupId, now);
    return { id: groupId, created: target === undefined, options: result };
  }));
}

async function upsertChoices(
  tx: WhmcsStore,
  optionId: number,
  option: OptionInput,
  currencyIds: ReadonlySet<number>,
): Promise<{ key: string; id: number }[]> {
  const existing = await tx.select("tblproductconfigoptionssub", { configid: optionId }, { orderBy: ["sortorder", "id"] });
  const single = option.type === "3" || option.type === "4";
  const matched = new Set<number>();
  const out: { key: string; id: number }[] = [];
  for (const choice of option.choices) {
    // Pricing is checked before writing this choice; an error rolls the whole call back.
    const pricing: Map<number, PriceColumns> = pricingParam(choice.pricing, `${choice.where}[pricing]`, currencyIds);
    const row = pickChoice(existing, matched, choice.key, single);
    const fields = {
      optionname: choice.key === "" ? choice.label : `${choice.key}|${choice.label}`,
      sortorder: choice.order,
      hidden: choice.hidden ? 1 : 0,
    };
    let subId: number;
    if (row === undefined) {
      subId = await tx.insert("tblproductconfigoptionssub", completeRow("tblproductconfigoptionssub", { configid: optionId, ...fields }));
    } else {
      subId = intOf(row, "id");
      matched.add(subId);
      await tx.update("tblproductconfigoptionssub", { id: subId }, fields);
    }
    for (const [currency, prices] of pricing) await replacePricing(tx, "configoptions", subId, currency, prices);
    out.push({ key: choice.key, id: subId });
  }
  for (const row of existing) {
    if (!matched.has(intOf(row, "id"))) await tx.update("tblproductconfigoptionssub", { id: intOf(row, "id") }, { hidden: 1 });
  }
  return out;
}

function pickChoice(existing: readonly Row[], matched: ReadonlySet<number>, key: string, single: boolean): Row | undefined {
  const free = existing.filter((r) => !matched.has(intOf(r, "id")));
  const byKey = free.find((r) => optionKey(textOf(r, "optionname")) === key);
  if (byKey !== undefined || !single) return byKey;
  return free[0];
}


const TYPES = new Set(["1", "2", "3", "4"]);

function readOptions(raw: FormValue | undefined, switches: Pick<WhmcsSwitches, "booleans">): OptionInput[] {
  if (raw === undefined || raw === "") return [];
  if (!(raw instanceof PhpArray)) throw new WhmcsApiError("Invalid value for options: expected options[<i>][…]");
  const out: OptionInput[] = [];
  for (const [index, entry] of raw.entries()) {
    const where = `options[${index}]`;
    if (!(entry instanceof PhpArray)) throw new WhmcsApiError(`Invalid value for ${where}`);
    const key = scalarOf(entry.get("key")) ?? "";
    if (key === "") throw new WhmcsApiError(`${where}[key] is required`);
    if (key.includes("|")) throw new WhmcsApiError(`${where}[key] must not contain "|"`);
    if (out.some((o) => o.key === key)) throw new WhmcsApiError(`Duplicate option key ${key}`);
    const type = scalarOf(entry.get("type")) ?? "";
    if (!TYPES.has(type)) throw new WhmcsApiError(`Invalid option type ${JSON.stringify(type)} for ${where}. Must be one of 1, 2, 3 or 4`);
    const choices = readChoices(entry.get("choices"), where, switches);
    if ((type === "3" || type === "4") && choices.length !== 1) throw new WhmcsApiError(ERR_SINGLE_CHOICE);
    if (type === "1" || type === "2") {
      if (choices.some((c) => c.key === "")) throw new WhmcsApiError(`Dropdown and radio choices need a key (${where})`);
    }
    out.push({
      key,
      label: scalarOf(entry.get("label")) ?? "",
      type: type as OptionInput["type"],
      min: intParam(entry.get("min"), `${where}[min]`, 0),
      max: intParam(entry.get("max"), `${where}[max]`, 0),
      order: intParam(entry.get("order"), `${where}[order]`, out.length),
      hidden: flagParam(entry.get("hidden"), `${where}[hidden]`, false, switches),
      choices,
    });
  }
  return out;
}

function readChoices(raw: FormValue | undefined, optionWhere: string, switches: Pick<WhmcsSwitches, "booleans">): ChoiceInput[] {
  if (raw === undefined || raw === "") return [];
  if (!(raw instanceof PhpArray)) throw new WhmcsApiError(`Invalid value for ${optionWhere}[choices]`);
  const out: ChoiceInput[] = [];
  for (const [index, entry] of raw.entries()) {
    const where = `${optionWhere}[choices][${index}]`;
    if (!(entry instanceof PhpArray)) throw new WhmcsApiError(`Invalid value for ${where}`);
    const key = scalarOf(entry.get("key")) ?? "";
    if (key.includes("|")) throw new WhmcsApiError(`${where}[key] must not contain "|"`);
    if (out.some((c) => c.key === key)) throw new WhmcsApiError(`Duplicate choice key ${JSON.stringify(key)} in ${optionWhere}`);
    out.push({
      key,
      label: scalarOf(entry.get("label")) ?? "",
      order: intParam(entry.get("order"), `${where}[order]`, out.length),
      hidden: flagParam(entry.get("hidden"), `${where}[hidden]`, false, switches),
      pricing: entry.get("pricing"),
      where,
    });
  }
  return out;
}
