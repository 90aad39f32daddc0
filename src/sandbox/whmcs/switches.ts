import { WhmcsSandboxError } from "./errors.js";

export type ResponseType = "json" | "xml" | "nvp";

/**
 * Behaviours the reference marks [unconfirmed] (whmcs-api.md §6 "Switch list"), plus the
 * companion flag. Defaults follow the reference; flip them to test a client against the other
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
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  return merged;
}
