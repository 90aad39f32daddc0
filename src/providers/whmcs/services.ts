import type { WhmcsClient } from "./client.js";
import { toId } from "./coerce.js";
import type { FormValue } from "./encode.js";
import type { PaginateOptions } from "./paginate.js";
import { phpSerializeBase64, type PhpValue } from "./php-serialize.js";
import { optionalFormattedPrice, optionalId, serviceFrom } from "./read-records.js";
import {
  cycleDisplay,
  cycleKey,
  idKeyed,
  requireCount,
  requireDate,
  requireId,
  requireMoney,
  requireText,
  WhmcsRequestError,
} from "./request-checks.js";
import type { ServiceCycle, ServiceStatus, WhmcsService } from "./service-types.js";

export interface ServicesFilter {
  readonly clientId?: string;
  readonly serviceId?: string;
  readonly productId?: string;
  readonly domain?: string;
}

/** `GetClientsProducts`, every page (or only those matching the filter), one service at a time. */
export async function* listServices(client: WhmcsClient, filter: ServicesFilter = {}, options: PaginateOptions = {}): AsyncGenerator<WhmcsService, void, undefined> {
  const action = "GetClientsProducts";
  const params: Record<string, string> = {};
  if (filter.clientId !== undefined) params["clientid"] = requireId(action, "clientId", filter.clientId);
  if (filter.serviceId !== undefined) params["serviceid"] = requireId(action, "serviceId", filter.serviceId);
  if (filter.productId !== undefined) params["pid"] = requireId(action, "productId", filter.productId);
  if (filter.domain !== undefined) params["domain"] = requireText(action, "domain", filter.domain).trim();
  let i = 0;
  for await (const item of client.paginate(action, params, ["products", "product"], options)) {
    yield serviceFrom(item, `GetClientsProducts.products.product[${i++}]`);
  }
}

export async function getServices(client: WhmcsClient, filter: ServicesFilter = {}, options: PaginateOptions = {}): Promise<WhmcsService[]> {
  const out: WhmcsService[] = [];
  for await (const s of listServices(client, filter, options)) out.push(s);
  return out;
}

/**
 * A configurable option value for `UpdateClientProduct`: the chosen sub-option of a dropdown or
 * radio option, or the single sub-option and a count for quantity options (yes/no options use
 * the quantity form with `qty` 1 or 0, as `tblhostingconfigoptions` stores them).
 */
export type ServiceOptionChange =
  | { readonly subOptionId: string }
  | { readonly subOptionId: string; readonly qty: number };

/** Fields `UpdateClientProduct` can clear with `unset[]`. */
export type UnsetField =
  | "domain"
  | "serviceusername"
  | "servicepassword"
  | "subscriptionid"
  | "ns1"
  | "ns2"
  | "dedicatedip"
  | "assignedips"
  | "notes"
  | "suspendreason";

export interface UpdateServiceInput {
  readonly serviceId: string;
  readonly productId?: string;
  readonly domain?: string;
  readonly billingCycle?: ServiceCycle;
  readonly status?: ServiceStatus;
  readonly nextDueDate?: string;
  readonly regDate?: string;
  readonly firstPaymentAmount?: string;
  readonly recurringAmount?: string;
  /** Recompute the recurring amount from the product and options (ignores `recurringAmount`). */
  readonly autoRecalc?: boolean;
  readonly paymentMethod?: string;
  readonly notes?: string;
  readonly suspendReason?: string;
  /** Keyed by `tblproductconfigoptions.id`. */
  readonly configOptions?: ReadonlyMap<string, ServiceOptionChange> | Readonly<Record<string, ServiceOptionChange>>;
  /** Keyed by `tblcustomfields.id`. */
  readonly customFields?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  readonly unset?: readonly UnsetField[];
}

export interface UpdateServiceOptions {
  /** Display strings for billing cycles; only Monthly, Quarterly and One-Time are documented. */
  readonly cycleText?: Readonly<Partial<Record<ServiceCycle, string>>>;
}

/**
 * `UpdateClientProduct`: the service record only (WHMCS calls no module). Options go as ONE
 * base64 PHP-serialized map, `{configid: subid}` or `{configid: {optionid, qty}}`; the billing
 * cycle as its display string.
 */
