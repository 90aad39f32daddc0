import { randomBytes } from "node:crypto";
import type { SandboxContext } from "./context.js";
import type { AccessTokenRecord, RefreshTokenRecord } from "./data.js";

/** Zoho tokens look like `1000.<hex>.<hex>`. */
export function newTokenValue(): string {
  return `1000.${randomBytes(16).toString("hex")}.${randomBytes(16).toString("hex")}`;
}

function isLive(t: AccessTokenRecord, now: number): boolean {
  return !t.revoked && now < t.expiresAt;
}

/** Mint an access token for a refresh token, evicting the oldest live one beyond the cap. */
export function mintAccessToken(
  ctx: SandboxContext,
  rt: Pick<RefreshTokenRecord, "token" | "dc" | "scopes">,
): AccessTokenRecord {
  const now = ctx.now();
  const data = ctx.data;
  // Expired tokens answer INVALID_OAUTHTOKEN whether or not they are remembered: forget them.
  data.accessTokens = data.accessTokens.filter((t) => isLive(t, now));
  const record: AccessTokenRecord = {
    token: newTokenValue(),
    refreshToken: rt.token,
    dc: rt.dc,
    scopes: [...rt.scopes],
    issuedAt: now,
    expiresAt: now + ctx.switches.accessTokenTtlSec * 1000,
    revoked: false,
  };
  data.accessTokens.push(record);
  const live = data.accessTokens.filter((t) => t.refreshToken === rt.token && isLive(t, now));
  for (const old of live.slice(0, Math.max(0, live.length - ctx.switches.maxLiveAccessTokens))) old.revoked = true;
  data.tokensMinted += 1;
  return record;
}

export type RefreshIssue = { ok: true; record: RefreshTokenRecord } | { ok: false };

/** Create a refresh token, applying the per-user cap (evict the oldest, or refuse). */
export function issueRefreshToken(
  ctx: SandboxContext,
  input: { clientId: string; partnerId: string; dc: string; scopes: readonly string[]; token?: string },
): RefreshIssue {
  const data = ctx.data;
  const live = data.refreshTokens.filter((t) => t.partnerId === input.partnerId && !t.revoked);
  if (live.length >= ctx.switches.maxRefreshTokens) {
    if (ctx.switches.refreshTokenOverflow === "deny") return { ok: false };
    for (const old of live.slice(0, live.length - ctx.switches.maxRefreshTokens + 1)) revokeRefresh(ctx, old);
  }
  const record: RefreshTokenRecord = {
    token: input.token ?? newTokenValue(),
    clientId: input.clientId,
    partnerId: input.partnerId,
    dc: input.dc,
    scopes: [...input.scopes],
    createdAt: ctx.now(),
    revoked: false,
    mints: [],
  };
  data.refreshTokens.push(record);
  return { ok: true, record };
}

export function revokeRefresh(ctx: SandboxContext, rt: RefreshTokenRecord): void {
  rt.revoked = true;
  for (const t of ctx.data.accessTokens) if (t.refreshToken === rt.token) t.revoked = true;
}

/** The access token's state as Mail and Store see it; undefined = INVALID_OAUTHTOKEN. */
export function liveAccessToken(ctx: SandboxContext, token: string, dc: string): AccessTokenRecord | undefined {
  const now = ctx.now();
  const t = ctx.data.accessTokens.find((x) => x.token === token);
  if (!t || t.dc !== dc || !isLive(t, now)) return undefined;
  const rt = ctx.data.refreshTokens.find((r) => r.token === t.refreshToken);
  if (rt?.revoked) return undefined;
  return t;
}
