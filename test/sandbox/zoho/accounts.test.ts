import { afterEach, describe, expect, it } from "vitest";
import { startZohoSandbox, type ZohoSandbox, type ZohoSandboxOptions } from "../../../src/sandbox/zoho/index.js";
import { INVALID_OAUTHTOKEN_BODY, THROTTLE_BODY, accessToken, auth, call, form } from "./http.js";

let sb: ZohoSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** A frozen base clock: only `sb.clock.advance` moves time. */
async function start(opts: ZohoSandboxOptions = {}): Promise<ZohoSandbox> {
  sb = await startZohoSandbox({ clock: () => 1_700_000_000_000, ...opts });
  return sb;
}

const REDIRECT = "http://127.0.0.1:9/cb";

function authUrl(s: ZohoSandbox, dc: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: s.partner.clientId,
    scope: "ZohoMail.partner.organization.ALL",
    redirect_uri: REDIRECT,
    access_type: "offline",
    prompt: "consent",
    state: "st-1",
    ...extra,
  });
  return `${s.baseUrl(dc, "accounts")}/oauth/v2/auth?${q}`;
}

async function consent(s: ZohoSandbox, dc: string, extra: Record<string, string> = {}): Promise<URL> {
  const r = await call(authUrl(s, dc, extra));
  expect(r.status).toBe(302);
  return new URL(r.headers.get("location") ?? "");
}

function exchange(s: ZohoSandbox, dc: string, code: string) {
  return call(
    `${s.baseUrl(dc, "accounts")}/oauth/v2/token`,
    form({ grant_type: "authorization_code", client_id: s.partner.clientId, client_secret: s.partner.clientSecret, redirect_uri: REDIRECT, code }),
  );
}

function refresh(s: ZohoSandbox, dc: string, refreshToken = s.partner.refreshToken) {
  return call(
    `${s.baseUrl(dc, "accounts")}/oauth/v2/token`,
    form({ grant_type: "refresh_token", refresh_token: refreshToken, client_id: s.partner.clientId, client_secret: s.partner.clientSecret }),
  );
}

