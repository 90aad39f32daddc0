import { compareCodeUnits } from "../../core/canonical.js";
import type { ManifestIssue } from "../../core/errors.js";
import { resourceKey, type SourcePosition } from "../../model/catalog.js";
import type { CustomerOrgState, LiveOrder, LiveZohoOrg } from "../../model/customers.js";
import type { BillingImpact, BlockedOrg, Change, ChangeAction, ChangeImpact, LicenceDeltas, LicenseImpact, PendingItem, UnmanagedObject } from "../../model/plan.js";
import { diffStates, toFieldDiffs, type SegmentDiff } from "../diff.js";
import { fieldSource, issueAt } from "../errors.js";
import { classifyCustomer } from "./classify.js";
import { CustomerIssueCode } from "./codes.js";
import { DEFAULT_FREE_USER_CAP, DEFAULT_VERIFY_CNAME_TARGET, type CustomerPlanInput, type DesiredCustomerResource } from "./input.js";
import { decideBilling, mrrMoney, scaledMrr, type BillingDecision } from "./billing.js";
import { didYouMean } from "../../core/suggest.js";
import { DEFAULT_ORDER_SETTINGS, type OrderSettings } from "../../model/config.js";
import { checkCustomerOrg } from "./invariants.js";
import { matchCustomers, type OrgMatch } from "./match.js";
import { customerNotes } from "./notes.js";
import { pendingVerification } from "./pending.js";
import type { CatalogContext, ProductContext } from "./products.js";
import { desiredState, liveState, superAdminsForNewOrgs } from "./state.js";
import { unmanagedCustomers } from "./unmanaged.js";

/** The customer-org part of a plan, before it is merged with the catalog part. */
export interface CustomerPlanPart {
  /** Sorted by key. */
  readonly changes: readonly Change[];
  readonly unmanaged: readonly UnmanagedObject[];
  readonly warnings: readonly string[];
  /** Sorted by key. */
  readonly pending: readonly PendingItem[];
  /** Problems the manifests alone decide: the plan must not be applied while there are any. */
  readonly issues: readonly ManifestIssue[];
  /** Orgs live state blocks (their changes are left out), sorted by key. */
  readonly blocked: readonly BlockedOrg[];
}

/**
 * Problems live state decides: they block one org, never the plan. Everything else is decided by
 * the manifests alone (and `reconcile validate` reports most of it first).
 */
const LIVE_CODES: ReadonlySet<string> = new Set([
  CustomerIssueCode.yearlyToMonthly,
  CustomerIssueCode.belowUsedMailboxes,
  CustomerIssueCode.trialUnavailable,
  CustomerIssueCode.trialChange,
  CustomerIssueCode.trialToFree,
  CustomerIssueCode.clientMismatch,
  CustomerIssueCode.ambiguousService,
  CustomerIssueCode.ambiguousClient,
  CustomerIssueCode.superAdminTaken,
  CustomerIssueCode.licenseMismatch,
  CustomerIssueCode.duplicateService,
  CustomerIssueCode.duplicateZohoOrg,
  CustomerIssueCode.duplicateZoid,
  CustomerIssueCode.liveCurrency,
]);

/**
 * Plans every declared customer org against live WHMCS and Zoho state: pure and deterministic.
 * One Change per org, with field-level diffs over `CustomerOrgState`; issues are returned, not
 * thrown, so the caller can report them together with the catalog's.
 */
