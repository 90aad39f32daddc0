import type { SandboxContext, SandboxRequest } from "./context.js";
import type { OrgRecord } from "./data.js";
import { isTrialPlanName } from "./catalog.js";
import { URL_RULE_MISMATCH, mailCreated, mailError, mailOk, type Reply } from "./envelopes.js";
import { PATTERN_NOT_MATCHED, intParam, isDomainName, isEmail, mailJsonBody, modeIs, nonEmptyString } from "./mail-body.js";
import {
  basePlan,
  canExtendTrial,
  createOrgRecord,
  extendTrial,
  isTrialAllowed,
  isVerified,
  licenseCount,
  orgByDomain,
  orgByEmail,
  ownOrgByZoid,
  ownOrgs,
  planType,
  primaryDomain,
  startTrial,
} from "./org-model.js";
import { raw } from "./wire.js";

/** Mail partner organization endpoints (docs/zoho.md#create-a-child-org to docs/zoho.md#trials). */

const CREATE_KEYS = ["domainName", "emailId", "firstName", "lastName", "orgName", "password", "planName"];

function orgUri(ctx: SandboxContext, dc: string, zoid: string): string {
  return `${ctx.baseUrl(dc, "mail")}/api/organization/${zoid}`;
}

export function createOrg(ctx: SandboxContext, req: SandboxRequest): Reply {
  const parsed = mailJsonBody(ctx, req, CREATE_KEYS);
  if (!parsed.ok) return parsed.reply;
  const b = parsed.value;
  const required = ctx.switches.createOrgStrict
    ? ["domainName", "emailId", "firstName", "lastName", "orgName", "password"]
    : ["domainName", "emailId", "firstName", "lastName"];
  if (required.some((k) => !nonEmptyString(b[k]))) return PATTERN_NOT_MATCHED;
  if (!isDomainName(b["domainName"]) || !isEmail(b["emailId"])) return PATTERN_NOT_MATCHED;
  const planName = b["planName"] ?? "free";
  if (planName !== "free" && !isTrialPlanName(planName)) return PATTERN_NOT_MATCHED;

  const partner = ctx.partner();
  const existing = orgByDomain(ctx, b["domainName"]) ?? orgByEmail(ctx, b["emailId"]);
  if (existing) {
    const m = ctx.switches.messages;
    return mailError(500, undefined, existing.partnerId === partner.id ? m.orgExists : m.customerOfAnotherPartner);
  }
  const org = createOrgRecord(ctx, {
    partnerId: partner.id,
    domainName: b["domainName"],
    emailId: b["emailId"],
    firstName: String(b["firstName"]),
    lastName: String(b["lastName"]),
    ...(nonEmptyString(b["orgName"]) ? { orgName: b["orgName"] } : {}),
  });
  if (isTrialPlanName(planName)) startTrial(ctx, org, planName);

  const data: Record<string, unknown> = {
    orgName: org.orgName,
    st_enc_zoid: org.stEncZoid,
    isVerified: false,
    zoid: org.zoid,
    usedLicenseCount: 1,
    URI: orgUri(ctx, req.dc, org.zoid),
    encryptedZoid: org.encryptedZoid,
    isTrialAllowed: isTrialAllowed(ctx, org),
    domainName: primaryDomain(org)?.domainName,
    superAdmin: org.superAdmin,
  };
  if (ctx.switches.createOrgReturnsBasePlan) data["basePlan"] = basePlan(ctx, org);
  return mailCreated(data, ctx.switches.createHttpStatus);
}

function orgDetails(ctx: SandboxContext, dc: string, org: OrgRecord): Record<string, unknown> {
  return {
    mailboxCount: org.users.length,
    URI: orgUri(ctx, dc, org.zoid),
    encryptedZoid: org.encryptedZoid,
    orgPolicyDetails: {},
    spamVO: { spamProcessType: "complete" },
    isMailHostingEnabled: primaryDomain(org)?.mailHostingEnabled ?? false,
    licenseCount: licenseCount(ctx, org),
    superAdminFullName: `${org.firstName} ${org.lastName}`.trim(),
    orgCreationTime: org.createdTime,
    orgName: org.orgName,
    planType: planType(ctx, org),
    isOfferAvailable: false,
    primaryDomainName: primaryDomain(org)?.domainName ?? "",
    zoid: raw(org.zoid),
    domains: org.domains.map((d) => d.domainName),
    usersCount: org.users.length,
    partnerOrgCount: 0,
    groupCount: 0,
    basePlan: basePlan(ctx, org),
    zaid: org.zaid,
    sharedGroupCount: 0,
    isDomainMarkingExist: false,
    superAdmin: org.superAdmin,
    isEmailConfirmed: true,
  };
}

