import { relative } from "node:path";
import { canonicalJson, compareCodeUnits } from "../core/canonical.js";
import { isCycle } from "../core/cycles.js";
import type { ManifestIssue } from "../core/errors.js";
import { resourceKey } from "../model/catalog.js";
import type { DesiredCatalog, DesiredProduct, DesiredResource, Kind, SourcePosition } from "../model/catalog.js";
import type { ZohoPayPeriod, ZohoPlanEntry } from "../model/config.js";
import { IssueCode } from "./codes.js";
import { TRIAL_PLANS, type DesiredCustomerOrg, type TrialPlanName } from "../model/customer-org.js";
import type { Declared, Normalized } from "./documents.js";
import { issue } from "./issues.js";
import { pointer } from "./locate.js";
import type { PathSegment } from "./locate.js";
import { didYouMean } from "../core/suggest.js";

export interface CrossInput {
  readonly declared: readonly Declared[];
  readonly normalized: readonly Normalized[];
  /** Zoho plan catalogue to check product references against; undefined when the config is invalid. */
  readonly zohoPlans: Readonly<Record<string, ZohoPlanEntry>> | undefined;
  /** Folder that positions in messages are shown relative to. */
  readonly displayRoot: string;
}

export interface CrossResult {
  readonly catalog: DesiredCatalog;
  readonly customerOrgs: readonly DesiredResource<"CustomerOrg", DesiredCustomerOrg>[];
  readonly issues: readonly ManifestIssue[];
}