export async function updateService(client: WhmcsClient, input: UpdateServiceInput, options: UpdateServiceOptions = {}): Promise<{ readonly serviceId: string }> {
  const action = "UpdateClientProduct";
  const params: Record<string, FormValue> = { serviceid: requireId(action, "serviceId", input.serviceId) };
  if (input.productId !== undefined) params["pid"] = requireId(action, "productId", input.productId);
  if (input.domain !== undefined) params["domain"] = input.domain.trim();
  if (input.billingCycle !== undefined) params["billingcycle"] = cycleDisplay(action, input.billingCycle, options.cycleText);
  if (input.status !== undefined) params["status"] = statusText(input.status);
  if (input.nextDueDate !== undefined) params["nextduedate"] = requireDate(action, "nextDueDate", input.nextDueDate);
  if (input.regDate !== undefined) params["regdate"] = requireDate(action, "regDate", input.regDate);
  if (input.firstPaymentAmount !== undefined) params["firstpaymentamount"] = requireMoney(action, "firstPaymentAmount", input.firstPaymentAmount);
  if (input.recurringAmount !== undefined) params["recurringamount"] = requireMoney(action, "recurringAmount", input.recurringAmount);
  if (input.autoRecalc !== undefined) params["autorecalc"] = input.autoRecalc;
  if (input.paymentMethod !== undefined) params["paymentmethod"] = requireText(action, "paymentMethod", input.paymentMethod);
  if (input.notes !== undefined) params["notes"] = input.notes;
  if (input.suspendReason !== undefined) params["suspendreason"] = input.suspendReason;
  if (input.configOptions !== undefined) params["configoptions"] = phpSerializeBase64(serviceOptionsMap(action, input.configOptions));
  if (input.customFields !== undefined) params["customfields"] = phpSerializeBase64(idKeyed(action, "customFields", input.customFields));
  if (input.unset !== undefined && input.unset.length > 0) params["unset"] = [...new Set(input.unset)];
  if (Object.keys(params).length === 1) throw new WhmcsRequestError(action, "nothing to update");
  const response = await client.call(action, params, { kind: "write" });
  return { serviceId: toId(response["serviceid"] ?? input.serviceId, "UpdateClientProduct.serviceid") };
}

function serviceOptionsMap(action: string, options: UpdateServiceInput["configOptions"] & object): Map<number, PhpValue> {
  const out = new Map<number, PhpValue>();
  for (const [configId, change] of idKeyed(action, "configOptions", options)) {
    const sub = Number(requireId(action, `configOptions[${configId}].subOptionId`, change.subOptionId));
    if ("qty" in change) {
      out.set(configId, new Map<string, PhpValue>([
        ["optionid", sub],
        ["qty", requireCount(action, `configOptions[${configId}].qty`, change.qty)],
      ]));
    } else {
      out.set(configId, sub);
    }
  }
  return out;
}

function statusText(status: ServiceStatus): string {
  return status.charAt(0).toUpperCase() + status.slice(1);
}

export type UpgradeInput =
  | {
      readonly type: "product";
      readonly serviceId: string;
      readonly paymentMethod: string;
      readonly newProductId: string;
      readonly newBillingCycle: ServiceCycle;
      readonly promoCode?: string;
      /** Only price the upgrade; no order or invoice is created. */
      readonly calcOnly?: boolean;
    }
  | {
      readonly type: "configoptions";
      readonly serviceId: string;
      readonly paymentMethod: string;
      /** New values by `tblproductconfigoptions.id`: sub-option id, or the quantity. */
      readonly configOptions: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
      readonly promoCode?: string;
      readonly calcOnly?: boolean;
    };

export interface UpgradeResult {
  readonly orderId: string | undefined;
  readonly invoiceId: string | undefined;
  /** Upgrade id (`tblupgrades.id`) when one was created. */
  readonly upgradeId: string | undefined;
  readonly price: string | undefined;
}

/**
 * `UpgradeProduct`: an upgrade order and invoice (or only the price with `calcOnly`). Options
 * go as a plain `configoptions[<configid>]=<value>` map, unlike AddOrder and UpdateClientProduct.
 * The module's ChangePackage runs once the invoice is paid, not here.
 */
export async function upgradeService(client: WhmcsClient, input: UpgradeInput): Promise<UpgradeResult> {
  const action = "UpgradeProduct";
  const params: Record<string, FormValue> = {
    serviceid: requireId(action, "serviceId", input.serviceId),
    paymentmethod: requireText(action, "paymentMethod", input.paymentMethod),
    type: input.type,
  };
  if (input.type === "product") {
    params["newproductid"] = requireId(action, "newProductId", input.newProductId);
    params["newproductbillingcycle"] = cycleKey(action, "newBillingCycle", input.newBillingCycle);
  } else {
    const values = idKeyed(action, "configOptions", input.configOptions);
    if (values.size === 0) throw new WhmcsRequestError(action, "configOptions is empty");
    for (const [id, v] of values) requireCount(action, `configOptions[${id}]`, v);
    params["configoptions"] = values;
  }
  if (input.promoCode !== undefined) params["promocode"] = input.promoCode;
  if (input.calcOnly !== undefined) params["calconly"] = input.calcOnly;
  const response = await client.call(action, params, { kind: "write" });
  return {
    orderId: optionalId(response["orderid"], "UpgradeProduct.orderid"),
    invoiceId: optionalId(response["invoiceid"], "UpgradeProduct.invoiceid"),
    upgradeId: optionalId(response["id"], "UpgradeProduct.id"),
    price: optionalFormattedPrice(response["price"], "UpgradeProduct.price"),
  };
}
