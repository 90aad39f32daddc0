import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { controlHandler, isLoopbackAddress, isLoopbackHost } from "../../src/sandbox/control.js";
import type { WhmcsSandbox } from "../../src/sandbox/whmcs/index.js";
import { startZohoSandbox, type ZohoSandbox } from "../../src/sandbox/zoho/index.js";
import { until } from "../support/hangs.js";
import { call, sandbox } from "./whmcs/harness.js";
import { CLIENT_FIELDS } from "./whmcs/orders-fixture.js";
import { THROTTLE_BODY, accessToken, auth, call as zohoCall, form, storeMultipart } from "./zoho/http.js";

interface Pair {
  readonly whmcs: WhmcsSandbox;
  readonly zoho: ZohoSandbox;
  /** `<whmcs url>/__control` */
  readonly control: string;
}

let open: Pair[] = [];
afterEach(async () => {
  for (const p of open.splice(0)) {
    await p.whmcs.close();
    await p.zoho.close();
  }
});

async function start(): Promise<Pair> {
  const zoho = await startZohoSandbox({ dcs: ["us"] });
  const whmcs = await sandbox({ catalog: { groups: [{ name: "G" }] } });
  whmcs.route("/__control", controlHandler({ whmcs, zoho }));
  const pair = { whmcs, zoho, control: `${whmcs.url}/__control` };
  open.push(pair);
  return pair;
}

