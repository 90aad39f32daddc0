import { canonicalJson } from "../core/canonical.js";
import type { Plan } from "../model/plan.js";

/** The plan artifact: canonical key order, two-space indent, trailing newline. */
export function renderJson(plan: Plan): string {
  return `${canonicalJson(plan, 2)}\n`;
}
