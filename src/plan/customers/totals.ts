import { compareCodeUnits } from "../../core/canonical.js";
import { moneyToCents } from "../../core/money.js";
import type { ZohoPlanEntry } from "../../model/config.js";
import type { CustomerOrgState } from "../../model/customers.js";
import type { Change, PlanTotals } from "../../model/plan.js";
import { mrrMoney, scaledMrr } from "./billing.js";
import { signedMoney } from "../revenue.js";

/**
 * The money of a plan, the way an accountant checks it afterwards: per currency, the sum of every
 * customer org's monthly recurring amount after minus before (exact in 1/72 cents, rounded once);
 * paid Zoho licences bought and released per plan and pay period; the partner's monthly cost
 * where the config prices a plan. Catalog price changes add nothing unless `policy.reprice` moves
 * existing services, and then the orgs' own changes carry it.
 */
export function planTotals(changes: readonly Change[], plans: Readonly<Record<string, ZohoPlanEntry>>): PlanTotals {
  const mrr = new Map<string, bigint>();
  const licences = new Map<string, number>();
  const cost = new Map<string, bigint>();
  let customers = 0;
  for (const c of changes) {
    if (c.kind !== "CustomerOrg" || c.action === "noop") continue;
    const before = c.before as CustomerOrgState | null;
    const after = c.after as CustomerOrgState;
    const currency = after.billing.currency;
    const delta = scaledMrr(after) - scaledMrr(before);
    if (currency !== null && delta !== 0n) mrr.set(currency, (mrr.get(currency) ?? 0n) + delta);
    const deltas = c.impact.licenceDeltas ?? {};
    for (const [key, n] of Object.entries(deltas)) {
      licences.set(key, (licences.get(key) ?? 0) + n);
      const perLicence = plans[key.slice(0, key.lastIndexOf("/"))]?.cost ?? {};
      for (const [cur, money] of Object.entries(perLicence)) cost.set(cur, (cost.get(cur) ?? 0n) + moneyToCents(money) * BigInt(n));
    }
    if (delta !== 0n || Object.keys(deltas).length > 0) customers++;
  }
  const sorted = <V>(m: Map<string, V>, f: (v: V) => string | number): Record<string, never> =>
    Object.fromEntries([...m].sort((a, b) => compareCodeUnits(a[0], b[0])).map(([k, v]) => [k, f(v)])) as Record<string, never>;
  for (const [k, v] of licences) if (v === 0) licences.delete(k);
  return {
    mrr: sorted(mrr, mrrMoney),
    licences: sorted(licences, (n) => n),
    customers,
    ...(cost.size > 0 ? { cost: sorted(cost, (v) => signedMoney(v)) } : {}),
  };
}