export function computeCustomerChanges(input: CustomerPlanInput, catalog: CatalogContext): CustomerPlanPart {
  const manifestIssues: ManifestIssue[] = [];
  const desired = dedupe(input.desired, manifestIssues);
  const blocked: BlockedOrg[] = [];
  const freeUserCap = input.freeUserCap ?? input.zohoPlans["free"]?.maxUsers ?? DEFAULT_FREE_USER_CAP;
  const cnameTarget = input.verifyCnameTarget ?? DEFAULT_VERIFY_CNAME_TARGET;
  const matched = matchCustomers(desired, input.live, catalog);
  const superAdmins = superAdminsForNewOrgs(desired, matched.matches, input.live.zohoOrgs);
  const orderById = ordersById(input.live.orders);
  const changes: Change[] = [];
  const pending: PendingItem[] = [];
  const warnings: string[] = [...input.live.warnings];

  for (let i = 0; i < desired.length; i++) {
    const r = desired[i] as DesiredCustomerResource;
    const match = matched.matches[i] as OrgMatch;
    const issues: ManifestIssue[] = [...(matched.issues.get(r.name) ?? [])];
    const product = catalog.product(r.spec.product);
    checkCustomerOrg(r.name, r, r.spec, product, match, { plans: input.zohoPlans, freeUserCap }, issues);

    const before = liveState(match, catalog, input.zohoPlans);
    const newSuperAdmin = superAdmins.get(r.name);
    if (superAdmins.has(r.name) && newSuperAdmin === undefined) {
      issues.push(
        issueAt(
          r.source,
          CustomerIssueCode.superAdminTaken,
          "/spec/client/email",
          `CustomerOrg ${r.name}: ${r.spec.client.email} and admin@${r.spec.domain} are both super admins of other Zoho orgs already`,
          "Zoho makes an email the super admin of one org only: declare this org under a client with another email",
        ),
      );
    }
    // An existing client pays in its own currency; unknown stays unknown (no money figure, no change).
    const currency = match.client !== undefined ? (match.client.currency ?? null) : (r.spec.client.currency ?? input.defaultCurrency ?? null);
    let decision: BillingDecision | undefined;
    const after = desiredState(r.spec, match, product, before, input.zohoPlans, newSuperAdmin ?? r.spec.client.email, (terms) => {
      if (currency === null) return { currency: null, recurringAmount: before?.billing.recurringAmount ?? "0.00" };
      decision = decideBilling({ terms, before, product: product.spec, options: product.options, currency, repriced: repriced(input.reprice, r.spec.product) });
      return { currency, recurringAmount: decision.recurringAmount };
    });
    checkMoney(r, product, match, currency, decision, warnings, issues);
    const live = issues.filter((i) => LIVE_CODES.has(i.code));
    manifestIssues.push(...issues.filter((i) => !LIVE_CODES.has(i.code)));
    const nothingToTerminate = before === null && r.spec.status === "terminated";
    const diffs = nothingToTerminate ? [] : diffStates(before, after);
    const action = nothingToTerminate ? "noop" : actionOf(before, diffs);
    checkLicences(r, after, issues);

    const notes = action === "noop" && !nothingToTerminate ? [] : customerNotes({ action, before, after, diffs, match, plans: input.zohoPlans, order: orderOf(orderById, match) });
    const licenses = action === "noop" ? undefined : licenceImpact(before, after, match.zohoOrg, freeUserCap);
    const billing = action === "noop" ? undefined : billingImpact(before, after, decision, action === "create" ? (input.orders ?? DEFAULT_ORDER_SETTINGS) : undefined);
    const licenceDeltas = action === "noop" ? undefined : licenceDeltasOf(before, after);
    const impact: ChangeImpact = {
      ...(billing !== undefined ? { billing } : {}),
      ...(licenceDeltas !== undefined ? { licenceDeltas } : {}),
      ...(licenses !== undefined ? { licenses } : {}),
      ...(notes.length > 0 ? { notes } : {}),
    };
    const key = resourceKey("CustomerOrg", r.name);
    if (live.length > 0) {
      blocked.push({
        key,
        reasons: live.map((i) => ({
          code: i.code,
          message: i.message,
          ...(i.hint !== undefined ? { hint: i.hint } : {}),
          field: i.path,
          file: i.file,
          line: i.line,
          col: i.col,
        })),
        source: { file: r.source.file, line: r.source.line, col: r.source.col },
      });
    } else changes.push({
      // Members in code-unit order, as every object of a plan is built: see canonicalJson.
      action,
      after,
      before,
      classes: classifyCustomer(action, diffs),
      dependsOn: product.dependsOn,
      // A create's fields are its `after`: the plan lists no diffs for it (fieldDiffs derives them).
      diffs: action === "create" ? [] : toFieldDiffs(diffs),
      id: key,
      impact,
      key,
      kind: "CustomerOrg",
      name: r.name,
      ...(match.service !== undefined ? { remoteId: match.service.id } : {}),
      source: { col: r.source.col, file: r.source.file, line: r.source.line },
    });

    const org = match.zohoOrg;
    if (org !== undefined && !org.verified && r.spec.status !== "terminated") pending.push(pendingVerification(r.name, org, cnameTarget));
    if (match.client !== undefined) warnings.push(...clientDifferences(r, match.client));
  }

  return {
    changes: changes.sort((a, b) => compareCodeUnits(a.key, b.key)),
    unmanaged: unmanagedCustomers(
      matched.unmatchedServices.filter((s) => !input.otherShardDomains?.has(s.domain)),
      matched.unmatchedZohoOrgs.filter((o) => !input.otherShardDomains?.has(o.domain)),
      matched.clientById,
    ),
    warnings,
    pending: pending.sort((a, b) => compareCodeUnits(a.key, b.key)),
    issues: manifestIssues,
    blocked: blocked.sort((a, b) => compareCodeUnits(a.key, b.key)),
  };
}

