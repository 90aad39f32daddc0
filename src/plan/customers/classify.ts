import { compareCodeUnits } from "../../core/canonical.js";
import type { ChangeAction, ChangeClass } from "../../model/plan.js";
import type { SegmentDiff } from "../diff.js";

/**
 * Review classes of a customer-org change. `billing`: anything that changes what the customer or
 * the partner pays (quantity, cycle, product, Zoho plan, status, and every create).
 * `customer-visible`: what the customer notices (plan, product, cycle, status, a new org).
 * `destructive`: termination and downgrades (fewer licences or mailboxes, leaving a paid plan).
 */
export function classifyCustomer(action: ChangeAction, diffs: readonly SegmentDiff[]): ChangeClass[] {
  const classes = new Set<ChangeClass>();
  if (action === "create") {
    classes.add("billing");
    classes.add("customer-visible");
  }
  for (const d of diffs) {
    const [top, second, third] = d.segments;
    if (top === "mailboxes") {
      classes.add("billing");
      if (isDecrease(d)) classes.add("destructive");
    } else if (top === "billingCycle" || top === "product") {
      classes.add("billing");
      classes.add("customer-visible");
    } else if (top === "status") {
      classes.add("billing");
      classes.add("customer-visible");
      if (d.after === "terminated") classes.add("destructive");
    } else if (top === "billing") {
      classes.add("billing");
    } else if (top === "options") {
      classes.add("billing");
      classes.add("customer-visible");
    } else if (top === "zoho" && second === "org") {
      classes.add("customer-visible");
    } else if (top === "zoho" && second === "plan") {
      classes.add("billing");
      if (third === "licenses" && isDecrease(d)) classes.add("destructive");
      if (third === "type" || third === "plan" || third === "payPeriod" || third === "trialPlan") classes.add("customer-visible");
      if (third === "type" && d.before === "paid" && d.after !== "paid") classes.add("destructive");
    }
  }
  return [...classes].sort(compareCodeUnits);
}

function isDecrease(d: SegmentDiff): boolean {
  return typeof d.before === "number" && typeof d.after === "number" && d.after < d.before;
}
