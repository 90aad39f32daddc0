import type { SandboxContext, SandboxRequest } from "./context.js";
import { nextId, type OrgRecord } from "./data.js";
import { MAIL_SERVICE_ID, STORAGE_ADDONS, addonName, findPlan, type StorePeriod } from "./catalog.js";
import { storeFailure, storeSuccess, type Reply } from "./envelopes.js";
import { currentPlan, orgByEmail } from "./org-model.js";
import { formToRecord, parseForm, parseMultipart } from "./wire.js";

/**
 * Store reseller subscription API: `JSONString`, keyed by super-admin email
 * (docs/zoho.md#store-subscription-api).
 */

type Payload = Record<string, unknown>;

function jsonString(ctx: SandboxContext, req: SandboxRequest): string | undefined {
  if (req.method === "GET" || req.method === "DELETE") return req.query["JSONString"];
  const ct = req.contentType.toLowerCase();
  if (ct.startsWith("multipart/form-data")) return parseMultipart(req.body, req.contentType)?.["JSONString"];
  if (ct.startsWith("application/x-www-form-urlencoded") && ctx.switches.storeAcceptUrlencoded) {
    return formToRecord(parseForm(req.body.toString("utf8")))["JSONString"];
  }
  return undefined;
}

function payload(ctx: SandboxContext, req: SandboxRequest): Payload | undefined {
  const text = jsonString(ctx, req);
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Payload) : undefined;
  } catch {
    return undefined;
  }
}

function asInt(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

type Target = { ok: true; org: OrgRecord; body: Payload } | { ok: false; reply: Reply };

function target(ctx: SandboxContext, req: SandboxRequest): Target {
  const m = ctx.switches.messages;
  const body = payload(ctx, req);
  if (!body) return { ok: false, reply: storeFailure(m.storeMalformed) };
  if (asInt(body["serviceid"]) !== MAIL_SERVICE_ID) return { ok: false, reply: storeFailure(m.storeUnknownService) };
  const email = body["email"];
  const org = typeof email === "string" ? orgByEmail(ctx, email) : undefined;
  if (!org || org.superAdmin !== (email as string).toLowerCase()) return { ok: false, reply: storeFailure(m.storeUnknownCustomer) };
  if (org.partnerId !== ctx.partner().id) return { ok: false, reply: storeFailure(m.storeOtherPartner) };
  return { ok: true, org, body };
}

type Desired = { ok: true; planId: number; period: StorePeriod; addons: { id: number; count: number }[] } | { ok: false; reply: Reply };

function desired(ctx: SandboxContext, body: Payload): Desired {
  const m = ctx.switches.messages;
  const sub = body["subscription"];
  if (sub === null || typeof sub !== "object" || Array.isArray(sub)) return { ok: false, reply: storeFailure(m.storeMalformed) };
  const s = sub as Payload;
  const plan = findPlan(asInt(s["plan"]) ?? -1);
  if (!plan) return { ok: false, reply: storeFailure(m.storeUnknownPlan) };
  const period = s["payperiod"];
  if ((period !== "YEAR" && period !== "MONT") || plan.userAddons[period] === undefined) {
    return { ok: false, reply: storeFailure(m.storePayPeriod) };
  }
  const rawAddons = s["addons"] ?? [];
  if (!Array.isArray(rawAddons)) return { ok: false, reply: storeFailure(m.storeMalformed) };
  const addons: { id: number; count: number }[] = [];
  for (const a of rawAddons as unknown[]) {
    const rec = (a ?? {}) as Payload;
    const id = asInt(rec["id"]);
    const count = asInt(rec["count"]);
    if (id === undefined || count === undefined) return { ok: false, reply: storeFailure(m.storeMalformed) };
    if (addonName(plan, period, id) === undefined) return { ok: false, reply: storeFailure(m.storeUnknownAddon) };
    const same = addons.find((x) => x.id === id);
    if (same) same.count = count;
    else addons.push({ id, count });
  }
  return { ok: true, planId: plan.planId, period, addons };
}

function profileIdOf(ctx: SandboxContext, org: OrgRecord): string {
  const plan = org.plan;
  return plan.type === "paid" ? plan.profileId : nextId(ctx.data);
}

export function createSubscription(ctx: SandboxContext, req: SandboxRequest): Reply {
  const t = target(ctx, req);
  if (!t.ok) return t.reply;
  const m = ctx.switches.messages;
  const customer = t.body["customer"];
  if (customer === null || typeof customer !== "object" || Array.isArray(customer)) return storeFailure(m.storeMissingCustomer);
  const want = desired(ctx, t.body);
  if (!want.ok) return want.reply;
  const plan = currentPlan(ctx, t.org);
  if (plan.type === "paid" && ctx.switches.postWhenPaid === "error") return storeFailure(m.storeAlreadyPaid);
  if (plan.type === "trial" && !ctx.switches.trialToPaidAllowed) return storeFailure(m.storeTrialToPaid);
  if (ctx.switches.cardDeclined) return storeFailure(m.storeCardDeclined);
  const country = (customer as Payload)["country"];
  if (typeof country === "string") t.org.country = country;
  const profileId = profileIdOf(ctx, t.org);
  t.org.plan = { type: "paid", planId: want.planId, period: want.period, addons: want.addons, profileId, since: ctx.now() };
  return storeSuccess({ customid: t.org.zoid, licensedetails: { profileid: profileId } }, ctx.switches.errorMsgWithSuccess);
}

export function updateSubscription(ctx: SandboxContext, req: SandboxRequest): Reply {
  const t = target(ctx, req);
  if (!t.ok) return t.reply;
  const m = ctx.switches.messages;
  const plan = currentPlan(ctx, t.org);
  if (plan.type !== "paid") return storeFailure(m.storeNotPaid);
  const want = desired(ctx, t.body);
  if (!want.ok) return want.reply;
  if (ctx.switches.rejectYearToMonth && plan.period === "YEAR" && want.period === "MONT") return storeFailure(m.storeYearToMonth);
  if (ctx.switches.cardDeclined) return storeFailure(m.storeCardDeclined);
  t.org.plan = { ...plan, planId: want.planId, period: want.period, addons: want.addons };
  return storeSuccess({ customid: t.org.zoid, licensedetails: { profileid: plan.profileId } }, ctx.switches.errorMsgWithSuccess);
}

export function getSubscription(ctx: SandboxContext, req: SandboxRequest): Reply {
  const t = target(ctx, req);
  if (!t.ok) return t.reply;
  const plan = currentPlan(ctx, t.org);
  if (plan.type !== "paid") {
    return ctx.switches.storeFreeGetBody === "failure"
      ? storeFailure(ctx.switches.messages.storeNotPaid)
      : storeSuccess({ licensedetails: { paiduser: false } });
  }
  const catalogPlan = findPlan(plan.planId);
  return storeSuccess({
    licensedetails: {
      paiduser: true,
      payperiod: plan.period,
      planname: catalogPlan?.storeName ?? null,
      planid: plan.planId,
      addondetails: plan.addons.map((a) => ({
        addonname: (catalogPlan && addonName(catalogPlan, plan.period, a.id)) ?? STORAGE_ADDONS[a.id] ?? String(a.id),
        addonvalue: a.count,
        addonid: String(a.id),
      })),
    },
  });
}

export function cancelSubscription(ctx: SandboxContext, req: SandboxRequest): Reply {
  const t = target(ctx, req);
  if (!t.ok) return t.reply;
  if (currentPlan(ctx, t.org).type !== "paid") return storeFailure(ctx.switches.messages.storeNotPaid);
  t.org.plan = { type: "free" };
  return storeSuccess();
}
