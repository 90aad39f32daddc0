import { WhmcsSandboxError } from "./errors.js";

export type ResponseType = "json" | "xml" | "nvp";

/**
 * Behaviours docs/whmcs.md#confidence-and-sources marks unconfirmed (docs/whmcs.md#emulator-switches),
 * plus the companion flag. Defaults follow the most likely reading; flip them to test a client
 * against the other
 * reading. The object is mutable at runtime: the server reads it on every request.
 */
export interface WhmcsSwitches {
  /** Serve the non-core `Reconcile*` companion actions. Off: they answer like any unknown action. */
  companion: boolean;
  /** Accept `GET` requests (pure GET to api.php is [unconfirmed]); off answers 405. */
  allowGet: boolean;
  /** Merge query-string parameters under the body, like PHP `$_REQUEST` (body wins). */
  readQueryString: boolean;
  /** Response format when `responsetype` is missing or unknown. */
  defaultResponseType: ResponseType;
  /** HTTP status of `Authentication Failed`. */
  authFailureStatus: number;
  /** HTTP status of `Invalid Permissions: API action "…" is not allowed`. */
  permissionDeniedStatus: number;
  /** Text and status of the unknown-action error. */
  unknownActionMessage: string;
  unknownActionStatus: number;
  /** Whether an unknown action is reported before or after the role check. */
  unknownActionCheck: "before-permissions" | "after-permissions";
  /** Prefix of the IP allow-list rejection (`Invalid IP 1.2.3.4` or `Forbidden IP 1.2.3.4`). */
  ipDeniedMessage: "Invalid IP" | "Forbidden IP";
  /** GetProducts key of the product URL: the documented example says `product-url`, the changelog `product_url`. */
  productUrlKey: "product-url" | "product_url";
  /** GetProducts also returns `startnumber`/`numreturned` (listed in the response table, absent from the example). */
  getProductsPagingFields: boolean;
  /** GetProducts ordering: group order then product order, or plain product id. */
  getProductsOrder: "group-then-product" | "id";
  /** Price stored by AddProduct for a recurring cycle the request leaves out. Setup fees default to "0.00". */
  addProductMissingCycle: "-1.00" | "0.00";
  /** Highest `configoptionN` AddProduct stores (documented: 1..6; the table has 1..24). */
  addProductMaxConfigOption: 6 | 24;
  /** Stored when AddProduct gets no `type` / no `paytype` (both optional, default undocumented). */
  addProductDefaultType: "hostingaccount" | "reselleraccount" | "server" | "other";
  addProductDefaultPayType: "free" | "onetime" | "recurring";
  /** AddProduct stores name/description HTML-entity encoded, like admin input sanitising may. */
  htmlEntityEncodeInput: boolean;
  /**
   * Boolean parameters: `lenient` accepts 1/0/true/false/on/off/yes/no/"" (anything else is an
   * error); `php-cast` is PHP's `(bool)` cast ("" and "0" false, everything else true).
   */
  booleans: "lenient" | "php-cast";
  /** PHP `max_input_vars`: variables beyond this count are dropped (default PHP setting 1000). */
  maxInputVars: number;
  /** PHP `post_max_size` in bytes: a larger body leaves `$_POST` empty. */
  postMaxSize: number;

