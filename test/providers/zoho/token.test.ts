import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Secret } from "../../../src/core/secrets.js";
import { WaitTooLongError } from "../../../src/core/wait.js";
import {
  ZohoTokenError,
  ZohoTokenManager,
  createZohoProvider,
  tokenCacheFileName,
  zohoTokenCacheDir,
  type ZohoProviderOptions,
} from "../../../src/providers/zoho/index.js";
import { startZohoSandbox, type ZohoSandbox } from "../../../src/sandbox/zoho/index.js";
import { rig } from "./setup.js";

const open: ZohoSandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function mintDirectly(sb: ZohoSandbox, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await fetch(`${sb.baseUrl(sb.partner.dc, "accounts")}/oauth/v2/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: sb.partner.refreshToken,
        client_id: sb.partner.clientId,
        client_secret: sb.partner.clientSecret,
      }).toString(),
    });
  }
}

describe("Zoho token manager", () => {
  it("mints once for many sequential calls", async () => {
    const { sb, p } = await rig();
    open.push(sb);
    for (let i = 0; i < 20; i++) await p.mail.listCustomerOrgs();
    expect(sb.calls.tokensMinted).toBe(1);
    expect(sb.calls.count("accounts.token")).toBe(1);
    expect(p.tokens.mints).toBe(1);
  });

  it("mints once for 100 concurrent callers, directly and through Mail calls", async () => {
    const { sb, p } = await rig();
    open.push(sb);
    const tokens = await Promise.all(Array.from({ length: 100 }, () => p.tokens.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(sb.calls.count("accounts.token")).toBe(1);

    const fresh = await rig({ sandbox: { seed: { orgs: [{ domain: "acme.example", email: "it@acme.example" }] } } });
    open.push(fresh.sb);
    const zoid = fresh.sb.state.org("acme.example")?.zoid ?? "";
    await Promise.all(Array.from({ length: 100 }, () => fresh.p.mail.getOrg(zoid)));
    expect(fresh.sb.calls.count("mail.getOrg")).toBe(100);
    expect(fresh.sb.calls.tokensMinted).toBe(1);
  });

  it("refreshes before expiry by its own clock, once", async () => {
    let now = 1_000_000;
    const { sb, p } = await rig({ provider: { now: () => now } });
    open.push(sb);
    await p.tokens.getToken();
    now += 3_600_000 - 300_001;
    await p.tokens.getToken();
    expect(sb.calls.tokensMinted).toBe(1);
    now += 2;
    await Promise.all([p.tokens.getToken(), p.tokens.getToken(), p.tokens.getToken()]);
    expect(sb.calls.tokensMinted).toBe(2);
  });

  it("recovers from an access token that expired mid-run with exactly one refresh", async () => {
    const { sb, p } = await rig({ sandbox: { seed: { orgs: [{ domain: "acme.example", email: "it@acme.example" }] } } });
    open.push(sb);
    await p.mail.listCustomerOrgs();
    sb.clock.advance(3_600_000);
    const orgs = await Promise.all(Array.from({ length: 8 }, () => p.mail.listCustomerOrgs()));
    expect(orgs.every((o) => o.length === 1)).toBe(true);
    expect(sb.calls.tokensMinted).toBe(2);
    expect(sb.calls.count("accounts.token")).toBe(2);
  });

  it("waits out the mint throttle with the injected sleep, then succeeds", async () => {
    const { sb, p, sleeps } = await rig({ onSleep: (ms, s) => s.clock.advance(ms) });
    open.push(sb);
    await mintDirectly(sb, 10);
    const tokens = await Promise.all(Array.from({ length: 50 }, () => p.tokens.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(sleeps).toEqual([630_000]);
    expect(sb.calls.count("accounts.token")).toBe(10 + 2);
  });

  it("gives up after a bounded number of waits with an explanation, never storming", async () => {
    const { sb, p, sleeps } = await rig();
    open.push(sb);
    await mintDirectly(sb, 10);
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => p.tokens.getToken()));
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    const err = (results[0] as PromiseRejectedResult).reason as ZohoTokenError;
    expect(err).toBeInstanceOf(ZohoTokenError);
    expect(err.code).toBe("zoho.token.throttled");
    expect(err.message).toBe(
      'Zoho Accounts is throttling access-token requests for this refresh token (region "us"); still refused after waiting 2 × 11 min',
    );
    expect(err.hint).toContain("about 10 access tokens per 10 minutes per refresh token");
    expect(sleeps).toEqual([630_000, 630_000]);
    expect(sb.calls.count("accounts.token")).toBe(10 + 3);
  });

  it("names the region and says 'wrong data centre or credentials' on invalid_client", async () => {
    const sb = await startZohoSandbox({ dcs: ["us", "eu"], clientDc: "us" });
    open.push(sb);
    const tm = new ZohoTokenManager({
      region: "eu",
      baseUrl: sb.baseUrl,
      clientId: new Secret(sb.partner.clientId, "t"),
      clientSecret: new Secret(sb.partner.clientSecret, "t"),
      refreshToken: new Secret(sb.partner.refreshToken, "t"),
    });
    const err = (await tm.getToken().catch((e: unknown) => e)) as ZohoTokenError;
    expect(err).toBeInstanceOf(ZohoTokenError);
    expect(err.code).toBe("zoho.token.wrong_dc_or_credentials");
    expect(err.message).toBe(
      `Zoho Accounts at ${sb.baseUrl("eu", "accounts")} answered invalid_client: wrong data centre or credentials (configured region "eu")`,
    );
    expect(err.hint).toContain('zoho.region "eu"');
    expect(err.hint).toContain("zohocloud.ca");
  });

  it("asks to re-authorize on invalid_code (revoked refresh token)", async () => {
    const { sb, p } = await rig();
    open.push(sb);
    sb.state.revokeRefreshToken(sb.partner.refreshToken);
    const err = (await p.mail.listCustomerOrgs().catch((e: unknown) => e)) as ZohoTokenError;
    expect(err.code).toBe("zoho.token.reauthorize");
    expect(err.message).toContain("re-authorize (run reconcile zoho auth)");
  });

  it("uses the persisted accounts server instead of the region's", async () => {
    const sb = await startZohoSandbox({ dcs: ["us", "eu"], clientDc: "eu" });
    open.push(sb);
    const p = createZohoProvider({
      region: "eu",
      accountsUrl: `${sb.baseUrl("eu", "accounts")}/`,
      baseUrl: (dc, service) => (service === "accounts" ? "http://127.0.0.1:9" : sb.baseUrl(dc, service)),
      clientId: new Secret(sb.partner.clientId, "t"),
      clientSecret: new Secret(sb.partner.clientSecret, "t"),
      refreshToken: new Secret(sb.partner.refreshToken, "t"),
      mailRateLimit: false,
    });
    expect(await p.mail.listCustomerOrgs()).toEqual([]);
    expect(p.tokens.accountsUrl).toBe(sb.baseUrl("eu", "accounts"));
  });
});

describe("Zoho access tokens cached on disk", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const cacheDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), "reconcile-token-cache-"));
    dirs.push(d);
    return join(d, "cache");
  };
  const provider = (sb: ZohoSandbox, over: Partial<ZohoProviderOptions> = {}) =>
    createZohoProvider({
      region: sb.partner.dc,
      baseUrl: sb.baseUrl,
      clientId: new Secret(sb.partner.clientId, "t"),
      clientSecret: new Secret(sb.partner.clientSecret, "t"),
      refreshToken: new Secret(sb.partner.refreshToken, "t"),
      mailRateLimit: false,
      sleep: async () => undefined,
      ...over,
    });

  it("eleven runs inside ten minutes mint one token", async () => {
    const sb = await startZohoSandbox({ switches: { rateLimitPerMinute: 0 } });
    open.push(sb);
    const dir = cacheDir();
    for (let run = 0; run < 11; run++) {
      const p = provider(sb, { tokenCacheDir: dir });
      expect(await p.mail.listCustomerOrgs()).toEqual([]);
      sb.clock.advance(50_000);
    }
    expect(sb.calls.tokensMinted).toBe(1);
    expect(sb.calls.count("accounts.token")).toBe(1);
  });

  it("keeps the file private and names it by hashes, never by a credential", async () => {
    const sb = await startZohoSandbox({ switches: { rateLimitPerMinute: 0 } });
    open.push(sb);
    const dir = cacheDir();
    const token = await provider(sb, { tokenCacheDir: dir }).tokens.getToken();
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const name = files[0] ?? "";
    expect(name).toMatch(/^zoho-token-[0-9a-f]{64}\.json$/);
    expect(name).toBe(tokenCacheFileName({ clientId: sb.partner.clientId, refreshToken: sb.partner.refreshToken, accountsUrl: sb.baseUrl(sb.partner.dc, "accounts") }));
    expect(statSync(join(dir, name)).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o077).toBe(0);
    const text = readFileSync(join(dir, name), "utf8");
    expect(text).toContain(token);
    for (const secret of [sb.partner.refreshToken, sb.partner.clientSecret, sb.partner.clientId]) {
      expect(text).not.toContain(secret);
      expect(name).not.toContain(secret);
    }
  });

  it("mints again before expiry, by the margin", async () => {
    let now = 1_700_000_000_000;
    const sb = await startZohoSandbox({ switches: { rateLimitPerMinute: 0 }, clock: () => now });
    open.push(sb);
    const dir = cacheDir();
    await provider(sb, { tokenCacheDir: dir, now: () => now }).tokens.getToken();
    now += 3_600_000 - 300_001;
    await provider(sb, { tokenCacheDir: dir, now: () => now }).tokens.getToken();
    expect(sb.calls.tokensMinted).toBe(1);
    now += 2;
    await provider(sb, { tokenCacheDir: dir, now: () => now }).tokens.getToken();
    expect(sb.calls.tokensMinted).toBe(2);
  });

  it("discards a cached token Zoho answers 401 to, and mints once more", async () => {
    const sb = await startZohoSandbox({ switches: { rateLimitPerMinute: 0 } });
    open.push(sb);
    const dir = cacheDir();
    const first = await provider(sb, { tokenCacheDir: dir }).tokens.getToken();
    // Zoho forgets the token (revoked, or evicted by newer ones); the file still holds it.
    sb.clock.advance(3_600_000);
    const p = provider(sb, { tokenCacheDir: dir });
    expect(await p.mail.listCustomerOrgs()).toEqual([]);
    expect(sb.calls.tokensMinted).toBe(2);
    expect(sb.calls.count("mail.listCustomerOrgs")).toBe(2);
    const second = await provider(sb, { tokenCacheDir: dir }).tokens.getToken();
    expect(second).not.toBe(first);
    expect(sb.calls.tokensMinted).toBe(2);
  });

  it("ignores a cache file others could read, or a symlink", async () => {
    const sb = await startZohoSandbox({ switches: { rateLimitPerMinute: 0 } });
    open.push(sb);
    const dir = cacheDir();
    await provider(sb, { tokenCacheDir: dir }).tokens.getToken();
    const file = join(dir, readdirSync(dir)[0] ?? "");
    chmodSync(file, 0o644);
    await provider(sb, { tokenCacheDir: dir }).tokens.getToken();
    expect(sb.calls.tokensMinted).toBe(2);
    const planted = join(dir, "..", "planted.json");
    writeFileSync(planted, JSON.stringify({ token: "1000.planted.token", refreshAt: Date.now() + 3_600_000 }), { mode: 0o600 });
    rmSync(file);
    symlinkSync(planted, file);
    expect(await provider(sb, { tokenCacheDir: dir }).tokens.getToken()).not.toBe("1000.planted.token");
    expect(sb.calls.tokensMinted).toBe(3);
  });

  it("with the mint throttle hit, says so before waiting, and --max-wait 30s fails at once", async () => {
    const sb = await startZohoSandbox({ switches: { rateLimitPerMinute: 0 } });
    open.push(sb);
    await mintDirectly(sb, 10);
    const notices: [string, number][] = [];
    const sleeps: number[] = [];
    const waiting = provider(sb, {
      tokenCacheDir: cacheDir(),
      onWait: (reason, ms) => void notices.push([reason, ms]),
      sleep: async (ms) => {
        sleeps.push(ms);
        sb.clock.advance(ms);
      },
    });
    await waiting.tokens.getToken();
    expect(notices).toEqual([["Zoho Accounts is throttling access-token requests for this refresh token (about 10 per 10 minutes)", 630_000]]);
    expect(sleeps).toEqual([630_000]);

    await mintDirectly(sb, 10);
    const bounded = provider(sb, { maxWaitMs: 30_000, sleep: async (ms) => void sleeps.push(ms) });
    const err = (await bounded.tokens.getToken().catch((e: unknown) => e)) as WaitTooLongError;
    expect(err).toBeInstanceOf(WaitTooLongError);
    expect(err.code).toBe("wait.too-long");
    expect(err.message).toBe(
      "Zoho Accounts is throttling access-token requests for this refresh token (about 10 per 10 minutes): that wait (10m 30s) is longer than --max-wait 30s; stopped instead of waiting",
    );
    expect(err.hint).toContain("give this tool its own refresh token");
    expect(err.hint).toContain("--max-wait 10m30s");
    expect(sleeps).toEqual([630_000]);
  });

  it("finds the folder from RECONCILE_CACHE_DIR, then XDG_CACHE_HOME, then HOME; none without them", () => {
    expect(zohoTokenCacheDir({ RECONCILE_CACHE_DIR: "/x/cache", XDG_CACHE_HOME: "/xdg", HOME: "/home/u" })).toBe("/x/cache");
    expect(zohoTokenCacheDir({ XDG_CACHE_HOME: "/xdg", HOME: "/home/u" })).toBe("/xdg/zoho-whmcs-reconcile");
    expect(zohoTokenCacheDir({ HOME: "/home/u" })).toBe("/home/u/.cache/zoho-whmcs-reconcile");
    expect(zohoTokenCacheDir({})).toBeUndefined();
  });
});
