import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import pLimit from "p-limit";
import { glob } from "tinyglobby";
import { compareCodeUnits } from "../../core/canonical.js";
import { isCycle } from "../../core/cycles.js";
import { ExitCode, ReconcileError } from "../../core/errors.js";
import type { Logger } from "../../core/log.js";
import { readCustomerLiveState } from "../../live/index.js";
import { ordersByService, readOrder, readOrders } from "../../live/orders.js";
import { clientProblems, customerOrgManifest, loadProject, orgNameOfDomain, type LoadedProject } from "../../manifest/index.js";
import { MANAGED_MODULE, type LiveCatalog } from "../../model/catalog.js";
import { DEFAULT_INTAKE, type Config, type IntakeSettings, type ZohoPayPeriod } from "../../model/config.js";
import { TRIAL_PLANS, type CustomerZohoPlan, type DesiredCustomerOrg, type TrialPlanName } from "../../model/customer-org.js";
import { RECORD_FIELDS, type LiveCustomerService, type LiveCustomers, type LiveOrder } from "../../model/customers.js";
import { computePlan } from "../../plan/compute.js";
import { catalogContext, type CatalogContext } from "../../plan/customers/products.js";
import { targetsFor, type Targets } from "../../pipeline/index.js";
import { getClientDetails } from "../../providers/whmcs/index.js";
import type { WhmcsClientDetails } from "../../providers/whmcs/service-types.js";
import type { ParsedArgs } from "../args.js";
import type { CliIo } from "../io.js";

/*
 * `reconcile intake`: storefront orders as manifests. A customer who orders Zoho Mail in the WHMCS
 * cart leaves a Pending order with a Pending service; intake writes one CustomerOrg manifest per
 * order that qualifies (the customer-import writer, so the format is the same), with the order's
 * facts as a comment, for a person to review and merge. Reads only: WHMCS and Zoho are never
 * written. Merging the manifest makes the next apply adopt the Pending service, provision Zoho and
 * accept the order, with no second order.
 */

/** GetClientsDetails calls in flight. */
const DETAIL_CONCURRENCY = 4;
const NAME_MAX = 63;
const DOMAIN_RE = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
/** The configurable option whose choice, when a product has one, names the Zoho plan the customer ordered. */
export const PLAN_OPTION_KEY = "plan";
const PAY_PERIOD: Readonly<Record<string, ZohoPayPeriod>> = { monthly: "monthly", annually: "yearly" };

/** One storefront order and what intake made of it. */
export interface IntakeOrder {
  /** Undefined when WHMCS has no readable order for the service. */
  readonly order: LiveOrder | undefined;
  readonly service: LiveCustomerService;
  readonly domain: string;
  /** The manifest's metadata.name. */
  readonly name: string;
  /** Path of the manifest relative to the output folder's parent (`customers/acme-example.yaml`); set when written. */
  readonly file: string | undefined;
  /** The manifest text; set when written. */
  readonly text: string | undefined;
  /** Why it is listed and not written; empty when written. */
  readonly reasons: readonly string[];
  /** The client's currency, when known. */
  readonly currency: string | null;
  /** Personal data of the client, for masking in anything shown beyond the manifest itself. */
  readonly client: { readonly email: string; readonly firstName: string; readonly lastName: string; readonly company: string } | undefined;
}

export interface IntakeResult {
  /** Orders with a manifest, by domain. */
  readonly written: readonly IntakeOrder[];
  /** Orders not written, with why, by domain. */
  readonly listed: readonly IntakeOrder[];
  /** Declared domains whose storefront order is left to the normal plan. */
  readonly declared: number;
  readonly settings: IntakeSettings;
}

export interface IntakeOptions {
  readonly project: LoadedProject;
  readonly targets: Targets;
  /** Also active services no manifest declares and the tool does not own (empty ZOID). */
  readonly includeActive: boolean;
  /** Folder of the manifests, relative to the config's folder (default `intake.dir`). */
  readonly dir?: string;
  readonly logger: Logger;
}

