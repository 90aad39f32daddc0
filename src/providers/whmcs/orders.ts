import type { Secret } from "../../core/secrets.js";
import type { WhmcsClient } from "./client.js";
import { toId } from "./coerce.js";
import type { FormValue } from "./encode.js";
import type { PaginateOptions } from "./paginate.js";
import { phpSerializeBase64 } from "./php-serialize.js";
import { optionalId, orderFrom, paymentMethodsFrom, splitIds } from "./read-records.js";
import { cycleKey, idKeyed, requireCount, requireId, requireMoney, requireText, WhmcsRequestError } from "./request-checks.js";
import type { PaymentMethod, ServiceCycle, WhmcsOrder } from "./service-types.js";

export interface OrderItem {
  readonly productId: string;
  readonly billingCycle: ServiceCycle;
  readonly domain?: string;
  /** Quantity of the service itself (8.12+). */
  readonly qty?: number;
  /**
   * Configurable option values by `tblproductconfigoptions.id`: the sub-option id for dropdown
   * and radio options, the quantity for quantity options, 1 or 0 for yes/no options.
   */
  readonly configOptions?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /** Product custom field values by `tblcustomfields.id`. */
  readonly customFields?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  readonly priceOverride?: string;
  /** Addon ids to order with the item. */
  readonly addons?: readonly string[];
}

export interface AddOrderInput {
  readonly clientId: string;
  /** Gateway system name (`GetPaymentMethods` module). */
  readonly paymentMethod: string;
  readonly items: readonly OrderItem[];
  readonly promoCode?: string;
  readonly noInvoice?: boolean;
  readonly noInvoiceEmail?: boolean;
  /** Suppress the order confirmation e-mail. */
  readonly noEmail?: boolean;
  readonly clientIp?: string;
}

export interface AddOrderResult {
  readonly orderId: string;
  /** One per item, in item order. */
  readonly serviceIds: readonly string[];
  readonly addonIds: readonly string[];
  readonly domainIds: readonly string[];
  readonly invoiceId: string | undefined;
}

/**
 * `AddOrder`: every per-item field is sent as an array indexed by item position (a field that
 * only some items have keeps its index, so it cannot shift onto another item); options and
 * custom fields as one base64 PHP-serialized map per item. A write: never retried, and a list
 * action's paging parameters are never sent.
 */
export async function addOrder(client: WhmcsClient, input: AddOrderInput): Promise<AddOrderResult> {
  const action = "AddOrder";
  if (input.items.length === 0) throw new WhmcsRequestError(action, "an order needs at least one item");
  const pid = new Map<number, FormValue>();
  const billingcycle = new Map<number, FormValue>();
  const domain = new Map<number, FormValue>();
  const qty = new Map<number, FormValue>();
  const configoptions = new Map<number, FormValue>();
  const customfields = new Map<number, FormValue>();
  const priceoverride = new Map<number, FormValue>();
  const addons = new Map<number, FormValue>();
  input.items.forEach((item, i) => {
    const at = (name: string): string => `items[${i}].${name}`;
    pid.set(i, requireId(action, at("productId"), item.productId));
    billingcycle.set(i, cycleKey(action, at("billingCycle"), item.billingCycle));
    if (item.domain !== undefined) domain.set(i, item.domain.trim());
    if (item.qty !== undefined) qty.set(i, requireCount(action, at("qty"), item.qty, 1));
    if (item.configOptions !== undefined) {
      const options = idKeyed(action, at("configOptions"), item.configOptions);
      for (const [id, value] of options) requireCount(action, `${at("configOptions")}[${id}]`, value);
      configoptions.set(i, phpSerializeBase64(options));
    }
    if (item.customFields !== undefined) customfields.set(i, phpSerializeBase64(idKeyed(action, at("customFields"), item.customFields)));
    if (item.priceOverride !== undefined) priceoverride.set(i, requireMoney(action, at("priceOverride"), item.priceOverride));
    if (item.addons !== undefined && item.addons.length > 0) {
      addons.set(i, item.addons.map((a, j) => requireId(action, `${at("addons")}[${j}]`, a)).join(","));
    }
  });
  const params: Record<string, FormValue> = {
    clientid: requireId(action, "clientId", input.clientId),
    paymentmethod: requireText(action, "paymentMethod", input.paymentMethod),
    pid,
    billingcycle,
  };
  const perItem: readonly (readonly [string, Map<number, FormValue>])[] = [
    ["domain", domain],
    ["qty", qty],
    ["configoptions", configoptions],
    ["customfields", customfields],
    ["priceoverride", priceoverride],
    ["addons", addons],
  ];
  for (const [name, values] of perItem) if (values.size > 0) params[name] = values;
  if (input.promoCode !== undefined) params["promocode"] = input.promoCode;
  if (input.noInvoice !== undefined) params["noinvoice"] = input.noInvoice;
  if (input.noInvoiceEmail !== undefined) params["noinvoiceemail"] = input.noInvoiceEmail;
  if (input.noEmail !== undefined) params["noemail"] = input.noEmail;
  if (input.clientIp !== undefined) params["clientip"] = input.clientIp;

  const response = await client.call(action, params, { kind: "write" });
  // `productids` is the pre-7.8 name of `serviceids`.
  const services = response["serviceids"] ?? response["productids"];
  return {
    orderId: toId(response["orderid"], "AddOrder.orderid"),
    serviceIds: splitIds(services, "AddOrder.serviceids"),
    addonIds: splitIds(response["addonids"], "AddOrder.addonids"),
    domainIds: splitIds(response["domainids"], "AddOrder.domainids"),
    invoiceId: optionalId(response["invoiceid"], "AddOrder.invoiceid"),
  };
}

