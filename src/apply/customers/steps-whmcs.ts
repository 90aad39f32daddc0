import type { CustomerClientRef, CustomerServiceUpdate } from "../../model/customer-writer.js";
import { RECORD_FIELDS, REQUIRED_RECORD_FIELD_NAMES, type CustomerBillingState, type LiveCustomerService } from "../../model/customers.js";
import { currencyIdOf, defaultCurrencyOf, mailboxesOptionOf, productOptionsOf } from "./catalog-ids.js";
import { applyError } from "./errors.js";
import { catalogAmount, orderConfigOptions, sameAmount, serviceOptionChanges, type ServiceTerms } from "./order-terms.js";
import type { OrgContext } from "./org-context.js";
import type { ZohoOrgFacts } from "./steps-zoho.js";

/** What the read-only first step found in WHMCS. */
export interface WhmcsSeen {
  readonly client: CustomerClientRef | undefined;
  /** The org's service, when the client exists and has one. */
  readonly service: LiveCustomerService | undefined;
}

/** The plan's billing state of the org; a plan without it was made by another version. */
function billingOf(ctx: OrgContext): CustomerBillingState {
  const billing = (ctx.after as { readonly billing?: CustomerBillingState }).billing;
  if (billing === undefined) {
    throw applyError("apply.customer.no-billing", `the plan carries no billing state for ${ctx.spec.domain}`, "plan again with this version of the tool");
  }
  return billing;
}

/** The terms the service should have after apply: the spec's product, cycle and mailboxes, the plan's options. */
function termsOf(ctx: OrgContext): ServiceTerms {
  return {
    productId: ctx.productId,
    cycle: ctx.spec.billingCycle,
    mailboxes: ctx.spec.mailboxes,
    options: (ctx.after as { readonly options?: Readonly<Record<string, string>> }).options ?? {},
  };
}

const VOID = new Set(["cancelled", "fraud"]);
const IN_USE = new Set(["pending", "active", "suspended"]);

/** The client's service for the org's domain on a managed product, looked up again (never from the plan). */
async function findService(ctx: OrgContext, clientId: string): Promise<LiveCustomerService | undefined> {
  const all = await ctx.writer.findServices({ clientId }, ctx.opts.catalog);
  let candidates = all.filter((s) => ctx.managedPids.has(s.productId) && s.domain === ctx.spec.domain && !VOID.has(s.status));
  const recorded = (s: LiveCustomerService): boolean => (s.customFields[RECORD_FIELDS.zoid]?.value.trim() ?? "") !== "";
  // The same preferences as the plan's matching: the product, then services in use, then a recorded ZOID.
  for (const prefer of [(s: LiveCustomerService) => s.productId === ctx.productId, (s: LiveCustomerService) => IN_USE.has(s.status), recorded]) {
    const kept = candidates.filter(prefer);
    if (candidates.length > 1 && kept.length > 0) candidates = kept;
  }
  if (candidates.length > 1) {
    throw applyError(
      "apply.customer.ambiguous-service",
      `client #${clientId} has several services for ${ctx.spec.domain}: ${candidates.map((s) => `#${s.id}`).join(", ")}`,
      "plan again: the plan reports which services compete",
    );
  }
  return candidates[0];
}

async function reread(ctx: OrgContext, serviceId: string): Promise<LiveCustomerService> {
  const [service] = await ctx.writer.findServices({ serviceId }, ctx.opts.catalog);
  if (service === undefined) throw applyError("apply.customer.service-vanished", `WHMCS service #${serviceId} is gone`);
  return service;
}

/**
 * Step `lookup`, reads only: the client and its service for the domain, and every check that can
 * refuse before anything is written (the catalog ids an order or an update needs, the client's
 * currency), so that a refusal never follows a Zoho purchase.
 */
export async function lookUp(ctx: OrgContext): Promise<WhmcsSeen> {
  const client = await ctx.writer.findClient(ctx.spec.client.email);
  const service = client === undefined ? undefined : await findService(ctx, client.id);
  if (ctx.spec.status !== "terminated") {
    const billing = billingOf(ctx);
    mailboxesOptionOf(ctx.opts.catalog, ctx.productId);
    orderConfigOptions(productOptionsOf(ctx.opts.catalog, ctx.productId), termsOf(ctx));
    if (client === undefined) currencyIdOf(ctx.opts.catalog, billing.currency);
    const own = client?.currency;
    if (own !== undefined && billing.currency !== null && own.toUpperCase() !== billing.currency.toUpperCase()) {
      throw applyError(
        "apply.customer.currency-mismatch",
        `WHMCS client #${client?.id ?? ""} (${ctx.spec.client.email}) pays in ${own}, the plan priced ${ctx.spec.domain} in ${billing.currency}`,
        "plan again: the plan prices an existing client's services in the client's currency",
      );
    }
  }
  return { client, service };
}