/** Reads WHMCS and Zoho and decides each storefront order; writes nothing anywhere. */
export async function collectIntake(opts: IntakeOptions): Promise<IntakeResult> {
  const { project, targets } = opts;
  const config = project.config;
  const settings = config.intake ?? DEFAULT_INTAKE;
  const zohoConfig = config.zoho;
  const zoho = targets.zoho;
  if (zohoConfig === undefined || zoho === undefined) {
    throw new ReconcileError("config.zoho-missing", `intake reads Zoho, and ${config.file} has no zoho section`, ExitCode.invalid, {
      hint: "add zoho: { region, clientId: ${env:ZOHO_CLIENT_ID}, clientSecret: ${env:ZOHO_CLIENT_SECRET}, refreshToken: ${env:ZOHO_REFRESH_TOKEN} }",
    });
  }
  const catalog = await targets.catalog.readCatalog();
  const products = productNames(project, catalog, targets);
  const declaredDomains = new Set(project.customerOrgs.map((o) => o.spec.domain));
  const declaredNames = new Set(project.customerOrgs.map((o) => o.name));

  const [customers, pending, fraud] = await Promise.all([
    readCustomerLiveState({ whmcs: targets.whmcs, zoho, catalog, declaredDomains: [], logger: opts.logger }),
    readOrders(targets.whmcs, "Pending"),
    readOrders(targets.whmcs, "Fraud"),
  ]);
  const orderOf = ordersByService([...pending, ...fraud]);
  const managed = new Set(catalog.products.filter((p) => p.state.module === MANAGED_MODULE).map((p) => p.remoteId));
  const unowned = (s: LiveCustomerService): boolean => (s.customFields[RECORD_FIELDS.zoid]?.value ?? "").trim() === "";
  const inUse = new Map<string, LiveCustomerService[]>();
  for (const s of customers.services) {
    if (!managed.has(s.productId) || !["pending", "active", "suspended"].includes(s.status)) continue;
    inUse.set(s.domain, [...(inUse.get(s.domain) ?? []), s]);
  }
  let declared = 0;
  const candidates = customers.services
    .filter((s) => managed.has(s.productId))
    .filter((s) => {
      const order = orderOf.get(s.id);
      const wanted = s.status === "pending" || (order?.fraud === true && s.status === "fraud") || (opts.includeActive && s.status === "active" && unowned(s));
      if (wanted && declaredDomains.has(s.domain)) declared++;
      return wanted && !declaredDomains.has(s.domain);
    })
    .sort((a, b) => compareCodeUnits(a.domain, b.domain) || compareIds(a.id, b.id));

  // Orders of active services are not pending: read each by id (only with --include-active).
  const limit = pLimit(DETAIL_CONCURRENCY);
  const orders = new Map<string, LiveOrder | undefined>();
  await Promise.all(
    candidates.map((s) =>
      limit(async () => {
        const known = orderOf.get(s.id);
        orders.set(s.id, known ?? (s.orderId !== "" && s.orderId !== "0" ? await readOrder(targets.whmcs, s.orderId) : undefined));
      }),
    ),
  );
  const details = new Map<string, WhmcsClientDetails>();
  const readable = [...new Set(candidates.filter((s) => orders.get(s.id)?.fraud !== true).map((s) => s.clientId))].sort(compareIds);
  await Promise.all(readable.map((id) => limit(async () => void details.set(id, await getClientDetails(targets.whmcs, { clientId: id })))));

  const emailCount = new Map<string, number>();
  for (const c of customers.clients) emailCount.set(c.email, (emailCount.get(c.email) ?? 0) + 1);
  const taken = new Set(declaredNames);
  const dir = (opts.dir ?? settings.dir).replace(/\/+$/, "");
  const written: IntakeOrder[] = [];
  const listed: IntakeOrder[] = [];
  for (const s of candidates) {
    const order = orders.get(s.id);
    const d = details.get(s.clientId);
    const decided = decide({ service: s, order, details: d, settings, products, catalog, customers, zohoPlans: zohoConfig.plans, emailCount, sameDomain: inUse.get(s.domain) ?? [] });
    let name = orgNameOfDomain(s.domain);
    if (taken.has(name)) name = `${name.slice(0, NAME_MAX - 8 - (order?.id.length ?? s.id.length)).replace(/-+$/, "")}-order-${order?.id ?? s.id}`;
    taken.add(name);
    const currency = d?.currencyCode ?? catalog.currencies.find((c) => c.id === d?.currencyId)?.code ?? null;
    const client = d === undefined ? undefined : { email: d.email.trim().toLowerCase(), firstName: d.firstName, lastName: d.lastName, company: d.companyName };
    const base = { order, service: s, domain: s.domain, name, currency, client };
    if (decided.org === undefined) {
      listed.push({ ...base, file: undefined, text: undefined, reasons: decided.reasons });
      continue;
    }
    const text = customerOrgManifest(name, decided.org, { comments: comments(s, order, decided.planSource, currency) });
    written.push({ ...base, file: `${dir}/${name}.yaml`, text, reasons: [] });
  }
  return { written, listed, declared, settings };
}

