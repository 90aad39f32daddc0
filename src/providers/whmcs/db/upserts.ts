import { OPTION_TYPE_CODE } from "../../../model/catalog.js";
import type { ChoiceWrite, ConfigOptionGroupWrite, OptionWrite, ProductGroupWrite, ProductWrite, UpsertResult } from "../../../model/provider.js";
import { configGroupParams, productGroupParams, productParams } from "../mapping-writes.js";
import { hasSingleChoice } from "../option-names.js";
import { productCustomFieldsFor } from "../record-fields.js";
import { replacePricing, slugify, uniqueSlug } from "./catalog-rows.js";
import { completeRow, type TableColumns } from "./columns.js";
import { insertRow, OwnershipError, recordOwnership, resolveTarget, updateRow } from "./ledger.js";
import type { DbRow, Statements } from "./session.js";

/** Tables the writes insert into; their column lists are read once per backend. */
export const WRITE_TABLES = [
  "tblproductgroups",
  "tblproducts",
  "tblpricing",
  "tblproductconfiggroups",
  "tblproductconfigoptions",
  "tblproductconfigoptionssub",
  "tblproductconfiglinks",
  "tblcustomfields",
  "mod_zoho_reconcile_resources",
] as const;

async function now(s: Statements): Promise<string> {
  const rows = await s.rows("SELECT DATE_FORMAT(NOW(), '%Y-%m-%d %H:%i:%s') AS now");
  return String(rows[0]?.["now"]);
}

function id(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}

/** The same checks the companion request would get, before a connection is opened. */
export function checkWrite(kind: "ProductGroup" | "ConfigOptionGroup" | "Product", write: ProductGroupWrite | ConfigOptionGroupWrite | ProductWrite): void {
  if (kind === "ProductGroup") productGroupParams(write as ProductGroupWrite);
  else if (kind === "ConfigOptionGroup") configGroupParams(write as ConfigOptionGroupWrite);
  else productParams(write as ProductWrite);
}

export async function upsertProductGroupRows(s: Statements, columns: TableColumns, w: ProductGroupWrite): Promise<UpsertResult> {
  const stamp = await now(s);
  const target = await resolveTarget(s, "ProductGroup", "tblproductgroups", w.key, id(w.id));
  const fields = {
    name: w.state.name,
    headline: w.state.headline,
    tagline: w.state.tagline,
    hidden: w.state.hidden ? 1 : 0,
    order: w.state.order,
  };
  let groupId: number;
  if (target === undefined) {
    const slug = await uniqueSlug(s, columns, "tblproductgroups", slugify(w.state.name, "group"));
    groupId = await insertRow(
      s,
      "tblproductgroups",
      completeRow(columns, "tblproductgroups", { ...fields, ...(slug === undefined ? {} : { slug }), orderfrmtpl: "", disabledgateways: "", created_at: stamp, updated_at: stamp }),
    );
  } else {
    groupId = target;
    await updateRow(s, "tblproductgroups", groupId, { ...fields, ...(hasColumn(columns, "tblproductgroups", "updated_at") ? { updated_at: stamp } : {}) });
  }
  await recordOwnership(s, columns, "ProductGroup", w.key, groupId, stamp);
  return { id: String(groupId), created: target === undefined };
}

