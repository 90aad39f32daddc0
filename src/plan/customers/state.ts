import { compareCodeUnits } from "../../core/canonical.js";
import type { ZohoPlanEntry } from "../../model/config.js";
import {
  RECORD_FIELDS,
  type CustomerClientState,
  type CustomerOrgState,
  type CustomerRecordsState,
  type CustomerZohoPlanState,
  type CustomerZohoState,
  type LiveCustomerClient,
  type LiveCustomerService,
  type LiveZohoOrg,
  type LiveZohoPlan,
} from "../../model/customers.js";
import type { DesiredCustomerOrg } from "../../model/customer-org.js";
import type { OrgMatch } from "./match.js";
import type { CatalogContext, ProductContext } from "./products.js";

type Plans = Readonly<Record<string, ZohoPlanEntry>>;

/** Config key of a Store plan id (first key in code-unit order); `#<id>` when the config lacks it. */
export function planKeyOf(planId: number | null, plans: Plans): string | null {
  if (planId === null) return null;
  const key = Object.keys(plans)
    .sort(compareCodeUnits)
    .find((k) => plans[k]?.planId === planId);
  return key ?? `#${planId}`;
}

export function liveZohoPlanState(p: LiveZohoPlan, plans: Plans): CustomerZohoPlanState {
  switch (p.type) {
    case "free":
      return { type: "free" };
    case "trial":
      return { trialPlan: p.trialPlan, type: "trial" };
    case "paid":
      return { licenses: p.licenses, payPeriod: p.payPeriod, plan: planKeyOf(p.planId, plans), type: "paid" };
  }
}

function clientState(c: LiveCustomerClient): CustomerClientState {
  return { company: c.company, email: c.email, firstName: c.firstName, lastName: c.lastName };
}

function liveZoho(org: LiveZohoOrg | undefined, plans: Plans): CustomerZohoState {
  return org === undefined
    ? { org: false, plan: null, superAdmin: null }
    : { org: true, plan: liveZohoPlanState(org.plan, plans), superAdmin: org.superAdmin };
}

export function liveRecords(service: LiveCustomerService): CustomerRecordsState {
  const value = (name: string): string => (service.customFields[name]?.value ?? "").trim();
  const code = value(RECORD_FIELDS.verificationCode);
  return {
    superAdmin: value(RECORD_FIELDS.superAdmin).toLowerCase(),
    ...(code !== "" ? { verificationCode: code } : {}),
    verified: value(RECORD_FIELDS.verified),
    zoid: value(RECORD_FIELDS.zoid),
  };
}

/** The canonical live state of a matched org; null when WHMCS has no service for it yet. */
export function liveState(match: OrgMatch, catalog: CatalogContext, plans: Plans): CustomerOrgState | null {
  const s = match.service;
  if (s === undefined) return null;
  const owner = match.serviceClient;
  // Members in code-unit order, as every object of a plan is built: see canonicalJson.
  return {
    billing: { currency: owner?.currency ?? null, recurringAmount: s.recurringAmount },
    billingCycle: s.cycle,
    client: owner === undefined ? { company: "", email: "", firstName: "", lastName: "" } : clientState(owner),
    domain: s.domain,
    mailboxes: s.mailboxes ?? null,
    options: s.options,
    product: catalog.nameOfPid(s.productId),
    records: liveRecords(s),
    status: s.status,
    zoho: liveZoho(match.zohoOrg, plans),
  };
}

/** The Zoho plan a manifest asks for, with the product's Zoho plan resolved. */
export function desiredZohoPlan(spec: DesiredCustomerOrg, product: ProductContext): CustomerZohoPlanState {
  const p = spec.plan;
  if (p.type === "free") return { type: "free" };
  if (p.type === "trial") return { trialPlan: p.trialPlan, type: "trial" };
  return { licenses: spec.mailboxes, payPeriod: p.payPeriod, plan: product.spec?.zoho?.plan ?? null, type: "paid" };
}

/**
 * The state applying the manifest would leave. Existing clients keep their details (the tool does
 * not edit clients); an existing Zoho org keeps its super admin (Zoho cannot change it through the
 * partner API), a new one gets `newSuperAdmin` (see `superAdminsForNewOrgs`); termination cancels a paid subscription, creates nothing and leaves the service's
 * product, cycle and quantity as they are.
 */
