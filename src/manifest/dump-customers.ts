import { stringify } from "yaml";
import { compareCodeUnits } from "../core/canonical.js";
import { isCycle } from "../core/cycles.js";
import { moneyToCents } from "../core/money.js";
import { shardOf } from "../core/shard.js";
import { MANAGED_MODULE, type LiveCatalog, type LiveObject, type LiveProductState, type OptionState } from "../model/catalog.js";
import type { ZohoPayPeriod, ZohoPlanEntry } from "../model/config.js";
import type { CustomerBillingCycle, DesiredCustomerOrg } from "../model/customer-org.js";
import { MAILBOXES_OPTION_KEY, type CustomerServiceStatus, type LiveCustomerService, type LiveCustomers, type LiveZohoOrg } from "../model/customers.js";
import { commentLines, dumpCatalog, type ProductZohoPlan } from "./dump.js";
import { API_VERSION } from "./envelope.js";

/*
 * `reconcile import --customers`: a reseller's whole book as manifests. Every in-use service of a
 * zoho_mail product becomes a CustomerOrg built from what WHMCS and Zoho hold; a service that the
 * manifest language cannot express as it is (no Zoho org, licences that differ from the billed
 * quantity, a Zoho plan the config does not know, two services on one domain, …) is written
 * commented out with what differs, and listed in the report. Nothing is guessed.
 */

/** Users Zoho's free plan allows when the config does not say (the planner's default too). */
const FREE_USER_CAP = 5;
const NAME_MAX = 63;
const DOMAIN_RE = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const PAY_PERIOD_CYCLE: Readonly<Record<ZohoPayPeriod, CustomerBillingCycle>> = { monthly: "monthly", yearly: "annually" };
const IMPORTED: ReadonlySet<CustomerServiceStatus> = new Set(["active", "suspended"]);
const IN_USE: ReadonlySet<CustomerServiceStatus> = new Set(["pending", "active", "suspended"]);

export type CustomerLayout = "per-customer" | "grouped";
export const CUSTOMER_LAYOUTS: readonly CustomerLayout[] = ["per-customer", "grouped"];

/** Folder (inside the import's output folder) the customer manifests go to. */
export const CUSTOMERS_DIR = "customers";
export const IMPORT_REPORT = "import-report.txt";

export interface CustomerOrgManifestOptions {
  /** Comment lines written above the document (without `#`). */
  readonly comments?: readonly string[];
  /** Write the whole document as comments: shown to a reviewer, never loaded. */
  readonly commentedOut?: boolean;
}

/**
 * One CustomerOrg manifest document as YAML text, fields in the order the README shows them.
 * Defaults are written out (status, company, the client's currency when known), so a reviewer
 * sees every term that bills. Reusable by anything that turns an order into a manifest.
 */
export function customerOrgManifest(name: string, org: DesiredCustomerOrg, options: CustomerOrgManifestOptions = {}): string {
  const c = org.client;
  const address: Record<string, string> = { line1: c.address.line1 };
  if (c.address.line2 !== "") address["line2"] = c.address.line2;
  Object.assign(address, { city: c.address.city, state: c.address.state, postcode: c.address.postcode, country: c.address.country });
  const client: Record<string, unknown> = { email: c.email, firstName: c.firstName, lastName: c.lastName, company: c.company, address, phone: c.phone };
  if (c.currency !== null) client["currency"] = c.currency;
  const plan: Record<string, string> =
    org.plan.type === "paid" ? { type: "paid", payPeriod: org.plan.payPeriod } : org.plan.type === "trial" ? { type: "trial", trialPlan: org.plan.trialPlan } : { type: "free" };
  const spec: Record<string, unknown> = { client, domain: org.domain, product: org.product, billingCycle: org.billingCycle, mailboxes: org.mailboxes };
  const optionKeys = Object.keys(org.options).sort(compareCodeUnits);
  if (optionKeys.length > 0) spec["options"] = Object.fromEntries(optionKeys.map((k) => [k, org.options[k]]));
  Object.assign(spec, { plan, status: org.status });
  const body = stringify({ apiVersion: API_VERSION, kind: "CustomerOrg", metadata: { name }, spec }, { lineWidth: 0 });
  const text = options.commentedOut === true ? commentLines(body.trimEnd().split("\n")) : body;
  return `${commentLines(options.comments ?? [])}${text}`;
}

