import type { WhmcsStore } from "../store.js";

/** A URL slug from a display name: ASCII letters and digits joined by single hyphens. */
export function slugify(name: string, fallback: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug === "" ? fallback : slug.slice(0, 120);
}

/** `base`, or `base-2`, `base-3`, … : the first slug no other row of `table` uses. */
export async function uniqueSlug(
  store: WhmcsStore,
  table: "tblproductgroups" | "tblproducts",
  base: string,
  exceptId?: number,
): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    const rows = await store.select(table, { slug: candidate }, { columns: ["id"] });
    if (rows.every((r) => r["id"] === exceptId)) return candidate;
  }
}