/** The orders live state carries by id, indexed on first use (a plan with no pending service builds nothing). */
function ordersById(orders: readonly LiveOrder[] | undefined): (id: string) => LiveOrder | undefined {
  let index: Map<string, LiveOrder> | undefined;
  return (id) => {
    if (orders === undefined || orders.length === 0) return undefined;
    if (index === undefined) {
      index = new Map();
      // The first order of an id wins, as Array.find found it.
      for (const o of orders) if (!index.has(o.id)) index.set(o.id, o);
    }
    return index.get(id);
  };
}

/** The pending order of the matched service, when live state carries it (a storefront order to accept). */
function orderOf(orderById: (id: string) => LiveOrder | undefined, match: OrgMatch): LiveOrder | undefined {
  const service = match.service;
  if (service === undefined || service.status !== "pending") return undefined;
  return orderById(service.orderId);
}

function repriced(policy: CustomerPlanInput["reprice"], product: string): boolean {
  return policy === "all" || (Array.isArray(policy) && policy.includes(product));
}

/** What the service bills before and after, and what a new order does; undefined when nothing about money moves. */
function billingImpact(
  before: CustomerOrgState | null,
  after: CustomerOrgState,
  decision: BillingDecision | undefined,
  orders: OrderSettings | undefined,
): BillingImpact | undefined {
  const currency = after.billing.currency;
  if (currency === null) return undefined;
  const delta = scaledMrr(after) - scaledMrr(before);
  const same = before !== null && before.billing.recurringAmount === after.billing.recurringAmount && before.billingCycle === after.billingCycle && delta === 0n;
  if (same && orders === undefined) return undefined;
  const paid = after.zoho.plan?.type === "paid";
  return {
    currency,
    cycleBefore: before?.billingCycle ?? null,
    cycleAfter: after.billingCycle,
    before: before?.billing.recurringAmount ?? null,
    after: after.billing.recurringAmount,
    mrrDelta: mrrMoney(delta),
    basis: decision?.basis ?? "amount kept",
    ...(orders !== undefined && after.status !== "terminated"
      ? {
          order: {
            invoice: paid && orders.invoice && after.billing.recurringAmount !== "0.00",
            amount: after.billing.recurringAmount,
            emailTo: orders.emails ? after.client.email : null,
          },
        }
      : {}),
  };
}

