import { retry } from "../../core/retry.js";
import { MAILBOXES_OPTION_KEY, RECORD_FIELDS, RECORD_FIELD_NAMES } from "../../model/customers.js";
import {
  acceptOrder,
  addClient,
  addOrder,
  findClientByEmail,
  getServices,
  liveServiceFrom,
  quantityOptionRef,
  updateService,
  WhmcsApiError,
  whmcsRetryDecision,
  type UpdateServiceInput,
  type WhmcsService,
} from "../../providers/whmcs/index.js";
import { mailboxesOptionOf } from "./catalog-ids.js";
import { applyError } from "./errors.js";
import type { OrgContext } from "./org-context.js";
import type { ZohoOrgFacts } from "./steps-zoho.js";

/** An exact lookup (GetClientsDetails by email): one call, where a GetClients search scans prefixes. */
async function findClient(ctx: OrgContext, email: string): Promise<string | undefined> {
  const found = await findClientByEmail(ctx.opts.whmcs, email);
  return found === undefined ? undefined : found.id;
}

/**
 * Step 1: the client with the org's email, looked up by that email, else created. Orgs of one client
 * run this one at a time (`ctx.clientLock`), so two of them never both create it.
 */
export async function ensureClient(ctx: OrgContext): Promise<string> {
  const c = ctx.spec.client;
  return ctx.clientLock(c.email, async () => (await findClient(ctx, c.email)) ?? createClient(ctx));
}

async function createClient(ctx: OrgContext): Promise<string> {
  const c = ctx.spec.client;
  const { clientId } = await addClient(ctx.opts.whmcs, {
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    ...(c.company !== "" ? { companyName: c.company } : {}),
    address1: c.address.line1,
    ...(c.address.line2 !== "" ? { address2: c.address.line2 } : {}),
    city: c.address.city,
    state: c.address.state,
    postcode: c.address.postcode,
    country: c.address.country,
    phoneNumber: c.phone,
  });
  ctx.wrote("client", `created WHMCS client #${clientId} ${c.email}`, clientId);
  return clientId;
}

const VOID = new Set(["cancelled", "fraud"]);
const IN_USE = new Set(["pending", "active", "suspended"]);

