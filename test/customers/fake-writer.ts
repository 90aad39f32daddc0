import { productOptionsOf } from "../../src/apply/customers/index.js";
import type { LiveCatalog } from "../../src/model/catalog.js";
import type {
  CustomerClientRef,
  CustomerOrder,
  CustomerServiceUpdate,
  CustomerWriter,
  NewCustomerClient,
  NewZohoOrg,
  ZohoModuleRecord,
  ZohoOrgCreation,
  ZohoOrgFacts,
  ZohoSubscription,
  ZohoSubscriptionTerms,
} from "../../src/model/customer-writer.js";
import { MAILBOXES_OPTION_KEY, RECORD_FIELDS, type CustomerCycle, type CustomerServiceStatus, type LiveCustomerService } from "../../src/model/customers.js";

/*
 * An in-memory CustomerWriter: WHMCS clients, services, orders and invoices, Zoho orgs and
 * subscriptions, in plain maps. Every call is logged by method name; a fault makes one call fail
 * before it changes anything, or after (the change is kept and the caller sees an error, as with a
 * lost answer).
 */

type Method = Exclude<keyof CustomerWriter, "recordModuleRow"> | "recordModuleRow";

interface Fault {
  readonly method: Method;
  readonly phase: "before" | "after";
  readonly error: Error;
  remaining: number;
}

export interface FakeClient {
  readonly id: string;
  readonly email: string;
  readonly currencyId: string | undefined;
  readonly currency: string | undefined;
  readonly noEmail: boolean;
}

export interface FakeService {
  id: string;
  clientId: string;
  orderId: string;
  productId: string;
  domain: string;
  cycle: CustomerCycle;
  status: CustomerServiceStatus;
  recurringAmount: string;
  /** Option values by config id: quantity, sub-option id, or 1/0. */
  values: Record<string, number>;
  fields: Record<string, string>;
}

export interface FakeOrder {
  readonly id: string;
  readonly order: CustomerOrder;
  status: "pending" | "active";
  readonly invoiceId: string | undefined;
  acceptEmail?: boolean;
}

/** Record fields every service has, by field id. */
const FIELD_IDS: Readonly<Record<string, string>> = { [RECORD_FIELDS.zoid]: "51", [RECORD_FIELDS.superAdmin]: "52", [RECORD_FIELDS.verified]: "53" };

export class FakeCustomerWriter implements CustomerWriter {
  readonly calls: Method[] = [];
  readonly clients: FakeClient[] = [];
  readonly services: FakeService[] = [];
  readonly orders: FakeOrder[] = [];
  readonly invoices: { readonly id: string; readonly clientId: string; readonly amount: string }[] = [];
  readonly updates: CustomerServiceUpdate[] = [];
  readonly zohoOrgs = new Map<string, ZohoOrgFacts & { plan: string }>();
  readonly subscriptions = new Map<string, ZohoSubscriptionTerms>();
  readonly moduleRows: ZohoModuleRecord[] = [];
  /** Currency code by WHMCS id, and the default code. */
  readonly #currencies: ReadonlyMap<string, string>;
  readonly #defaultCurrency: string | undefined;
  #faults: Fault[] = [];
  #seq = 100;
  #zoid = 9000;

  readonly #catalog: LiveCatalog;

  constructor(catalog: LiveCatalog) {
    this.#catalog = catalog;
    this.#currencies = new Map(catalog.currencies.map((c) => [c.id, c.code]));
    this.#defaultCurrency = catalog.currencies.find((c) => c.isDefault)?.code;
  }

  /** The next `times` calls of `method` fail: before they change anything, or after. */
  fail(method: Method, opts: { readonly phase?: "before" | "after"; readonly error?: Error; readonly times?: number } = {}): void {
    this.#faults.push({ method, phase: opts.phase ?? "before", error: opts.error ?? new Error(`${method}: connection reset`), remaining: opts.times ?? 1 });
  }

  /** Method names of the calls that write. */
  writes(): Method[] {
    const reads = new Set<Method>(["findClient", "findServices", "findZohoOrg", "getSubscription"]);
    return this.calls.filter((c) => !reads.has(c));
  }

  #id(): string {
    return String(++this.#seq);
  }