/** Paid Zoho licences released by the before state and bought by the after state, per plan and pay period. */
function licenceDeltasOf(before: CustomerOrgState | null, after: CustomerOrgState): LicenceDeltas | undefined {
  const out: Record<string, number> = {};
  const add = (state: CustomerOrgState | null, sign: number): void => {
    const p = state?.zoho.plan;
    if (p?.type !== "paid" || p.plan === null || p.payPeriod === null) return;
    const key = `${p.plan}/${p.payPeriod}`;
    out[key] = (out[key] ?? 0) + sign * p.licenses;
  };
  add(before, -1);
  add(after, 1);
  for (const k of Object.keys(out)) if (out[k] === 0) delete out[k];
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * Money problems at the manifest's field: a currency WHMCS does not have, a product or option
 * without a price in the client's currency, an unknown option or choice. An existing client in
 * another currency than declared is a warning naming both (the tool does not edit clients).
 */
function checkMoney(
  r: DesiredCustomerResource,
  product: ProductContext,
  match: OrgMatch,
  currency: string | null,
  decision: BillingDecision | undefined,
  warnings: string[],
  issues: ManifestIssue[],
): void {
  const report = (path: string, message: string, hint?: string): void => {
    issues.push(issueAt(fieldSource(r, path), CustomerIssueCode.billing, path, `CustomerOrg ${r.name}: ${message}`, hint));
  };
  const declared = r.spec.client.currency;
  const live = match.client?.currency;
  if (declared !== null && live !== undefined && live !== declared) {
    warnings.push(
      `CustomerOrg/${r.name}: WHMCS client #${match.client?.id} ${r.spec.client.email} pays in ${live}, the manifest says ${declared}; ` +
        `existing clients are not edited: the service bills in ${live}`,
    );
  }
  if (r.spec.status === "terminated") return;
  const choices = product.options?.choices ?? [];
  for (const [key, value] of Object.entries(r.spec.options)) {
    const option = choices.find((c) => c.key === key);
    if (option === undefined) {
      const hint = didYouMean(key, choices.map((c) => c.key));
      report(
        `/spec/options/${key}`,
        `Product '${r.spec.product}' has no dropdown, radio or yes/no option '${key}'`,
        hint ?? (choices.length > 0 ? `its options are ${choices.map((c) => c.key).join(", ")}` : "its option groups offer no choices"),
      );
    } else if (!option.choices.includes(value)) {
      report(`/spec/options/${key}`, `option '${key}' has no choice '${value}'`, didYouMean(value, option.choices) ?? `choose one of ${option.choices.join(", ")}`);
    }
  }
  if (decision?.problem !== undefined && currency !== null && decision.problem.field !== "/spec/billingCycle") {
    report(decision.problem.field, decision.problem.message, `declare the price in the catalog manifest, or give the client another currency`);
  }
}

/**
 * `create` without a service; `adopt` for a service whose ZOID field is empty (not the tool's
 * yet); for owned services `noop`, `assign` when only the Zoho plan differs, else `update`.
 */
function actionOf(before: CustomerOrgState | null, diffs: readonly SegmentDiff[]): ChangeAction {
  if (before === null) return "create";
  if (before.records.zoid === "") return "adopt";
  if (diffs.length === 0) return "noop";
  return diffs.every((d) => d.segments[0] === "zoho" && d.segments[1] === "plan") ? "assign" : "update";
}

/** Zoho licences before and after, when a paid plan is involved on either side and the count moves. */
function licenceImpact(before: CustomerOrgState | null, after: CustomerOrgState, org: LiveZohoOrg | undefined, freeUserCap: number): LicenseImpact | undefined {
  const liveLicences = org === undefined ? null : org.plan.type === "paid" ? org.plan.licenses : org.licenseCount;
  const plan = after.zoho.plan;
  const afterLicences = plan?.type === "paid" ? plan.licenses : plan?.type === "free" ? freeUserCap : null;
  const paidBefore = before?.zoho.plan?.type === "paid" || org?.plan.type === "paid";
  if ((!paidBefore && plan?.type !== "paid") || liveLicences === afterLicences) return undefined;
  return { before: liveLicences, after: afterLicences };
}

/** A guard on the engine itself: a paid plan always carries as many licences as WHMCS bills mailboxes. */
function checkLicences(r: DesiredCustomerResource, after: CustomerOrgState, issues: ManifestIssue[]): void {
  const plan = after.zoho.plan;
  if (after.status === "terminated" || plan?.type !== "paid" || plan.licenses === after.mailboxes) return;
  issues.push(
    issueAt(
      r.source,
      CustomerIssueCode.licenseMismatch,
      "/spec/mailboxes",
      `CustomerOrg ${r.name}: Zoho licences (${plan.licenses}) would differ from the WHMCS mailbox quantity (${after.mailboxes ?? "none"})`,
    ),
  );
}

/** Existing clients are not edited: their differences are reported for a person to settle. */
function clientDifferences(r: DesiredCustomerResource, client: { readonly id: string; readonly firstName: string; readonly lastName: string; readonly company: string }): string[] {
  const c = r.spec.client;
  const out: string[] = [];
  for (const [field, live, want] of [
    ["firstName", client.firstName, c.firstName],
    ["lastName", client.lastName, c.lastName],
    ["company", client.company, c.company],
  ] as const) {
    if (live.trim() !== want.trim()) {
      out.push(
        `CustomerOrg/${r.name}: WHMCS client #${client.id} ${c.email} has ${field} ${JSON.stringify(live)}, the manifest ${JSON.stringify(want)}; ` +
          "existing clients are not edited: change it in WHMCS or in the manifest",
      );
    }
  }
  return out;
}

/** By name, then position; a second declaration of a name or a domain is an issue and is dropped. */
function dedupe(list: readonly DesiredCustomerResource[], issues: ManifestIssue[]): DesiredCustomerResource[] {
  const sorted = [...list].sort(
    (a, b) => compareCodeUnits(a.name, b.name) || compareSource(a.source, b.source),
  );
  // Sorted by name, a name's declarations are side by side, the first one first: no table of names.
  const domains = new Map<string, string>();
  const out: DesiredCustomerResource[] = [];
  let first: DesiredCustomerResource | undefined;
  for (const r of sorted) {
    if (first !== undefined && first.name === r.name) {
      const at = first.source;
      issues.push(
        issueAt(r.source, CustomerIssueCode.duplicateName, "/metadata/name", `CustomerOrg/${r.name} is declared more than once`, `also declared at ${at.file}:${at.line}:${at.col}`),
      );
      continue;
    }
    first = r;
    const other = domains.get(r.spec.domain);
    if (other !== undefined) {
      issues.push(
        issueAt(r.source, CustomerIssueCode.duplicateDomain, "/spec/domain", `the domain ${r.spec.domain} is also declared by CustomerOrg/${other}`, "a domain is the natural key of one WHMCS service and one Zoho org"),
      );
      continue;
    }
    domains.set(r.spec.domain, r.name);
    out.push(r);
  }
  return out;
}

function compareSource(a: SourcePosition, b: SourcePosition): number {
  return compareCodeUnits(a.file, b.file) || a.line - b.line || a.col - b.col;
}