export interface AcceptOrderOptions {
  /** Run the product module's Create (overrides the product setting). */
  readonly autoSetup?: boolean;
  readonly sendEmail?: boolean;
  readonly serverId?: string;
  readonly serviceUsername?: string;
  readonly servicePassword?: Secret;
  /** Per-attempt timeout; module code runs synchronously (default: the client's long timeout). */
  readonly timeoutMs?: number;
}

/** `AcceptOrder`: only a Pending order; module errors come back as `WhmcsApiError` (category `module`). */
export async function acceptOrder(client: WhmcsClient, orderId: string, options: AcceptOrderOptions = {}): Promise<void> {
  const action = "AcceptOrder";
  const params: Record<string, FormValue> = { orderid: requireId(action, "orderId", orderId) };
  if (options.autoSetup !== undefined) params["autosetup"] = options.autoSetup;
  if (options.sendEmail !== undefined) params["sendemail"] = options.sendEmail;
  if (options.serverId !== undefined) params["serverid"] = requireId(action, "serverId", options.serverId);
  if (options.serviceUsername !== undefined) params["serviceusername"] = options.serviceUsername;
  if (options.servicePassword !== undefined) params["servicepassword"] = options.servicePassword;
  await client.call(action, params, { kind: "write", ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
}

/** `PendingOrder`: the order and its items back to Pending. */
export async function pendingOrder(client: WhmcsClient, orderId: string): Promise<void> {
  await client.call("PendingOrder", { orderid: requireId("PendingOrder", "orderId", orderId) }, { kind: "write" });
}

export interface OrdersFilter {
  readonly id?: string;
  readonly clientId?: string;
  readonly status?: string;
}

/** `GetOrders`, every page. */
export async function* listOrders(client: WhmcsClient, filter: OrdersFilter = {}, options: PaginateOptions = {}): AsyncGenerator<WhmcsOrder, void, undefined> {
  const action = "GetOrders";
  const params: Record<string, string> = {};
  if (filter.id !== undefined) params["id"] = requireId(action, "id", filter.id);
  if (filter.clientId !== undefined) params["userid"] = requireId(action, "clientId", filter.clientId);
  if (filter.status !== undefined) params["status"] = filter.status;
  let i = 0;
  for await (const item of client.paginate(action, params, ["orders", "order"], options)) {
    yield orderFrom(item, `GetOrders.orders.order[${i++}]`);
  }
}

export async function getOrders(client: WhmcsClient, filter: OrdersFilter = {}, options: PaginateOptions = {}): Promise<WhmcsOrder[]> {
  const out: WhmcsOrder[] = [];
  for await (const o of listOrders(client, filter, options)) out.push(o);
  return out;
}

/** `GetPaymentMethods`: the activated gateways, in display order. */
export async function getPaymentMethods(client: WhmcsClient): Promise<PaymentMethod[]> {
  return paymentMethodsFrom(await client.call("GetPaymentMethods", {}, { kind: "read" }));
}
