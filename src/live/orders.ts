import { compareCodeUnits } from "../core/canonical.js";
import { toMoneyOrUndefined } from "../core/money.js";
import type { LiveOrder, OrderPayment } from "../model/customers.js";
import { listOrders, type WhmcsClient } from "../providers/whmcs/index.js";
import type { WhmcsOrder } from "../providers/whmcs/service-types.js";

/*
 * WHMCS orders in bulk: `GetOrders` filtered by status, page by page. A storefront order is a
 * Pending order whose services wait for someone to accept them; its invoice's status says whether
 * the customer has paid, and an order WHMCS (or a fraud module) flagged has status `Fraud`.
 */

/** A GetOrders record as the reconcile model sees it. */
export function liveOrderFrom(o: WhmcsOrder): LiveOrder {
  const invoice = o.paymentStatus.trim();
  const payment: OrderPayment = o.invoiceId === undefined || invoice === "" ? "none" : /^paid$/i.test(invoice) ? "paid" : "unpaid";
  return {
    id: o.id,
    orderNumber: o.orderNumber,
    clientId: o.clientId,
    status: o.status,
    fraud: /^fraud$/i.test(o.status.trim()),
    payment,
    paymentStatus: invoice,
    invoiceId: o.invoiceId,
    amount: toMoneyOrUndefined(o.amount) ?? "0.00",
    date: o.date.trim().slice(0, 10),
    paymentMethod: o.paymentMethod,
    serviceIds: o.lines.filter((l) => l.type === "product" && l.relid !== "0").map((l) => l.relid),
  };
}

export interface OrderReadOptions {
  /** `limitnum` (default 250). */
  readonly pageSize?: number;
}

/** Every order with this status (`Pending`, `Fraud`, …): one paged read, sorted by id. */
export async function readOrders(whmcs: WhmcsClient, status: string, options: OrderReadOptions = {}): Promise<LiveOrder[]> {
  const out: LiveOrder[] = [];
  for await (const o of listOrders(whmcs, { status }, { pageSize: options.pageSize ?? 250 })) out.push(liveOrderFrom(o));
  return out.sort((a, b) => a.id.length - b.id.length || compareCodeUnits(a.id, b.id));
}

/** The pending orders: what a plan needs to describe the storefront orders it accepts. */
export function readPendingOrders(whmcs: WhmcsClient, options: OrderReadOptions = {}): Promise<LiveOrder[]> {
  return readOrders(whmcs, "Pending", options);
}

/** One order by id (GetOrders `id`); undefined when WHMCS has none. */
export async function readOrder(whmcs: WhmcsClient, id: string): Promise<LiveOrder | undefined> {
  for await (const o of listOrders(whmcs, { id }, { pageSize: 1 })) if (o.id === id) return liveOrderFrom(o);
  return undefined;
}

/** Orders by the ids of the services they created. */
export function ordersByService(orders: readonly LiveOrder[]): Map<string, LiveOrder> {
  const out = new Map<string, LiveOrder>();
  for (const o of orders) for (const s of o.serviceIds) if (!out.has(s)) out.set(s, o);
  return out;
}