/**
 * A manifest name from a domain: lower case, every run of characters other than letters, digits and
 * `-` a `-` (`acme.example` → `acme-example`), at most 63 characters. Stable: it depends on the domain alone.
 */
export function orgNameOfDomain(domain: string): string {
  const base = domain
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  const cut = base.slice(0, NAME_MAX).replace(/-+$/, "");
  return cut === "" ? "org" : cut;
}

/** A short, stable hash of a domain, for names two domains would share. */
function domainHash(domain: string): string {
  return shardOf(domain, 0x1_0000_0000).toString(16).padStart(8, "0").slice(0, 6);
}

/**
 * Names for domains: each its `orgNameOfDomain`; where several domains share one, the first in
 * code-unit order keeps it and the others get `-<hash of the domain>`, so a name changes only when
 * a new colliding domain sorts before it.
 */
export function orgNames(domains: Iterable<string>): Map<string, string> {
  const byBase = new Map<string, string[]>();
  for (const d of [...new Set(domains)].sort(compareCodeUnits)) {
    const base = orgNameOfDomain(d);
    byBase.set(base, [...(byBase.get(base) ?? []), d]);
  }
  const out = new Map<string, string>();
  const taken = new Set(byBase.keys());
  for (const [base, list] of byBase) {
    list.forEach((d, i) => {
      if (i === 0) return void out.set(d, base);
      let name = `${base.slice(0, NAME_MAX - 7).replace(/-+$/, "")}-${domainHash(d)}`;
      for (let n = 2; taken.has(name); n++) name = `${base.slice(0, NAME_MAX - 10).replace(/-+$/, "")}-${domainHash(d)}-${n}`;
      taken.add(name);
      out.set(d, name);
    });
  }
  return out;
}

/**
 * Why a WHMCS client cannot become a manifest's client block: a field the schema requires is empty
 * or invalid, or another client has the same email (the natural key). Import and intake share it.
 */
export function clientProblems(
  d: Pick<ImportClientDetails, "id" | "email" | "firstName" | "lastName" | "address1" | "city" | "state" | "postcode" | "country" | "phone">,
  emailCount: ReadonlyMap<string, number>,
): string[] {
  const reasons: string[] = [];
  const country = d.country.trim().toUpperCase();
  const missing = (
    [
      ["email", EMAIL_RE.test(d.email.trim()) ? "x" : ""],
      ["first name", d.firstName],
      ["last name", d.lastName],
      ["address", d.address1],
      ["city", d.city],
      ["state", d.state],
      ["postcode", d.postcode],
      ["country", /^[A-Z]{2}$/.test(country) ? country : ""],
      ["phone number", d.phone],
    ] as const
  )
    .filter(([, v]) => v.trim() === "")
    .map(([k]) => k);
  if (missing.length > 0) reasons.push(`WHMCS client #${d.id} has no (valid) ${missing.join(", ")}, which a manifest's client needs`);
  const n = emailCount.get(d.email.trim().toLowerCase()) ?? 0;
  if (n > 1) reasons.push(`${n} WHMCS clients have the email ${d.email.trim().toLowerCase()}, the natural key of a client`);
  return reasons;
}

/** What `GetClientsDetails` says about a client: the manifest's client block needs all of it. */
export interface ImportClientDetails {
  readonly id: string;
  readonly email: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly company: string;
  readonly address1: string;
  readonly address2: string;
  readonly city: string;
  readonly state: string;
  readonly postcode: string;
  readonly country: string;
  readonly phone: string;
  /** ISO code; undefined when WHMCS did not say. */
  readonly currency: string | undefined;
}

export interface CustomerImportInput {
  readonly catalog: LiveCatalog;
  readonly customers: LiveCustomers;
  /** By client id: the clients of the services to import (`GetClientsDetails`). */
  readonly clients: ReadonlyMap<string, ImportClientDetails>;
  /** The config's `zoho.plans`. */
  readonly zohoPlans: Readonly<Record<string, ZohoPlanEntry>>;
  /** WHMCS ids of the products whose services are imported; default every zoho_mail product. */
  readonly productIds?: ReadonlySet<string>;
  readonly layout: CustomerLayout;
  readonly freeUserCap?: number;
}

