import type { Cycle } from "../../core/cycles.js";
import type { Money } from "../../core/money.js";

/**
 * Typed records of WHMCS's client, order and service actions. Ids are canonical decimal
 * strings, amounts canonical money, cycles and statuses canonical enums; secrets the API
 * returns (service passwords) are never kept.
 */

/** A service's billing cycle: a recurring cycle, or the one-time / free pay types. */
export type ServiceCycle = Cycle | "onetime" | "free";

/** `tblhosting.domainstatus`, lower case. */
export const SERVICE_STATUSES = ["pending", "active", "suspended", "terminated", "cancelled", "fraud", "completed"] as const;
export type ServiceStatus = (typeof SERVICE_STATUSES)[number];

/** `tblclients.status`, lower case. */
export const CLIENT_STATUSES = ["active", "inactive", "closed"] as const;
export type ClientStatus = (typeof CLIENT_STATUSES)[number];

/** One entry of `GetClients`. */
export interface WhmcsClientSummary {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly companyName: string;
  /** As stored; compare lower-cased (the natural key of a client). */
  readonly email: string;
  readonly dateCreated: string;
  readonly groupId: string;
  readonly status: ClientStatus;
}

export interface WhmcsClientDetails extends WhmcsClientSummary {
  readonly address1: string;
  readonly address2: string;
  readonly city: string;
  readonly state: string;
  readonly postcode: string;
  readonly country: string;
  readonly phoneNumber: string;
  /** `tblcurrencies.id` of the client's currency; undefined when the response omits it. */
  readonly currencyId: string | undefined;
  readonly currencyCode: string | undefined;
  /** Client custom field values by field id. */
  readonly customFields: Readonly<Record<string, string>>;
}

/** One configurable option value of a service, as `GetClientsProducts` lists it. */
export interface ServiceOptionValue {
  /** `tblproductconfigoptions.id`. */
  readonly id: string;
  /** The option name as returned (may be `key|Label` or the label alone). */
  readonly name: string;
  /** The type word (`dropdown`, `quantity`, …) as returned; words beyond `dropdown` are undocumented. */
  readonly type: string;
  readonly value: string;
}

export interface ServiceCustomFieldValue {
  readonly id: string;
  /** Entity-decoded field name; "" when the response has none. */
  readonly name: string;
  readonly value: string;
}

/** One entry of `GetClientsProducts`. */
export interface WhmcsService {
  readonly id: string;
  readonly clientId: string;
  readonly orderId: string;
  readonly productId: string;
  readonly productName: string;
  readonly groupName: string;
  readonly domain: string;
  /** Quantity of the service itself (8.12+); 1 when not returned. */
  readonly qty: number;
  readonly regDate: string;
  readonly nextDueDate: string;
  /** Display string as stored (`Annually`, `Semi-Annually`, `One-Time`). */
  readonly billingCycleText: string;
  readonly cycle: ServiceCycle;
  readonly status: ServiceStatus;
  readonly paymentMethod: string;
  readonly firstPaymentAmount: Money;
  readonly recurringAmount: Money;
  readonly serverId: string;
  readonly username: string;
  readonly configOptions: readonly ServiceOptionValue[];
  readonly customFields: readonly ServiceCustomFieldValue[];
}

export interface WhmcsOrderLine {
  readonly type: string;
  /** Service id for `type: "product"`. */
  readonly relid: string;
  readonly product: string;
  readonly domain: string;
  readonly billingCycleText: string;
  readonly amount: Money;
  readonly status: string;
}

/** One entry of `GetOrders`. */
export interface WhmcsOrder {
  readonly id: string;
  /** Large random number; kept as a string. */
  readonly orderNumber: string;
  readonly clientId: string;
  readonly date: string;
  readonly amount: Money;
  readonly paymentMethod: string;
  /** Undefined when no invoice was raised (`0`). */
  readonly invoiceId: string | undefined;
  /** `Pending`, `Active`, `Fraud`, `Cancelled` (or a custom status), as returned. */
  readonly status: string;
  readonly paymentStatus: string;
  /** The client's currency as GetOrders shows it: its prefix and suffix ("$", " USD"); "" when absent. */
  readonly currencyPrefix: string;
  readonly currencySuffix: string;
  readonly lines: readonly WhmcsOrderLine[];
}

export interface PaymentMethod {
  /** System name used by `AddOrder paymentmethod`. */
  readonly module: string;
  readonly displayName: string;
}

/**
 * A service in canonical form, for comparison with a desired customer org. Keys of
 * `customFields` are field names, sorted by code unit.
 */
export interface LiveService {
  readonly id: string;
  readonly clientId: string;
  readonly productId: string;
  /** Trimmed and lower-cased: the natural key of the service and of the Zoho org. */
  readonly domain: string;
  readonly cycle: ServiceCycle;
  readonly status: ServiceStatus;
  /** Quantity of the requested quantity option; undefined when none was asked for or the service has none. */
  readonly quantity: number | undefined;
  readonly customFields: Readonly<Record<string, string>>;
}
