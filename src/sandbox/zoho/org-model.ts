import { randomBytes } from "node:crypto";
import type { SandboxContext } from "./context.js";
import { nextId, type DomainRecord, type OrgPlan, type OrgRecord } from "./data.js";
import { FREE_BASE_PLAN, TRIAL_BASE_PLANS, findPlan, type TrialPlanName } from "./catalog.js";

/** Org and plan state machine (docs/zoho.md#plan-states). */

const DAY_MS = 86_400_000;

/** The org's plan now; an expired trial falls back to free as it is observed. */
export function currentPlan(ctx: SandboxContext, org: OrgRecord): OrgPlan {
  if (org.plan.type === "trial" && org.plan.expiresAt <= ctx.now()) org.plan = { type: "free" };
  return org.plan;
}

export function basePlan(ctx: SandboxContext, org: OrgRecord): string {
  const plan = currentPlan(ctx, org);
  if (plan.type === "free") return FREE_BASE_PLAN;
  if (plan.type === "trial") return TRIAL_BASE_PLANS[plan.trial];
  return findPlan(plan.planId)?.basePlan ?? `Plan ${plan.planId}`;
}

export function planType(ctx: SandboxContext, org: OrgRecord): string {
  const plan = currentPlan(ctx, org);
  if (plan.type === "free") return "free";
  if (plan.type === "trial") return plan.trial;
  return findPlan(plan.planId)?.planType ?? "paid";
}

/** Licences available: the plan's user cap, or on a paid plan the sum of user add-on counts. */
export function licenseCount(ctx: SandboxContext, org: OrgRecord): number {
  const plan = currentPlan(ctx, org);
  if (plan.type === "free") return ctx.switches.freeUserCap;
  if (plan.type === "trial") return ctx.switches.trialUserCap;
  const users = findPlan(plan.planId)?.userAddons[plan.period] ?? [];
  return plan.addons.filter((a) => users.includes(a.id)).reduce((n, a) => n + a.count, 0);
}

export function isTrialAllowed(ctx: SandboxContext, org: OrgRecord): boolean {
  return !org.trialUsed && currentPlan(ctx, org).type === "free";
}

export function canExtendTrial(ctx: SandboxContext, org: OrgRecord): boolean {
  const plan = currentPlan(ctx, org);
  return plan.type === "trial" && plan.extensions < ctx.switches.maxTrialExtensions;
}

export function primaryDomain(org: OrgRecord): DomainRecord | undefined {
  return org.domains.find((d) => d.primary) ?? org.domains[0];
}

export function isVerified(org: OrgRecord): boolean {
  return primaryDomain(org)?.verified ?? false;
}

export function startTrial(ctx: SandboxContext, org: OrgRecord, trial: TrialPlanName): void {
  org.plan = { type: "trial", trial, expiresAt: ctx.now() + ctx.switches.trialDays * DAY_MS, extensions: 0 };
  org.trialUsed = true;
}

export function extendTrial(ctx: SandboxContext, org: OrgRecord): void {
  const plan = currentPlan(ctx, org);
  if (plan.type !== "trial") return;
  plan.expiresAt += ctx.switches.trialDays * DAY_MS;
  plan.extensions += 1;
}

export function ownOrgs(ctx: SandboxContext): OrgRecord[] {
  const partnerId = ctx.partner().id;
  return ctx.data.orgs.filter((o) => o.partnerId === partnerId);
}

export function ownOrgByZoid(ctx: SandboxContext, zoid: string): OrgRecord | undefined {
  const partnerId = ctx.partner().id;
  return ctx.data.orgs.find((o) => o.zoid === zoid && o.partnerId === partnerId);
}

/** Any org (ours or not) using the domain. */
export function orgByDomain(ctx: SandboxContext, domain: string): OrgRecord | undefined {
  const d = domain.toLowerCase();
  return ctx.data.orgs.find((o) => o.domains.some((x) => x.domainName === d));
}

export function orgByEmail(ctx: SandboxContext, email: string): OrgRecord | undefined {
  const e = email.toLowerCase();
  return ctx.data.orgs.find((o) => o.superAdmin === e || o.users.some((u) => u.email === e));
}

export function newDomain(ctx: SandboxContext, domainName: string, primary: boolean): DomainRecord {
  return {
    domainName: domainName.toLowerCase(),
    domainId: nextId(ctx.data),
    htmlCode: String(10_000_000 + Math.floor(Math.random() * 89_999_999)),
    verified: false,
    verifiedBy: null,
    primary,
    mailHostingEnabled: true,
    mxstatus: false,
    spfstatus: false,
    createdTime: ctx.now(),
  };
}

export interface NewOrgInput {
  readonly partnerId: string;
  readonly domainName: string;
  readonly emailId: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly orgName?: string;
  readonly country?: string;
}

export function createOrgRecord(ctx: SandboxContext, input: NewOrgInput): OrgRecord {
  const data = ctx.data;
  const email = input.emailId.toLowerCase();
  const org: OrgRecord = {
    zoid: nextId(data),
    zaid: nextId(data),
    encryptedZoid: randomBytes(32).toString("hex"),
    stEncZoid: randomBytes(16).toString("hex"),
    partnerId: input.partnerId,
    orgName: input.orgName ?? input.domainName.toLowerCase(),
    superAdmin: email,
    firstName: input.firstName,
    lastName: input.lastName,
    country: input.country ?? "",
    createdTime: ctx.now(),
    plan: { type: "free" },
    trialUsed: false,
    domains: [newDomain(ctx, input.domainName, true)],
    users: [],
  };
  org.users.push({
    zuid: nextId(data),
    accountId: nextId(data),
    email,
    firstName: input.firstName,
    lastName: input.lastName,
    displayName: `${input.firstName} ${input.lastName}`.trim(),
    role: "super_admin",
  });
  data.orgs.push(org);
  return org;
}