export async function upsertProductRows(s: Statements, columns: TableColumns, w: ProductWrite): Promise<UpsertResult> {
  const stamp = await now(s);
  const where = `Product/${w.key}`;
  const gid = Number(w.groupId);
  if ((await s.rows("SELECT `id` FROM `tblproductgroups` WHERE `id` = ?", [gid])).length === 0) {
    throw new OwnershipError("whmcs.db.not-found", `${where}: product group ${gid} does not exist`);
  }
  const currencies = new Set((await s.rows("SELECT `id` FROM `tblcurrencies`")).map((r) => Number(r["id"])));
  for (const currency of Object.keys(w.pricing)) {
    if (!currencies.has(Number(currency))) throw new OwnershipError("whmcs.db.not-found", `${where}: currency ${currency} does not exist`);
  }
  const groups = [...new Set(w.configOptionGroupIds.map(Number))].sort((a, b) => a - b);
  if (groups.length > 0) {
    const found = new Set(
      (await s.rows(`SELECT \`id\` FROM \`tblproductconfiggroups\` WHERE \`id\` IN (${groups.map(() => "?").join(", ")})`, groups)).map((r) => Number(r["id"])),
    );
    const missing = groups.filter((g) => !found.has(g));
    if (missing.length > 0) throw new OwnershipError("whmcs.db.not-found", `${where}: configurable option group ${missing.join(", ")} does not exist`);
  }

  const target = await resolveTarget(s, "Product", "tblproducts", w.key, id(w.id));
  const fields = {
    type: w.type,
    gid,
    name: w.name,
    description: w.description,
    hidden: w.hidden ? 1 : 0,
    ...(w.retired !== undefined ? { retired: w.retired ? 1 : 0 } : {}),
    paytype: w.payType,
    servertype: w.module,
  };
  let productId: number;
  if (target === undefined) {
    const slug = await uniqueSlug(s, columns, "tblproducts", slugify(w.name, "product"));
    productId = await insertRow(s, "tblproducts", completeRow(columns, "tblproducts", { ...fields, ...(slug === undefined ? {} : { slug }), created_at: stamp, updated_at: stamp }));
  } else {
    productId = target;
    await updateRow(s, "tblproducts", productId, { ...fields, ...(hasColumn(columns, "tblproducts", "updated_at") ? { updated_at: stamp } : {}) });
  }

  const kept = new Set<number>();
  for (const link of await s.rows("SELECT `id`, `gid` FROM `tblproductconfiglinks` WHERE `pid` = ? ORDER BY `id`", [productId])) {
    const linked = Number(link["gid"]);
    if (groups.includes(linked) && !kept.has(linked)) kept.add(linked);
    else await s.exec("DELETE FROM `tblproductconfiglinks` WHERE `id` = ?", [Number(link["id"])]);
  }
  for (const g of groups) if (!kept.has(g)) await insertRow(s, "tblproductconfiglinks", completeRow(columns, "tblproductconfiglinks", { gid: g, pid: productId }));

  for (const [currency, prices] of Object.entries(w.pricing).sort((a, b) => Number(a[0]) - Number(b[0]))) {
    await replacePricing(s, columns, "product", productId, Number(currency), prices);
  }
  await ensureCustomFields(s, columns, productId, productCustomFieldsFor(w.module), stamp);
  await recordOwnership(s, columns, "Product", w.key, productId, stamp);
  return { id: String(productId), created: target === undefined };
}

/**
 * The named product custom fields the product lacks: admin-only text, not on the order form, as
 * the companion adds them. Existing fields are left alone and none is deleted.
 */
async function ensureCustomFields(s: Statements, columns: TableColumns, productId: number, names: readonly string[], stamp: string): Promise<void> {
  if (names.length === 0) return;
  const existing = await s.rows("SELECT `fieldname`, `sortorder` FROM `tblcustomfields` WHERE `type` = 'product' AND `relid` = ? ORDER BY `id`", [productId]);
  const have = new Set(existing.map((f) => String(f["fieldname"])));
  let next = existing.reduce((max, f) => Math.max(max, Number(f["sortorder"] ?? 0) + 1), 0);
  for (const fieldname of names) {
    if (have.has(fieldname)) continue;
    await insertRow(
      s,
      "tblcustomfields",
      completeRow(columns, "tblcustomfields", {
        type: "product",
        relid: productId,
        fieldname,
        fieldtype: "text",
        description: "",
        fieldoptions: "",
        regexpr: "",
        adminonly: "on",
        required: "",
        showorder: "",
        showinvoice: "",
        sortorder: next++,
        created_at: stamp,
        updated_at: stamp,
      }),
    );
  }
}

