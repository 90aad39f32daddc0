import { ReconcileError } from "../../core/errors.js";
import type { SandboxContext } from "./context.js";
import { nextId, type DomainRecord, type OrgPlan, type OrgRecord, type SandboxData } from "./data.js";
import { findPlan, type StorePeriod, type TrialPlanName } from "./catalog.js";
import { dnsFixture, type DnsFixture } from "./dns.js";
import { basePlan, createOrgRecord, currentPlan, isVerified, licenseCount, primaryDomain, startTrial } from "./org-model.js";
import { issueRefreshToken, revokeRefresh } from "./tokens.js";

/** The test-facing view of the sandbox's state: inspect and arrange without HTTP. */

export type SeedPlan =
  | { readonly type: "free" }
  | { readonly type: "trial"; readonly trial: TrialPlanName }
  | {
      readonly type: "paid";
      readonly planId: number;
      readonly period: StorePeriod;
      readonly addons: readonly { readonly id: number; readonly count: number }[];
    };

export interface SeedOrg {
  readonly domain: string;
  readonly email: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly country?: string;
  readonly verified?: boolean;
  readonly plan?: SeedPlan;
}

export interface OrgView {
  readonly zoid: string;
  readonly domain: string;
  readonly superAdmin: string;
  readonly verified: boolean;
  readonly plan: OrgPlan;
  readonly basePlan: string;
  readonly licenseCount: number;
  readonly usersCount: number;
  readonly domains: readonly DomainRecord[];
  readonly foreign: boolean;
}

export interface ZohoSandboxState {
  /** The raw state; mutate with care (call `save()` when persisting). */
  readonly data: SandboxData;
  readonly dns: DnsFixture;
  orgs(): readonly OrgView[];
  /** By domain, zoid or super-admin email. */
  org(key: string): OrgView | undefined;
  addOrg(seed: SeedOrg): string;
  /** A customer already registered in Zoho under another partner. */
  addForeignCustomer(input: { readonly domain: string; readonly email: string }): string;
  setPlan(key: string, plan: SeedPlan): void;
  /** Mark a domain verified as if the customer had completed verification. */
  verifyDomain(domain: string): void;
  addRedirectUri(uri: string): void;
  /** Issue another refresh token for the partner (same client, all scopes unless given). */
  issueRefreshToken(scopes?: readonly string[]): string;
  revokeRefreshToken(token: string): void;
  accessTokens(): readonly { readonly token: string; readonly expiresAt: number; readonly revoked: boolean }[];
  save(): void;
}

export const FOREIGN_PARTNER_ID = "partner-other";

function seedError(message: string): ReconcileError {
  return new ReconcileError("sandbox.zoho.seed", message);
}