describe("Zoho sandbox: accounts", () => {
  it("redirects the consent to redirect_uri with state, code, location and accounts-server", async () => {
    const s = await start({ seed: { redirectUris: [REDIRECT] } });
    const loc = await consent(s, "us");
    expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT);
    expect([...loc.searchParams.keys()]).toEqual(["state", "code", "location", "accounts-server"]);
    expect(loc.searchParams.get("state")).toBe("st-1");
    expect(loc.searchParams.get("location")).toBe("us");
    expect(loc.searchParams.get("accounts-server")).toBe(s.baseUrl("us", "accounts"));
    expect(loc.searchParams.get("code")).toMatch(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
  });

  it("exchanges a code once and answers the documented token shape", async () => {
    const s = await start({ seed: { redirectUris: [REDIRECT] } });
    const code = (await consent(s, "us")).searchParams.get("code") ?? "";
    const first = await exchange(s, "us", code);
    expect(first.status).toBe(200);
    expect(Object.keys(first.json as object)).toEqual(["access_token", "refresh_token", "api_domain", "token_type", "expires_in"]);
    expect(first.json).toMatchObject({ api_domain: "https://www.zohoapis.com", token_type: "Bearer", expires_in: 3600 });
    const again = await exchange(s, "us", code);
    expect(again.status).toBe(200);
    expect(again.text).toBe('{"error":"invalid_code"}');
  });

  it("expires grant codes after two minutes", async () => {
    const s = await start({ seed: { redirectUris: [REDIRECT] } });
    const code = (await consent(s, "us")).searchParams.get("code") ?? "";
    s.clock.advance(120_001);
    expect((await exchange(s, "us", code)).text).toBe('{"error":"invalid_code"}');
  });

  it("issues a refresh token only for offline access, and on a second consent only with prompt=consent", async () => {
    const s = await start({ seed: { redirectUris: [REDIRECT] } });
    const online = await exchange(s, "us", (await consent(s, "us", { access_type: "online" })).searchParams.get("code") ?? "");
    expect(online.json).not.toHaveProperty("refresh_token");
    expect(online.json).toHaveProperty("access_token");
    const first = await exchange(s, "us", (await consent(s, "us")).searchParams.get("code") ?? "");
    expect(first.json).toHaveProperty("refresh_token");
    const second = await exchange(s, "us", (await consent(s, "us", { prompt: "none" })).searchParams.get("code") ?? "");
    expect(second.json).not.toHaveProperty("refresh_token");
  });

  it("refuses an unregistered redirect URI and an unknown client on the consent page", async () => {
    const s = await start();
    const r = await call(authUrl(s, "us"));
    expect(r.status).toBe(400);
    expect(r.text).toContain("Redirect URI passed does not match with the one configured");
    s.state.addRedirectUri(REDIRECT);
    const bad = await call(authUrl(s, "us", { client_id: "1000.NOPE" }));
    expect(bad.status).toBe(200);
    expect(bad.text).toContain("Invalid Client");
    expect(bad.text).toContain("The transmitted client ID does not exist");
  });

  it("throttles grant codes at 10 per 10 minutes per client with access_denied", async () => {
    const s = await start({ seed: { redirectUris: [REDIRECT] } });
    for (let i = 0; i < 10; i++) expect((await consent(s, "us")).searchParams.get("code")).not.toBeNull();
    const denied = await consent(s, "us");
    expect(denied.searchParams.get("error")).toBe("access_denied");
    expect(denied.searchParams.get("state")).toBe("st-1");
    s.clock.advance(600_001);
    expect((await consent(s, "us")).searchParams.get("code")).not.toBeNull();
  });

  it("answers invalid_client with HTTP 200 and the exact bytes Zoho sends", async () => {
    const s = await start();
    const r = await call(
      `${s.baseUrl("us", "accounts")}/oauth/v2/token`,
      form({ grant_type: "refresh_token", refresh_token: s.partner.refreshToken, client_id: s.partner.clientId, client_secret: "wrong" }),
    );
    expect(r.status).toBe(200);
    expect(r.text).toBe('{"error":"invalid_client"}');
    expect(r.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(r.headers.get("content-length")).toBe("26");
    expect(r.headers.get("server")).toBe("ZGS");
  });

  it("knows the client in one data centre only, unless multi-DC is on", async () => {
    const s = await start({ clientDc: "us" });
    expect((await refresh(s, "eu")).text).toBe('{"error":"invalid_client"}');
    s.switches.multiDc = true;
    // The client is accepted now, but the refresh token belongs to the US accounts server.
    expect((await refresh(s, "eu")).text).toBe('{"error":"invalid_code"}');
    expect((await refresh(s, "us")).json).toHaveProperty("access_token");
  });

  it("accepts token parameters in the query string with an empty body", async () => {
    const s = await start();
    const q = new URLSearchParams({
      refresh_token: s.partner.refreshToken,
      grant_type: "refresh_token",
      client_id: s.partner.clientId,
      client_secret: s.partner.clientSecret,
      redirect_uri: "ignored",
      scope: "ignored",
    });
    const r = await call(`${s.baseUrl("us", "accounts")}/oauth/v2/token?${q}`, { method: "POST" });
    expect(Object.keys(r.json as object)).toEqual(["access_token", "expires_in", "api_domain", "token_type"]);
  });

  it("throttles mints at 10 per 10 minutes per refresh token with the documented body", async () => {
    const s = await start();
    for (let i = 0; i < 10; i++) expect((await refresh(s, "us")).json).toHaveProperty("access_token");
    const denied = await refresh(s, "us");
    expect(denied.status).toBe(400);
    expect(denied.text).toBe(THROTTLE_BODY);
    expect(s.calls.tokensMinted).toBe(10);
    s.clock.advance(600_001);
    expect((await refresh(s, "us")).json).toHaveProperty("access_token");
  });

  it("can extend the lockout on retries and answer the throttle with another status", async () => {
    const s = await start({ switches: { throttleRetriesExtendLockout: true, mintThrottleStatus: 200, mintLimit: 2 } });
    await refresh(s, "us");
    await refresh(s, "us");
    s.clock.advance(300_000);
    expect((await refresh(s, "us")).status).toBe(200);
    expect((await refresh(s, "us")).text).toBe(THROTTLE_BODY);
    s.clock.advance(300_001);
    // The two real mints left the window, but the denied retries are still in it.
    expect((await refresh(s, "us")).text).toBe(THROTTLE_BODY);
  });

  it("expires access tokens after an hour", async () => {
    const s = await start();
    const token = await accessToken(s);
    const url = `${s.baseUrl("us", "mail")}/api/organization?mode=getCustomerOrgDetails`;
    expect((await call(url, { headers: auth(token) })).status).toBe(200);
    s.clock.advance(3_600_000);
    const r = await call(url, { headers: auth(token) });
    expect(r.status).toBe(401);
    expect(r.text).toBe(INVALID_OAUTHTOKEN_BODY);
  });

  it("evicts the oldest live access token beyond 10 per refresh token", async () => {
    const s = await start({ switches: { mintLimit: 100 } });
    const tokens: string[] = [];
    for (let i = 0; i < 11; i++) tokens.push(await accessToken(s));
    const url = `${s.baseUrl("us", "mail")}/api/organization`;
    expect((await call(url, { headers: auth(tokens[0] ?? "") })).text).toBe(INVALID_OAUTHTOKEN_BODY);
    expect((await call(url, { headers: auth(tokens[1] ?? "") })).status).toBe(200);
  });

  it("evicts the oldest refresh token beyond 20 per user (invalid_code), or refuses with the deny switch", async () => {
    const s = await start();
    for (let i = 0; i < 19; i++) s.state.issueRefreshToken();
    expect((await refresh(s, "us")).json).toHaveProperty("access_token");
    s.state.issueRefreshToken();
    expect((await refresh(s, "us")).text).toBe('{"error":"invalid_code"}');
    s.switches.refreshTokenOverflow = "deny";
    expect(() => s.state.issueRefreshToken()).toThrow(/refresh token limit/);
  });

  it("revokes a refresh token and its access tokens", async () => {
    const s = await start();
    const token = await accessToken(s);
    const r = await call(`${s.baseUrl("us", "accounts")}/oauth/v2/token/revoke?token=${encodeURIComponent(s.partner.refreshToken)}`, {
      method: "POST",
    });
    expect(r.json).toEqual({ status: "success" });
    expect((await refresh(s, "us")).text).toBe('{"error":"invalid_code"}');
    expect((await call(`${s.baseUrl("us", "mail")}/api/organization`, { headers: auth(token) })).text).toBe(INVALID_OAUTHTOKEN_BODY);
  });

  it("rejects unsupported grant types", async () => {
    const s = await start();
    const r = await call(
      `${s.baseUrl("us", "accounts")}/oauth/v2/token`,
      form({ grant_type: "password", client_id: s.partner.clientId, client_secret: s.partner.clientSecret }),
    );
    expect(r.text).toBe('{"error":"unsupported_grant_type"}');
  });
});
