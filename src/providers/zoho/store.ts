import type { ZohoPayPeriod, ZohoPlanEntry } from "../../model/config.js";
import type { ZohoClient } from "./client.js";
import { ZohoApiError, ZohoInputError } from "./errors.js";
import { asCount, asString, idString, isRecord } from "./json.js";

/**
 * Typed Zoho Store operations. The reseller write API is keyed by (serviceid 1501, the org's
 * super-admin email); PUT always carries the full desired state
 * (docs/zoho.md#store-subscription-api, #store-partner-listings).
 */
export const MAIL_SERVICE_ID = 1501;

export interface AddonCount {
  readonly id: number;
  readonly count: number;
}

export interface SubscriptionSpec {
  readonly planId: number;
  readonly payPeriod: ZohoPayPeriod;
  /** Every add-on with its count: user licences and storage. */
  readonly addons: readonly AddonCount[];
}

export interface StoreCustomer {
  readonly companyName?: string;
  readonly street?: string;
  readonly city?: string;
  readonly state?: string;
  /** ISO 3166 alpha-2 code or full English name; Zoho wants the full name. */
  readonly country: string;
  readonly zipcode?: string;
  readonly phone?: string;
}

export interface SubscriptionWriteResult {
  readonly customId: string | undefined;
  readonly profileId: string | undefined;
}

export interface SubscriptionAddon {
  readonly id: string | undefined;
  readonly name: string;
  readonly count: number;
}

export type SubscriptionState =
  | { readonly paid: false }
  | {
      readonly paid: true;
      readonly planId: number | undefined;
      readonly planName: string | undefined;
      readonly payPeriod: ZohoPayPeriod | undefined;
      readonly addons: readonly SubscriptionAddon[];
    };

export interface PartnerSubscription {
  readonly profileId: string | undefined;
  readonly email: string;
  /** Equals the Mail zoid. */
  readonly orgId: string | undefined;
  readonly serviceName: string | undefined;
  /** `null` for free customers. */
  readonly planName: string | null;
  /** Present only if Zoho includes it; the documented listing carries the name alone. */
  readonly planId: number | undefined;
  readonly addons: readonly { readonly name: string; readonly value: number }[];
  readonly billingFrequency: ZohoPayPeriod | undefined;
  readonly country: string | undefined;
}

export interface StoreApiOptions {
  /** The configured plan catalogue; when given, plan ids and pay periods are checked before any call. */
  readonly plans?: Readonly<Record<string, ZohoPlanEntry>>;
}

const DOCUMENTED_PAGE_SIZE = 200;
const PERIOD_CODE: Readonly<Record<ZohoPayPeriod, "YEAR" | "MONT">> = { yearly: "YEAR", monthly: "MONT" };
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function periodFromCode(v: unknown): ZohoPayPeriod | undefined {
  return v === "YEAR" ? "yearly" : v === "MONT" ? "monthly" : undefined;
}

function periodFromListing(v: unknown): ZohoPayPeriod | undefined {
  const s = typeof v === "string" ? v.toLowerCase() : "";
  return s === "yearly" || s === "monthly" ? s : undefined;
}

function checkEmail(email: string): string {
  if (!EMAIL_RE.test(email)) throw new ZohoInputError(`not an email address: ${JSON.stringify(email)}`);
  return email;
}

let regionNames: Intl.DisplayNames | undefined;

/** Full English country name for an ISO alpha-2 code; anything else is passed through. */
export function countryName(country: string): string {
  const c = country.trim();
  if (!/^[A-Za-z]{2}$/.test(c)) return c;
  regionNames ??= new Intl.DisplayNames(["en"], { type: "region" });
  try {
    return regionNames.of(c.toUpperCase()) ?? c;
  } catch {
    return c;
  }
}

function protocol(operation: string, what: string): ZohoApiError {
  return new ZohoApiError("protocol", `Zoho Store ${operation}: ${what}`, { service: "store", operation, httpStatus: 200 });
}

export class ZohoStoreApi {
  readonly #c: ZohoClient;
  readonly #plans: Readonly<Record<string, ZohoPlanEntry>> | undefined;