/** Checks that need every document: unique names, references, and facts shared between documents. */
export function crossCheck(input: CrossInput): CrossResult {
  const issues: ManifestIssue[] = [];
  const where = (p: SourcePosition): string => `${relative(input.displayRoot, p.file) || p.file}:${p.line}:${p.col}`;
  const report: Report = (d, code, path, message, hint) => {
    const ptr = pointer(path);
    const pos = positionOf(d, ptr);
    issues.push(issue({ code, file: pos.file, line: pos.line, col: pos.col, path: ptr, message, hint }));
  };

  // Names per kind. The first declaration wins; later ones are reported where they are.
  const names = new Map<Kind, Map<string, Declared>>();
  for (const d of input.declared) {
    const byName = names.get(d.kind) ?? new Map<string, Declared>();
    names.set(d.kind, byName);
    const first = byName.get(d.name);
    if (first) {
      report(
        d,
        IssueCode.duplicateName,
        ["metadata", "name"],
        `${d.kind} '${d.name}' is declared twice: here and at ${where(positionOf(first, "/metadata/name"))}`,
        "metadata.name must be unique per kind",
      );
    } else {
      byName.set(d.name, d);
    }
  }
  const namesOf = (kind: Kind): string[] => [...(names.get(kind)?.keys() ?? [])].sort(compareCodeUnits);
  const isDeclared = (kind: Kind, name: string): boolean => names.get(kind)?.has(name) ?? false;

  const products = new Map<string, DesiredProduct>();
  for (const n of input.normalized) if (n.kind === "Product" && !products.has(n.name)) products.set(n.name, n.spec);

  for (const n of input.normalized) {
    if (n.kind !== "Product") continue;
    const spec = n.spec;
    if (!isDeclared("ProductGroup", spec.group)) {
      report(n, IssueCode.unknownGroup, ["spec", "group"], `no ProductGroup named '${spec.group}'`, hintFor(spec.group, namesOf("ProductGroup"), "ProductGroup"));
    }
    n.writtenOptionGroups.forEach((name, i) => {
      if (!isDeclared("ConfigOptionGroup", name)) {
        report(
          n,
          IssueCode.unknownConfigOptionGroup,
          ["spec", "configOptionGroups", i],
          `no ConfigOptionGroup named '${name}'`,
          hintFor(name, namesOf("ConfigOptionGroup"), "ConfigOptionGroup"),
        );
      }
    });
    if (spec.zoho && input.zohoPlans && !(spec.zoho.plan in input.zohoPlans)) {
      const known = Object.keys(input.zohoPlans).sort(compareCodeUnits);
      report(
        n,
        IssueCode.unknownZohoPlan,
        ["spec", "zoho", "plan"],
        `no Zoho plan named '${spec.zoho.plan}' in the config's zoho.plans`,
        didYouMean(spec.zoho.plan, known) ?? `known plans: ${known.join(", ")}; add it under zoho.plans in the config`,
      );
    }
  }

  const customerOrgs: DesiredResource<"CustomerOrg", DesiredCustomerOrg>[] = [];
  const domains = new Map<string, Declared>();
  const clients = new Map<string, { readonly json: string; readonly declared: Declared }>();
  for (const n of input.normalized) {
    if (n.kind !== "CustomerOrg") continue;
    const spec = n.spec;
    const firstDomain = domains.get(spec.domain);
    if (firstDomain) {
      report(
        n,
        IssueCode.customerDuplicateDomain,
        ["spec", "domain"],
        `the domain '${spec.domain}' is also declared at ${where(positionOf(firstDomain, "/spec/domain"))}`,
        "a domain is the natural key of one WHMCS service and one Zoho org",
      );
    } else {
      domains.set(spec.domain, n);
    }
    const clientJson = canonicalJson(spec.client);
    const firstClient = clients.get(spec.client.email);
    if (firstClient && firstClient.json !== clientJson) {
      report(
        n,
        IssueCode.customerClientMismatch,
        ["spec", "client"],
        `the client '${spec.client.email}' is described differently at ${where(positionOf(firstClient.declared, "/spec/client"))}`,
        "orgs with the same client email share one WHMCS client: make their client details identical",
      );
    } else if (!firstClient) {
      clients.set(spec.client.email, { json: clientJson, declared: n });
    }

    if (!isDeclared("Product", spec.product)) {
      report(n, IssueCode.unknownProduct, ["spec", "product"], `no Product named '${spec.product}'`, hintFor(spec.product, namesOf("Product"), "Product"));
      continue;
    }
    const product = products.get(spec.product);
    if (!product) continue; // declared but invalid: already reported where it is

    checkBillingCycle(n, spec.billingCycle, spec.product, product, report);

    let plan: DesiredCustomerOrg["plan"];
    if (spec.plan.type === "paid") {
      if (!product.zoho) {
        report(
          n,
          IssueCode.customerNoZohoPlan,
          ["spec", "plan", "type"],
          `plan type paid needs a Zoho plan, and Product '${spec.product}' has no zoho.plan`,
          "set zoho.plan on the product, or use plan type trial or free",
        );
        continue;
      }
      const entry = input.zohoPlans?.[product.zoho.plan];
      if (!entry) continue; // unknown plan (reported on the product) or invalid config
      const payPeriod = spec.plan.payPeriod ?? defaultPayPeriod(spec.billingCycle, entry);
      if (!entry.payPeriods.includes(payPeriod)) {
        report(
          n,
          IssueCode.customerPayPeriod,
          spec.plan.payPeriod === undefined ? ["spec", "plan"] : ["spec", "plan", "payPeriod"],
          `Zoho plan '${product.zoho.plan}' is not sold ${payPeriod}`,
          `it is sold: ${entry.payPeriods.join(", ")}`,
        );
        continue;
      }
      plan = { type: "paid", payPeriod };
    } else if (spec.plan.type === "trial") {
      const trial = resolveTrial(n, spec.plan.trialPlan, spec.product, product, input.zohoPlans, report);
      if (trial === undefined) continue;
      plan = { type: "trial", trialPlan: trial };
    } else {
      const cap = input.zohoPlans?.["free"]?.maxUsers ?? DEFAULT_FREE_USER_CAP;
      if (spec.mailboxes > cap && spec.status !== "terminated") {
        report(
          n,
          IssueCode.customerFreeCap,
          ["spec", "mailboxes"],
          `${spec.mailboxes} mailboxes is over the ${cap} users Zoho's free plan allows`,
          "use plan type paid (or a trial), or fewer mailboxes; zoho.plans.free.maxUsers sets the cap when Zoho granted another",
        );
        continue;
      }
      plan = spec.plan;
    }
    customerOrgs.push(resource("CustomerOrg", n, { ...spec, plan }));
  }

  const catalog: DesiredCatalog = {
    productGroups: byName(input.normalized.flatMap((n) => (n.kind === "ProductGroup" ? [resource(n.kind, n, n.spec)] : []))),
    configOptionGroups: byName(input.normalized.flatMap((n) => (n.kind === "ConfigOptionGroup" ? [resource(n.kind, n, n.spec)] : []))),
    products: byName(input.normalized.flatMap((n) => (n.kind === "Product" ? [resource(n.kind, n, n.spec)] : []))),
  };
  return { catalog, customerOrgs: byName(customerOrgs), issues };
}

/** Users Zoho's free plan allows, per its help pages, when `zoho.plans.free.maxUsers` does not say. */
const DEFAULT_FREE_USER_CAP = 5;

