import type { ZohoPlanEntry } from "../model/config.js";

/**
 * Zoho Store plan catalogue used when the config has no `zoho.plans`: the plan ids and per-user
 * add-on ids hard-coded in Zoho's own WHMCS module (2022-11), from docs/zoho.md#plan-catalogue.
 * They may be store- or currency-specific and may have changed, which is why they are
 * configuration, not code.
 * Mail Flexible (17045) is left out: it has no single per-user add-on id.
 */
export const DEFAULT_ZOHO_PLANS: Readonly<Record<string, ZohoPlanEntry>> = {
  "mail-10gb": { planId: 17034, userAddonId: 17084, payPeriods: ["yearly"], trials: [] },
  "mail-lite": { planId: 17033, userAddonId: 17083, payPeriods: ["yearly"], trials: [] },
  "mail-premium": { planId: 17035, userAddonId: 10792, payPeriods: ["yearly"], trials: ["mailPremiumTrial"] },
  "workplace-professional": { planId: 10731, userAddonId: 10780, payPeriods: ["monthly", "yearly"], trials: ["professionalTrial"] },
  "workplace-standard": { planId: 10730, userAddonId: 10779, payPeriods: ["monthly", "yearly"], trials: ["basicTrial"] },
};