/**
 * Step `client`: the client found by `lookup`, else looked up again and created (with the plan's
 * currency, without WHMCS's welcome e-mail unless order e-mails are on). Orgs of one client run
 * this one at a time (`ctx.clientLock`), so two of them never both create it. Undefined only for
 * a terminated org whose client does not exist.
 */
export async function ensureClient(ctx: OrgContext, seen: WhmcsSeen): Promise<{ readonly client: CustomerClientRef; readonly created: boolean } | undefined> {
  if (seen.client !== undefined) return { client: seen.client, created: false };
  if (ctx.spec.status === "terminated") return undefined;
  const c = ctx.spec.client;
  return ctx.clientLock(c.email, async () => {
    const found = await ctx.writer.findClient(c.email);
    if (found !== undefined) return { client: found, created: false };
    const currency = billingOf(ctx).currency;
    const id = await ctx.writer.addClient({
      email: c.email,
      firstName: c.firstName,
      lastName: c.lastName,
      company: c.company,
      address: c.address,
      phone: c.phone,
      currencyId: currencyIdOf(ctx.opts.catalog, currency),
      noEmail: !ctx.opts.orders.emails,
    });
    ctx.wrote("client", `created WHMCS client #${id} ${c.email}${currency !== null ? ` (${currency})` : ""}`, id);
    return { client: { id, currency: currency ?? defaultCurrencyOf(ctx.opts.catalog) }, created: true };
  });
}

/** Accepts a Pending order (no module call); an order someone else accepted meanwhile is fine. */
async function accept(ctx: OrgContext, orderId: string): Promise<void> {
  const outcome = await ctx.writer.acceptOrder(orderId, { sendEmail: ctx.opts.orders.emails });
  if (outcome === "accepted") ctx.wrote("service", `accepted order #${orderId}`, orderId);
  else ctx.log.info({ orderId }, "order was no longer pending");
}

/**
 * A new service: AddOrder with the mailbox quantity and every option's choice, billed at the
 * plan's amount (a price override when it differs from what WHMCS would compute from the catalog,
 * and always for free and trial orgs, which bill 0.00 and raise no invoice), then AcceptOrder.
 */
async function placeOrder(ctx: OrgContext, client: CustomerClientRef): Promise<LiveCustomerService> {
  const billing = billingOf(ctx);
  const terms = termsOf(ctx);
  const options = productOptionsOf(ctx.opts.catalog, ctx.productId);
  const unpaid = ctx.spec.plan.type !== "paid";
  const currency = client.currency ?? billing.currency ?? defaultCurrencyOf(ctx.opts.catalog);
  const computed = catalogAmount(ctx.opts.catalog, options, terms, currency);
  const override = unpaid || computed === undefined || !sameAmount(computed, billing.recurringAmount) ? billing.recurringAmount : undefined;
  const emails = ctx.opts.orders.emails;
  const order = await ctx.writer.addOrder({
    clientId: client.id,
    paymentMethod: ctx.opts.paymentMethod,
    item: {
      productId: ctx.productId,
      billingCycle: terms.cycle,
      domain: ctx.spec.domain,
      configOptions: orderConfigOptions(options, terms),
      ...(override !== undefined ? { priceOverride: override } : {}),
    },
    noInvoice: unpaid || !ctx.opts.orders.invoice,
    noInvoiceEmail: !emails,
    noEmail: !emails,
  });
  const billed = `${billing.recurringAmount}${currency !== undefined ? ` ${currency}` : ""}${override !== undefined ? " (price override)" : ""}`;
  const invoice = order.invoiceId !== undefined ? `invoice #${order.invoiceId}` : "no invoice";
  ctx.wrote("service", `ordered service #${order.serviceId} (order #${order.orderId}, ${billed}, ${invoice})`, order.serviceId);
  await accept(ctx, order.orderId);
  return reread(ctx, order.serviceId);
}

/**
 * Step `service`: the service `lookup` found, else ordered. A Pending service is accepted.
 * Undefined only for a terminated org that has no service: there is nothing to terminate.
 */
export async function ensureService(ctx: OrgContext, owner: { readonly client: CustomerClientRef; readonly created: boolean }, seen: WhmcsSeen): Promise<LiveCustomerService | undefined> {
  // A client another org of this run created has no service for this domain; one found late may.
  const found = seen.service ?? (owner.created || seen.client !== undefined ? undefined : await findService(ctx, owner.client.id));
  if (found === undefined) {
    if (ctx.spec.status === "terminated") return undefined;
    return placeOrder(ctx, owner.client);
  }
  if (found.status === "pending" && ctx.spec.status !== "terminated") {
    await accept(ctx, found.orderId);
    return reread(ctx, found.id);
  }
  return found;
}

/**
 * Step `whmcs-service`: product, billing cycle, mailbox quantity, changed options and the
 * recurring amount, in one UpdateClientProduct with absolute values. The amount is the plan's,
 * sent whenever it differs from the service's: WHMCS never recomputes it (that would reprice the
 * whole service from the catalog when only a quantity changes).
 */
