import { compareCodeUnits } from "../../core/canonical.js";
import type { CustomerOrgSummary, TrialPlanName, ZohoMailApi } from "./mail.js";
import type { PartnerSubscription, ZohoStoreApi } from "./store.js";
import type { LiveZohoPlan } from "../../model/customers.js";

/**
 * Bulk read of Zoho's side: the customer-org listing (Mail) and the partner subscription listing
 * (Store), merged into one canonical value keyed by domain. Two paged listings, so the number of
 * calls grows with pages, never with orgs.
 */
/** The plan state of one org as Zoho's listings show it: the model's canonical shape. */
export type ZohoLivePlan = LiveZohoPlan;

export interface ZohoLiveOrg {
  readonly zoid: string;
  readonly domain: string;
  readonly superAdmin: string;
  readonly verified: boolean;
  readonly plan: ZohoLivePlan;
  /** Null when the listing does not carry them (its fields beyond the documented ones are unconfirmed). */
  readonly usersCount: number | null;
  readonly licenseCount: number | null;
  readonly basePlan: string | null;
  readonly trialAllowed: boolean;
  readonly canExtendTrial: boolean;
}

export interface ZohoLiveState {
  /** Keyed by domain (lower case), keys in code-unit order. */
  readonly orgs: Readonly<Record<string, ZohoLiveOrg>>;
  /** Paid subscriptions no listed org matches (e.g. the org left the partner). */
  readonly orphanSubscriptions: readonly { readonly email: string; readonly orgId: string | null; readonly planName: string | null }[];
  readonly warnings: readonly string[];
}

/**
 * Store plan names → plan ids, from the display names in docs/zoho.md#plan-catalogue. Zoho's
 * listing names are confirmed only for "Mail Flexible Plan"; configure the rest if they differ.
 */
export const DEFAULT_PLAN_NAMES: Readonly<Record<string, number>> = {
  "Workplace Standard": 10730,
  "Workplace Professional": 10731,
  "Mail Lite": 17033,
  "Mail 10GB": 17034,
  "Mail Premium": 17035,
  "Mail Flexible": 17045,
  "Mail Flexible Plan": 17045,
};

const TRIAL_BASE_PLANS: Readonly<Record<string, TrialPlanName>> = {
  "workplace standard trial": "basicTrial",
  "workplace professional trial": "professionalTrial",
  "mail premium trial": "mailPremiumTrial",
};

export interface LiveReadOptions {
  readonly planNames?: Readonly<Record<string, number>>;
  readonly mailPageSize?: number;
  readonly storePageSize?: number;
}

function isUserAddon(name: string): boolean {
  const n = name.trim().toLowerCase();
  return n === "user" || n.endsWith(" user");
}

function paidPlan(sub: PartnerSubscription, names: ReadonlyMap<string, number>): ZohoLivePlan {
  return {
    type: "paid",
    planId: sub.planId ?? (sub.planName !== null ? (names.get(sub.planName.trim().toLowerCase()) ?? null) : null),
    planName: sub.planName,
    payPeriod: sub.billingFrequency ?? null,
    licenses: sub.addons.filter((a) => isUserAddon(a.name)).reduce((n, a) => n + a.value, 0),
  };
}

function unpaidPlan(o: CustomerOrgSummary): ZohoLivePlan {
  const base = (o.basePlan ?? "").trim().toLowerCase();
  if (base.endsWith(" trial")) return { type: "trial", trialPlan: TRIAL_BASE_PLANS[base] ?? null };
  return { type: "free" };
}

export async function readZohoLiveState(mail: ZohoMailApi, store: ZohoStoreApi, opts: LiveReadOptions = {}): Promise<ZohoLiveState> {
  const names = new Map(Object.entries(opts.planNames ?? DEFAULT_PLAN_NAMES).map(([k, v]) => [k.trim().toLowerCase(), v]));
  const [orgs, subs] = await Promise.all([
    mail.listCustomerOrgs(opts.mailPageSize !== undefined ? { pageSize: opts.mailPageSize } : {}),
    store.listPartnerSubscriptions(opts.storePageSize !== undefined ? { pageSize: opts.storePageSize } : {}),
  ]);

  const byOrgId = new Map<string, PartnerSubscription>();
  const byEmail = new Map<string, PartnerSubscription>();
  for (const s of subs) {
    if (s.planName === null) continue;
    if (s.orgId !== undefined) byOrgId.set(s.orgId, s);
    if (s.email !== "") byEmail.set(s.email, s);
  }

  const warnings: string[] = [];
  const used = new Set<PartnerSubscription>();
  const out: Record<string, ZohoLiveOrg> = {};
  for (const o of [...orgs].sort((a, b) => compareCodeUnits(a.domainName, b.domainName))) {
    if (out[o.domainName] !== undefined) {
      warnings.push(`Zoho lists domain ${o.domainName} under more than one org; keeping zoid ${out[o.domainName]?.zoid}`);
      continue;
    }
    const sub = byOrgId.get(o.zoid) ?? byEmail.get(o.superAdmin);
    if (sub) used.add(sub);
    const plan = sub ? paidPlan(sub, names) : unpaidPlan(o);
    if (plan.type === "paid" && plan.planId === null) {
      warnings.push(`${o.domainName}: Store plan name ${JSON.stringify(plan.planName)} is not a known plan; add it to the plan-name table`);
    }
    out[o.domainName] = {
      zoid: o.zoid,
      domain: o.domainName,
      superAdmin: o.superAdmin,
      verified: o.isVerified,
      plan,
      usersCount: o.usersCount ?? null,
      licenseCount: o.licenseCount ?? null,
      basePlan: o.basePlan ?? null,
      trialAllowed: o.isTrialAllowed,
      canExtendTrial: o.extendTrial,
    };
  }
  const orphanSubscriptions = subs
    .filter((s) => s.planName !== null && !used.has(s))
    .map((s) => ({ email: s.email, orgId: s.orgId ?? null, planName: s.planName }))
    .sort((a, b) => compareCodeUnits(a.email, b.email));
  return { orgs: out, orphanSubscriptions, warnings };
}
