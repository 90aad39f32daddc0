import { acceptOrder } from "./accept-order.js";
import { addClient } from "./add-client.js";
import { addInvoicePayment } from "./add-invoice-payment.js";
import { addOrder } from "./add-order.js";
import { addProduct } from "./add-product.js";
import { reconcileGetCatalog } from "./companion/get-catalog.js";
import { reconcileAcquireLock, reconcileReleaseLock, reconcileRenewLock } from "./companion/lock.js";
import { reconcileUpsertConfigGroup } from "./companion/upsert-config-group.js";
import { reconcileUpsertProduct } from "./companion/upsert-product.js";
import { reconcileUpsertProductGroup } from "./companion/upsert-product-group.js";
import { fraudOrder } from "./fraud-order.js";
import { getClients } from "./get-clients.js";
import { getClientsDetails } from "./get-clients-details.js";
import { getClientsProducts } from "./get-clients-products.js";
import { getCurrencies } from "./get-currencies.js";
import { getOrders } from "./get-orders.js";
import { getPaymentMethods } from "./get-payment-methods.js";
import { getProducts } from "./get-products.js";
import {
  moduleChangePackage,
  moduleChangePw,
  moduleCreate,
  moduleCustom,
  moduleSuspend,
  moduleTerminate,
  moduleUnsuspend,
} from "./module/index.js";
import { pendingOrder } from "./pending-order.js";
import type { ActionDef } from "./types.js";
import { updateClientProduct } from "./update-client-product.js";
import { upgradeProduct } from "./upgrade-product.js";
import { whmcsDetails } from "./whmcs-details.js";

export type { ActionContext, ActionDef, ActionHandler, RequestInfo } from "./types.js";

const ALL: readonly ActionDef[] = [
  getProducts,
  addProduct,
  getCurrencies,
  getPaymentMethods,
  whmcsDetails,
  getClients,
  addClient,
  getClientsDetails,
  getClientsProducts,
  addOrder,
  acceptOrder,
  pendingOrder,
  fraudOrder,
  getOrders,
  addInvoicePayment,
  updateClientProduct,
  upgradeProduct,
  moduleCreate,
  moduleSuspend,
  moduleUnsuspend,
  moduleTerminate,
  moduleChangePackage,
  moduleChangePw,
  moduleCustom,
  reconcileGetCatalog,
  reconcileUpsertProductGroup,
  reconcileUpsertProduct,
  reconcileUpsertConfigGroup,
  reconcileAcquireLock,
  reconcileRenewLock,
  reconcileReleaseLock,
];

/** Every action the sandbox serves, by lowercase name (WHMCS matches names case-insensitively). */
export const ACTIONS: ReadonlyMap<string, ActionDef> = new Map(ALL.map((a) => [a.name.toLowerCase(), a]));

/** Lowercase names of every action, core and companion: what a full-access API role lists. */
export function allActionNames(): string[] {
  return [...ACTIONS.keys()];
}