export function createState(ctx: SandboxContext, persist: () => void): ZohoSandboxState {
  const data = ctx.data;

  const find = (key: string): OrgRecord | undefined => {
    const k = key.toLowerCase();
    return data.orgs.find((o) => o.zoid === k || o.superAdmin === k || o.domains.some((d) => d.domainName === k));
  };
  const mustFind = (key: string): OrgRecord => {
    const org = find(key);
    if (!org) throw seedError(`no sandbox org matches ${JSON.stringify(key)}`);
    return org;
  };
  const view = (o: OrgRecord): OrgView => ({
    zoid: o.zoid,
    domain: primaryDomain(o)?.domainName ?? "",
    superAdmin: o.superAdmin,
    verified: isVerified(o),
    plan: structuredClone(currentPlan(ctx, o)),
    basePlan: basePlan(ctx, o),
    licenseCount: licenseCount(ctx, o),
    usersCount: o.users.length,
    domains: o.domains.map((d) => ({ ...d })),
    foreign: o.partnerId !== ctx.partner().id,
  });
  const applyPlan = (org: OrgRecord, plan: SeedPlan): void => {
    if (plan.type === "free") org.plan = { type: "free" };
    else if (plan.type === "trial") startTrial(ctx, org, plan.trial);
    else {
      const p = findPlan(plan.planId);
      if (!p || p.userAddons[plan.period] === undefined) {
        throw seedError(`plan ${plan.planId} is not sold with pay period ${plan.period}`);
      }
      const profileId = org.plan.type === "paid" ? org.plan.profileId : nextId(data);
      org.plan = { type: "paid", planId: plan.planId, period: plan.period, addons: plan.addons.map((a) => ({ ...a })), profileId, since: ctx.now() };
    }
  };
  const add = (seed: SeedOrg, partnerId: string): string => {
    if (find(seed.domain) || find(seed.email)) throw seedError(`domain or email already used: ${seed.domain} / ${seed.email}`);
    const org = createOrgRecord(ctx, {
      partnerId,
      domainName: seed.domain,
      emailId: seed.email,
      firstName: seed.firstName ?? "Admin",
      lastName: seed.lastName ?? "User",
      ...(seed.country !== undefined ? { country: seed.country } : {}),
    });
    if (seed.verified) {
      const d = primaryDomain(org);
      if (d) {
        d.verified = true;
        d.verifiedBy = "verifyDomainByCName";
      }
    }
    if (seed.plan) applyPlan(org, seed.plan);
    return org.zoid;
  };

  const state: ZohoSandboxState = {
    data,
    dns: dnsFixture(() => data, persist),
    orgs: () => data.orgs.map(view),
    org: (key) => {
      const o = find(key);
      return o ? view(o) : undefined;
    },
    addOrg(seed) {
      const zoid = add(seed, ctx.partner().id);
      persist();
      return zoid;
    },
    addForeignCustomer(input) {
      if (!data.partners.some((p) => p.id === FOREIGN_PARTNER_ID)) {
        data.partners.push({ id: FOREIGN_PARTNER_ID, email: "partner@other.example", dc: ctx.partner().dc, zoid: nextId(data), consented: [] });
      }
      const zoid = add({ domain: input.domain, email: input.email }, FOREIGN_PARTNER_ID);
      persist();
      return zoid;
    },
    setPlan(key, plan) {
      applyPlan(mustFind(key), plan);
      persist();
    },
    verifyDomain(domain) {
      const d = domain.toLowerCase();
      const org = mustFind(d);
      const rec = org.domains.find((x) => x.domainName === d);
      if (rec) {
        rec.verified = true;
        rec.verifiedBy = "verifyDomainByCName";
      }
      persist();
    },
    addRedirectUri(uri) {
      for (const c of data.clients) if (!c.redirectUris.includes(uri)) c.redirectUris.push(uri);
      persist();
    },
    issueRefreshToken(scopes) {
      const partner = ctx.partner();
      const client = data.clients[0];
      if (!client) throw seedError("no OAuth client registered");
      const issued = issueRefreshToken(ctx, {
        clientId: client.clientId,
        partnerId: partner.id,
        dc: partner.dc,
        scopes: scopes ?? ALL_SCOPES,
      });
      if (!issued.ok) throw seedError("refresh token limit reached (refreshTokenOverflow: deny)");
      persist();
      return issued.record.token;
    },
    revokeRefreshToken(token) {
      const rt = data.refreshTokens.find((r) => r.token === token);
      if (rt) revokeRefresh(ctx, rt);
      persist();
    },
    accessTokens: () => data.accessTokens.map((t) => ({ token: t.token, expiresAt: t.expiresAt, revoked: t.revoked })),
    save: persist,
  };
  return state;
}

/** Every scope the sandbox checks, granted to the seeded refresh token. */
export const ALL_SCOPES: readonly string[] = [
  "ZohoMail.partner.organization.ALL",
  "ZohoMail.organization.domains.ALL",
  "ZohoMail.organization.accounts.ALL",
  "ZohoMail.organization.subscriptions.ALL",
  "ZohoPayments.partnersubscription.all",
  "ZohoPayments.subscriptions.READ",
  "ZohoPayments.leads.READ",
];
