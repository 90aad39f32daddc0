import { addProduct } from "./add-product.js";
import { reconcileGetCatalog } from "./companion/get-catalog.js";
import { reconcileUpsertConfigGroup } from "./companion/upsert-config-group.js";
import { reconcileUpsertProduct } from "./companion/upsert-product.js";
import { reconcileUpsertProductGroup } from "./companion/upsert-product-group.js";
import { getCurrencies } from "./get-currencies.js";
import { getPaymentMethods } from "./get-payment-methods.js";
import { getProducts } from "./get-products.js";
import type { ActionDef } from "./types.js";
import { whmcsDetails } from "./whmcs-details.js";

export type { ActionContext, ActionDef, ActionHandler, RequestInfo } from "./types.js";

const ALL: readonly ActionDef[] = [
  getProducts,
  addProduct,
  getCurrencies,
  getPaymentMethods,
  whmcsDetails,
  reconcileGetCatalog,
  reconcileUpsertProductGroup,
  reconcileUpsertProduct,
  reconcileUpsertConfigGroup,
];

/** Every action the sandbox serves, by lowercase name (WHMCS matches names case-insensitively). */
export const ACTIONS: ReadonlyMap<string, ActionDef> = new Map(ALL.map((a) => [a.name.toLowerCase(), a]));

/** Lowercase names of every action, core and companion: what a full-access API role lists. */
export function allActionNames(): string[] {
  return [...ACTIONS.keys()];
}