  constructor(client: ZohoClient, opts: StoreApiOptions = {}) {
    this.#c = client;
    this.#plans = opts.plans;
  }

  #subscription(spec: SubscriptionSpec): Record<string, unknown> {
    if (!Number.isSafeInteger(spec.planId) || spec.planId <= 0) throw new ZohoInputError(`plan id must be a positive integer, got ${spec.planId}`);
    const code = PERIOD_CODE[spec.payPeriod];
    if (code === undefined) throw new ZohoInputError(`pay period must be monthly or yearly, got ${JSON.stringify(spec.payPeriod)}`);
    const ids = new Set<number>();
    for (const a of spec.addons) {
      if (!Number.isSafeInteger(a.id) || a.id <= 0) throw new ZohoInputError(`add-on id must be a positive integer, got ${a.id}`);
      if (!Number.isSafeInteger(a.count) || a.count < 0) throw new ZohoInputError(`add-on ${a.id} count must be a whole number ≥ 0, got ${a.count}`);
      if (ids.has(a.id)) throw new ZohoInputError(`add-on ${a.id} listed twice`);
      ids.add(a.id);
    }
    if (this.#plans) {
      const entry = Object.entries(this.#plans).find(([, p]) => p.planId === spec.planId);
      if (!entry) throw new ZohoInputError(`plan id ${spec.planId} is not in zoho.plans`);
      if (!entry[1].payPeriods.includes(spec.payPeriod)) {
        throw new ZohoInputError(`plan ${entry[0]} (${spec.planId}) is not sold ${spec.payPeriod}; zoho.plans allows ${entry[1].payPeriods.join(", ")}`);
      }
    }
    return { plan: spec.planId, addons: spec.addons.map((a) => ({ id: a.id, count: a.count })), payperiod: code };
  }

