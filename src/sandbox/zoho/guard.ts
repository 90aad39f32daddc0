import type { SandboxContext, SandboxRequest } from "./context.js";
import type { AccessTokenRecord } from "./data.js";
import { INVALID_OAUTHTOKEN, INVALID_TICKET, mailError, storeFailure, type Reply } from "./envelopes.js";
import { liveAccessToken } from "./tokens.js";

/**
 * Authentication, scope and rate-limit checks in front of Mail and Store. Each route names the
 * scopes that satisfy it (any one of them; `.ALL` of the same resource always does).
 */
export type AuthStyle = "mail" | "store-write" | "store-read";

function tokenFromHeader(ctx: SandboxContext, header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const m = /^(Zoho-oauthtoken|Bearer)\s+(\S+)\s*$/.exec(header);
  if (!m) return undefined;
  if (m[1] === "Bearer" && !ctx.switches.acceptBearer) return undefined;
  return m[2];
}

function missingAuth(style: AuthStyle): Reply {
  if (style === "mail") return INVALID_TICKET;
  return style === "store-write" ? storeFailure("Authorization header missing", 400) : INVALID_OAUTHTOKEN;
}

function badToken(ctx: SandboxContext, style: AuthStyle): Reply {
  return style === "store-write" ? storeFailure(ctx.switches.messages.storeAuth, 400) : INVALID_OAUTHTOKEN;
}

export function scopeSatisfied(granted: readonly string[], required: readonly string[]): boolean {
  const have = new Set(granted.map((s) => s.toLowerCase()));
  return required.some((r) => {
    const lower = r.toLowerCase();
    if (have.has(lower)) return true;
    const dot = lower.lastIndexOf(".");
    return dot > 0 && have.has(`${lower.slice(0, dot)}.all`);
  });
}

export class RateLimiter {
  readonly #hits = new Map<string, number[]>();
  readonly #lockedUntil = new Map<string, number>();
  /** Since the last reset: arrival times of the requests the limit let through (the first 200,000), and requests it refused. */
  readonly tally = { admitted: [] as number[], refused: 0 };

  /** True when the request may proceed. */
  admit(key: string, now: number, perMinute: number, lockMs: number): boolean {
    if (perMinute <= 0) return this.#admitted(now);
    const locked = this.#lockedUntil.get(key);
    if (locked !== undefined && now < locked) return this.#refused();
    const hits = (this.#hits.get(key) ?? []).filter((t) => t > now - 60_000);
    if (hits.length >= perMinute) {
      this.#lockedUntil.set(key, now + lockMs);
      this.#hits.set(key, []);
      return this.#refused();
    }
    hits.push(now);
    this.#hits.set(key, hits);
    return this.#admitted(now);
  }

  reset(): void {
    this.#hits.clear();
    this.#lockedUntil.clear();
    this.tally.admitted = [];
    this.tally.refused = 0;
  }

  #admitted(now: number): true {
    if (this.tally.admitted.length < 200_000) this.tally.admitted.push(now);
    return true;
  }

  #refused(): false {
    this.tally.refused++;
    return false;
  }
}

export function throttledReply(ctx: SandboxContext): Reply {
  return ctx.switches.throttleResponse === "429"
    ? mailError(429, "URL_ROLLING_THROTTLES_LIMIT_EXCEEDED")
    : mailError(400, "URL_ROLLING_THROTTLES_LIMIT_EXCEEDED");
}

export type GuardResult = { ok: true; token: AccessTokenRecord } | { ok: false; reply: Reply };

export function guard(
  ctx: SandboxContext,
  limiter: RateLimiter,
  req: SandboxRequest,
  style: AuthStyle,
  scopes: readonly string[],
): GuardResult {
  const raw = tokenFromHeader(ctx, req.headers.authorization);
  if (raw === undefined) return { ok: false, reply: missingAuth(style) };
  const token = liveAccessToken(ctx, raw, req.dc);
  if (!token) return { ok: false, reply: badToken(ctx, style) };
  if (ctx.switches.enforceScopes && !scopeSatisfied(token.scopes, scopes)) {
    return {
      ok: false,
      reply: style === "store-write" ? storeFailure("Scope not granted", 400) : mailError(401, "INVALID_OAUTHSCOPE"),
    };
  }
  if (ctx.switches.rateLimitServices.includes(req.service)) {
    const s = ctx.switches;
    if (!limiter.admit(token.token, ctx.now(), s.rateLimitPerMinute, s.rateLimitLockMs)) {
      return { ok: false, reply: throttledReply(ctx) };
    }
  }
  return { ok: true, token };
}

/** Scope alternatives per kind of call, accepting Zoho's legacy `VirtualOffice.*` names. */
export const SCOPES = {
  orgCreate: ["ZohoMail.partner.organization.CREATE", "VirtualOffice.partner.organization.CREATE"],
  orgRead: ["ZohoMail.partner.organization.READ", "VirtualOffice.partner.organization.READ", "VirtualOffice.organization.READ"],
  orgUpdate: ["ZohoMail.partner.organization.UPDATE", "VirtualOffice.partner.organization.UPDATE"],
  domainsRead: [
    "ZohoMail.organization.domains.READ",
    "ZohoMail.partner.organization.READ",
    "VirtualOffice.partner.organization.READ",
    "VirtualOffice.organization.READ",
  ],
  domainsCreate: ["ZohoMail.organization.domains.CREATE", "ZohoMail.partner.organization.UPDATE", "VirtualOffice.partner.organization.UPDATE"],
  domainsUpdate: [
    "ZohoMail.organization.domains.UPDATE",
    "VirtualOffice.organization.domains.UPDATE",
    "ZohoMail.partner.organization.UPDATE",
    "VirtualOffice.partner.organization.UPDATE",
  ],
  domainsDelete: ["ZohoMail.organization.domains.DELETE", "ZohoMail.partner.organization.UPDATE", "VirtualOffice.partner.organization.UPDATE"],
  accountsRead: ["ZohoMail.organization.accounts.READ"],
  accountsCreate: ["ZohoMail.organization.accounts.CREATE"],
  subscriptionsRead: ["ZohoMail.organization.subscriptions.READ"],
  storeWrite: ["ZohoPayments.partnersubscription.ALL"],
  storeSubscriptionsRead: ["ZohoPayments.subscriptions.READ", "ZohoPayments.fullaccess.READ"],
  storeLeadsRead: ["ZohoPayments.leads.READ", "ZohoPayments.fullaccess.READ"],
} as const;