  /** Content type of `responsetype=xml` answers, errors included. */
  xmlContentType: string;
  /**
   * AddClient's `owner_id` (the owner user's id, WHMCS 8+; absent from the documented example,
   * its JSON type unconfirmed): a number, a numeric string, or left out as in the example.
   */
  addClientOwnerId: "number" | "string" | "omit";
  /** AddClient's answer for an e-mail a client already uses (both texts are documented). */
  addClientDuplicateEmail: "not-available" | "user-exists";
  /** GetClients order when `orderby` is absent or not one of the documented columns. */
  getClientsDefaultOrderBy: "id" | "lastname";
  /** GetOrders order: newest first or oldest first. */
  getOrdersOrder: "desc" | "asc";
  /** AddOrder given a scalar where an array is expected (`pid=1`): the documented error, or read it as one item. */
  addOrderScalarArrays: "reject" | "accept";
  /**
   * AddOrder for a cycle the product has no price for (`-1.00`) and no `priceoverride[]`:
   * refused with WHMCS's "Invalid Billing Cycle Requested" (the wording WHMCS uses for an
   * unpriced cycle, seen on UpgradeProduct; AddOrder's own wording is unconfirmed), or accepted
   * at 0.00. With a `priceoverride[]` the order is always accepted at the override.
   */
  addOrderUnpricedCycle: "reject" | "accept-zero";
  /** AddOrder also answers the pre-7.8 `productids` (same value as `serviceids`). */
  addOrderProductIds: boolean;
  /**
   * A quantity outside `qtyminimum..qtymaximum` (max 0 = unlimited): stored as the minimum
   * (the one report, WHMCS/developer-docs#126), refused, or stored as sent.
   */
  quantityOutOfRange: "clamp-to-min" | "reject" | "accept";
  /** How a yes/no option is stored: `qty` 1/0 with its sub-option id, or the sub-option id only when ticked. */
  yesNoStorage: "qty" | "optionid";
  /** `tblhosting.billingcycle` display strings per cycle key (`onetime`, `free` included). */
  billingCycleDisplay: Readonly<Record<string, string>>;
  /** GetClientsProducts `configoption[].type` word per `optiontype` code. */
  clientsProductsOptionTypes: Readonly<Record<string, string>>;
  /** GetClientsProducts `value` of a quantity option: `"10"`, `10`, or `"10 x Mailbox"`. */
  clientsProductsQuantityValue: "string" | "number" | "qty-x-name";
  /** GetClientsProducts `customfield[]` entries: `{id,name,translated_name,value}` or `{id,value}`. */
  clientsProductsCustomField: "full" | "id-value";
  /** GetClientsProducts `ordernumber` on services whose order exists (the docs show it on one item only). */
  clientsProductsOrderNumber: boolean;
  /** Service status AcceptOrder sets when it runs no module command. */
  acceptOrderServiceStatus: "Active" | "Pending";
  /** Answer when a module lacks the lifecycle function a command needs. */
  unsupportedFunctionMessage: string;
  /** Answer when ModuleCustom names a function the module does not have. */
  customFunctionMissingMessage: string;
  /**
   * UpgradeProduct `price`: formatted with the client currency's prefix and suffix, sign
   * included (`"$-8.67 USD"`, as in the documented example), or a plain decimal (`"-8.67"`).
   */
  upgradePriceFormat: "formatted" | "plain";
  /** A module function returning an array (zoho_mail's `buttonOneFunction`): success, or an error reading `Array` as PHP prints it. */
  moduleArrayResult: "success" | "error";
}

export const DEFAULT_SWITCHES: Readonly<WhmcsSwitches> = Object.freeze({
  companion: false,
  allowGet: false,
  readQueryString: true,
  defaultResponseType: "nvp",
  authFailureStatus: 403,
  permissionDeniedStatus: 200,
  unknownActionMessage: "The requested API Action could not be found.",
  unknownActionStatus: 200,
  unknownActionCheck: "before-permissions",
  ipDeniedMessage: "Invalid IP",
  productUrlKey: "product-url",
  getProductsPagingFields: false,
  getProductsOrder: "group-then-product",
  addProductMissingCycle: "-1.00",
  addProductMaxConfigOption: 6,
  addProductDefaultType: "other",
  addProductDefaultPayType: "recurring",
  htmlEntityEncodeInput: false,
  booleans: "lenient",
  maxInputVars: 1000,
  postMaxSize: 8 * 1024 * 1024,
  xmlContentType: "application/xml; charset=utf-8",
  addClientOwnerId: "number",
  addClientDuplicateEmail: "not-available",
  getClientsDefaultOrderBy: "id",
  getOrdersOrder: "desc",
  addOrderScalarArrays: "reject",
  addOrderUnpricedCycle: "reject",
  addOrderProductIds: false,
  quantityOutOfRange: "clamp-to-min",
  yesNoStorage: "qty",
  billingCycleDisplay: Object.freeze({
    monthly: "Monthly",
    quarterly: "Quarterly",
    semiannually: "Semi-Annually",
    annually: "Annually",
    biennially: "Biennially",
    triennially: "Triennially",
    onetime: "One-Time",
    free: "Free Account",
  }),
  clientsProductsOptionTypes: Object.freeze({ "1": "dropdown", "2": "radio", "3": "yesno", "4": "quantity" }),
  clientsProductsQuantityValue: "string",
  clientsProductsCustomField: "full",
  clientsProductsOrderNumber: true,
  acceptOrderServiceStatus: "Active",
  unsupportedFunctionMessage: "Function Not Supported by Module",
  customFunctionMissingMessage: "Function not found",
  moduleArrayResult: "success",
  upgradePriceFormat: "formatted",
});

const KNOWN = new Set(Object.keys(DEFAULT_SWITCHES));

/** Defaults overlaid with `overrides`; an unknown switch name is a typed error, not silently ignored. */
export function resolveSwitches(overrides: Partial<WhmcsSwitches> = {}): WhmcsSwitches {
  for (const key of Object.keys(overrides)) {
    if (!KNOWN.has(key)) {
      throw new WhmcsSandboxError("switch.unknown", `unknown WHMCS sandbox switch "${key}"`, {
        hint: `known switches: ${[...KNOWN].join(", ")}`,
      });
    }
  }
  const merged: WhmcsSwitches = { ...DEFAULT_SWITCHES };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const base = (DEFAULT_SWITCHES as unknown as Record<string, unknown>)[key];
    // Map-valued switches take the entries given and keep the defaults for the rest.
    const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
    (merged as unknown as Record<string, unknown>)[key] = isMap(base) && isMap(value) ? { ...base, ...value } : value;
  }
  return merged;
}
