import { replacePricing } from "../../catalog/pricing.js";
import { slugify, uniqueSlug } from "../../catalog/slug.js";
import { WhmcsApiError } from "../../errors.js";
import { PhpArray } from "../../php-array.js";
import { completeRow, intOf, sqlDateTime } from "../../rows.js";
import type { SqlValue, WhmcsStore } from "../../store.js";
import { ERR_GROUP, ERR_NAME, ERR_PAYTYPE, ERR_TYPE, PAY_TYPES, PRODUCT_TYPES } from "../add-product.js";
import { retryOnConflict } from "../../store-retry.js";
import type { ActionContext, ActionDef } from "../types.js";
import { ensureProductCustomFields, readCustomFieldNames } from "./custom-fields.js";
import { flagParam, optionalId, pricingParam, requireKey, scalarOf } from "./inputs.js";
import { recordOwnership, resolveTarget } from "./ledger.js";

/**
 * `ReconcileUpsertProduct` (docs/companion-api.md): one `tblproducts` row, its linked option
 * groups (the complete set), one `type=product` pricing row per currency sent and the custom
 * fields named in `customfields[]`, in one transaction. Parameters left out keep their stored values.
 */
export const reconcileUpsertProduct: ActionDef = { name: "ReconcileUpsertProduct", companion: true, handler };

async function handler({ params, store, switches, now }: ActionContext): Promise<Record<string, unknown>> {
  const key = requireKey(params);
  const id = optionalId(params);
  const name = params.str("name") ?? "";
  if (name === "") throw new WhmcsApiError(ERR_NAME);
  const gidText = params.str("gid") ?? "";
  const gid = /^[1-9][0-9]*$/.test(gidText) ? Number(gidText) : 0;

  const patch: Record<string, SqlValue> = { name };
  const type = params.str("type");
  if (type !== undefined) {
    if (!(PRODUCT_TYPES as readonly string[]).includes(type)) throw new WhmcsApiError(ERR_TYPE);
    patch["type"] = type;
  }
  const paytype = params.str("paytype");
  if (paytype !== undefined) {
    if (!(PAY_TYPES as readonly string[]).includes(paytype)) throw new WhmcsApiError(ERR_PAYTYPE);
    patch["paytype"] = paytype;
  }
  const description = scalarOf(params.raw("description"));
  if (description !== undefined) patch["description"] = description;
  const module = scalarOf(params.raw("module"));
  if (module !== undefined) patch["servertype"] = module;
  if (params.has("hidden")) patch["hidden"] = flagParam(params.raw("hidden"), "hidden", false, switches) ? 1 : 0;
  if (params.has("retired")) patch["retired"] = flagParam(params.raw("retired"), "retired", false, switches) ? 1 : 0;
  const configGroups = readConfigGroups(params.raw("configgroups"));
  const customFields = readCustomFieldNames(params.raw("customfields"));

  return retryOnConflict(() => store.transaction(async (tx) => {
    if (gid === 0 || (await tx.count("tblproductgroups", { id: gid })) === 0) throw new WhmcsApiError(ERR_GROUP);
    patch["gid"] = gid;
    const currencyIds = new Set((await tx.select("tblcurrencies", {}, { columns: ["id"] })).map((c) => intOf(c, "id")));
    const pricing = pricingParam(params.raw("pricing"), "pricing", currencyIds);
    if (configGroups !== undefined) {
      for (const g of configGroups) {
        if ((await tx.count("tblproductconfiggroups", { id: g })) === 0) {
          throw new WhmcsApiError(`Configurable option group ${g} does not exist`);
        }
      }
    }

    const stamp = sqlDateTime(now);
    const target = await resolveTarget(tx, "Product", "tblproducts", key, id);
    let productId: number;
    if (target === undefined) {
      productId = await tx.insert(
        "tblproducts",
        completeRow("tblproducts", {
          type: switches.addProductDefaultType,
          paytype: switches.addProductDefaultPayType,
          ...patch,
          slug: await uniqueSlug(tx, "tblproducts", slugify(name, "product")),
          created_at: stamp,
          updated_at: stamp,
        }),
      );
    } else {
      productId = target;
      await tx.update("tblproducts", { id: productId }, { ...patch, updated_at: stamp });
    }
    if (configGroups !== undefined) await setLinks(tx, productId, configGroups);
    for (const [currency, prices] of pricing) await replacePricing(tx, "product", productId, currency, prices);
    if (customFields !== undefined) await ensureProductCustomFields(tx, productId, customFields, now);
    await recordOwnership(tx, "Product", key, productId, now);
    return { id: productId, created: target === undefined };
  }));
}

/** `configgroups[]=…` the complete set; `configgroups=` (empty) none; absent: leave links alone. */
function readConfigGroups(raw: unknown): number[] | undefined {
  if (raw === undefined) return undefined;
  if (raw === "") return [];
  const values = raw instanceof PhpArray ? raw.values() : [raw];
  const out: number[] = [];
  for (const v of values) {
    const s = typeof v === "string" ? v.trim() : "";
    if (!/^[1-9][0-9]*$/.test(s)) throw new WhmcsApiError(`Invalid configurable option group ID ${JSON.stringify(v)}`);
    if (!out.includes(Number(s))) out.push(Number(s));
  }
  return out;
}

async function setLinks(tx: WhmcsStore, pid: number, groups: readonly number[]): Promise<void> {
  const existing = await tx.select("tblproductconfiglinks", { pid });
  const kept = new Set<number>();
  for (const link of existing) {
    const gid = intOf(link, "gid");
    if (groups.includes(gid) && !kept.has(gid)) kept.add(gid);
    else await tx.delete("tblproductconfiglinks", { id: intOf(link, "id") });
  }
  for (const gid of groups) {
    if (!kept.has(gid)) await tx.insert("tblproductconfiglinks", { gid, pid });
  }
}
