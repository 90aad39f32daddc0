import { WhmcsApiError } from "../errors.js";
import { intOf, sqlDateTime } from "../rows.js";
import { rowById } from "../services/lookup.js";
import { ERR_ORDER_NOT_FOUND } from "./pending-order.js";
import type { ActionContext, ActionDef } from "./types.js";

/**
 * `FraudOrder` (docs/whmcs.md#fraudorder): the order marked `Fraud`, as an admin or a fraud check
 * does; its services that were never accepted become `Fraud` too and its unpaid invoice
 * `Cancelled`. No module call.
 */
export const fraudOrder: ActionDef = { name: "FraudOrder", companion: false, handler };

async function handler({ params, store, now }: ActionContext): Promise<Record<string, unknown>> {
  const order = await rowById(store, "tblorders", params.str("orderid"));
  if (order === undefined) throw new WhmcsApiError(ERR_ORDER_NOT_FOUND);
  const orderId = intOf(order, "id");
  const invoiceId = intOf(order, "invoiceid");
  const stamp = sqlDateTime(now);
  await store.transaction(async (tx) => {
    await tx.update("tblorders", { id: orderId }, { status: "Fraud" });
    await tx.update("tblhosting", { orderid: orderId, domainstatus: "Pending" }, { domainstatus: "Fraud", updated_at: stamp });
    if (invoiceId > 0) await tx.update("tblinvoices", { id: invoiceId, status: "Unpaid" }, { status: "Cancelled", updated_at: stamp });
  });
  return {};
}
