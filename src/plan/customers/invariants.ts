import { compareCodeUnits } from "../../core/canonical.js";
import { isCycle } from "../../core/cycles.js";
import type { ManifestIssue } from "../../core/errors.js";
import type { ZohoPayPeriod, ZohoPlanEntry } from "../../model/config.js";
import type { SourcePosition } from "../../model/catalog.js";
import type { DesiredCustomerOrg } from "../../model/customer-org.js";
import { fieldSource, issueAt } from "../errors.js";
import { MANAGED_MODULE } from "../../model/catalog.js";
import { CustomerIssueCode } from "./codes.js";
import type { OrgMatch } from "./match.js";
import type { ProductContext } from "./products.js";

export interface InvariantContext {
  readonly plans: Readonly<Record<string, ZohoPlanEntry>>;
  readonly freeUserCap: number;
}

/** The WHMCS billing cycle that matches a Zoho pay period. */
export const CYCLE_OF_PAY_PERIOD: Readonly<Record<ZohoPayPeriod, "monthly" | "annually">> = { monthly: "monthly", yearly: "annually" };

/**
 * Cross-system invariants of one customer org, checked at plan time so that nothing is written
 * for a plan that could only half succeed. Each problem is an issue at the org's position.
 */
export function checkCustomerOrg(
  name: string,
  resource: { readonly source: SourcePosition; readonly fields?: Readonly<Record<string, SourcePosition>> },
  spec: DesiredCustomerOrg,
  product: ProductContext,
  match: OrgMatch,
  ctx: InvariantContext,
  issues: ManifestIssue[],
): void {
  const report = (code: string, path: string, message: string, hint?: string): void => {
    issues.push(issueAt(fieldSource(resource, path), code, path, `CustomerOrg ${name}: ${message}`, hint));
  };

  if (match.service !== undefined) {
    const owner = match.serviceClient;
    if (owner === undefined) {
      report(
        CustomerIssueCode.clientMismatch,
        "/spec/client/email",
        `WHMCS service #${match.service.id} for ${spec.domain} belongs to client #${match.service.clientId}, which GetClients does not list`,
        "check the client in the WHMCS admin area",
      );
    } else if (owner.email !== spec.client.email) {
      report(
        CustomerIssueCode.clientMismatch,
        "/spec/client/email",
        `WHMCS service #${match.service.id} for ${spec.domain} belongs to client #${owner.id} ${owner.email}, not ${spec.client.email}`,
        `the tool does not move services between clients: write email ${owner.email} in the manifest, or move the service in WHMCS first`,
      );
    }
  }

  const p = product.spec;
  if (p === undefined) {
    report(CustomerIssueCode.unknownProduct, "/spec/product", `no Product named '${spec.product}' is declared`, "declare the product in a catalog manifest");
    return;
  }
  if (p.module !== MANAGED_MODULE) {
    report(
      CustomerIssueCode.notZohoMail,
      "/spec/product",
      `Product '${spec.product}' uses module '${p.module}', not ${MANAGED_MODULE}`,
      `customer orgs are sold on ${MANAGED_MODULE} products only`,
    );
  }
  const range = product.mailboxes;
  if (range === undefined) {
    report(
      CustomerIssueCode.noMailboxesOption,
      "/spec/product",
      `Product '${spec.product}' has no quantity option 'mailboxes' in its configOptionGroups`,
      "link a ConfigOptionGroup with a quantity option keyed mailboxes: its quantity is the licence count billed in WHMCS",
    );
  } else if (spec.mailboxes < range.min || (range.max > 0 && spec.mailboxes > range.max)) {
    const bounds = range.max > 0 ? `${range.min}..${range.max}` : `at least ${range.min}`;
    report(
      CustomerIssueCode.mailboxesRange,
      "/spec/mailboxes",
      `${spec.mailboxes} mailboxes is outside the mailboxes option's range (${bounds})`,
      "WHMCS may clamp an out-of-range quantity, and licences would then differ from what is billed",
    );
  }
  checkCycleOffered(spec, p, report);

  if (spec.status === "terminated") return;
  const live = match.zohoOrg;
  if (live?.usersCount !== null && live?.usersCount !== undefined && spec.mailboxes < live.usersCount) {
    report(
      CustomerIssueCode.belowUsedMailboxes,
      "/spec/mailboxes",
      `${spec.mailboxes} mailboxes is below the ${live.usersCount} mailboxes the Zoho org ${spec.domain} uses`,
      "remove users in the Zoho Mail admin console first, or keep the mailbox count",
    );
  }

  const plan = spec.plan;
  if (plan.type === "paid") {
    if (p.zoho === undefined) {
      report(CustomerIssueCode.noZohoPlan, "/spec/plan/type", `plan type paid needs a Zoho plan, and Product '${spec.product}' has none`, "set zoho.plan on the product");
      return;
    }
    const entry = ctx.plans[p.zoho.plan];
    if (entry === undefined) {
      const known = Object.keys(ctx.plans).sort(compareCodeUnits);
      report(
        CustomerIssueCode.unknownZohoPlan,
        "/spec/product",
        `Product '${spec.product}' sells Zoho plan '${p.zoho.plan}', which is not in the config's zoho.plans`,
        known.length > 0 ? `configured plans: ${known.join(", ")}` : "add it under zoho.plans in the config",
      );
      return;
    }
    if (!entry.payPeriods.includes(plan.payPeriod)) {
      report(
        CustomerIssueCode.payPeriodNotOffered,
        "/spec/plan/payPeriod",
        `Zoho plan '${p.zoho.plan}' is not sold ${plan.payPeriod}`,
        `zoho.plans.${p.zoho.plan}.payPeriods: ${entry.payPeriods.join(", ")}`,
      );
    }
    const cycle = CYCLE_OF_PAY_PERIOD[plan.payPeriod];
    if (spec.billingCycle !== cycle) {
      report(
        CustomerIssueCode.cyclePayPeriod,
        "/spec/billingCycle",
        `billing cycle ${spec.billingCycle} does not match the Zoho pay period ${plan.payPeriod}`,
        "Zoho bills the partner monthly (MONT) or yearly (YEAR): bill the customer monthly or annually to match",
      );
    }
    if (entry.maxUsers !== undefined && spec.mailboxes > entry.maxUsers) {
      report(
        CustomerIssueCode.planUserCap,
        "/spec/mailboxes",
        `${spec.mailboxes} mailboxes is over the ${entry.maxUsers} users Zoho plan '${p.zoho.plan}' allows`,
        `zoho.plans.${p.zoho.plan}.maxUsers is ${entry.maxUsers}`,
      );
    }
    if (live?.plan.type === "paid" && live.plan.payPeriod === "yearly" && plan.payPeriod === "monthly") {
      report(
        CustomerIssueCode.yearlyToMonthly,
        "/spec/plan/payPeriod",
        `the Zoho subscription of ${spec.domain} is yearly and cannot be switched to monthly (Zoho's own module forbids it)`,
        "keep payPeriod yearly (and billingCycle annually) until the customer leaves the yearly plan",
      );
    }
  } else if (plan.type === "trial") {
    if (live?.plan.type === "paid") {
      report(
        CustomerIssueCode.trialUnavailable,
        "/spec/plan",
        `the Zoho org ${spec.domain} is on a paid plan and cannot go back to a trial`,
        "keep plan type paid, or cancel to free",
      );
    } else if (live?.plan.type === "trial" && live.plan.trialPlan !== null && live.plan.trialPlan !== plan.trialPlan) {
      report(
        CustomerIssueCode.trialChange,
        "/spec/plan/trialPlan",
        `the Zoho org ${spec.domain} is already in the ${live.plan.trialPlan} trial; a running trial cannot be switched to ${plan.trialPlan}`,
        `write trialPlan: ${live.plan.trialPlan}, or move to plan type paid`,
      );
    } else if (live?.plan.type === "free" && !live.trialAllowed) {
      report(
        CustomerIssueCode.trialUnavailable,
        "/spec/plan",
        `the Zoho org ${spec.domain} has used its trial already (Zoho allows one per org)`,
        "use plan type paid or free",
      );
    }
  } else {
    if (spec.mailboxes > ctx.freeUserCap) {
      report(
        CustomerIssueCode.freeUserCap,
        "/spec/mailboxes",
        `${spec.mailboxes} mailboxes is over the ${ctx.freeUserCap} users Zoho's free plan allows`,
        "use a paid plan, or lower the mailbox count",
      );
    }
    if (live?.plan.type === "trial") {
      report(
        CustomerIssueCode.trialToFree,
        "/spec/plan",
        `the Zoho org ${spec.domain} is in a trial, and Zoho has no API to end a trial early`,
        "keep plan type trial until it expires (the org then returns to the free plan by itself), or move to paid",
      );
    }
  }
}

function checkCycleOffered(
  spec: DesiredCustomerOrg,
  product: NonNullable<ProductContext["spec"]>,
  report: (code: string, path: string, message: string, hint?: string) => void,
): void {
  if (product.payType === "free" || product.payType === "onetime") {
    if (spec.billingCycle !== product.payType) {
      report(CustomerIssueCode.cycleNotOffered, "/spec/billingCycle", `Product '${spec.product}' has payType ${product.payType}`, `write billingCycle: ${product.payType}`);
    }
    return;
  }
  const offered = new Set<string>();
  for (const row of Object.values(product.pricing)) {
    for (const [key, amount] of Object.entries(row)) if (isCycle(key) && amount !== undefined && !amount.startsWith("-")) offered.add(key);
  }
  if (!isCycle(spec.billingCycle) || !offered.has(spec.billingCycle)) {
    const list = [...offered].sort(compareCodeUnits);
    report(
      CustomerIssueCode.cycleNotOffered,
      "/spec/billingCycle",
      `Product '${spec.product}' is not sold ${spec.billingCycle}`,
      list.length > 0 ? `it is priced: ${list.join(", ")}` : "the product has no recurring prices",
    );
  }
}