/** One service that was not imported as a manifest, and why. */
export interface NotImported {
  readonly serviceId: string;
  readonly domain: string;
  readonly name: string;
  readonly reasons: readonly string[];
}

export interface DumpedBook {
  /** Path inside the output folder → file text: the catalog files, the customer files and the report. */
  readonly files: Readonly<Record<string, string>>;
  readonly counts: {
    readonly productGroups: number;
    readonly configOptionGroups: number;
    readonly products: number;
    readonly orgs: number;
    readonly notImported: number;
    /** Services not in use (terminated, cancelled, fraud, completed): not imported. */
    readonly notInUse: number;
  };
  readonly notImported: readonly NotImported[];
  /** Notes for stderr (catalog parts left out). */
  readonly warnings: readonly string[];
}

/** The WHMCS ids of zoho_mail products a `--products` list names (manifest name, WHMCS name or id); unknown names are returned too. */
export function selectProducts(catalog: LiveCatalog, names: readonly string[]): { readonly ids: Set<string>; readonly unknown: string[]; readonly known: string[] } {
  const managed = catalog.products.filter((p) => p.state.module === MANAGED_MODULE);
  const dumpNames = dumpCatalog(catalog).productNames;
  const ids = new Set<string>();
  const unknown: string[] = [];
  for (const raw of names) {
    const n = raw.trim().replace(/^#/, "");
    const hit = managed.filter((p) => dumpNames[p.remoteId] === n || p.remoteId === n || p.state.name.toLowerCase() === n.toLowerCase());
    if (hit.length === 0) unknown.push(raw);
    for (const p of hit) ids.add(p.remoteId);
  }
  return { ids, unknown, known: managed.map((p) => dumpNames[p.remoteId] ?? `#${p.remoteId}`).sort(compareCodeUnits) };
}

/** Config key of a Store plan id (first key in code-unit order); undefined when the config lacks it. */
function planKey(planId: number | null, plans: Readonly<Record<string, ZohoPlanEntry>>): string | undefined {
  if (planId === null) return undefined;
  return Object.keys(plans)
    .sort(compareCodeUnits)
    .find((k) => plans[k]?.planId === planId);
}

/**
 * The Zoho plan each zoho_mail product sells, read from the paid orgs on its services: the one they
 * all share, or the most common one (and the comment says which others there are: those orgs are
 * not imported). A product without paid orgs gets no plan and a comment asking for one.
 */
export function productZohoPlans(input: Pick<CustomerImportInput, "catalog" | "customers" | "zohoPlans">): Map<string, ProductZohoPlan> {
  const orgs = new Map(input.customers.zohoOrgs.map((o) => [o.domain, o]));
  const out = new Map<string, ProductZohoPlan>();
  for (const p of input.catalog.products.filter((x) => x.state.module === MANAGED_MODULE)) {
    const counts = new Map<string, number>();
    for (const s of input.customers.services) {
      if (s.productId !== p.remoteId || !IMPORTED.has(s.status)) continue;
      const plan = orgs.get(s.domain)?.plan;
      const key = plan?.type === "paid" ? planKey(plan.planId, input.zohoPlans) : undefined;
      if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const ranked = [...counts].sort((a, b) => b[1] - a[1] || compareCodeUnits(a[0], b[0]));
    const first = ranked[0];
    if (first === undefined) {
      out.set(p.remoteId, { plan: undefined, comments: ["no paid Zoho org on this product: add zoho: { plan: <a zoho.plans key> } before declaring paid orgs on it"] });
    } else if (ranked.length === 1) {
      out.set(p.remoteId, { plan: first[0], comments: [`zoho.plan read from Zoho: the plan of its ${first[1]} paid org(s)`] });
    } else {
      const list = ranked.map(([k, n]) => `${k} (${n})`).join(", ");
      out.set(p.remoteId, {
        plan: first[0],
        comments: [`its paid orgs are on several Zoho plans: ${list}; zoho.plan is the most common one, orgs on the others are not imported (see ${IMPORT_REPORT})`],
      });
    }
  }
  return out;
}

interface ProductFacts {
  readonly name: string | undefined;
  readonly live: LiveObject<LiveProductState>;
  readonly plan: string | undefined;
  /** The `mailboxes` quantity option's range; undefined when the product has none (or it was left out). */
  readonly mailboxes: { readonly min: number; readonly max: number } | undefined;
  /** Choice options a manifest may name: key → visible choice keys (`no`/`yes` for yes/no). */
  readonly choices: ReadonlyMap<string, readonly string[]>;
  /** Every option of the product by key, for prices. */
  readonly options: ReadonlyMap<string, OptionState>;
}

function productFacts(catalog: LiveCatalog, p: LiveObject<LiveProductState>, name: string | undefined, plan: string | undefined): ProductFacts {
  const options = new Map<string, OptionState>();
  for (const id of p.state.configOptionGroupIds) {
    const g = catalog.configOptionGroups.find((x) => x.remoteId === id);
    for (const o of Object.values(g?.state.options ?? {}).sort((a, b) => a.order - b.order || compareCodeUnits(a.key, b.key))) if (!options.has(o.key)) options.set(o.key, o);
  }
  const m = options.get(MAILBOXES_OPTION_KEY);
  const choices = new Map<string, readonly string[]>();
  for (const o of options.values()) {
    if (o.hidden || o.type === "quantity") continue;
    if (o.type === "yesno") {
      choices.set(o.key, ["no", "yes"]);
      continue;
    }
    const visible = Object.values(o.choices).filter((c) => !c.hidden).map((c) => c.key);
    if (visible.length > 0) choices.set(o.key, visible);
  }
  return { name, live: p, plan, mailboxes: m?.type === "quantity" ? { min: m.min, max: m.max } : undefined, choices, options };
}

/** Is the product priced for this cycle in this currency (WHMCS's -1.00 is "not offered")? */
function offered(p: LiveProductState, currency: string, cycle: string): boolean {
  const row = p.pricing[currency] as Readonly<Record<string, string>> | undefined;
  const v = row?.[cycle];
  return v !== undefined && !v.startsWith("-");
}

/** Is every charged option choice priced in the currency when it is priced in any? */
function unpricedOption(facts: ProductFacts, s: LiveCustomerService, currency: string): string | undefined {
  const charged: [OptionState, string][] = [];
  const m = facts.options.get(MAILBOXES_OPTION_KEY);
  if (m !== undefined) {
    const unit = Object.values(m.choices)[0];
    if (unit !== undefined) charged.push([m, unit.key]);
  }
  for (const [key, choice] of Object.entries(s.options)) {
    const o = facts.options.get(key);
    if (o === undefined) continue;
    const c = o.type === "yesno" ? (choice === "yes" ? Object.values(o.choices)[0]?.key : undefined) : choice;
    if (c !== undefined) charged.push([o, c]);
  }
  for (const [o, c] of charged) {
    const pricing = o.choices[c]?.pricing ?? {};
    if (Object.keys(pricing).length > 0 && pricing[currency] === undefined) return `option '${o.key}' has no price in ${currency}, the client's currency`;
  }
  return undefined;
}

interface Candidate {
  readonly service: LiveCustomerService;
  readonly org: DesiredCustomerOrg;
  readonly reasons: readonly string[];
  readonly comments: readonly string[];
  readonly product: string;
}

/** One service as a manifest, with every reason it cannot be adopted as it is. */
function candidate(
  s: LiveCustomerService,
  facts: ProductFacts,
  input: CustomerImportInput,
  zohoOrg: LiveZohoOrg | undefined,
  sameDomain: readonly LiveCustomerService[],
  emailCount: ReadonlyMap<string, number>,
): Candidate {
  const reasons: string[] = [];
  const comments: string[] = [];
  const plans = input.zohoPlans;
  const freeCap = input.freeUserCap ?? plans["free"]?.maxUsers ?? FREE_USER_CAP;
  if (!DOMAIN_RE.test(s.domain)) reasons.push(`the service's domain ${JSON.stringify(s.domain)} is not a domain name a manifest accepts`);
  if (sameDomain.length > 1) {
    reasons.push(`${sameDomain.length} services in use on zoho_mail products share the domain ${s.domain}: ${sameDomain.map((x) => `#${x.id}`).join(", ")}`);
  }
  if (s.status === "suspended") comments.push("suspended in WHMCS: Zoho has no suspend API, the mailboxes stay usable and Zoho keeps charging the partner");

  // The client block.
  const d = input.clients.get(s.clientId);
  if (d === undefined) reasons.push(`WHMCS client #${s.clientId} could not be read`);
  if (d !== undefined) reasons.push(...clientProblems(d, emailCount));
  const currency = d?.currency ?? null;

  // The product and the service's terms.
  if (facts.name === undefined) reasons.push(`product #${facts.live.remoteId} "${facts.live.state.name}" was left out of the catalog import`);
  if (facts.mailboxes === undefined) reasons.push(`product "${facts.live.state.name}" has no 'mailboxes' quantity option`);
  const mailboxes = s.mailboxes ?? 0;
  if (s.mailboxes === undefined || s.mailboxes < 1) reasons.push("the service has no mailboxes quantity");
  else if (facts.mailboxes !== undefined && (mailboxes < facts.mailboxes.min || (facts.mailboxes.max > 0 && mailboxes > facts.mailboxes.max))) {
    reasons.push(`${mailboxes} mailboxes is outside the mailboxes option's range (${facts.mailboxes.min}..${facts.mailboxes.max || "unlimited"})`);
  }
  const p = facts.live.state;
  if (p.payType === "free" || p.payType === "onetime") {
    if (s.cycle !== p.payType) reasons.push(`the service is billed ${s.cycle}, the product's pay type is ${p.payType}`);
  } else if (!isCycle(s.cycle)) {
    reasons.push(`the service is billed ${s.cycle} on a recurring product`);
  } else if (!Object.keys(p.pricing).some((code) => offered(p, code, s.cycle))) {
    reasons.push(`the product is not priced ${s.cycle} any more`);
  }
  const options: Record<string, string> = {};
  for (const [key, value] of Object.entries(s.options)) {
    const allowed = facts.choices.get(key);
    if (value.startsWith("?")) reasons.push(`option '${key}' holds ${JSON.stringify(value.slice(1))}, which is none of its choices`);
    else if (allowed === undefined) reasons.push(`option '${key}' is set (${value}) but the product offers it no more (hidden)`);
    else if (!allowed.includes(value)) reasons.push(`option '${key}' is set to the hidden choice '${value}'`);
    else options[key] = value;
  }
  for (const key of facts.choices.keys()) if (s.options[key] === undefined) reasons.push(`option '${key}' has no value on the service`);

  // Zoho.
  let plan: DesiredCustomerOrg["plan"] = { type: "free" };
  if (zohoOrg === undefined) {
    reasons.push(`no Zoho org for ${s.domain} in this partner's account`);
  } else {
    const z = zohoOrg.plan;
    if (zohoOrg.usersCount !== null && zohoOrg.usersCount > mailboxes) reasons.push(`the Zoho org has ${zohoOrg.usersCount} users, WHMCS bills ${mailboxes} mailboxes`);
    if (z.type === "paid") {
      const key = planKey(z.planId, plans);
      if (key === undefined) reasons.push(`Zoho plan ${z.planName ?? `#${z.planId ?? "?"}`} is not in the config's zoho.plans`);
      else if (facts.plan !== undefined && key !== facts.plan) reasons.push(`the Zoho org is on plan ${key}, the product sells ${facts.plan}`);
      if (z.licenses !== mailboxes) reasons.push(`Zoho has ${z.licenses} licences, WHMCS bills ${mailboxes} mailboxes`);
      if (z.payPeriod === null) reasons.push("the Zoho subscription has no pay period");
      else {
        if (PAY_PERIOD_CYCLE[z.payPeriod] !== s.cycle) reasons.push(`Zoho bills the partner ${z.payPeriod}, WHMCS bills the customer ${s.cycle}`);
        const entry = key === undefined ? undefined : plans[key];
        if (entry !== undefined && !entry.payPeriods.includes(z.payPeriod)) reasons.push(`zoho.plans.${key}.payPeriods does not list ${z.payPeriod}`);
        plan = { type: "paid", payPeriod: z.payPeriod };
      }
      if (currency !== null && isCycle(s.cycle)) {
        if (!offered(p, currency, s.cycle)) reasons.push(`the product has no ${s.cycle} price in ${currency}, the client's currency`);
        const unpriced = unpricedOption(facts, s, currency);
        if (unpriced !== undefined) reasons.push(unpriced);
      }
    } else {
      if (moneyToCents(s.recurringAmount) !== 0n) reasons.push(`WHMCS bills ${s.recurringAmount} a cycle, the Zoho org is on ${z.type === "free" ? "the free plan" : "a trial"} (which bills 0.00)`);
      if (z.type === "trial") {
        if (z.trialPlan === null) reasons.push("Zoho reports a trial it does not name");
        else plan = { type: "trial", trialPlan: z.trialPlan };
      } else if (mailboxes > freeCap) {
        reasons.push(`${mailboxes} mailboxes is over the ${freeCap} users Zoho's free plan allows`);
      }
    }
  }
  if (currency === null && d !== undefined) comments.push("WHMCS did not say the client's currency");

  const org: DesiredCustomerOrg = {
    client: {
      email: (d?.email ?? "").trim().toLowerCase(),
      firstName: d?.firstName ?? "",
      lastName: d?.lastName ?? "",
      company: d?.company ?? "",
      address: { line1: d?.address1 ?? "", line2: d?.address2 ?? "", city: d?.city ?? "", state: d?.state ?? "", postcode: d?.postcode ?? "", country: (d?.country ?? "").trim().toUpperCase() },
      phone: d?.phone ?? "",
      currency,
    },
    domain: s.domain,
    product: facts.name ?? `#${facts.live.remoteId}`,
    billingCycle: s.cycle,
    mailboxes,
    options,
    plan,
    status: s.status === "suspended" ? "suspended" : "active",
  };
  return { service: s, org, reasons: [...new Set(reasons)], comments, product: facts.name ?? `product-${facts.live.remoteId}` };
}

/**
 * The catalog and the customer orgs as manifest files, and a report of what was not imported.
 * Pure: the same live state gives the same files, whatever the order it was read in.
 */
export function dumpBook(input: CustomerImportInput): DumpedBook {
  const plans = productZohoPlans(input);
  const catalog = dumpCatalog(input.catalog, MANAGED_MODULE, { productPlans: plans });
  const managed = input.catalog.products.filter((p) => p.state.module === MANAGED_MODULE);
  const facts = new Map(managed.map((p) => [p.remoteId, productFacts(input.catalog, p, catalog.productNames[p.remoteId], plans.get(p.remoteId)?.plan)]));
  const selected = input.productIds ?? new Set(managed.map((p) => p.remoteId));

  const inUseByDomain = new Map<string, LiveCustomerService[]>();
  for (const s of input.customers.services) {
    if (!facts.has(s.productId) || !IN_USE.has(s.status)) continue;
    inUseByDomain.set(s.domain, [...(inUseByDomain.get(s.domain) ?? []), s]);
  }
  for (const list of inUseByDomain.values()) list.sort((a, b) => compareIds(a.id, b.id));
  const emailCount = new Map<string, number>();
  for (const c of input.customers.clients) emailCount.set(c.email, (emailCount.get(c.email) ?? 0) + 1);
  const orgsByDomain = new Map(input.customers.zohoOrgs.map((o) => [o.domain, o]));

  const services = input.customers.services.filter((s) => selected.has(s.productId) && facts.has(s.productId)).sort((a, b) => compareCodeUnits(a.domain, b.domain) || compareIds(a.id, b.id));
  const notInUse = services.filter((s) => !IN_USE.has(s.status)).length;
  const candidates: Candidate[] = [];
  for (const s of services) {
    if (!IN_USE.has(s.status)) continue;
    const c = candidate(s, facts.get(s.productId) as ProductFacts, input, orgsByDomain.get(s.domain), inUseByDomain.get(s.domain) ?? [s], emailCount);
    candidates.push(s.status === "pending" ? { ...c, reasons: [`the order of service #${s.id} is still Pending in WHMCS (never accepted)`, ...c.reasons] } : c);
  }

  // Names by domain; a domain with several services gets one name per service.
  const names = orgNames(candidates.map((c) => c.service.domain));
  const nameOf = (c: Candidate): string => {
    const base = names.get(c.service.domain) as string;
    const same = inUseByDomain.get(c.service.domain) ?? [];
    return same.length > 1 ? `${base.slice(0, NAME_MAX - 12).replace(/-+$/, "")}-service-${c.service.id}`.slice(0, NAME_MAX) : base;
  };

  const docs = new Map<string, string[]>();
  const notImported: NotImported[] = [];
  let imported = 0;
  for (const c of candidates) {
    const name = nameOf(c);
    const ok = c.reasons.length === 0;
    const header = ok
      ? [`WHMCS service #${c.service.id}, client #${c.service.clientId}`, ...c.comments]
      : [`NOT IMPORTED: WHMCS service #${c.service.id} (client #${c.service.clientId}) cannot be adopted as it is:`, ...c.reasons.map((r) => `  - ${r}`), "settle it in WHMCS or Zoho and import again, or write the manifest by hand", ...c.comments];
    const text = customerOrgManifest(name, c.org, { comments: header, commentedOut: !ok });
    const file = `${CUSTOMERS_DIR}/${input.layout === "grouped" ? c.product : name}.yaml`;
    docs.set(file, [...(docs.get(file) ?? []), text]);
    if (ok) imported++;
    else notImported.push({ serviceId: c.service.id, domain: c.service.domain, name, reasons: c.reasons });
  }

  const files: Record<string, string> = { ...catalog.files };
  for (const [file, list] of [...docs].sort((a, b) => compareCodeUnits(a[0], b[0]))) files[file] = list.join("---\n");
  files[IMPORT_REPORT] = report(input, catalog.counts, imported, notImported, notInUse, plans, catalog.productNames, catalog.warnings);
  return {
    files,
    counts: { ...catalog.counts, orgs: imported, notImported: notImported.length, notInUse },
    notImported,
    warnings: catalog.warnings,
  };
}

function report(
  input: CustomerImportInput,
  counts: { readonly productGroups: number; readonly configOptionGroups: number; readonly products: number },
  imported: number,
  notImported: readonly NotImported[],
  notInUse: number,
  plans: ReadonlyMap<string, ProductZohoPlan>,
  productNames: Readonly<Record<string, string>>,
  warnings: readonly string[],
): string {
  const lines = [
    "reconcile import --customers",
    "",
    `catalog: ${counts.productGroups} product group(s), ${counts.configOptionGroups} option group(s), ${counts.products} product(s)`,
    `customer orgs: ${imported} imported, ${notImported.length} not imported (written commented out, listed below), ${notInUse} service(s) not in use skipped`,
    `Zoho orgs read: ${input.customers.zohoOrgs.length}; WHMCS clients read in detail: ${input.clients.size}`,
    "",
    "Zoho plan of each product:",
  ];
  for (const [pid, p] of [...plans].sort((a, b) => compareCodeUnits(productNames[a[0]] ?? a[0], productNames[b[0]] ?? b[0]))) {
    lines.push(`  ${productNames[pid] ?? `#${pid}`}: ${p.plan ?? "(none)"}${p.comments.length > 0 ? ` - ${p.comments.join("; ")}` : ""}`);
  }
  if (warnings.length > 0) lines.push("", "Catalog notes:", ...warnings.map((w) => `  ${w}`));
  lines.push("", notImported.length === 0 ? "Every service in use was imported." : "Not imported:");
  for (const n of notImported) {
    lines.push(`  ${n.domain} (service #${n.serviceId}, ${n.name}):`);
    for (const r of n.reasons) lines.push(`    - ${r}`);
  }
  const warned = input.customers.warnings;
  if (warned.length > 0) lines.push("", "Read notes:", ...warned.map((w) => `  ${w}`));
  return `${lines.join("\n")}\n`;
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || compareCodeUnits(a, b);
}
