import type { SandboxContext, SandboxRequest } from "./context.js";
import type { OrgRecord, UserRecord } from "./data.js";
import { STORAGE_ADDONS } from "./catalog.js";
import { URL_RULE_MISMATCH, mailError, mailOk, type Reply } from "./envelopes.js";
import { intParam } from "./mail-body.js";
import { isReply, orgFromPath } from "./mail-orgs.js";
import { currentPlan, licenseCount, planType } from "./org-model.js";
import { raw } from "./wire.js";

/**
 * Storage details (reference §3.5): per user the base storage of the org's plan, and for the
 * org the licences bought (`orgPlans`) and storage add-ons (`addons`), each with how many are
 * assigned. The sandbox stores no mail, so `usedStorage` is always 0. `start`/`limit` page the
 * user list only when given (the documented defaults are unknown).
 */

/** GB per user of each Mail `planType`, as Zoho's plan pages state them; a trial gets its plan's storage. */
const BASE_GB: Readonly<Record<string, number>> = {
  free: 5,
  newMail5gb: 5,
  newMail10gb: 10,
  mailPremium: 50,
  mailPremiumTrial: 50,
  basic: 30,
  basicTrial: 30,
  professional: 100,
  professionalTrial: 100,
  mailFlexible: 5,
};

/** `Extra_25_GB` → `25gb`, the form `addonType` takes. */
function addonType(name: string): string {
  const m = /(\d+)_GB$/i.exec(name);
  return m ? `${m[1]}gb` : name.toLowerCase();
}

function userStorage(ctx: SandboxContext, org: OrgRecord, u: UserRecord): Record<string, unknown> {
  const basic = planType(ctx, org);
  return { totalStorage: BASE_GB[basic] ?? 5, mailBox: true, basicStorage: basic, usedStorage: 0, zuid: raw(u.zuid) };
}

function storageAddons(ctx: SandboxContext, org: OrgRecord): { addonType: string; totalCount: number; allotedCount: number }[] {
  const plan = currentPlan(ctx, org);
  if (plan.type !== "paid") return [];
  return plan.addons
    .filter((a) => STORAGE_ADDONS[a.id] !== undefined)
    .map((a) => ({ addonType: addonType(STORAGE_ADDONS[a.id] ?? ""), totalCount: a.count, allotedCount: 0 }));
}

export function orgStorage(ctx: SandboxContext, req: SandboxRequest): Reply {
  const org = orgFromPath(ctx, req);
  if (isReply(org)) return org;
  let users = org.users;
  if (req.query["start"] !== undefined || req.query["limit"] !== undefined) {
    const start = intParam(req.query["start"], 0);
    const limit = intParam(req.query["limit"], users.length);
    if (start === undefined || limit === undefined) return URL_RULE_MISMATCH;
    users = users.slice(start, start + limit);
  }
  return mailOk({
    userList: users.map((u) => userStorage(ctx, org, u)),
    orgPlans: [{ planType: planType(ctx, org), totalCount: licenseCount(ctx, org), allotedCount: org.users.length }],
    addons: storageAddons(ctx, org),
  });
}

export function userStorageDetails(ctx: SandboxContext, req: SandboxRequest): Reply {
  const org = orgFromPath(ctx, req);
  if (isReply(org)) return org;
  const key = (req.params[1] ?? "").toLowerCase();
  const user = org.users.find((u) => u.zuid === key || u.email === key);
  if (!user) return mailError(404, undefined, "User not found");
  return mailOk({ ...userStorage(ctx, org, user), extraStorage: {} });
}
