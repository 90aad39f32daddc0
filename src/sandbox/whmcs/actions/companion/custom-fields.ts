import { WhmcsApiError } from "../../errors.js";
import type { FormValue } from "../../form.js";
import { PhpArray } from "../../php-array.js";
import { completeRow, intOf, sqlDateTime, textOf } from "../../rows.js";
import type { WhmcsStore } from "../../store.js";

/**
 * Product custom fields the companion ensures (docs/companion-api.md): `customfields[]=<name>`,
 * each an admin-only text field not shown on the order form. Fields already there (by exact
 * name) are left as they are; none is ever deleted: services keep values in them.
 */
export function readCustomFieldNames(raw: FormValue | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  if (raw === "") return [];
  const values = raw instanceof PhpArray ? raw.values() : [raw];
  const out: string[] = [];
  for (const v of values) {
    const name = typeof v === "string" ? v.trim() : "";
    if (name === "") throw new WhmcsApiError(`Invalid custom field name ${JSON.stringify(v)}: expected a non-empty name`);
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

export async function ensureProductCustomFields(tx: WhmcsStore, productId: number, names: readonly string[], now: Date): Promise<void> {
  if (names.length === 0) return;
  const existing = await tx.select("tblcustomfields", { type: "product", relid: productId });
  const have = new Set(existing.map((f) => textOf(f, "fieldname")));
  let next = existing.reduce((max, f) => Math.max(max, intOf(f, "sortorder") + 1), 0);
  const stamp = sqlDateTime(now);
  for (const name of names) {
    if (have.has(name)) continue;
    await tx.insert(
      "tblcustomfields",
      completeRow("tblcustomfields", {
        type: "product",
        relid: productId,
        fieldname: name,
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