interface ProductName {
  readonly name: string;
  readonly context: CatalogContext;
}

/** Live product id → its manifest name (as the catalog plan matches them), with the planner's product context. */
function productNames(project: LoadedProject, live: LiveCatalog, targets: Targets): Map<string, ProductName> {
  const config = project.config;
  const plan = computePlan({
    desired: project.catalog,
    live,
    backend: targets.catalog.backend,
    target: { whmcs: config.whmcs.url, catalogBackend: targets.catalog.backend, ...(config.zoho ? { zohoRegion: config.zoho.region } : {}) },
    prune: config.policy.prune,
  });
  const context = catalogContext(project.catalog, live, plan.changes);
  const out = new Map<string, ProductName>();
  for (const c of plan.changes) if (c.kind === "Product" && c.remoteId !== undefined) out.set(c.remoteId, { name: c.name, context });
  return out;
}

interface Decision {
  readonly org: DesiredCustomerOrg | undefined;
  readonly reasons: string[];
  readonly planSource: string;
}

interface DecideInput {
  readonly service: LiveCustomerService;
  readonly order: LiveOrder | undefined;
  readonly details: WhmcsClientDetails | undefined;
  readonly settings: IntakeSettings;
  readonly products: ReadonlyMap<string, ProductName>;
  readonly catalog: LiveCatalog;
  readonly customers: LiveCustomers;
  readonly zohoPlans: Readonly<Record<string, { readonly payPeriods: readonly ZohoPayPeriod[] }>>;
  readonly emailCount: ReadonlyMap<string, number>;
  readonly sameDomain: readonly LiveCustomerService[];
}

