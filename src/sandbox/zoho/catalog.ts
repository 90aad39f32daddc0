/**
 * The Store catalogue the sandbox sells, from the ids Zoho's WHMCS module hard-codes
 * (docs/zoho.md#plan-catalogue). Kept separate from the provider's configuration on purpose:
 * the emulator is the
 * "real" Zoho, the provider only knows what its config says.
 */
export type StorePeriod = "YEAR" | "MONT";

export interface SandboxPlan {
  readonly planId: number;
  /** `licensedetails.planname` and `plan_name` in the partner listing. */
  readonly storeName: string;
  /** Mail `basePlan` while the plan is active (paid-plan strings are unconfirmed). */
  readonly basePlan: string;
  /** Mail `planType`. */
  readonly planType: string;
  /** User add-on ids allowed per pay period; a period missing here is not offered. */
  readonly userAddons: Readonly<Partial<Record<StorePeriod, readonly number[]>>>;
}

export const SANDBOX_PLANS: readonly SandboxPlan[] = [
  { planId: 10730, storeName: "Workplace Standard", basePlan: "Workplace Standard", planType: "basic", userAddons: { MONT: [10779], YEAR: [10779] } },
  { planId: 10731, storeName: "Workplace Professional", basePlan: "Workplace Professional", planType: "professional", userAddons: { MONT: [10780], YEAR: [10780] } },
  { planId: 17033, storeName: "Mail Lite", basePlan: "Mail Lite", planType: "newMail5gb", userAddons: { YEAR: [17083] } },
  { planId: 17034, storeName: "Mail 10GB", basePlan: "Mail 10GB", planType: "newMail10gb", userAddons: { YEAR: [17084] } },
  { planId: 17035, storeName: "Mail Premium", basePlan: "Mail Premium", planType: "mailPremium", userAddons: { YEAR: [10792] } },
  {
    planId: 17045,
    storeName: "Mail Flexible Plan",
    basePlan: "Mail Flexible",
    planType: "mailFlexible",
    userAddons: { MONT: [10779, 10780], YEAR: [17083, 17084, 10792, 10779, 10780] },
  },
];

/** Add-on names as `addondetails[].addonname` returns them on plans with several user types. */
const USER_ADDON_NAMES: Readonly<Record<number, string>> = {
  10779: "Standard User",
  10780: "Professional User",
  17083: "Mail Lite User",
  17084: "Mail 10GB User",
  10792: "Mail Premium User",
};

export const STORAGE_ADDONS: Readonly<Record<number, string>> = {
  191: "Extra_5_GB",
  188: "Extra_25_GB",
  187: "Extra_50_GB",
  186: "Extra_100_GB",
  185: "Extra_200_GB",
};

/** Mail / Workplace; the sandbox sells no other Zoho product (Projects 1, CRM 2, …). */
export const MAIL_SERVICE_ID = 1501;

export type TrialPlanName = "basicTrial" | "professionalTrial" | "mailPremiumTrial";
export const TRIAL_BASE_PLANS: Readonly<Record<TrialPlanName, string>> = {
  basicTrial: "Workplace Standard Trial",
  professionalTrial: "Workplace Professional Trial",
  mailPremiumTrial: "Mail Premium Trial",
};
export const FREE_BASE_PLAN = "Mail Free";

export function isTrialPlanName(x: unknown): x is TrialPlanName {
  return x === "basicTrial" || x === "professionalTrial" || x === "mailPremiumTrial";
}

export function findPlan(planId: number): SandboxPlan | undefined {
  return SANDBOX_PLANS.find((p) => p.planId === planId);
}

/** Name of an add-on on a given plan: a single-user-type plan calls its user add-on "User". */
export function addonName(plan: SandboxPlan, period: StorePeriod, id: number): string | undefined {
  const users = plan.userAddons[period] ?? [];
  if (users.includes(id)) return users.length === 1 ? "User" : USER_ADDON_NAMES[id];
  return STORAGE_ADDONS[id];
}

/** Top-level domain per data centre, for `api_domain` and `URI` values. */
export const DC_TLD: Readonly<Record<string, string>> = {
  us: "com",
  eu: "eu",
  in: "in",
  au: "com.au",
  jp: "jp",
  ca: "ca",
  sa: "sa",
  uk: "uk",
  cn: "com.cn",
  ae: "ae",
};
