import { compareCodeUnits } from "../core/canonical.js";
import { ExitCode, ReconcileError } from "../core/errors.js";
import { moneyToCents, toMoneyOrUndefined } from "../core/money.js";
import type { Kind, LiveCatalog } from "../model/catalog.js";
import type { Policy } from "../model/config.js";
import type { Plan } from "../model/plan.js";
import { revenueTotals } from "./revenue.js";

export interface SafetyOptions {
  /** Lifts the threshold refusals; never the protected keys nor the empty-catalog guard. */
  readonly force?: boolean;
  /** Live objects the tool owns (see `managedCount`). */
  readonly managedCount: number;
}

export interface SafetyResult {
  readonly ok: boolean;
  /** Why the plan is refused; empty when ok. */
  readonly reasons: readonly string[];
  /** Threshold refusals that `force` lifted, for the log. */
  readonly overridden: readonly string[];
}

const CATALOG_KINDS: readonly Kind[] = ["ProductGroup", "ConfigOptionGroup", "Product"];

/**
 * Live objects recorded as owned by the tool, the base of the update and delete shares.
 * Zero when ownership is unknown (the read-only `api` backend owns nothing and applies nothing).
 */
export function managedCount(live: LiveCatalog): number {
  if (!live.ownershipKnown) return 0;
  const owned = (list: readonly { readonly ownedAs: string | undefined }[]): number =>
    list.filter((o) => o.ownedAs !== undefined).length;
  return owned(live.productGroups) + owned(live.configOptionGroups) + owned(live.products);
}

/**
 * Pure safety rules over a computed plan. Refused even with `force`: changes to protected keys,
 * and an empty desired catalog while the tool owns live objects (most likely a manifest glob
 * that matched nothing). Refused unless `force`: update or delete shares above the thresholds
 * (when at least `minExisting` objects are managed), an MRR change above a currency's limit
 * (also when the change cannot be measured because active services are unknown), and more
 * customer orgs changing than `thresholds.customers`.
 */
export function checkSafety(plan: Plan, policy: Policy, options: SafetyOptions): SafetyResult {
  const hard: string[] = [];
  const soft: string[] = [];
  const t = policy.thresholds;
  const active = plan.changes.filter((c) => c.action !== "noop");

  const protectedKeys = new Set(policy.protect);
  for (const c of active) {
    if (protectedKeys.has(c.key)) hard.push(`${c.key} is protected (policy.protect) but the plan would ${c.action} it`);
  }

  const hasOwned = options.managedCount > 0 || plan.unmanaged.some((u) => u.reason === "orphaned");
  if (!plan.changes.some((c) => CATALOG_KINDS.includes(c.kind)) && hasOwned) {
    hard.push(
      "the manifests declare no catalog resource while WHMCS holds objects the tool owns: check the manifest globs",
    );
  }

  const managed = options.managedCount;
  if (managed >= t.minExisting && managed > 0) {
    for (const [action, share, name] of [
      ["update", t.updateShare, "updateShare"],
      ["delete", t.deleteShare, "deleteShare"],
    ] as const) {
      const n = active.filter((c) => c.action === action && CATALOG_KINDS.includes(c.kind)).length;
      if (n / managed > share) {
        soft.push(
          `${n} of ${managed} managed objects would be ${action}d (${percent(n / managed)}), over the limit of ${percent(share)} (policy.thresholds.${name})`,
        );
      }
    }
  }

  soft.push(...mrrReasons(plan, t.mrrDelta));

  const customers = active.filter((c) => c.kind === "CustomerOrg").length;
  if (customers > t.customers) {
    soft.push(`${customers} customer orgs would change, over the limit of ${t.customers} (policy.thresholds.customers)`);
  }

  const reasons = options.force === true ? hard : [...hard, ...soft];
  return { ok: reasons.length === 0, reasons, overridden: options.force === true ? soft : [] };
}

/** Per-currency MRR totals of the plan, checked against the limits. */
function mrrReasons(plan: Plan, limits: Readonly<Record<string, string>>): string[] {
  const totals = new Map(revenueTotals(plan).map((t) => [t.currency, t]));
  const reasons: string[] = [];
  for (const currency of Object.keys(limits).sort(compareCodeUnits)) {
    const raw = limits[currency];
    const limit = toMoneyOrUndefined(raw);
    if (limit === undefined || limit.startsWith("-")) {
      throw new ReconcileError(
        "policy.invalid-threshold",
        `policy.thresholds.mrrDelta.${currency} is not a non-negative money amount: ${JSON.stringify(raw)}`,
        ExitCode.invalid,
        { hint: 'write it as a decimal string, e.g. "500.00"' },
      );
    }
    const total = totals.get(currency);
    if (total === undefined) continue;
    if (total.mrrDelta === null) {
      reasons.push(
        `the MRR change in ${currency} cannot be measured (active services unknown) and policy.thresholds.mrrDelta.${currency} is ${limit}`,
      );
    } else if (absCents(total.mrrDelta) > moneyToCents(limit)) {
      reasons.push(
        `the MRR change in ${currency} would be ${total.mrrDelta} a month, ` +
          `over the limit of ${limit} (policy.thresholds.mrrDelta.${currency})`,
      );
    }
  }
  return reasons;
}

function absCents(signed: string): bigint {
  return moneyToCents(signed.replace(/^[+-]/, ""));
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}
