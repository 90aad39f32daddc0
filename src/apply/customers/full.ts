import type { Logger } from "../../core/log.js";
import type { Currency, LiveCatalog, ResourceKey } from "../../model/catalog.js";
import type { Plan } from "../../model/plan.js";
import type { CatalogWriter } from "../../model/provider.js";
import { applyPlan, type ApplyReport, type ApplyResult, type ApplyStatus } from "../apply.js";
import type { Journal } from "../journal.js";
import { applyCustomerChanges } from "./apply.js";
import { applyError } from "./errors.js";
import type { CustomerApplyOptions } from "./types.js";

export interface FullApplyOptions {
  readonly plan: Plan;
  /** WHMCS currencies (catalog price writes are keyed by currency id). */
  readonly currencies: readonly Currency[];
  /** The catalog backend's writer; needed only when the catalog part has changes. */
  readonly writer: CatalogWriter | undefined;
  /** The live catalog the plan was computed from. */
  readonly liveCatalog: LiveCatalog;
  /** Reads the catalog again after catalog writes (new product and option ids). */
  readCatalog(): Promise<LiveCatalog>;
  /** Needed only when the plan has customer-org changes. */
  readonly customers?: Omit<CustomerApplyOptions, "plan" | "catalog" | "journal" | "logger" | "failed" | "now">;
  readonly journal: Journal;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/**
 * Applies a plan with catalog and customer changes: the catalog waves first (the catalog apply,
 * unchanged), then the catalog is read again for the ids it created, then the customer orgs. An
 * org whose product or option group failed does not run; one report covers both parts.
 */
export async function applyFullPlan(opts: FullApplyOptions): Promise<ApplyReport> {
  const { plan } = opts;
  const catalogChanges = plan.changes.filter((c) => c.kind !== "CustomerOrg");
  const customerChanges = plan.changes.filter((c) => c.kind === "CustomerOrg");
  const catalogWrites = catalogChanges.some((c) => c.action !== "noop");

  let catalogResults: readonly ApplyResult[] = catalogChanges.map((c) => ({
    key: c.key,
    action: c.action,
    status: "unchanged" as const,
    durationMs: 0,
    ...(c.remoteId !== undefined ? { remoteId: c.remoteId } : {}),
  }));
  let catalog = opts.liveCatalog;
  if (catalogWrites) {
    if (opts.writer === undefined) {
      throw applyError("apply.read-only-backend", "the plan changes the catalog and no catalog writer was given", "use catalogBackend companion or db, or do the manual steps first");
    }
    const report = await applyPlan({
      plan: { ...plan, changes: catalogChanges },
      currencies: opts.currencies,
      writer: opts.writer,
      journal: opts.journal,
      logger: opts.logger,
      ...(opts.now !== undefined ? { now: opts.now } : {}),
    });
    catalogResults = report.results;
    catalog = await opts.readCatalog();
  }

  const failed = new Set<ResourceKey>(catalogResults.filter((r) => r.status === "failed" || r.status === "not-executed").map((r) => r.key));
  let customerResults: readonly ApplyResult[] = [];
  if (customerChanges.some((c) => c.action !== "noop")) {
    if (opts.customers === undefined) {
      throw applyError("apply.customer.not-configured", "the plan changes customer orgs and no Zoho or WHMCS customer access was given", "configure zoho in reconcile.yaml");
    }
    customerResults = await applyCustomerChanges({
      ...opts.customers,
      plan,
      catalog,
      failed,
      journal: opts.journal,
      logger: opts.logger,
      ...(opts.now !== undefined ? { now: opts.now } : {}),
    });
  } else {
    customerResults = customerChanges.map((c) => ({ key: c.key, action: c.action, status: "unchanged" as const, durationMs: 0, ...(c.remoteId !== undefined ? { remoteId: c.remoteId } : {}) }));
  }

  const byKey = new Map([...catalogResults, ...customerResults].map((r) => [r.key, r]));
  const results = plan.changes.map((c) => byKey.get(c.key)).filter((r): r is ApplyResult => r !== undefined);
  const count = (s: ApplyStatus): number => results.filter((r) => r.status === s).length;
  const summary = { succeeded: count("succeeded"), failed: count("failed"), notExecuted: count("not-executed"), unchanged: count("unchanged") };
  return { planChecksum: plan.checksum, ok: summary.failed === 0 && summary.notExecuted === 0, results, summary };
}