  #writeResult(body: Record<string, unknown>): SubscriptionWriteResult {
    const ld = isRecord(body["licensedetails"]) ? body["licensedetails"] : {};
    return { customId: idString(body["customid"]), profileId: idString(ld["profileid"]) };
  }

  /** Free (or trial) → paid. The org must exist in Mail first; `customer` is required here only. */
  async createSubscription(input: { readonly email: string; readonly customer: StoreCustomer; readonly subscription: SubscriptionSpec }): Promise<SubscriptionWriteResult> {
    const c = input.customer;
    const customer: Record<string, string> = { country: countryName(c.country) };
    if (c.companyName !== undefined) customer["companyname"] = c.companyName;
    if (c.street !== undefined) customer["street"] = c.street;
    if (c.city !== undefined) customer["city"] = c.city;
    if (c.state !== undefined) customer["state"] = c.state;
    if (c.zipcode !== undefined) customer["zipcode"] = c.zipcode;
    if (c.phone !== undefined) customer["phone"] = c.phone;
    const payload = {
      serviceid: MAIL_SERVICE_ID,
      email: checkEmail(input.email),
      customer,
      subscription: this.#subscription(input.subscription),
    };
    const res = await this.#c.store("POST", payload, "createSubscription");
    return this.#writeResult(res.body);
  }

  /**
   * Replace plan, pay period and every add-on count. With `currentPayPeriod`, a yearly → monthly
   * switch is refused before calling (Zoho's own module never offers it).
   */
  async updateSubscription(input: {
    readonly email: string;
    readonly subscription: SubscriptionSpec;
    readonly currentPayPeriod?: ZohoPayPeriod;
  }): Promise<SubscriptionWriteResult> {
    if (input.currentPayPeriod === "yearly" && input.subscription.payPeriod === "monthly") {
      throw new ZohoInputError(`${input.email}: a yearly subscription cannot be switched to monthly`);
    }
    const payload = { serviceid: MAIL_SERVICE_ID, email: checkEmail(input.email), subscription: this.#subscription(input.subscription) };
    const res = await this.#c.store("PUT", payload, "updateSubscription");
    return this.#writeResult(res.body);
  }

  async getSubscription(email: string): Promise<SubscriptionState> {
    const res = await this.#c.store("GET", { serviceid: MAIL_SERVICE_ID, email: checkEmail(email) }, "getSubscription");
    const ld = res.body["licensedetails"];
    if (!isRecord(ld)) throw protocol("getSubscription", "no licensedetails in the answer");
    const paid = ld["paiduser"] === true || ld["paiduser"] === "true";
    if (!paid) return { paid: false };
    const addons = Array.isArray(ld["addondetails"]) ? ld["addondetails"] : [];
    const planId = idString(ld["planid"]);
    return {
      paid: true,
      planId: planId !== undefined ? Number(planId) : undefined,
      planName: asString(ld["planname"]),
      payPeriod: periodFromCode(ld["payperiod"]),
      addons: addons.filter(isRecord).map((a) => ({
        id: idString(a["addonid"]),
        name: asString(a["addonname"]) ?? "",
        count: asCount(a["addonvalue"]) ?? 0,
      })),
    };
  }

  /** Paid → free. There is no suspension in Zoho's partner APIs. */
  async cancelSubscription(email: string, comment: string): Promise<void> {
    await this.#c.store("DELETE", { serviceid: MAIL_SERVICE_ID, email: checkEmail(email), comment }, "cancelSubscription");
  }

  /**
   * Every row of the partner subscription listing, page by page (`page`, `per_page`). Stops at a
   * total from the paging headers when one is present (`X-Total-Count`: the header names are
   * unconfirmed), at a short page, or at an empty one; a server that ignores paging (longer page,
   * or the same page again) ends the loop too.
   */
  async *partnerSubscriptionPages(opts: { readonly pageSize?: number } = {}): AsyncGenerator<readonly PartnerSubscription[]> {
    const perPage = opts.pageSize ?? 200;
    if (!Number.isInteger(perPage) || perPage < 1) throw new ZohoInputError(`pageSize must be a positive integer, got ${perPage}`);
    let fetched = 0;
    let firstOfPrevious: string | undefined;
    for (let page = 1; ; page++) {
      const res = await this.#c.storeList("/api/v1/partner/subscriptions", { page, per_page: perPage }, "listPartnerSubscriptions");
      const json = res.json;
      const rows = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json["subscriptions"]) ? json["subscriptions"] : undefined;
      if (rows === undefined) throw protocol("listPartnerSubscriptions", "neither an array nor {subscriptions:[…]}");
      const items = rows.filter(isRecord).map(partnerRow);
      if (items.length === 0) return;
      const first = items[0] ? `${items[0].orgId ?? ""}|${items[0].email}` : undefined;
      if (page > 1 && first === firstOfPrevious) return;
      yield items;
      fetched += items.length;
      const total = asCount(res.headers.get("x-total-count"));
      if (items.length > perPage || (total !== undefined && fetched >= total)) return;
      // 200 is the documented page size, so a shorter page than asked (up to 200) is the last one.
      if (items.length < perPage && perPage <= DOCUMENTED_PAGE_SIZE) return;
      firstOfPrevious = first;
    }
  }

  async listPartnerSubscriptions(opts: { readonly pageSize?: number } = {}): Promise<PartnerSubscription[]> {
    const all: PartnerSubscription[] = [];
    for await (const page of this.partnerSubscriptionPages(opts)) all.push(...page);
    return all;
  }
}

function partnerRow(r: Record<string, unknown>): PartnerSubscription {
  const addr = isRecord(r["customer_address"]) ? r["customer_address"] : {};
  const addons = Array.isArray(r["addons"]) ? r["addons"].filter(isRecord) : [];
  const planId = idString(r["plan_id"]);
  return {
    profileId: idString(r["profile_id"]),
    email: (asString(r["email_id"]) ?? "").toLowerCase(),
    orgId: idString(r["org_id"]),
    serviceName: asString(r["service_name"]),
    planName: asString(r["plan_name"]) ?? null,
    planId: planId !== undefined && /^\d{1,15}$/.test(planId) ? Number(planId) : undefined,
    addons: addons.map((a) => ({ name: asString(a["addon_name"]) ?? "", value: asCount(a["value"]) ?? 0 })),
    billingFrequency: periodFromListing(r["billing_frequency"]),
    country: asString(addr["country"]),
  };
}
