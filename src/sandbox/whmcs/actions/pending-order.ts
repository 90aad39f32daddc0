import { WhmcsApiError } from "../errors.js";
import { intOf, sqlDateTime } from "../rows.js";
import { rowById } from "../services/lookup.js";
import type { ActionContext, ActionDef } from "./types.js";

/**
 * `PendingOrder` (docs/whmcs.md#pendingorder): the order and its services back to `Pending`,
 * no module call.
 */
export const pendingOrder: ActionDef = { name: "PendingOrder", companion: false, handler };

export const ERR_ORDER_NOT_FOUND = "Order ID Not Found";

async function handler({ params, store, now }: ActionContext): Promise<Record<string, unknown>> {
  const order = await rowById(store, "tblorders", params.str("orderid"));
  if (order === undefined) throw new WhmcsApiError(ERR_ORDER_NOT_FOUND);
  const orderId = intOf(order, "id");
  await store.transaction(async (tx) => {
    await tx.update("tblorders", { id: orderId }, { status: "Pending" });
    await tx.update("tblhosting", { orderid: orderId }, { domainstatus: "Pending", updated_at: sqlDateTime(now) });
  });
  return {};
}