export function desiredState(
  spec: DesiredCustomerOrg,
  match: OrgMatch,
  product: ProductContext,
  before: CustomerOrgState | null,
  plans: Plans,
  newSuperAdmin: string,
  billing: (terms: Omit<CustomerOrgState, "billing">) => CustomerOrgState["billing"],
): CustomerOrgState {
  const org = match.zohoOrg;
  const client: CustomerClientState =
    match.client !== undefined
      ? clientState(match.client)
      : { company: spec.client.company, email: spec.client.email, firstName: spec.client.firstName, lastName: spec.client.lastName };
  let zoho: CustomerZohoState;
  let records: CustomerRecordsState;
  if (spec.status === "terminated") {
    const live = liveZoho(org, plans);
    zoho = live.plan?.type === "paid" ? { ...live, plan: { type: "free" } } : live;
    records = org !== undefined ? recordsOf(org, before) : (before?.records ?? { superAdmin: "", verified: "", zoid: "" });
  } else {
    zoho = { org: true, plan: desiredZohoPlan(spec, product), superAdmin: org?.superAdmin ?? newSuperAdmin };
    records = org !== undefined ? recordsOf(org, before) : { superAdmin: newSuperAdmin, verified: "false", zoid: null };
  }
  // A terminated service keeps what it had: changing the quantity of a dead service bills nobody.
  const kept = spec.status === "terminated" && before !== null ? before : undefined;
  const terms: Omit<CustomerOrgState, "billing"> = {
    billingCycle: kept?.billingCycle ?? spec.billingCycle,
    client,
    domain: spec.domain,
    mailboxes: kept !== undefined ? kept.mailboxes : spec.mailboxes,
    options: kept?.options ?? desiredOptions(spec, product),
    product: kept?.product ?? spec.product,
    records,
    status: spec.status,
    zoho,
  };
  // Members in code-unit order (billing first), as every object of a plan is built: see canonicalJson.
  return {
    billing: kept?.billing ?? billing(terms),
    billingCycle: terms.billingCycle,
    client,
    domain: terms.domain,
    mailboxes: terms.mailboxes,
    options: terms.options,
    product: terms.product,
    records,
    status: terms.status,
    zoho,
  };
}

/** Every choice option of the product, with the manifest's choice or the option's default. */
export function desiredOptions(spec: DesiredCustomerOrg, product: ProductContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of product.options?.choices ?? []) out[c.key] = spec.options[c.key] ?? c.defaultChoice;
  return out;
}

/**
 * The records an org should have. The verification code is recorded while the domain is unverified
 * and its code is known; otherwise whatever is recorded stays (no write only to clear it).
 */
function recordsOf(org: LiveZohoOrg, before: CustomerOrgState | null): CustomerRecordsState {
  const code = !org.verified && org.cnameCode !== undefined && org.cnameCode.trim() !== "" ? org.cnameCode.trim() : before?.records.verificationCode;
  return { superAdmin: org.superAdmin, ...(code !== undefined ? { verificationCode: code } : {}), verified: String(org.verified), zoid: org.zoid };
}

/**
 * The super admin of each org that must be created. Zoho makes an email the super admin of one
 * org only (and its Store keys subscriptions by that email), so the client's email goes to the
 * first org (by name) that needs it; further orgs of the client get `admin@<their domain>`, the
 * default of Zoho's own cPanel plugin. Emails already super admin of a live org are taken.
 * Undefined for a name means both candidates are taken.
 */
export function superAdminsForNewOrgs(
  desired: readonly { readonly name: string; readonly spec: DesiredCustomerOrg }[],
  matches: readonly (OrgMatch | undefined)[],
  liveOrgs: readonly { readonly superAdmin: string }[],
): Map<string, string | undefined> {
  // Built only when some org needs a super admin: a plan with no new org needs no set of every live one.
  let taken: Set<string> | undefined;
  const out = new Map<string, string | undefined>();
  for (let i = 0; i < desired.length; i++) {
    const r = desired[i] as (typeof desired)[number];
    if (matches[i]?.zohoOrg !== undefined || r.spec.status === "terminated") continue;
    const used = (taken ??= new Set(liveOrgs.map((o) => o.superAdmin)));
    const pick = [r.spec.client.email, `admin@${r.spec.domain}`].find((e) => !used.has(e));
    if (pick !== undefined) used.add(pick);
    out.set(r.name, pick);
  }
  return out;
}
