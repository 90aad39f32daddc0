import type { SandboxContext, SandboxRequest } from "./context.js";
import type { ClientRecord } from "./data.js";
import { DC_TLD } from "./catalog.js";
import { mintThrottled, page, redirectTo, tokenError, type Reply } from "./envelopes.js";
import { formToRecord, parseForm } from "./wire.js";
import { issueRefreshToken, mintAccessToken, newTokenValue, revokeRefresh } from "./tokens.js";

/**
 * Zoho Accounts: consent (`/oauth/v2/auth`), token grants and revoke
 * (docs/zoho.md#oauth-consent-and-tokens).
 */

function servesDc(ctx: SandboxContext, client: ClientRecord, dc: string): boolean {
  return client.dc === dc || ctx.switches.multiDc;
}

function apiDomain(dc: string): string {
  return `https://www.zohoapis.${DC_TLD[dc] ?? dc}`;
}

function appendQuery(uri: string, pairs: ReadonlyArray<readonly [string, string]>): string {
  const qs = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
  return `${uri}${uri.includes("?") ? "&" : "?"}${qs}`;
}

export function authorize(ctx: SandboxContext, req: SandboxRequest): Reply {
  const q = req.query;
  const client = ctx.data.clients.find((c) => c.clientId === q["client_id"]);
  if (!client || !servesDc(ctx, client, req.dc)) {
    return page(200, "Invalid Client", "The transmitted client ID does not exist");
  }
  const redirectUri = q["redirect_uri"] ?? "";
  if (!client.redirectUris.includes(redirectUri)) {
    return page(400, "Invalid Redirect Uri", "Redirect URI passed does not match with the one configured");
  }
  const state = q["state"];
  const withState = (pairs: Array<[string, string]>): Array<[string, string]> =>
    state === undefined ? pairs : [["state", state], ...pairs];
  if (q["response_type"] !== "code") {
    return redirectTo(appendQuery(redirectUri, withState([["error", "unsupported_response_type"]])));
  }
  const scopes = (q["scope"] ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (scopes.length === 0) return redirectTo(appendQuery(redirectUri, withState([["error", "invalid_scope"]])));

  const now = ctx.now();
  client.codeTimes = client.codeTimes.filter((t) => t > now - ctx.switches.codeIssueWindowMs);
  if (client.codeTimes.length >= ctx.switches.codeIssueLimit) {
    return redirectTo(appendQuery(redirectUri, withState([["error", "access_denied"]])));
  }
  client.codeTimes.push(now);

  // No login page: the sandbox's partner is always the signed-in user and always consents.
  const partner = ctx.partner();
  const offline = q["access_type"] === "offline";
  const firstConsent = !partner.consented.includes(client.clientId);
  const code = newTokenValue();
  ctx.data.codes = ctx.data.codes.filter((c) => !c.used && c.expiresAt > now);
  ctx.data.codes.push({
    code,
    clientId: client.clientId,
    partnerId: partner.id,
    dc: partner.dc,
    redirectUri,
    scopes,
    issueRefreshToken: offline && (firstConsent || q["prompt"] === "consent"),
    expiresAt: now + ctx.switches.codeTtlMs,
    used: false,
  });
  return redirectTo(
    appendQuery(
      redirectUri,
      withState([
        ["code", code],
        ["location", partner.dc],
        ["accounts-server", ctx.baseUrl(partner.dc, "accounts")],
      ]),
    ),
  );
}

/** Token parameters may come in the query string, a form body, or both (body wins). */
function tokenParams(req: SandboxRequest): Record<string, string> {
  const fromBody = req.contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")
    ? formToRecord(parseForm(req.body.toString("utf8")))
    : {};
  return { ...req.query, ...fromBody };
}

export function token(ctx: SandboxContext, req: SandboxRequest): Reply {
  const p = tokenParams(req);
  const client = ctx.data.clients.find((c) => c.clientId === p["client_id"]);
  if (!client || client.clientSecret !== p["client_secret"] || !servesDc(ctx, client, req.dc)) {
    return tokenError("invalid_client");
  }
  const now = ctx.now();
  const grant = p["grant_type"];
  if (grant === "authorization_code") {
    const code = ctx.data.codes.find((c) => c.code === p["code"]);
    if (!code || code.used || code.expiresAt <= now || code.dc !== req.dc || code.clientId !== client.clientId) {
      return tokenError("invalid_code");
    }
    code.used = true;
    let refresh: string | undefined;
    // An online grant has no refresh token; its access token hangs off the code itself.
    let grantRef: { token: string; dc: string; scopes: string[] } = { token: `code:${code.code}`, dc: code.dc, scopes: code.scopes };
    if (code.issueRefreshToken) {
      const issued = issueRefreshToken(ctx, { clientId: client.clientId, partnerId: code.partnerId, dc: code.dc, scopes: code.scopes });
      if (!issued.ok) return tokenError("Access Denied");
      grantRef = issued.record;
      refresh = issued.record.token;
      const partner = ctx.data.partners.find((x) => x.id === code.partnerId);
      if (partner && !partner.consented.includes(client.clientId)) partner.consented.push(client.clientId);
    }
    const at = mintAccessToken(ctx, grantRef);
    const body: Record<string, unknown> = { access_token: at.token };
    if (refresh !== undefined) body["refresh_token"] = refresh;
    body["api_domain"] = apiDomain(req.dc);
    body["token_type"] = "Bearer";
    body["expires_in"] = ctx.switches.accessTokenTtlSec;
    return { status: 200, body };
  }
  if (grant === "refresh_token") {
    const rt = ctx.data.refreshTokens.find((r) => r.token === p["refresh_token"]);
    if (!rt || rt.revoked || rt.dc !== req.dc || rt.clientId !== client.clientId) return tokenError("invalid_code");
    rt.mints = rt.mints.filter((t) => t > now - ctx.switches.mintWindowMs);
    if (rt.mints.length >= ctx.switches.mintLimit) {
      if (ctx.switches.throttleRetriesExtendLockout) rt.mints.push(now);
      return mintThrottled(ctx.switches.mintThrottleStatus);
    }
    rt.mints.push(now);
    const at = mintAccessToken(ctx, rt);
    return {
      status: 200,
      body: { access_token: at.token, expires_in: ctx.switches.accessTokenTtlSec, api_domain: apiDomain(req.dc), token_type: "Bearer" },
    };
  }
  return tokenError("unsupported_grant_type");
}

export function revoke(ctx: SandboxContext, req: SandboxRequest): Reply {
  const value = tokenParams(req)["token"];
  const rt = ctx.data.refreshTokens.find((r) => r.token === value && r.dc === req.dc);
  if (rt) {
    revokeRefresh(ctx, rt);
    return { status: 200, body: { status: "success" } };
  }
  const at = ctx.data.accessTokens.find((t) => t.token === value && t.dc === req.dc);
  if (at) {
    at.revoked = true;
    return { status: 200, body: { status: "success" } };
  }
  return tokenError("invalid_token");
}