/** The manifest an order becomes, or every reason it does not become one. Fraud and payment first: they decide alone. */
function decide(x: DecideInput): Decision {
  const { service: s, order } = x;
  if (order?.fraud === true || s.status === "fraud") {
    return { org: undefined, reasons: [`WHMCS flags order #${order?.id ?? s.orderId} as fraud: never written; cancel it in WHMCS, or settle it there and mark it Pending again`], planSource: "" };
  }
  const reasons: string[] = [];
  if (order === undefined) reasons.push(`order #${s.orderId} of service #${s.id} could not be read (GetOrders)`);
  else if (s.status === "pending" && x.settings.requirePaid && !settled(order)) {
    return {
      org: undefined,
      reasons: [
        order.payment === "unpaid"
          ? `unpaid: invoice #${order.invoiceId ?? "?"} is ${order.paymentStatus || "Unpaid"} (intake.requirePaid); written once it is paid`
          : `no invoice for ${order.amount} (intake.requirePaid); written once it is paid`,
      ],
      planSource: "",
    };
  }
  if (!DOMAIN_RE.test(s.domain)) reasons.push(`the service's domain ${JSON.stringify(s.domain)} is not a domain name a manifest accepts`);
  if (x.sameDomain.length > 1) reasons.push(`${x.sameDomain.length} services in use share the domain ${s.domain}: ${x.sameDomain.map((o) => `#${o.id}`).join(", ")}`);

  const d = x.details;
  if (d === undefined) reasons.push(`WHMCS client #${s.clientId} could not be read`);
  else reasons.push(...clientProblems({ ...d, id: s.clientId, phone: d.phoneNumber }, x.emailCount));

  const product = x.products.get(s.productId);
  const live = x.catalog.products.find((p) => p.remoteId === s.productId);
  const ctx = product?.context.product(product.name);
  if (product === undefined || ctx?.spec === undefined) reasons.push(`product #${s.productId} "${live?.state.name ?? "?"}" is declared by no Product manifest`);
  if (s.mailboxes === undefined || s.mailboxes < 1) reasons.push("the order has no mailboxes quantity");
  else if (ctx?.mailboxes !== undefined && (s.mailboxes < ctx.mailboxes.min || (ctx.mailboxes.max > 0 && s.mailboxes > ctx.mailboxes.max))) {
    reasons.push(`${s.mailboxes} mailboxes is outside the product's range (${ctx.mailboxes.min}..${ctx.mailboxes.max || "unlimited"})`);
  }
  const options: Record<string, string> = {};
  const choices = ctx?.options?.choices ?? [];
  for (const [key, value] of Object.entries(s.options)) {
    const option = choices.find((c) => c.key === key);
    if (value.startsWith("?")) reasons.push(`option '${key}' holds ${JSON.stringify(value.slice(1))}, which is none of its choices`);
    else if (option === undefined) reasons.push(`option '${key}' (${value}) is not an option of the declared product`);
    else if (!option.choices.includes(value)) reasons.push(`option '${key}' is set to '${value}', which the declared product does not offer`);
    else options[key] = value;
  }

  // The plan: what the order names, when the product has a `plan` option; else paid on the product's Zoho plan.
  const zohoPlan = ctx?.spec?.zoho?.plan;
  const cycle = s.cycle;
  let plan: CustomerZohoPlan | undefined;
  let planSource: string;
  const named = s.options[PLAN_OPTION_KEY];
  if (named !== undefined && !named.startsWith("?")) {
    planSource = `plan from the order's '${PLAN_OPTION_KEY}' option (${named})`;
    if (named === "free") plan = { type: "free" };
    else if ((TRIAL_PLANS as readonly string[]).includes(named)) plan = { type: "trial", trialPlan: named as TrialPlanName };
    else if (named === "paid" || named === zohoPlan) plan = paid(cycle, zohoPlan, x.zohoPlans, reasons);
    else reasons.push(`the order's '${PLAN_OPTION_KEY}' option says ${named}, which is none of free, paid, ${zohoPlan ?? "the product's Zoho plan"} or a trial`);
  } else {
    planSource = `plan: paid on the product's Zoho plan ${zohoPlan ?? "(none)"} (the order names no plan)`;
    if (zohoPlan === undefined && ctx?.spec !== undefined) reasons.push(`product ${product?.name ?? ""} has no zoho.plan, and the order names none`);
    plan = paid(cycle, zohoPlan, x.zohoPlans, reasons);
  }
  if (!isCycle(cycle)) reasons.push(`the service is billed ${cycle}; a manifest's billingCycle is a recurring cycle`);

  if (reasons.length > 0 || d === undefined || plan === undefined || product === undefined || !isCycle(cycle)) return { org: undefined, reasons, planSource };
  return {
    org: {
      client: {
        email: d.email.trim().toLowerCase(),
        firstName: d.firstName,
        lastName: d.lastName,
        company: d.companyName,
        address: { line1: d.address1, line2: d.address2, city: d.city, state: d.state, postcode: d.postcode, country: d.country.trim().toUpperCase() },
        phone: d.phoneNumber,
        currency: d.currencyCode ?? x.catalog.currencies.find((c) => c.id === d.currencyId)?.code ?? null,
      },
      domain: s.domain,
      product: product.name,
      billingCycle: cycle,
      mailboxes: s.mailboxes ?? 0,
      options,
      plan,
      status: "active",
    },
    reasons,
    planSource,
  };
}

/** Paid on the product's plan, at the pay period the cycle means; a reason when the plan does not offer it. */
function paid(
  cycle: string,
  zohoPlan: string | undefined,
  plans: Readonly<Record<string, { readonly payPeriods: readonly ZohoPayPeriod[] }>>,
  reasons: string[],
): CustomerZohoPlan | undefined {
  const payPeriod = PAY_PERIOD[cycle];
  if (payPeriod === undefined) {
    reasons.push(`the order is billed ${cycle}; Zoho bills paid plans monthly or yearly (monthly or annually in WHMCS)`);
    return undefined;
  }
  const entry = zohoPlan === undefined ? undefined : plans[zohoPlan];
  if (entry !== undefined && !entry.payPeriods.includes(payPeriod)) reasons.push(`Zoho plan ${zohoPlan ?? ""} is not sold ${payPeriod} (zoho.plans.${zohoPlan ?? ""}.payPeriods)`);
  return { type: "paid", payPeriod };
}

/** Paid, or nothing to pay (no invoice for 0.00). */
function settled(order: LiveOrder): boolean {
  return order.payment === "paid" || (order.payment === "none" && order.amount === "0.00");
}

/** The order's facts above the manifest. */
function comments(s: LiveCustomerService, order: LiveOrder | undefined, planSource: string, currency: string | null): string[] {
  const money = (a: string): string => (currency !== null ? `${currency} ${a}` : a);
  const lines = [
    order === undefined
      ? `WHMCS service #${s.id} (${s.status}), client #${s.clientId}: order #${s.orderId} not read`
      : `storefront order #${order.id} (order number ${order.orderNumber}) of ${order.date}: ${money(order.amount)}, ${paymentText(order)}`,
    `WHMCS service #${s.id} (${s.status}), client #${s.clientId}; ${planSource}`,
    s.status === "pending"
      ? `merging this accepts the order: apply provisions Zoho first (org, plan, licences), then accepts order #${s.orderId} (no second order), then records the ZOID`
      : "the service is active already: merging adopts it and records the ZOID",
    "to reject the order, drop this file (or its commit) and cancel the order in WHMCS",
  ];
  return lines;
}

export function paymentText(order: LiveOrder): string {
  if (order.fraud) return "flagged as fraud";
  if (order.payment === "paid") return `paid (invoice #${order.invoiceId ?? "?"})`;
  if (order.payment === "unpaid") return `unpaid (invoice #${order.invoiceId ?? "?"} ${order.paymentStatus || "Unpaid"})`;
  return order.amount === "0.00" ? "nothing to pay" : "no invoice";
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || compareCodeUnits(a, b);
}

/** `reconcile intake [--out DIR] [--include-active] [--force]`. */
export async function intakeCommand(parsed: ParsedArgs, io: CliIo, logger: Logger): Promise<number> {
  const project = await loadProject(resolve(io.cwd, parsed.values.config ?? "reconcile.yaml"));
  const config = project.config;
  const targets = targetsFor(config, io.env, logger);
  const settings = config.intake ?? DEFAULT_INTAKE;
  const outDir = parsed.values.out !== undefined ? resolve(io.cwd, parsed.values.out) : resolve(config.dir, settings.dir);
  const result = await collectIntake({ project, targets, includeActive: parsed.values["include-active"] === true, logger, dir: relative(config.dir, outDir) || "." });

  const files = result.written.map((o) => ({ order: o, path: join(outDir, `${o.name}.yaml`) }));
  const clash = files.filter((f) => existsSync(f.path));
  if (clash.length > 0 && parsed.values.force !== true) {
    throw new ReconcileError("intake.would-overwrite", `${clash.map((f) => relative(io.cwd, f.path)).join(", ")} already exist(s); nothing was written`, ExitCode.error, {
      hint: "a file there that no manifests glob loads? fix the globs, choose another --out, or add --force to overwrite",
    });
  }
  for (const f of files) {
    mkdirSync(dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.order.text ?? "", "utf8");
  }

  const where = (p: string): string => relative(io.cwd, p) || p;
  const lines: string[] = [];
  if (result.written.length === 0 && result.listed.length === 0) lines.push("No storefront orders waiting: nothing to write.");
  if (result.written.length > 0) {
    lines.push(`Wrote ${result.written.length} CustomerOrg manifest(s), one per storefront order:`);
    for (const f of files) lines.push(`  ${where(f.path)}  ${orderLine(f.order)}`);
  }
  if (result.listed.length > 0) {
    lines.push(`Not written (${result.listed.length}):`);
    for (const o of result.listed) lines.push(`  ${o.domain}  ${orderLine(o)}: ${o.reasons.join("; ")}`);
  }
  if (result.declared > 0) lines.push(`${result.declared} order(s) on declared domains are left to the plan (it accepts them).`);
  if (result.written.length > 0) lines.push("Review them, commit them, and plan: each adopts its Pending service, with no second order.");
  io.stdout.write(`${lines.join("\n")}\n`);

  if (files.length > 0) {
    const unloaded = await notLoaded(config, files.map((f) => f.path));
    for (const p of unloaded) io.stderr.write(`note: ${where(p)} is matched by no manifests glob of ${where(config.file)}: the plan will not see it\n`);
  }
  return ExitCode.ok;
}

/** One line about an order, without personal data. */
export function orderLine(o: IntakeOrder): string {
  const order = o.order;
  if (order === undefined) return `service #${o.service.id} (order #${o.service.orderId})`;
  const money = o.currency !== null ? `${o.currency} ${order.amount}` : order.amount;
  return `order #${order.id} of ${order.date}, ${money}, ${paymentText(order)}, ${o.service.mailboxes ?? "?"} mailboxes ${o.service.cycle}`;
}

/** Files among `paths` that the config's manifests globs do not match. */
async function notLoaded(config: Config, paths: readonly string[]): Promise<string[]> {
  const ignore = config.manifests.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
  const patterns = config.manifests.filter((p) => !p.startsWith("!"));
  const matched = new Set((await glob(patterns, { cwd: config.dir, absolute: true, onlyFiles: true, ignore })).map((p) => resolve(p)));
  return paths.filter((p) => !matched.has(resolve(p)));
}
