import type { SandboxContext, SandboxRequest } from "./context.js";
import type { OrgRecord } from "./data.js";
import { addonName, findPlan } from "./catalog.js";
import { mailError, type Reply } from "./envelopes.js";
import { intParam } from "./mail-body.js";
import { currentPlan, ownOrgs } from "./org-model.js";

/** Store partner read API: subscriptions and leads, paged (docs/zoho.md#store-partner-listings). */

const DAY_MS = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function row(ctx: SandboxContext, org: OrgRecord): Record<string, unknown> {
  const plan = currentPlan(ctx, org);
  const base = {
    profile_id: plan.type === "paid" ? plan.profileId : null,
    email_id: org.superAdmin,
    customer_address: { country: org.country },
    org_id: org.zoid,
    service_name: "Workplace",
  };
  if (plan.type !== "paid") {
    return { ...base, plan_name: null, addons: [], billing_frequency: null, registration_date: isoDate(org.createdTime) };
  }
  const catalogPlan = findPlan(plan.planId);
  return {
    ...base,
    plan_name: catalogPlan?.storeName ?? null,
    addons: plan.addons.map((a) => ({
      addon_name: (catalogPlan && addonName(catalogPlan, plan.period, a.id)) ?? String(a.id),
      value: a.count,
    })),
    billing_frequency: plan.period === "YEAR" ? "yearly" : "monthly",
    registration_date: isoDate(org.createdTime),
    subscription_start_date: isoDate(plan.since),
    next_recurring_date: isoDate(plan.since + (plan.period === "YEAR" ? 365 : 30) * DAY_MS),
  };
}

function listing(ctx: SandboxContext, req: SandboxRequest, wrapKey: string, paid: boolean): Reply {
  const size = ctx.switches.listingPageSize;
  const page = intParam(req.query["page"], 1);
  const perPage = intParam(req.query["per_page"], size);
  if (page === undefined || perPage === undefined || page < 1 || perPage < 1) return mailError(400, "PATTERN_NOT_MATCHED");
  const n = Math.min(perPage, size);
  const all = ownOrgs(ctx).filter((o) => (currentPlan(ctx, o).type === "paid") === paid);
  const rows = all.slice((page - 1) * n, page * n).map((o) => row(ctx, o));
  const h = ctx.switches.listingHeaders;
  const headers = h ? { [h.total]: String(all.length), [h.page]: String(page), [h.perPage]: String(n) } : {};
  return { status: 200, body: ctx.switches.listingWrapped ? { [wrapKey]: rows } : rows, headers };
}

export function listSubscriptions(ctx: SandboxContext, req: SandboxRequest): Reply {
  return listing(ctx, req, "subscriptions", true);
}

export function listLeads(ctx: SandboxContext, req: SandboxRequest): Reply {
  return listing(ctx, req, "leads", false);
}