export async function syncServiceTerms(ctx: OrgContext, service: LiveCustomerService): Promise<LiveCustomerService> {
  if (ctx.spec.status === "terminated") return service;
  const billing = billingOf(ctx);
  const terms = termsOf(ctx);
  const moved = service.productId !== ctx.productId;
  const options = serviceOptionChanges(productOptionsOf(ctx.opts.catalog, ctx.productId), terms, { mailboxes: service.mailboxes, options: service.options ?? {}, moved });
  const reprice = !sameAmount(service.recurringAmount ?? "0.00", billing.recurringAmount);
  const update: CustomerServiceUpdate = {
    serviceId: service.id,
    ...(moved ? { productId: ctx.productId } : {}),
    ...(service.cycle !== terms.cycle ? { billingCycle: terms.cycle } : {}),
    ...(Object.keys(options).length > 0 ? { configOptions: options } : {}),
    ...(reprice ? { recurringAmount: billing.recurringAmount } : {}),
  };
  if (Object.keys(update).length === 1) return service;
  await ctx.writer.updateService(update);
  const parts = [
    moved ? `product #${ctx.productId}` : "",
    update.billingCycle ?? "",
    service.mailboxes !== terms.mailboxes || moved ? `${terms.mailboxes} mailboxes` : "",
    ...Object.entries(terms.options).filter(([k, v]) => moved || service.options?.[k] !== v).map(([k, v]) => `${k} ${v}`),
    reprice ? `recurring amount ${service.recurringAmount} → ${billing.recurringAmount}` : "",
  ].filter((p) => p !== "");
  ctx.wrote("whmcs-service", `service #${service.id}: ${parts.join(", ")}`, service.id);
  return reread(ctx, service.id);
}

/**
 * Step `records`: ZOID, super admin and verification state into the service's custom fields, and
 * with the `db` backend the `zoho_mail` module's row. The fields must exist on the product (the
 * catalog apply creates them on managed products).
 */
export async function writeRecords(ctx: OrgContext, service: LiveCustomerService, org: ZohoOrgFacts): Promise<void> {
  const missing = REQUIRED_RECORD_FIELD_NAMES.filter((n) => service.customFields[n] === undefined);
  if (missing.length > 0) {
    throw applyError(
      "apply.customer.no-record-fields",
      `WHMCS service #${service.id} (product #${service.productId}) has no custom field ${missing.map((m) => JSON.stringify(m)).join(", ")}`,
      "apply the catalog with the companion or db backend (it adds the fields to managed products), or add them by hand as admin-only text fields",
    );
  }
  const want: [string, string][] = [
    [RECORD_FIELDS.zoid, org.zoid],
    [RECORD_FIELDS.superAdmin, org.superAdmin],
    [RECORD_FIELDS.verified, String(org.verified)],
  ];
  const code = await verificationCodeOf(ctx, service, org);
  if (code !== undefined) want.push([RECORD_FIELDS.verificationCode, code]);
  const changes: Record<string, string> = {};
  for (const [name, value] of want) {
    const field = service.customFields[name];
    if (field !== undefined && field.value.trim() !== value) changes[field.id] = value;
  }
  if (Object.keys(changes).length > 0) {
    await ctx.writer.updateService({ serviceId: service.id, customFields: changes });
    ctx.wrote("records", `service #${service.id}: ZOID ${org.zoid}, super admin ${org.superAdmin}, verified ${org.verified}${code !== undefined && changes[service.customFields[RECORD_FIELDS.verificationCode]?.id ?? ""] !== undefined ? `, verification code ${code}` : ""}`, service.id);
  }
  await ctx.writer.recordModuleRow?.({ domain: ctx.spec.domain, zoid: org.zoid, superAdmin: org.superAdmin, verified: org.verified });
}

/**
 * The verification code to record with an unverified org, so plans need not ask Zoho for it: the
 * plan's (read while planning), else, for an org this run created, Zoho's (`getDomain`, one call).
 * Nothing when the domain is verified, the product lacks the field, or the code is recorded.
 */
async function verificationCodeOf(ctx: OrgContext, service: LiveCustomerService, org: ZohoOrgFacts): Promise<string | undefined> {
  const field = service.customFields[RECORD_FIELDS.verificationCode];
  if (org.verified || field === undefined) return undefined;
  const planned = ctx.after.records.verificationCode;
  if (planned !== undefined) return planned;
  if (field.value.trim() !== "") return undefined;
  return (await ctx.writer.verificationCode?.(org.zoid, ctx.spec.domain))?.trim() || undefined;
}

/** Step `status` (UpdateClientProduct: the zoho_mail module has no suspend or terminate function). */
export async function syncStatus(ctx: OrgContext, service: LiveCustomerService): Promise<void> {
  if (service.status === ctx.spec.status) return;
  await ctx.writer.updateService({ serviceId: service.id, status: ctx.spec.status });
  ctx.wrote("status", `service #${service.id}: ${service.status} → ${ctx.spec.status}`, service.id);
}
