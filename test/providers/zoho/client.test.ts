import { afterEach, describe, expect, it } from "vitest";
import { ZohoApiError, ZohoTransportError } from "../../../src/providers/zoho/index.js";
import type { ZohoSandbox } from "../../../src/sandbox/zoho/index.js";
import { WaitTooLongError } from "../../../src/core/wait.js";
import { rig } from "./setup.js";

const open: ZohoSandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const SEED = { seed: { orgs: [{ domain: "acme.example", email: "it@acme.example" }] } };

describe("Zoho client", () => {
  it("times out a hanging call with a typed transport error", async () => {
    // The 150 ms timeout cuts only the hung createOrg, once the sandbox holds it (not the token request).
    const { sb, p } = await rig({
      sandbox: SEED,
      provider: { timeoutMs: 150 },
      hung: (sb) => (url, init) => (init?.method === "POST" && url.endsWith("/api/organization") ? () => sb.calls.count("mail.createOrg") >= 1 : "answered"),
    });
    open.push(sb);
    sb.faults.hangNext({ endpoint: "mail.createOrg" });
    const err = await p.mail.createOrg({ domainName: "new.example", emailId: "a@new.example", firstName: "A", lastName: "B" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZohoTransportError);
    expect((err as ZohoTransportError).code).toBe("zoho.timeout");
    expect((err as ZohoTransportError).message).toBe("Zoho mail createOrg failed: no answer within 150 ms");
    expect(sb.calls.count("mail.createOrg")).toBe(1);
  });

  it("retries reads on 5xx and hangs with exponential backoff", async () => {
    // getOrg attempts 1–2 get a 503 and 4 an answer; the 150 ms timeout may cut only attempt 3, the hung one.
    let getOrgs = 0;
    const { sb, p, sleeps } = await rig({
      sandbox: SEED,
      provider: { timeoutMs: 150 },
      hung: (sb) => (url, init) => (init?.method === "GET" && /\/api\/organization\/\d+$/.test(url) && ++getOrgs === 3 ? () => sb.calls.count("mail.getOrg") >= 3 : "answered"),
    });
    open.push(sb);
    const zoid = sb.state.org("acme.example")?.zoid ?? "";
    sb.faults.failNext({ endpoint: "mail.getOrg", status: 503, count: 2 });
    sb.faults.hangNext({ endpoint: "mail.getOrg" });
    const org = await p.mail.getOrg(zoid);
    expect(org.zoid).toBe(zoid);
    // 1 s doubling; half of each delay is drawn at random (the middle of the range here).
    expect(sleeps).toEqual([750, 1500, 3000]);
    expect(sb.calls.count("mail.getOrg")).toBe(4);
  });

  it("gives up on reads after the retry budget with a server error", async () => {
    const { sb, p } = await rig({ sandbox: SEED });
    open.push(sb);
    const zoid = sb.state.org("acme.example")?.zoid ?? "";
    sb.faults.failNext({ endpoint: "mail.getOrg", status: 500, count: 10 });
    const err = (await p.mail.getOrg(zoid).catch((e: unknown) => e)) as ZohoApiError;
    expect(err).toBeInstanceOf(ZohoApiError);
    expect(err.category).toBe("server");
    expect(err.httpStatus).toBe(500);
    expect(sb.calls.count("mail.getOrg")).toBe(4);
  });

  it("never retries writes after a 5xx", async () => {
    const { sb, p, sleeps } = await rig({ sandbox: SEED });
    open.push(sb);
    sb.faults.failNext({ endpoint: "mail.createOrg", status: 503 });
    const err = (await p.mail.createOrg({ domainName: "new.example", emailId: "a@new.example", firstName: "A", lastName: "B" }).catch((e: unknown) => e)) as ZohoApiError;
    expect(err.category).toBe("server");
    expect(sb.calls.count("mail.createOrg")).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it("retries a throttled read after backing off", async () => {
    const { sb, p } = await rig({ sandbox: { ...SEED, switches: { rateLimitPerMinute: 2, rateLimitLockMs: 500 } }, onSleep: (ms, s) => s.clock.advance(ms) });
    open.push(sb);
    const zoid = sb.state.org("acme.example")?.zoid ?? "";
    for (let i = 0; i < 3; i++) await p.mail.getOrg(zoid);
    expect(sb.calls.count("mail.getOrg")).toBe(4);
  });

  it("stays under Zoho's 30 requests a minute on its own", async () => {
    let now = 1_700_000_000_000;
    const clock = () => now;
    const { sb, p, sleeps } = await rig({
      sandbox: { ...SEED, clock, switches: { rateLimitPerMinute: 30 } },
      provider: { now: clock, mailRateLimit: { requests: 30, perMs: 60_000 } },
      onSleep: (ms) => {
        now += ms;
      },
    });
    open.push(sb);
    const zoid = sb.state.org("acme.example")?.zoid ?? "";
    await Promise.all(Array.from({ length: 75 }, () => p.mail.getOrg(zoid)));
    expect(sb.calls.count("mail.getOrg")).toBe(75);
    expect(sleeps.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(120_000);
  });

  it("refreshes once on a Store HTTP 400 and retries once", async () => {
    const { sb, p } = await rig({ sandbox: SEED });
    open.push(sb);
    await p.tokens.getToken();
    sb.clock.advance(3_600_000);
    expect(await p.store.getSubscription("it@acme.example")).toEqual({ paid: false });
    expect(sb.calls.count("store.getSubscription")).toBe(2);
    expect(sb.calls.tokensMinted).toBe(2);
  });

  it("fails with an auth error when the refreshed token is refused too", async () => {
    const { sb, p } = await rig({ sandbox: { ...SEED, clientDc: "us", dcs: ["us", "eu"] } });
    open.push(sb);
    await p.tokens.getToken();
    const zoid = sb.state.org("acme.example")?.zoid ?? "";
    // A token from us is refused on eu, every time.
    const eu = (dc: string, service: "accounts" | "mail" | "mailadmin" | "store") => sb.baseUrl(service === "accounts" ? dc : "eu", service);
    const { createZohoProvider } = await import("../../../src/providers/zoho/index.js");
    const { Secret } = await import("../../../src/core/secrets.js");
    const q = createZohoProvider({
      region: "us",
      baseUrl: eu,
      clientId: new Secret(sb.partner.clientId, "t"),
      clientSecret: new Secret(sb.partner.clientSecret, "t"),
      refreshToken: new Secret(sb.partner.refreshToken, "t"),
      mailRateLimit: false,
    });
    const err = (await q.mail.getOrg(zoid).catch((e: unknown) => e)) as ZohoApiError;
    expect(err.category).toBe("auth");
    expect(err.errorCode).toBe("INVALID_OAUTHTOKEN");
    expect(err.message).toBe("Zoho mail getOrg failed (HTTP 401, INVALID_OAUTHTOKEN: Invalid Access)");
    expect(sb.calls.count("mail.getOrg")).toBe(2);
  });
});

describe("Zoho client waits", () => {
  it("waits out a 429 burst for as long as Retry-After says (the sandbox sends Retry-After: 2)", async () => {
    const { sb, p, sleeps } = await rig({ sandbox: SEED });
    open.push(sb);
    const zoid = sb.state.org("acme.example")?.zoid ?? "";
    sb.faults.failNext({ endpoint: "mail.getOrg", status: 429, retryAfterSeconds: 2, count: 3 });
    expect((await p.mail.getOrg(zoid)).zoid).toBe(zoid);
    expect(sleeps).toEqual([2000, 2000, 2000]);
    expect(sb.calls.count("mail.getOrg")).toBe(4);
  });

  it("pauses every Mail call for the Retry-After of a throttle answer, announcing waits over 5 s", async () => {
    let now = 1_700_000_000_000;
    const notices: [string, number][] = [];
    const { sb, p, sleeps } = await rig({
      sandbox: SEED,
      provider: { now: () => now, mailRateLimit: { requests: 30, perMs: 60_000 }, onWait: (reason, ms) => void notices.push([reason, ms]) },
      onSleep: (ms) => {
        now += ms;
      },
    });
    open.push(sb);
    const zoid = sb.state.org("acme.example")?.zoid ?? "";
    sb.faults.failNext({ endpoint: "mail.getOrg", status: 429, retryAfterSeconds: 20 });
    await p.mail.getOrg(zoid);
    expect(sleeps).toEqual([20_000]);
    expect(notices).toEqual([["Zoho mail getOrg answered HTTP 429 with Retry-After 20s", 20_000]]);
  });

  it("fails with wait.too-long instead of sleeping past --max-wait", async () => {
    const { sb, p, sleeps } = await rig({ sandbox: SEED, provider: { maxWaitMs: 30_000 } });
    open.push(sb);
    const zoid = sb.state.org("acme.example")?.zoid ?? "";
    sb.faults.failNext({ endpoint: "mail.getOrg", status: 503, retryAfterSeconds: 600 });
    const err = (await p.mail.getOrg(zoid).catch((e: unknown) => e)) as WaitTooLongError;
    expect(err).toBeInstanceOf(WaitTooLongError);
    expect(err.message).toBe(
      "Zoho mail getOrg answered HTTP 503 with Retry-After 10m 0s: that wait (10m 0s) is longer than --max-wait 30s; stopped instead of waiting",
    );
    expect(sleeps).toEqual([]);
    expect(sb.calls.count("mail.getOrg")).toBe(1);
  });

  it("announces the Mail rate limiter's long waits", async () => {
    let now = 1_700_000_000_000;
    const notices: [string, number][] = [];
    const { sb, p } = await rig({
      sandbox: SEED,
      provider: { now: () => now, mailRateLimit: { requests: 2, perMs: 60_000 }, onWait: (reason, ms) => void notices.push([reason, ms]) },
      onSleep: (ms) => {
        now += ms;
      },
    });
    open.push(sb);
    const zoid = sb.state.org("acme.example")?.zoid ?? "";
    for (let i = 0; i < 3; i++) await p.mail.getOrg(zoid);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.[0]).toBe("Zoho Mail rate limit (2 requests a minute)");
    expect(notices[0]?.[1]).toBeGreaterThan(59_000);
  });
});
