import { moneyToCents } from "../../../core/money.js";
import { toMoneyOrUndefined } from "../../../core/money.js";
import { requireGateway } from "../billing/gateways.js";
import { WhmcsApiError } from "../errors.js";
import { intOf, sqlDateTime, textOf } from "../rows.js";
import { rowById } from "../services/lookup.js";
import type { ActionContext, ActionDef } from "./types.js";

/**
 * `AddInvoicePayment` (docs/whmcs.md#addinvoicepayment): a payment of the invoice's whole balance
 * marks it `Paid` (with `datepaid`), as a customer paying at checkout does. Partial payments,
 * transaction rows and the "on payment" automatic setup are not modelled: an amount below the
 * total is refused.
 */
export const addInvoicePayment: ActionDef = { name: "AddInvoicePayment", companion: false, handler };

export const ERR_INVOICE_NOT_FOUND = "Invoice ID Not Found";

async function handler({ params, store, now }: ActionContext): Promise<Record<string, unknown>> {
  const invoice = await rowById(store, "tblinvoices", params.str("invoiceid"));
  if (invoice === undefined) throw new WhmcsApiError(ERR_INVOICE_NOT_FOUND);
  if ((params.str("transid") ?? "").trim() === "") throw new WhmcsApiError("Transaction ID is required");
  await requireGateway(store, params.str("gateway"));
  const total = moneyToCents(textOf(invoice, "total") || "0.00");
  const written = params.str("amount");
  if (written !== undefined && written.trim() !== "") {
    const amount = toMoneyOrUndefined(written);
    if (amount === undefined) throw new WhmcsApiError(`Invalid amount ${JSON.stringify(written)}`);
    if (moneyToCents(amount) < total) throw new WhmcsApiError("Partial payments are not modelled by the sandbox: pay the invoice total");
  }
  if (textOf(invoice, "status") !== "Paid") {
    const date = params.str("date");
    const stamp = sqlDateTime(now);
    await store.update("tblinvoices", { id: intOf(invoice, "id") }, { status: "Paid", datepaid: date !== undefined && date.trim() !== "" ? date.trim() : stamp, updated_at: stamp });
  }
  return {};
}