/**
 * `trialPlan` names a `zoho.plans` key (its family's trial) or Zoho's own trial name; either way it
 * must be a trial of the product's Zoho plan when that plan's trials are known.
 */
function resolveTrial(
  d: Declared,
  written: string,
  productName: string,
  product: DesiredProduct,
  plans: Readonly<Record<string, ZohoPlanEntry>> | undefined,
  report: Report,
): TrialPlanName | undefined {
  const path: readonly PathSegment[] = ["spec", "plan", "trialPlan"];
  let trial: TrialPlanName | undefined;
  if ((TRIAL_PLANS as readonly string[]).includes(written)) {
    trial = written as TrialPlanName;
  } else if (plans?.[written] !== undefined) {
    const first = plans[written]?.trials?.[0];
    if (first === undefined) {
      report(d, IssueCode.customerTrialPlan, path, `Zoho plan '${written}' has no trial`, "Zoho offers trials of workplace-standard, workplace-professional and mail-premium");
      return undefined;
    }
    trial = first as TrialPlanName;
  } else {
    const known = [...Object.keys(plans ?? {}).filter((k) => (plans?.[k]?.trials?.length ?? 0) > 0), ...TRIAL_PLANS].sort(compareCodeUnits);
    report(d, IssueCode.customerTrialPlan, path, `no trial named '${written}'`, didYouMean(written, known) ?? `trials: ${known.join(", ")}`);
    return undefined;
  }
  const family = product.zoho === undefined ? undefined : plans?.[product.zoho.plan]?.trials;
  if (family !== undefined && !family.includes(trial)) {
    report(
      d,
      IssueCode.customerTrialPlan,
      path,
      `the trial '${written}' is not a trial of Product '${productName}''s Zoho plan '${product.zoho?.plan ?? ""}'`,
      family.length > 0 ? `its trial is ${family.join(", ")}` : `Zoho plan '${product.zoho?.plan ?? ""}' has no trial: use plan type free or paid`,
    );
    return undefined;
  }
  return trial;
}

type Report = (d: Declared, code: IssueCode, path: readonly PathSegment[], message: string, hint?: string) => void;

/** A recorded position, or the document start for a path no check registered. */
function positionOf(d: Declared, ptr: string): SourcePosition {
  return d.positions.get(ptr) ?? d.source;
}

/** The billing cycle must be one the product sells: a priced cycle, or its one-time / free pay type. */
function checkBillingCycle(d: Declared, cycle: DesiredCustomerOrg["billingCycle"], productName: string, product: DesiredProduct, report: Report): void {
  const path = ["spec", "billingCycle"];
  if (product.payType === "free" || product.payType === "onetime") {
    if (cycle !== product.payType) {
      report(d, IssueCode.customerBillingCycle, path, `Product '${productName}' has payType ${product.payType}`, `write billingCycle: ${product.payType}`);
    }
    return;
  }
  const offered = new Set<string>();
  for (const row of Object.values(product.pricing)) for (const key of Object.keys(row)) if (isCycle(key)) offered.add(key);
  if (!isCycle(cycle) || !offered.has(cycle)) {
    const list = [...offered].sort(compareCodeUnits);
    report(
      d,
      IssueCode.customerBillingCycle,
      path,
      `Product '${productName}' is not sold ${cycle}`,
      list.length > 0 ? `it is priced: ${list.join(", ")}` : "the product has no recurring prices",
    );
  }
}

/** Monthly billing pays Zoho monthly when the plan allows it; everything else pays yearly when it can. */
function defaultPayPeriod(cycle: DesiredCustomerOrg["billingCycle"], entry: ZohoPlanEntry): ZohoPayPeriod {
  if (cycle === "monthly" && entry.payPeriods.includes("monthly")) return "monthly";
  if (entry.payPeriods.includes("yearly")) return "yearly";
  return entry.payPeriods[0] ?? "yearly";
}

function hintFor(name: string, known: readonly string[], kind: Kind): string {
  return didYouMean(name, known) ?? (known.length > 0 ? `declared ${kind}s: ${known.join(", ")}` : `no ${kind} is declared in the manifests`);
}

function resource<K extends Kind, S>(kind: K, d: Declared, spec: S): DesiredResource<K, S> {
  const base = { kind, name: d.name, key: resourceKey(kind, d.name), spec, source: d.source };
  // Customer orgs keep their field positions: plan-time refusals point at the field, not the document.
  return kind === "CustomerOrg" ? { ...base, fields: Object.fromEntries(d.positions) } : base;
}

function byName<T extends { readonly name: string }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => compareCodeUnits(a.name, b.name));
}
