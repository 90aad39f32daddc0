import { PRICE_KEYS } from "../../../core/cycles.js";
import type { PriceRow } from "../../../model/catalog.js";
import { completeRow, type TableColumns } from "./columns.js";
import { insertRow } from "./ledger.js";
import type { Statements } from "./session.js";

/** One `tblpricing` row per (type, relid, currency): updated when it exists (duplicates removed), inserted otherwise. */
export async function replacePricing(
  s: Statements,
  columns: TableColumns,
  type: "product" | "configoptions",
  relid: number,
  currency: number,
  prices: PriceRow,
): Promise<void> {
  const existing = await s.rows("SELECT `id` FROM `tblpricing` WHERE `type` = ? AND `relid` = ? AND `currency` = ? ORDER BY `id`", [type, relid, currency]);
  const values: Record<string, string> = {};
  for (const key of PRICE_KEYS) values[key] = prices[key];
  const [first, ...duplicates] = existing;
  if (first === undefined) {
    await insertRow(s, "tblpricing", completeRow(columns, "tblpricing", { type, relid, currency, ...values }));
    return;
  }
  await s.exec(`UPDATE \`tblpricing\` SET ${PRICE_KEYS.map((k) => `\`${k}\` = ?`).join(", ")} WHERE \`id\` = ?`, [...PRICE_KEYS.map((k) => values[k] ?? "0.00"), Number(first["id"])]);
  if (duplicates.length > 0) {
    await s.exec(`DELETE FROM \`tblpricing\` WHERE \`id\` IN (${duplicates.map(() => "?").join(", ")})`, duplicates.map((d) => Number(d["id"])));
  }
}

/** A URL slug from a display name: ASCII letters and digits joined by single hyphens, as the companion makes it. */
export function slugify(name: string, fallback: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug === "" ? fallback : slug.slice(0, 120);
}

/** `base`, or `base-2`, `base-3`, …: the first slug no row of the table uses (WHMCS < 8.3 has no slugs). */
export async function uniqueSlug(s: Statements, columns: TableColumns, table: "tblproductgroups" | "tblproducts", base: string): Promise<string | undefined> {
  if (!(columns.get(table) ?? []).some((c) => c.name === "slug")) return undefined;
  const taken = new Set(
    (await s.rows(`SELECT \`slug\` FROM \`${table}\` WHERE \`slug\` = ? OR \`slug\` LIKE ?`, [base, `${base.replace(/[\\%_]/g, (c) => `\\${c}`)}-%`])).map((r) =>
      String(r["slug"]).toLowerCase(),
    ),
  );
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
