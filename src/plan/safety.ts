import { compareCodeUnits } from "../core/canonical.js";
import { ExitCode, ReconcileError } from "../core/errors.js";
import { moneyToCents, toMoneyOrUndefined } from "../core/money.js";
import type { Kind, LiveCatalog } from "../model/catalog.js";
import type { Policy } from "../model/config.js";
import type { Plan } from "../model/plan.js";

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
 * (when at least `minExisting` objects are managed), a total MRR change above a currency's limit,
 * more Zoho licences bought than `licencesDelta`, and more customer orgs changing than
 * `thresholds.customers`.
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
  // Retires are not declarations: a plan of nothing but retires still declares no catalog.
  if (!plan.changes.some((c) => CATALOG_KINDS.includes(c.kind) && c.action !== "retire") && hasOwned) {
    hard.push(
      "the manifests declare no catalog resource while WHMCS holds objects the tool owns: check the manifest globs",
    );
  }

  const managed = options.managedCount;
  if (managed >= t.minExisting && managed > 0) {
    // Retires (policy.prune) take offers away like deletes, so deleteShare caps them too.
    for (const [actions, share, name] of [
      [["update"], t.updateShare, "updateShare"],
      [["delete", "retire"], t.deleteShare, "deleteShare"],
    ] as const) {
      const counted = active.filter((c) => (actions as readonly string[]).includes(c.action) && CATALOG_KINDS.includes(c.kind));
      const n = counted.length;
      const verb = [...new Set(counted.map((c) => ({ update: "updated", delete: "deleted", retire: "retired" })[c.action as "update"]))].sort().join(" or ");
      if (n / managed > share) {
        soft.push(
          `${n} of ${managed} managed objects would be ${verb} (${percent(n / managed)}), over the limit of ${percent(share)} (policy.thresholds.${name})`,
        );
      }
    }
  }

  soft.push(...mrrReasons(plan, t.mrrDelta), ...licenceReasons(plan, t.licencesDelta));

  // Adopting an org whose only difference is the ownership records moves no money and no licence.
  const customers = active.filter((c) => c.kind === "CustomerOrg" && !recordsOnlyAdopt(c)).length;
  if (customers > t.customers) {
    soft.push(`${customers} customer orgs would change, over the limit of ${t.customers} (policy.thresholds.customers)`);
  }

  const reasons = options.force === true ? hard : [...hard, ...soft];
  return { ok: reasons.length === 0, reasons, overridden: options.force === true ? soft : [] };
}

/** An adopt that writes only the ownership records (ZOID, super admin, verified) of a customer org. */
function recordsOnlyAdopt(c: Plan["changes"][number]): boolean {
  return c.action === "adopt" && c.diffs.every((d) => d.path.startsWith("records."));
}

/**
 * The plan's money totals (every customer org's recurring amount change, repricing included)
 * against the per-currency limits; a refusal names the largest contributors.
 */
function mrrReasons(plan: Plan, limits: Readonly<Record<string, string>>): string[] {
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
    const total = plan.totals?.mrr[currency];
    if (total === undefined || absCents(total) <= moneyToCents(limit)) continue;
    const top = largest(
      plan.changes.flatMap((c) => (c.impact.billing?.currency === currency ? [{ key: c.key, size: absCents(c.impact.billing.mrrDelta), text: `${c.key} ${c.impact.billing.mrrDelta}` }] : [])),
    );
    reasons.push(
      `the MRR change in ${currency} would be ${total} a month, over the limit of ${limit} (policy.thresholds.mrrDelta.${currency}); largest: ${top}`,
    );
  }
  return reasons;
}

/** Zoho licences the plan buys (released ones do not offset them), against `licencesDelta`. */
function licenceReasons(plan: Plan, limit: number | undefined): string[] {
  if (limit === undefined) return [];
  const contributions = plan.changes.flatMap((c) => {
    const bought = Object.values(c.impact.licenceDeltas ?? {}).reduce((n, d) => n + Math.max(0, d), 0);
    return bought > 0 ? [{ key: c.key, size: BigInt(bought), text: `${c.key} +${bought}` }] : [];
  });
  const total = contributions.reduce((n, c) => n + Number(c.size), 0);
  if (total <= limit) return [];
  return [`the plan would buy ${total} Zoho licences, over the limit of ${limit} (policy.thresholds.licencesDelta); largest: ${largest(contributions)}`];
}

/** The three largest contributors, largest first, ties by key. */
function largest(list: readonly { readonly key: string; readonly size: bigint; readonly text: string }[]): string {
  return [...list]
    .sort((a, b) => (a.size === b.size ? compareCodeUnits(a.key, b.key) : a.size > b.size ? -1 : 1))
    .slice(0, 3)
    .map((c) => c.text)
    .join(", ");
}

function absCents(signed: string): bigint {
  return moneyToCents(signed.replace(/^[+-]/, ""));
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}