export function getOrg(ctx: SandboxContext, req: SandboxRequest): Reply {
  const zoid = req.params[0] ?? "";
  if (!/^\d+$/.test(zoid)) return URL_RULE_MISMATCH;
  const org = ownOrgByZoid(ctx, zoid);
  if (!org) return mailError(404, undefined, ctx.switches.messages.orgNotFound);
  if (req.query["fields"] === "encryptedZoid") return mailOk({ encryptedZoid: org.encryptedZoid });
  return mailOk(orgDetails(ctx, req.dc, org));
}

/** `GET /api/organization`: the partner's own org, or with `mode=getCustomerOrgDetails` the customer list. */
export function organizationRoot(ctx: SandboxContext, req: SandboxRequest): Reply {
  const mode = req.query["mode"];
  if (mode === undefined) {
    const partner = ctx.partner();
    return mailOk({
      zoid: raw(partner.zoid),
      orgName: "Partner",
      superAdmin: partner.email,
      partnerOrgCount: ownOrgs(ctx).length,
      basePlan: "Mail Free",
    });
  }
  if (!modeIs(ctx, mode, "getCustomerOrgDetails")) return URL_RULE_MISMATCH;
  return listCustomerOrgs(ctx, req);
}

function matches(ctx: SandboxContext, domain: string, key: string): boolean {
  const k = key.toLowerCase();
  switch (ctx.switches.searchKeyMatch) {
    case "exact":
      return domain === k;
    case "prefix":
      return domain.startsWith(k);
    case "contains":
      return domain.includes(k);
  }
}

function listCustomerOrgs(ctx: SandboxContext, req: SandboxRequest): Reply {
  let orgs = ownOrgs(ctx);
  const key = req.query["searchKey"];
  if (key !== undefined && key !== "") orgs = orgs.filter((o) => matches(ctx, primaryDomain(o)?.domainName ?? "", key));
  const size = ctx.switches.customerOrgPageSize;
  if (size > 0) {
    const start = intParam(req.query["start"], 0);
    const limit = intParam(req.query["limit"], size);
    if (start === undefined || limit === undefined || limit < 1) return URL_RULE_MISMATCH;
    orgs = orgs.slice(start, start + Math.min(limit, size));
  }
  const extra = ctx.switches.customerOrgExtraFields;
  return mailOk(
    orgs.map((o) => ({
      zoid: raw(o.zoid),
      domainName: primaryDomain(o)?.domainName ?? "",
      superAdmin: o.superAdmin,
      isVerified: isVerified(o),
      basePlan: basePlan(ctx, o),
      isTrialAllowed: isTrialAllowed(ctx, o),
      extendTrial: canExtendTrial(ctx, o),
      ...(extra ? { licenseCount: licenseCount(ctx, o), usersCount: o.users.length } : {}),
    })),
  );
}

function orgFromPath(ctx: SandboxContext, req: SandboxRequest): OrgRecord | Reply {
  const zoid = req.params[0] ?? "";
  if (!/^\d+$/.test(zoid)) return URL_RULE_MISMATCH;
  return ownOrgByZoid(ctx, zoid) ?? mailError(404, undefined, ctx.switches.messages.orgNotFound);
}

function isReply(x: OrgRecord | Reply): x is Reply {
  return "status" in x && !("zoid" in x);
}

export function enableTrial(ctx: SandboxContext, req: SandboxRequest): Reply {
  const org = orgFromPath(ctx, req);
  if (isReply(org)) return org;
  const planName = req.query["planName"];
  const m = ctx.switches.messages;
  if (!isTrialPlanName(planName)) return mailError(500, undefined, m.invalidTrialPlan);
  if (!isTrialAllowed(ctx, org)) return mailError(500, undefined, m.trialNotAllowed);
  startTrial(ctx, org, planName);
  return mailOk(undefined);
}

export function extendTrialHandler(ctx: SandboxContext, req: SandboxRequest): Reply {
  const org = orgFromPath(ctx, req);
  if (isReply(org)) return org;
  const m = ctx.switches.messages;
  const plan = org.plan.type === "trial" && org.plan.expiresAt > ctx.now() ? org.plan : undefined;
  if (!plan) return mailError(500, undefined, m.trialNotActive);
  if (!canExtendTrial(ctx, org)) return mailError(500, undefined, m.trialExtensionUsed);
  extendTrial(ctx, org);
  return mailOk(undefined);
}

export function subscriptionInfo(ctx: SandboxContext, req: SandboxRequest): Reply {
  const org = orgFromPath(ctx, req);
  if (isReply(org)) return org;
  const plan = org.plan;
  return mailOk({
    currencyType: "USD",
    autoAllocationPercentage: 0,
    addOns: [{ PLANNAME: basePlan(ctx, org), PROPVALUE: licenseCount(ctx, org), planStorage: 5 }],
    ...(plan.type === "trial" ? { expiryTime: plan.expiresAt } : {}),
  });
}

export { orgFromPath, isReply };
