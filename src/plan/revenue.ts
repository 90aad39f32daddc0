import { compareCodeUnits } from "../core/canonical.js";
import { CYCLE_MONTHS, CYCLES, type Cycle } from "../core/cycles.js";
import { centsToMoney, moneyToCents, toMoneyOrUndefined } from "../core/money.js";
import type { ProductState, ServiceCount } from "../model/catalog.js";
import type { Plan, RevenueImpact } from "../model/plan.js";

/** A revenue figure for one currency and one billing cycle. */
export interface CycleRevenueImpact extends RevenueImpact {
  readonly cycle: Cycle;
}

/**
 * Monthly recurring revenue effect of a product's price changes: one entry per currency and
 * per changed cycle offered both before and after. The per-service figure is
 * (after - before) / months of the cycle, exact and rounded once, half to even. WHMCS keeps an
 * existing service's recurring amount when catalog prices change, so the MRR change now is 0.00:
 * the new price reaches new orders only, and existing managed services only when `policy.reprice`
 * moves them (their customer-org changes then carry the money). Only recurring products count.
 */
export function productRevenueImpact(
  before: ProductState,
  after: ProductState,
  remoteId: string,
  serviceCounts: readonly ServiceCount[] | undefined,
): CycleRevenueImpact[] {
  if (before.payType !== "recurring" || after.payType !== "recurring") return [];
  const out: CycleRevenueImpact[] = [];
  const currencies = Object.keys(after.pricing).filter((c) => Object.hasOwn(before.pricing, c)).sort(compareCodeUnits);
  for (const currency of currencies) {
    for (const cycle of CYCLES) {
      const rawBefore = before.pricing[currency]?.[cycle];
      const rawAfter = after.pricing[currency]?.[cycle];
      // The same text is the same price (most cycles of most plans): no need to read it as money.
      if (rawBefore === rawAfter) continue;
      const b = offeredCents(rawBefore);
      const a = offeredCents(rawAfter);
      if (b === undefined || a === undefined || a === b) continue;
      const months = BigInt(CYCLE_MONTHS[cycle]);
      const active =
        serviceCounts === undefined
          ? null
          : serviceCounts
              .filter((s) => s.productId === remoteId && s.cycle === cycle && s.currency === currency)
              .reduce((sum, s) => sum + s.active, 0);
      out.push({
        activeServices: active,
        currency,
        cycle,
        mrrDelta: active === null ? null : "0.00",
        mrrDeltaPerService: signedMoney(divideHalfEven(a - b, months)),
      });
    }
  }
  return out;
}

/** Cents of an offered price; undefined for "not offered" (negative) or unreadable amounts. */
function offeredCents(value: unknown): bigint | undefined {
  const m = toMoneyOrUndefined(value);
  if (m === undefined) return undefined;
  const cents = moneyToCents(m);
  return cents < 0n ? undefined : cents;
}

/** n / d rounded half to even; d > 0. */
export function divideHalfEven(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const abs = neg ? -n : n;
  let q = abs / d;
  const twice = (abs % d) * 2n;
  if (twice > d || (twice === d && q % 2n === 1n)) q += 1n;
  return neg ? -q : q;
}

/** "+1.00", "-0.50", "0.00". */
export function signedMoney(cents: bigint): string {
  return cents > 0n ? `+${centsToMoney(cents)}` : centsToMoney(cents);
}

export interface RevenueTotal {
  readonly currency: string;
  /** null when some figure in this currency has unknown services. */
  readonly activeServices: number | null;
  /** Signed money a month; null when some figure in this currency has unknown services. */
  readonly mrrDelta: string | null;
}

/** MRR change per currency over every revenue figure of a plan, sorted by currency. */
export function revenueTotals(plan: Plan): RevenueTotal[] {
  const acc = new Map<string, { services: number; cents: bigint; unknown: boolean }>();
  for (const c of plan.changes) {
    for (const r of c.impact.revenue ?? []) {
      const t = acc.get(r.currency) ?? { services: 0, cents: 0n, unknown: false };
      const delta = r.mrrDelta === null ? undefined : toMoneyOrUndefined(r.mrrDelta.replace(/^\+/, ""));
      acc.set(
        r.currency,
        delta === undefined || r.activeServices === null
          ? { ...t, unknown: true }
          : { services: t.services + r.activeServices, cents: t.cents + moneyToCents(delta), unknown: t.unknown },
      );
    }
  }
  return [...acc]
    .sort((a, b) => compareCodeUnits(a[0], b[0]))
    .map(([currency, t]) => ({
      currency,
      activeServices: t.unknown ? null : t.services,
      mrrDelta: t.unknown ? null : signedMoney(t.cents),
    }));
}