  async #call<T>(method: Method, run: () => T): Promise<T> {
    this.calls.push(method);
    this.#maybeFail(method, "before");
    const value = run();
    this.#maybeFail(method, "after");
    return Promise.resolve(value);
  }

  #maybeFail(method: Method, phase: "before" | "after"): void {
    const fault = this.#faults.find((f) => f.method === method && f.phase === phase && f.remaining > 0);
    if (fault === undefined) return;
    fault.remaining -= 1;
    throw fault.error;
  }

  // --- WHMCS ---------------------------------------------------------------------------------

  findClient(email: string): Promise<CustomerClientRef | undefined> {
    return this.#call("findClient", () => {
      const c = this.clients.find((x) => x.email === email);
      return c === undefined ? undefined : { id: c.id, currency: c.currency };
    });
  }

  addClient(client: NewCustomerClient): Promise<string> {
    return this.#call("addClient", () => {
      if (this.clients.some((c) => c.email === client.email)) throw new Error("The email address entered is not available for use.");
      const id = this.#id();
      const currency = client.currencyId === undefined ? this.#defaultCurrency : this.#currencies.get(client.currencyId);
      this.clients.push({ id, email: client.email, currencyId: client.currencyId, currency, noEmail: client.noEmail });
      return id;
    });
  }

  findServices(query: { readonly clientId: string } | { readonly serviceId: string }, catalog: Pick<LiveCatalog, "configOptionGroups">): Promise<LiveCustomerService[]> {
    return this.#call("findServices", () =>
      this.services.filter((s) => ("clientId" in query ? s.clientId === query.clientId : s.id === query.serviceId)).map((s) => this.#live(s, catalog as LiveCatalog)),
    );
  }

  #live(s: FakeService, catalog: LiveCatalog): LiveCustomerService {
    const options: Record<string, string> = {};
    let mailboxes: number | undefined;
    for (const o of productOptionsOf(catalog, s.productId).values()) {
      const v = s.values[o.configId];
      if (v === undefined) continue;
      if (o.key === MAILBOXES_OPTION_KEY) mailboxes = v;
      else if (o.type === "yesno") options[o.key] = v > 0 ? "yes" : "no";
      else if (o.type !== "quantity") options[o.key] = Object.entries(o.choices).find(([, sub]) => Number(sub) === v)?.[0] ?? `?${v}`;
    }
    const customFields: Record<string, { id: string; value: string }> = {};
    for (const [name, id] of Object.entries(FIELD_IDS)) customFields[name] = { id, value: s.fields[id] ?? "" };
    return {
      id: s.id,
      clientId: s.clientId,
      orderId: s.orderId,
      productId: s.productId,
      domain: s.domain,
      cycle: s.cycle,
      status: s.status,
      mailboxes,
      recurringAmount: s.recurringAmount,
      options,
      customFields,
    };
  }

  addOrder(order: CustomerOrder): Promise<{ orderId: string; serviceId: string; invoiceId: string | undefined }> {
    return this.#call("addOrder", () => {
      if (!this.clients.some((c) => c.id === order.clientId)) throw new Error("Client ID Not Found");
      const orderId = this.#id();
      const serviceId = this.#id();
      const amount = order.item.priceOverride ?? this.#price(order);
      let invoiceId: string | undefined;
      if (!order.noInvoice) {
        invoiceId = this.#id();
        this.invoices.push({ id: invoiceId, clientId: order.clientId, amount });
      }
      this.orders.push({ id: orderId, order, status: "pending", invoiceId });
      this.services.push({
        id: serviceId,
        clientId: order.clientId,
        orderId,
        productId: order.item.productId,
        domain: order.item.domain,
        cycle: order.item.billingCycle,
        status: "pending",
        recurringAmount: amount,
        values: { ...order.item.configOptions },
        fields: {},
      });
      return { orderId, serviceId, invoiceId };
    });
  }

  /** What WHMCS bills for an order without an override: the product's price plus each charged option's, in the client's currency. */
  #price(order: CustomerOrder): string {
    const client = this.clients.find((c) => c.id === order.clientId);
    const currency = client?.currency ?? this.#defaultCurrency ?? "";
    const cycle = order.item.billingCycle === "free" || order.item.billingCycle === "onetime" ? "monthly" : order.item.billingCycle;
    const product = this.#catalog.products.find((p) => p.remoteId === order.item.productId);
    let cents = Math.round(Number(product?.state.pricing[currency]?.[cycle] ?? "0") * 100);
    for (const o of productOptionsOf(this.#catalog, order.item.productId).values()) {
      const v = order.item.configOptions[o.configId] ?? 0;
      const choice = o.type === "quantity" || o.type === "yesno" ? "" : Object.entries(o.choices).find(([, sub]) => Number(sub) === v)?.[0];
      const units = o.type === "quantity" || o.type === "yesno" ? v : 1;
      const unit = choice === undefined ? undefined : o.pricing[choice]?.[currency]?.[cycle];
      if (unit !== undefined) cents += Math.round(Number(unit) * 100) * units;
    }
    return (cents / 100).toFixed(2);
  }

  acceptOrder(orderId: string, options: { readonly sendEmail: boolean }): Promise<"accepted" | "not-pending"> {
    return this.#call("acceptOrder", () => {
      const o = this.orders.find((x) => x.id === orderId);
      if (o === undefined || o.status !== "pending") return "not-pending" as const;
      o.status = "active";
      o.acceptEmail = options.sendEmail;
      for (const s of this.services) if (s.orderId === orderId && s.status === "pending") s.status = "active";
      return "accepted" as const;
    });
  }

  updateService(update: CustomerServiceUpdate): Promise<void> {
    return this.#call("updateService", () => {
      const s = this.services.find((x) => x.id === update.serviceId);
      if (s === undefined) throw new Error("Service ID Not Found");
      this.updates.push(update);
      if (update.productId !== undefined) s.productId = update.productId;
      if (update.billingCycle !== undefined) s.cycle = update.billingCycle;
      if (update.status !== undefined) s.status = update.status;
      if (update.recurringAmount !== undefined) s.recurringAmount = update.recurringAmount;
      for (const [id, v] of Object.entries(update.configOptions ?? {})) s.values[id] = "qty" in v ? v.qty : Number(v.subOptionId);
      for (const [id, v] of Object.entries(update.customFields ?? {})) s.fields[id] = v;
    });
  }

  // --- Zoho ----------------------------------------------------------------------------------

  findZohoOrg(domain: string): Promise<ZohoOrgFacts | undefined> {
    return this.#call("findZohoOrg", () => {
      const o = this.zohoOrgs.get(domain);
      return o === undefined ? undefined : { zoid: o.zoid, superAdmin: o.superAdmin, verified: o.verified, basePlan: o.basePlan };
    });
  }

  createZohoOrg(org: NewZohoOrg): Promise<ZohoOrgCreation> {
    return this.#call("createZohoOrg", () => {
      if (this.zohoOrgs.has(org.domain)) throw new Error("The domain is already associated with an organization");
      const facts = { zoid: String(++this.#zoid), superAdmin: org.superAdmin, verified: false, basePlan: org.plan === "free" ? "free" : "Basic Trial", plan: org.plan };
      this.zohoOrgs.set(org.domain, facts);
      return { outcome: "created" as const, org: { zoid: facts.zoid, superAdmin: facts.superAdmin, verified: false, basePlan: facts.basePlan } };
    });
  }

  enableTrial(zoid: string, trial: string): Promise<void> {
    return this.#call("enableTrial", () => {
      for (const o of this.zohoOrgs.values()) if (o.zoid === zoid) Object.assign(o, { basePlan: "Basic Trial", plan: trial });
    });
  }

  getSubscription(superAdmin: string): Promise<ZohoSubscription> {
    return this.#call("getSubscription", (): ZohoSubscription => {
      const s = this.subscriptions.get(superAdmin);
      return s === undefined
        ? { paid: false }
        : { paid: true, planId: s.planId, payPeriod: s.payPeriod, addons: s.addons.map((a) => ({ id: String(a.id), name: "user", count: a.count })) };
    });
  }

  createSubscription(input: { readonly superAdmin: string; readonly terms: ZohoSubscriptionTerms }): Promise<void> {
    return this.#call("createSubscription", () => {
      if (this.subscriptions.has(input.superAdmin)) throw new Error("already paid");
      this.subscriptions.set(input.superAdmin, input.terms);
    });
  }

  updateSubscription(input: { readonly superAdmin: string; readonly terms: ZohoSubscriptionTerms }): Promise<void> {
    return this.#call("updateSubscription", () => {
      this.subscriptions.set(input.superAdmin, input.terms);
    });
  }

  cancelSubscription(superAdmin: string): Promise<void> {
    return this.#call("cancelSubscription", () => {
      this.subscriptions.delete(superAdmin);
    });
  }

  recordModuleRow = (row: ZohoModuleRecord): Promise<void> =>
    this.#call("recordModuleRow", () => {
      this.moduleRows.push(row);
    });
}