async function ctl(p: Pair, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${p.control}${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function switched(p: Pair, path: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await ctl(p, "POST", path, body);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json;
}

function mailUrl(p: Pair): string {
  return `${p.zoho.baseUrl("us", "mail")}/api/organization`;
}

/** Sends a request the sandbox is to hang on, waits until the sandbox holds it, then gives up on it after 150 ms. */
async function abandoned(send: (signal: AbortSignal) => Promise<unknown>, held: () => boolean): Promise<void> {
  const giveUp = new AbortController();
  const pending = send(giveUp.signal);
  await until(held, "the sandbox to receive the request");
  setTimeout(() => giveUp.abort(), 150);
  await expect(pending).rejects.toThrow();
}

describe("sandbox control endpoint", () => {
  it("reads the state, refuses other hosts, non-JSON writes, unknown routes and fields", async () => {
    const p = await start();
    const state = await ctl(p, "GET", "");
    expect(state.status).toBe(200);
    expect(state.json).toMatchObject({
      whmcs: { url: `${p.whmcs.url}/includes/api.php`, latency: null, faults: [] },
      zoho: { url: p.zoho.url, latencyMs: 0, faults: [], rateLimits: { mailRequestsPerMinute: 30, mintLimit: 10 }, store: { cardDeclined: false } },
    });
    expect((await fetch(`${p.control}/whmcs/faults`, { method: "POST", headers: { "Content-Type": "text/plain" }, body: '{"kind":"reset"}' })).status).toBe(415);
    expect((await ctl(p, "GET", "/nope")).status).toBe(404);
    expect((await ctl(p, "PUT", "/zoho/store", { cardDeclined: true })).status).toBe(405);
    expect((await ctl(p, "POST", "/zoho/store", { cardDeclined: "yes" })).json).toEqual({ error: "cardDeclined must be true or false" });
    expect((await ctl(p, "POST", "/whmcs/faults", { kind: "status", colour: "red" })).status).toBe(400);
    expect((await ctl(p, "POST", "/whmcs/faults", { kind: "explode" })).status).toBe(400);
    // A page on another origin reaching loopback through DNS rebinding names its own host.
    const rebound = await new Promise<number>((resolve, reject) => {
      const u = new URL(p.control);
      const req = request({ host: u.hostname, port: u.port, path: u.pathname, headers: { Host: `evil.example:${u.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(rebound).toBe(403);
    // The API itself is untouched by the control routes.
    expect((await call(p.whmcs, "WhmcsDetails")).json["result"]).toBe("success");
  });

  it("never lets a side route shadow the API", async () => {
    const p = await start();
    for (const prefix of ["/includes", "/includes/api.php", "/includes/api.php/x", "no-slash"]) {
      expect(() => p.whmcs.route(prefix, async () => undefined)).toThrow(/invalid side route prefix/);
    }
  });

  it("tells loopback peers and hosts from the rest", () => {
    for (const a of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of ["10.0.0.1", "::ffff:192.168.1.2", "2001:db8::1", "", undefined]) expect(isLoopbackAddress(a)).toBe(false);
    for (const h of ["127.0.0.1:8080", "localhost:8080", "[::1]:8080", "LOCALHOST", undefined]) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ["evil.example", "evil.example:8080", "10.0.0.1:80", "[2001:db8::1]:80"]) expect(isLoopbackHost(h)).toBe(false);
  });

  it("switches WHMCS faults: 429 with Retry-After, HTML, reset, hang, commit-then-fail, then clears them", async () => {
    const p = await start();
    await switched(p, "/whmcs/faults", { kind: "status", status: 429, retryAfterSeconds: 9, times: 1, action: "WhmcsDetails" });
    expect((await ctl(p, "GET", "")).json).toMatchObject({ whmcs: { faults: [{ action: "whmcsdetails", times: 1, fault: { kind: "status", status: 429 } }] } });
    const limited = await fetch(`${p.whmcs.url}/includes/api.php`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `action=WhmcsDetails&responsetype=json&identifier=x&secret=y`,
    });
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "9"]);
    expect((await call(p.whmcs, "WhmcsDetails")).status).toBe(200);

    await switched(p, "/whmcs/faults", { kind: "status", status: 502, times: 1 });
    expect((await call(p.whmcs, "GetCurrencies")).status).toBe(502);

    await switched(p, "/whmcs/faults", { kind: "html", times: 1 });
    const html = await call(p.whmcs, "GetCurrencies");
    expect([html.status, html.contentType]).toEqual([200, "text/html; charset=utf-8"]);

    await switched(p, "/whmcs/faults", { kind: "reset", times: 1 });
    await expect(call(p.whmcs, "GetCurrencies")).rejects.toThrow();

    await switched(p, "/whmcs/faults", { kind: "hang", times: 1 });
    await abandoned(
      (signal) => fetch(`${p.whmcs.url}/includes/api.php`, { method: "POST", body: "action=GetCurrencies", headers: { "content-type": "application/x-www-form-urlencoded" }, signal }),
      () => p.whmcs.calls.last()?.detail === "hang",
    );

    // Commit then fail: the client is added although the caller only saw a 503.
    await switched(p, "/whmcs/faults", { kind: "status", status: 503, times: 1, action: "AddClient", phase: "after" });
    expect((await call(p.whmcs, "AddClient", `${CLIENT_FIELDS}&email=it%40acme.example`)).status).toBe(503);
    expect((await call(p.whmcs, "GetClients")).json).toMatchObject({ totalresults: 1, clients: { client: [{ email: "it@acme.example" }] } });

    await switched(p, "/whmcs/faults", { kind: "status", status: 500 });
    expect((await call(p.whmcs, "GetCurrencies")).status).toBe(500);
    expect((await ctl(p, "DELETE", "/whmcs/faults")).json).toMatchObject({ whmcs: { faults: [] } });
    expect((await call(p.whmcs, "GetCurrencies")).status).toBe(200);
  });

  it("switches latency on both sandboxes", async () => {
    const p = await start();
    expect(await switched(p, "/whmcs/latency", { ms: 200, action: "GetCurrencies" })).toMatchObject({ whmcs: { latency: { ms: 200, action: "GetCurrencies" } } });
    let t = Date.now();
    await call(p.whmcs, "GetCurrencies");
    expect(Date.now() - t).toBeGreaterThanOrEqual(190);
    expect(await switched(p, "/whmcs/latency", { ms: 0 })).toMatchObject({ whmcs: { latency: null } });
    expect(p.whmcs.faults.active).toEqual([]);

    const token = await accessToken(p.zoho);
    expect(await switched(p, "/zoho/latency", { ms: 200 })).toMatchObject({ zoho: { latencyMs: 200 } });
    t = Date.now();
    expect((await zohoCall(mailUrl(p), { headers: auth(token) })).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(190);
    await switched(p, "/zoho/latency", { ms: 0 });
  });

  it("switches Zoho faults: 5xx and 429, HTML, reset, hang, commit-then-fail", async () => {
    const p = await start();
    const token = await accessToken(p.zoho);
    const partnerOrg = () => zohoCall(mailUrl(p), { headers: auth(token) });

    await switched(p, "/zoho/faults", { kind: "status", status: 429, retryAfterSeconds: 5, endpoint: "mail.getPartnerOrg" });
    const limited = await partnerOrg();
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "5"]);
    await switched(p, "/zoho/faults", { kind: "status", service: "mail", times: 2 });
    expect([(await partnerOrg()).status, (await partnerOrg()).status, (await partnerOrg()).status]).toEqual([503, 503, 200]);

    await switched(p, "/zoho/faults", { kind: "html" });
    const html = await partnerOrg();
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toContain("text/html");

    await switched(p, "/zoho/faults", { kind: "reset" });
    await expect(partnerOrg()).rejects.toThrow();
    await switched(p, "/zoho/faults", { kind: "hang" });
    const seen = p.zoho.calls.count("mail.getPartnerOrg");
    await abandoned((signal) => zohoCall(mailUrl(p), { headers: auth(token), signal }), () => p.zoho.calls.count("mail.getPartnerOrg") > seen);

    await switched(p, "/zoho/faults", { kind: "status", status: 502, endpoint: "mail.createOrg", phase: "after" });
    expect((await ctl(p, "GET", "")).json).toMatchObject({ zoho: { faults: [{ kind: "error", status: 502, endpoint: "mail.createOrg", phase: "after", remaining: 1 }] } });
    const created = await zohoCall(mailUrl(p), {
      method: "POST",
      headers: { ...auth(token), "Content-Type": "application/json" },
      body: JSON.stringify({ firstName: "Ada", lastName: "Lovelace", emailId: "it@acme.example", domainName: "acme.example" }),
    });
    expect(created.status).toBe(502);
    const listed = await zohoCall(`${mailUrl(p)}?mode=getCustomerOrgDetails`, { headers: auth(token) });
    expect(listed.json).toMatchObject({ data: [{ domainName: "acme.example" }] });

    await switched(p, "/zoho/faults", { kind: "status", status: 500, times: 3 });
    await ctl(p, "DELETE", "/zoho/faults");
    expect((await partnerOrg()).status).toBe(200);
  });

  it("switches Zoho's Mail rate limit and token mint throttle", async () => {
    const p = await start();
    const token = await accessToken(p.zoho);
    await switched(p, "/zoho/rate-limits", { mailRequestsPerMinute: 2, lockMs: 60_000 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await zohoCall(mailUrl(p), { headers: auth(token) })).status);
    expect(statuses).toEqual([200, 200, 429]);

    expect(await switched(p, "/zoho/rate-limits", { mintLimit: 1 })).toMatchObject({ zoho: { rateLimits: { mintLimit: 1, mailRequestsPerMinute: 2 } } });
    const mint = () =>
      zohoCall(
        `${p.zoho.baseUrl("us", "accounts")}/oauth/v2/token`,
        form({ grant_type: "refresh_token", refresh_token: p.zoho.partner.refreshToken, client_id: p.zoho.partner.clientId, client_secret: p.zoho.partner.clientSecret }),
      );
    const denied = await mint();
    expect([denied.status, denied.text]).toEqual([400, THROTTLE_BODY]);
    await switched(p, "/zoho/rate-limits", { mintLimit: 10 });
    expect(((await mint()).json as { access_token?: string }).access_token).toMatch(/^1000\./);
  });

  it("switches Store card declines", async () => {
    const p = await start();
    p.zoho.state.addOrg({ domain: "acme.example", email: "it@acme.example" });
    const token = await accessToken(p.zoho);
    const subscribe = () =>
      zohoCall(
        `${p.zoho.baseUrl("us", "store")}/restapi/partner/v1/json/subscription`,
        storeMultipart("POST", token, {
          serviceid: 1501,
          email: "it@acme.example",
          customer: { companyname: "Acme", country: "United Kingdom" },
          subscription: { plan: 17033, payperiod: "YEAR", addons: [{ id: 17083, count: 5 }] },
        }),
      );
    await switched(p, "/zoho/store", { cardDeclined: true });
    expect((await subscribe()).json).toMatchObject({ result: "failure" });
    expect(p.zoho.state.org("acme.example")?.basePlan).toBe("Mail Free");
    await switched(p, "/zoho/store", { cardDeclined: false });
    expect((await subscribe()).json).toMatchObject({ result: "success" });
  });

  it("moves the Zoho clock: access tokens expire, and reset brings them back", async () => {
    const p = await start();
    const token = await accessToken(p.zoho);
    const org = () => zohoCall(mailUrl(p), { headers: auth(token) });
    expect((await org()).status).toBe(200);
    const moved = await switched(p, "/zoho/clock", { advanceMs: 2 * 3_600_000 });
    expect((moved["zoho"] as { clock: { offsetMs: number } }).clock.offsetMs).toBeGreaterThanOrEqual(2 * 3_600_000 - 1000);
    expect((await org()).status).toBe(401);
    await switched(p, "/zoho/clock", { reset: true });
    expect((await org()).status).toBe(200);
    await switched(p, "/zoho/clock", { set: new Date(Date.now() + 86_400_000).toISOString() });
    expect((await org()).status).toBe(401);
    expect((await ctl(p, "POST", "/zoho/clock", {})).status).toBe(400);
  });
});
