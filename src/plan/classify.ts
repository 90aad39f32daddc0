import { compareCodeUnits } from "../core/canonical.js";
import type { Kind } from "../model/catalog.js";
import type { ChangeAction, ChangeClass } from "../model/plan.js";
import { forEachCreatedLeaf, type SegmentDiff } from "./diff.js";

const VISIBLE_FIELDS = new Set(["name", "description", "hidden", "headline", "tagline", "label"]);

export function isPricingDiff(d: SegmentDiff): boolean {
  return d.segments[d.segments.length - 3] === "pricing";
}

/** A `hidden` flag that turns on: an option, a choice, a product or a group leaving the order form. */
export function isHiding(d: SegmentDiff): boolean {
  return d.segments[d.segments.length - 1] === "hidden" && d.before === false && d.after === true;
}

/**
 * Review classes of a change. `billing`: prices or pay type. `customer-visible`: anything a
 * customer reads on the order form, and every create. `destructive`: anything that takes an
 * offer away (hiding a product, a group, an option or a choice; a delete).
 */
export function classify(kind: Kind, action: ChangeAction, diffs: readonly SegmentDiff[]): ChangeClass[] {
  const classes = new Set<ChangeClass>();
  if (action === "create") classes.add("customer-visible");
  if (action === "delete") classes.add("destructive");
  for (const d of diffs) addClasses(classes, kind, action, d);
  return [...classes].sort(compareCodeUnits);
}

/** `classify` of a create, read off its new state's leaves (a plan lists no diffs for a create). */
export function classifyCreate(kind: Kind, after: unknown): ChangeClass[] {
  const classes = new Set<ChangeClass>(["customer-visible"]);
  forEachCreatedLeaf(after, (d) => addClasses(classes, kind, "create", d));
  return [...classes].sort(compareCodeUnits);
}

function addClasses(classes: Set<ChangeClass>, kind: Kind, action: ChangeAction, d: SegmentDiff): void {
  const last = d.segments[d.segments.length - 1] ?? "";
  if (isPricingDiff(d) || (d.segments.length === 1 && last === "payType")) classes.add("billing");
  if (VISIBLE_FIELDS.has(last)) classes.add("customer-visible");
  if (action !== "create" && isHiding(d) && (kind !== "ConfigOptionGroup" || d.segments[0] === "options")) {
    classes.add("destructive");
  }
}