/** The client's service for the org's domain on a managed product, looked up again (never from the plan). */
async function findService(ctx: OrgContext, clientId: string): Promise<WhmcsService | undefined> {
  const all = await getServices(ctx.opts.whmcs, { clientId });
  let candidates = all.filter((s) => ctx.managedPids.has(s.productId) && s.domain.trim().toLowerCase() === ctx.spec.domain && !VOID.has(s.status));
  const recorded = (s: WhmcsService): boolean => s.customFields.some((f) => f.name === RECORD_FIELDS.zoid && f.value.trim() !== "");
  // The same preferences as the plan's matching: the product, then services in use, then a recorded ZOID.
  for (const prefer of [(s: WhmcsService) => s.productId === ctx.productId, (s: WhmcsService) => IN_USE.has(s.status), recorded]) {
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

async function reread(ctx: OrgContext, serviceId: string): Promise<WhmcsService> {
  const [service] = await getServices(ctx.opts.whmcs, { serviceId });
  if (service === undefined) throw applyError("apply.customer.service-vanished", `WHMCS service #${serviceId} is gone`);
  return service;
}

/** Accepts a Pending order; an order someone else accepted meanwhile is fine. */
async function accept(ctx: OrgContext, orderId: string): Promise<void> {
  try {
    await acceptOrder(ctx.opts.whmcs, orderId, { autoSetup: false });
    ctx.wrote("service", `accepted order #${orderId}`, orderId);
  } catch (err) {
    if (!(err instanceof WhmcsApiError && /status not pending/i.test(err.apiMessage))) throw err;
    ctx.log.info({ orderId }, "order was no longer pending");
  }
}

/**
 * Step 2: the service, looked up by domain; else ordered (AddOrder with the mailbox quantity,
 * then AcceptOrder without a module call). A Pending service is accepted. Undefined only for a
 * terminated org that has no service: there is nothing to terminate.
 */
export async function ensureService(ctx: OrgContext, clientId: string): Promise<WhmcsService | undefined> {
  const found = await findService(ctx, clientId);
  if (found === undefined) {
    if (ctx.spec.status === "terminated") return undefined;
    const option = mailboxesOptionOf(ctx.opts.catalog, ctx.productId);
    const order = await addOrder(ctx.opts.whmcs, {
      clientId,
      paymentMethod: ctx.opts.paymentMethod,
      items: [{ productId: ctx.productId, billingCycle: ctx.spec.billingCycle, domain: ctx.spec.domain, configOptions: { [option.configId]: ctx.spec.mailboxes } }],
    });
    const serviceId = order.serviceIds[0];
    if (serviceId === undefined) throw applyError("apply.customer.no-service", `AddOrder #${order.orderId} for ${ctx.spec.domain} returned no service id`);
    ctx.wrote("service", `ordered service #${serviceId} (order #${order.orderId})`, serviceId);
    await accept(ctx, order.orderId);
    return reread(ctx, serviceId);
  }
  if (found.status === "pending" && ctx.spec.status !== "terminated") {
    await accept(ctx, found.orderId);
    return reread(ctx, found.id);
  }
  return found;
}

const UPDATE_ATTEMPTS = 3;

/**
 * `UpdateClientProduct` sets absolute values, so sending it again is safe (unlike AddOrder): a
 * retryable failure (a 5xx such as a database deadlock, a lost connection) is retried twice.
 */
async function updateIdempotent(ctx: OrgContext, input: UpdateServiceInput): Promise<void> {
  await retry(() => updateService(ctx.opts.whmcs, input), {
    attempts: UPDATE_ATTEMPTS,
    baseDelayMs: 100,
    decide: whmcsRetryDecision,
    reason: () => `WHMCS UpdateClientProduct for service #${input.serviceId} failed; sending it again`,
    onRetry: ({ attempt, outcome }) =>
      ctx.log.debug({ serviceId: input.serviceId, attempt, code: outcome.ok ? undefined : (outcome.error as { code?: unknown }).code }, "UpdateClientProduct failed; sending it again"),
  });
}

/** Step 5: product, billing cycle and mailbox quantity of the service (UpdateClientProduct, one call). */
export async function syncServiceTerms(ctx: OrgContext, service: WhmcsService): Promise<WhmcsService> {
  if (ctx.spec.status === "terminated") return service;
  const option = mailboxesOptionOf(ctx.opts.catalog, ctx.productId);
  const quantity = liveServiceFrom(service, { quantityOption: quantityOptionRef(ctx.opts.catalog, MAILBOXES_OPTION_KEY) }).quantity;
  const input: { -readonly [K in keyof UpdateServiceInput]: UpdateServiceInput[K] } = { serviceId: service.id };
  const moved = service.productId !== ctx.productId;
  if (moved) input.productId = ctx.productId;
  if (service.cycle !== ctx.spec.billingCycle) input.billingCycle = ctx.spec.billingCycle;
  if (moved || quantity !== ctx.spec.mailboxes) {
    input.configOptions = { [option.configId]: { subOptionId: option.subOptionId, qty: ctx.spec.mailboxes } };
  }
  if (Object.keys(input).length === 1) return service;
  input.autoRecalc = true;
  await updateIdempotent(ctx, input);
  const parts = [moved ? `product #${ctx.productId}` : "", input.billingCycle ?? "", input.configOptions !== undefined ? `${ctx.spec.mailboxes} mailboxes` : ""].filter((p) => p !== "");
  ctx.wrote("whmcs-service", `service #${service.id}: ${parts.join(", ")}`, service.id);
  return reread(ctx, service.id);
}

/**
 * Step 6: ZOID, super admin and verification state into the service's custom fields, and with
 * the `db` backend the `zoho_mail` module's row. The fields must exist on the product (the
 * catalog apply creates them on managed products).
 */
export async function writeRecords(ctx: OrgContext, service: WhmcsService, org: ZohoOrgFacts): Promise<void> {
  const byName = new Map(service.customFields.map((f) => [f.name, f]));
  const missing = RECORD_FIELD_NAMES.filter((n) => !byName.has(n));
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
  const changes: Record<string, string> = {};
  for (const [name, value] of want) {
    const field = byName.get(name);
    if (field !== undefined && field.value.trim() !== value) changes[field.id] = value;
  }
  if (Object.keys(changes).length > 0) {
    await updateIdempotent(ctx, { serviceId: service.id, customFields: changes });
    ctx.wrote("records", `service #${service.id}: ZOID ${org.zoid}, super admin ${org.superAdmin}, verified ${org.verified}`, service.id);
  }
  if (ctx.opts.moduleTable !== undefined) {
    await ctx.opts.moduleTable.upsert({
      domain: ctx.spec.domain,
      zoid: org.zoid,
      superAdmin: org.superAdmin,
      isverified: org.verified ? "true" : "false",
      url: `${ctx.opts.zoho.mailAdminUrl}/cpanel/home.do?zaaid=${org.zoid}#dashboard`,
    });
  }
}

/** Step 7: the service status (UpdateClientProduct: the zoho_mail module has no suspend or terminate function). */
export async function syncStatus(ctx: OrgContext, service: WhmcsService): Promise<void> {
  if (service.status === ctx.spec.status) return;
  await updateIdempotent(ctx, { serviceId: service.id, status: ctx.spec.status });
  ctx.wrote("status", `service #${service.id}: ${service.status} → ${ctx.spec.status}`, service.id);
}
