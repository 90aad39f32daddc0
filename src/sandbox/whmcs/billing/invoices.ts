import { centsToMoney, moneyToCents } from "../../../core/money.js";
import { completeRow, sqlDateTime } from "../rows.js";
import type { WhmcsStore } from "../store.js";
import { sqlDate } from "./dates.js";

export interface InvoiceLine {
  /** `Hosting` for a service, `Upgrade` for an upgrade, … */
  readonly type: string;
  readonly relid: number;
  readonly description: string;
  readonly amount: string;
}

/**
 * An invoice due today with one item per line. A zero total is marked paid at once, as WHMCS
 * does with free orders; anything else is `Unpaid`.
 */
export async function createInvoice(
  store: WhmcsStore,
  input: { readonly userid: number; readonly paymentmethod: string; readonly lines: readonly InvoiceLine[]; readonly now: Date },
): Promise<number> {
  const total = input.lines.reduce((sum, l) => sum + moneyToCents(l.amount), 0n);
  const today = sqlDate(input.now);
  const stamp = sqlDateTime(input.now);
  const id = await store.insert(
    "tblinvoices",
    completeRow("tblinvoices", {
      userid: input.userid,
      date: today,
      duedate: today,
      datepaid: total === 0n ? stamp : "0000-00-00 00:00:00",
      subtotal: centsToMoney(total),
      total: centsToMoney(total),
      status: total === 0n ? "Paid" : "Unpaid",
      paymentmethod: input.paymentmethod,
      created_at: stamp,
      updated_at: stamp,
    }),
  );
  for (const line of input.lines) {
    await store.insert(
      "tblinvoiceitems",
      completeRow("tblinvoiceitems", {
        invoiceid: id,
        userid: input.userid,
        type: line.type,
        relid: line.relid,
        description: line.description,
        amount: line.amount,
        duedate: today,
        paymentmethod: input.paymentmethod,
      }),
    );
  }
  return id;
}