export async function upsertConfigGroupRows(s: Statements, columns: TableColumns, w: ConfigOptionGroupWrite): Promise<UpsertResult> {
  const stamp = await now(s);
  const where = `ConfigOptionGroup/${w.key}`;
  const currencies = new Set((await s.rows("SELECT `id` FROM `tblcurrencies`")).map((r) => Number(r["id"])));
  for (const option of w.options) {
    for (const choice of option.choices) {
      for (const currency of Object.keys(choice.pricing)) {
        if (!currencies.has(Number(currency))) throw new OwnershipError("whmcs.db.not-found", `${where}: currency ${currency} does not exist`);
      }
    }
  }
  const target = await resolveTarget(s, "ConfigOptionGroup", "tblproductconfiggroups", w.key, id(w.id));
  let groupId: number;
  if (target === undefined) {
    groupId = await insertRow(s, "tblproductconfiggroups", completeRow(columns, "tblproductconfiggroups", { name: w.name, description: w.description }));
  } else {
    groupId = target;
    await updateRow(s, "tblproductconfiggroups", groupId, { name: w.name, description: w.description });
  }

  const existing = await s.rows("SELECT `id`, `optionname` FROM `tblproductconfigoptions` WHERE `gid` = ? ORDER BY `id`", [groupId]);
  const matched = new Set<number>();
  for (const option of w.options) {
    const row = existing.find((r) => !matched.has(Number(r["id"])) && keyOf(r) === option.key);
    const quantity = option.type === "quantity";
    const fields = {
      optionname: `${option.key}|${option.label}`,
      optiontype: OPTION_TYPE_CODE[option.type],
      qtyminimum: quantity ? option.min : 0,
      qtymaximum: quantity ? option.max : 0,
      order: option.order,
      hidden: option.hidden ? 1 : 0,
    };
    let optionId: number;
    if (row === undefined) {
      optionId = await insertRow(s, "tblproductconfigoptions", completeRow(columns, "tblproductconfigoptions", { gid: groupId, ...fields }));
    } else {
      optionId = Number(row["id"]);
      matched.add(optionId);
      await updateRow(s, "tblproductconfigoptions", optionId, fields);
    }
    await upsertChoices(s, columns, optionId, option);
  }
  for (const row of existing) {
    if (!matched.has(Number(row["id"]))) await s.exec("UPDATE `tblproductconfigoptions` SET `hidden` = 1 WHERE `id` = ?", [Number(row["id"])]);
  }
  await recordOwnership(s, columns, "ConfigOptionGroup", w.key, groupId, stamp);
  return { id: String(groupId), created: target === undefined };
}

async function upsertChoices(s: Statements, columns: TableColumns, optionId: number, option: OptionWrite): Promise<void> {
  const existing = await s.rows("SELECT `id`, `optionname` FROM `tblproductconfigoptionssub` WHERE `configid` = ? ORDER BY `sortorder`, `id`", [optionId]);
  const single = hasSingleChoice(option.type);
  const matched = new Set<number>();
  for (const choice of option.choices) {
    const row = pickChoice(existing, matched, choice, single);
    const fields = {
      optionname: choice.key === "" ? choice.label : `${choice.key}|${choice.label}`,
      sortorder: choice.order,
      hidden: choice.hidden ? 1 : 0,
    };
    let subId: number;
    if (row === undefined) {
      subId = await insertRow(s, "tblproductconfigoptionssub", completeRow(columns, "tblproductconfigoptionssub", { configid: optionId, ...fields }));
    } else {
      subId = Number(row["id"]);
      matched.add(subId);
      await updateRow(s, "tblproductconfigoptionssub", subId, fields);
    }
    for (const [currency, prices] of Object.entries(choice.pricing).sort((a, b) => Number(a[0]) - Number(b[0]))) {
      await replacePricing(s, columns, "configoptions", subId, Number(currency), prices);
    }
  }
  for (const row of existing) {
    if (!matched.has(Number(row["id"]))) await s.exec("UPDATE `tblproductconfigoptionssub` SET `hidden` = 1 WHERE `id` = ?", [Number(row["id"])]);
  }
}

/** By key among the unmatched rows; the single sub-option of a quantity or yes/no option by position. */
function pickChoice(existing: readonly DbRow[], matched: ReadonlySet<number>, choice: ChoiceWrite, single: boolean): DbRow | undefined {
  const free = existing.filter((r) => !matched.has(Number(r["id"])));
  const byKey = free.find((r) => keyOf(r) === choice.key);
  if (byKey !== undefined || !single) return byKey;
  return free[0];
}

/** Raw key left of `|` (or the whole name), compared exactly as the companion compares it. */
function keyOf(row: DbRow): string {
  const name = String(row["optionname"] ?? "");
  const bar = name.indexOf("|");
  return bar < 0 ? name : name.slice(0, bar);
}

function hasColumn(columns: TableColumns, table: string, column: string): boolean {
  return (columns.get(table) ?? []).some((c) => c.name === column);
}
