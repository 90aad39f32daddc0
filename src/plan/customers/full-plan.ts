import { compareCodeUnits } from "../../core/canonical.js";
import { ManifestError, type ManifestIssue } from "../../core/errors.js";
import { KINDS } from "../../model/catalog.js";
import { PLAN_FORMAT_VERSION, type Change, type Plan, type UnmanagedObject } from "../../model/plan.js";
import { checksumOf } from "../checksum.js";
import { computePlanBody, summarize } from "../compute.js";
import { throwIfIssues } from "../errors.js";
import { compareUnmanaged } from "../unmanaged.js";
import { computeCustomerChanges } from "./compute.js";
import type { FullPlanInput } from "./input.js";
import { catalogContext } from "./products.js";
import { withRecordFields } from "./record-fields.js";
import { planTotals } from "./totals.js";

/**
 * One plan for the catalog and the customer orgs, with one checksum. The catalog part is
 * `computePlan` unchanged, plus the record fields every managed product must carry; the customer
 * part is planned against it (products being created have no WHMCS id yet, products being
 * adopted do). Pure and deterministic.
 *
 * Throws one `ManifestError` carrying the catalog's and the customers' issues together.
 */
export function computeFullPlan(input: FullPlanInput): Plan {
  let catalogPlan: Omit<Plan, "checksum"> | undefined;
  let issues: ManifestIssue[] = [];
  try {
    catalogPlan = computePlanBody(input);
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    issues = [...err.issues];
  }
  const context = catalogContext(input.desired, input.live, catalogPlan?.changes ?? []);
  const defaultCurrency = input.live.currencies.find((c) => c.isDefault)?.code ?? input.live.currencies[0]?.code;
  const customers = computeCustomerChanges(
    { ...input.customers, ...(input.customers.defaultCurrency === undefined && defaultCurrency !== undefined ? { defaultCurrency } : {}) },
    context,
  );
  throwIfIssues([...issues, ...customers.issues]);
  const catalog = catalogPlan as Omit<Plan, "checksum">;
  const recorded = withRecordFields(catalog.changes, input.live, input.backend);

  const changes: Change[] = [...recorded.changes, ...customers.changes].sort(
    (a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || compareCodeUnits(a.key, b.key),
  );
  const unmanaged: UnmanagedObject[] = [...catalog.unmanaged, ...customers.unmanaged].sort(compareUnmanaged);
  const body: Omit<Plan, "checksum"> = {
    formatVersion: PLAN_FORMAT_VERSION,
    target: catalog.target,
    summary: summarize(changes, unmanaged),
    changes,
    unmanaged,
    warnings: [...new Set([...catalog.warnings, ...recorded.warnings, ...customers.warnings])].sort(compareCodeUnits),
    ...(customers.pending.length > 0 ? { pending: customers.pending } : {}),
    // Catalog-only plans stay as computePlan makes them: their price changes move no MRR (new orders only).
    ...(input.customers.desired.length > 0 ? { totals: planTotals(changes, input.customers.zohoPlans) } : {}),
    ...(customers.blocked.length > 0 ? { blocked: customers.blocked } : {}),
  };
  return { ...body, checksum: checksumOf(body) };
}
