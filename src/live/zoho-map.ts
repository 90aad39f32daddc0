import type { ZohoPlanEntry } from "../model/config.js";
import type { LiveZohoOrg, ZohoTrialPlan } from "../model/customers.js";
import { DEFAULT_PLAN_NAMES, type ZohoLiveOrg, type ZohoLiveState } from "../providers/zoho/index.js";

/**
 * Store plan names → plan ids for reading the partner listing: the defaults from Zoho's own
 * module, then every configured plan's `storeName` (the listing carries names, not ids).
 */
export function planNamesFromConfig(plans: Readonly<Record<string, ZohoPlanEntry>>): Record<string, number> {
  const out: Record<string, number> = { ...DEFAULT_PLAN_NAMES };
  for (const entry of Object.values(plans)) if (entry.storeName !== undefined) out[entry.storeName] = entry.planId;
  return out;
}

const TRIALS: ReadonlySet<string> = new Set(["basicTrial", "professionalTrial", "mailPremiumTrial"]);

function trialPlan(x: string | null): ZohoTrialPlan | null {
  return x !== null && TRIALS.has(x) ? (x as ZohoTrialPlan) : null;
}

/** A provider org in the reconcile model's shape. */
export function liveZohoOrgFrom(o: ZohoLiveOrg): LiveZohoOrg {
  const p = o.plan;
  return {
    zoid: o.zoid,
    domain: o.domain.toLowerCase(),
    superAdmin: o.superAdmin.toLowerCase(),
    verified: o.verified,
    plan:
      p.type === "paid"
        ? { type: "paid", planId: p.planId, planName: p.planName, payPeriod: p.payPeriod, licenses: p.licenses }
        : p.type === "trial"
          ? { type: "trial", trialPlan: trialPlan(p.trialPlan) }
          : { type: "free" },
    usersCount: o.usersCount,
    licenseCount: o.licenseCount,
    trialAllowed: o.trialAllowed,
  };
}

/** The read's warnings about Zoho: the provider's own, and paid subscriptions no listed org matches. */
export function zohoWarnings(state: ZohoLiveState): string[] {
  return [
    ...state.warnings,
    ...state.orphanSubscriptions.map(
      (s) =>
        `Zoho Store lists a paid subscription (${s.planName ?? "unknown plan"}) for ${s.email}${s.orgId !== null ? ` (org ${s.orgId})` : ""} ` +
        "that matches no customer org of this partner; it is left alone",
    ),
  ];
}
