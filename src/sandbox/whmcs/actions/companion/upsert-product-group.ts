import { slugify, uniqueSlug } from "../../catalog/slug.js";
import { WhmcsApiError } from "../../errors.js";
import { completeRow, sqlDateTime } from "../../rows.js";
import type { SqlValue } from "../../store.js";
import { retryOnConflict } from "../../store-retry.js";
import type { ActionContext, ActionDef } from "../types.js";
import { flagParam, intParam, optionalId, requireKey, scalarOf } from "./inputs.js";
import { recordOwnership, resolveTarget } from "./ledger.js";

export const ERR_GROUP_NAME = "You must supply a name for the product group";

/**
 * `ReconcileUpsertProductGroup` (docs/companion-api.md): create or update one
 * `tblproductgroups` row by resource key, in one transaction. Text is stored as given.
 */
export const reconcileUpsertProductGroup: ActionDef = { name: "ReconcileUpsertProductGroup", companion: true, handler };

async function handler({ params, store, switches, now }: ActionContext): Promise<Record<string, unknown>> {
  const key = requireKey(params);
  const id = optionalId(params);
  const name = params.str("name") ?? "";
  if (name === "") throw new WhmcsApiError(ERR_GROUP_NAME);
  const patch: Record<string, SqlValue> = { name };
  const headline = scalarOf(params.raw("headline"));
  if (headline !== undefined) patch["headline"] = headline;
  const tagline = scalarOf(params.raw("tagline"));
  if (tagline !== undefined) patch["tagline"] = tagline;
  if (params.has("hidden")) patch["hidden"] = flagParam(params.raw("hidden"), "hidden", false, switches) ? 1 : 0;
  if (params.has("order")) patch["order"] = intParam(params.raw("order"), "order", 0);

  return retryOnConflict(() => store.transaction(async (tx) => {
    const stamp = sqlDateTime(now);
    const target = await resolveTarget(tx, "ProductGroup", "tblproductgroups", key, id);
    let groupId: number;
    if (target === undefined) {
      groupId = await tx.insert(
        "tblproductgroups",
        completeRow("tblproductgroups", {
          headline: "",
          tagline: "",
          hidden: 0,
          order: 0,
          ...patch,
          slug: await uniqueSlug(tx, "tblproductgroups", slugify(name, "group")),
          orderfrmtpl: "",
          disabledgateways: "",
          created_at: stamp,
          updated_at: stamp,
        }),
      );
    } else {
      groupId = target;
      await tx.update("tblproductgroups", { id: groupId }, { ...patch, updated_at: stamp });
    }
    await recordOwnership(tx, "ProductGroup", key, groupId, now);
    return { id: groupId, created: target === undefined };
  }));
}
