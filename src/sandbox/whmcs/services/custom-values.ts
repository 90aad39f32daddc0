import { WhmcsApiError } from "../errors.js";
import { phpInt } from "../params.js";
import { PhpArray } from "../php-array.js";
import { completeRow, intOf, sqlDateTime } from "../rows.js";
import type { WhmcsStore } from "../store.js";

/** Which custom fields a map may set: a product's fields for a service, client fields for a client. */
export type CustomFieldOwner = { readonly type: "product"; readonly pid: number } | { readonly type: "client" };

/**
 * Store `{fieldId: value}` for one service or client (`relid`): update the value row, or insert
 * it. Field ids must belong to the owner.
 */
export async function writeCustomValues(store: WhmcsStore, relid: number, owner: CustomFieldOwner, values: PhpArray, now: Date): Promise<void> {
  const fields = await store.select("tblcustomfields", owner.type === "product" ? { type: "product", relid: owner.pid } : { type: "client" }, { columns: ["id"] });
  const ids = new Set(fields.map((f) => intOf(f, "id")));
  const stamp = sqlDateTime(now);
  for (const [key, raw] of values.entries()) {
    const fieldid = phpInt(key);
    if (!ids.has(fieldid)) {
      throw new WhmcsApiError(
        owner.type === "product" ? `Custom field ID ${key} does not belong to product ID ${owner.pid}` : `Custom field ID ${key} is not a client custom field`,
      );
    }
    if (raw instanceof PhpArray) throw new WhmcsApiError(`Invalid value for custom field ID ${key}: expected text`);
    const value = raw === null ? "" : typeof raw === "boolean" ? (raw ? "1" : "") : String(raw);
    const changed = await store.update("tblcustomfieldsvalues", { fieldid, relid }, { value, updated_at: stamp });
    if (changed === 0) await store.insert("tblcustomfieldsvalues", completeRow("tblcustomfieldsvalues", { fieldid, relid, value, created_at: stamp, updated_at: stamp }));
  }
}
