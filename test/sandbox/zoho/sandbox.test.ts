import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ReconcileError } from "../../../src/core/errors.js";
import { startZohoSandbox, type ZohoSandbox } from "../../../src/sandbox/zoho/index.js";
import { until } from "../../support/hangs.js";
import { accessToken, auth, call } from "./http.js";

const open: ZohoSandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function start(...args: Parameters<typeof startZohoSandbox>): Promise<ZohoSandbox> {
  const s = await startZohoSandbox(...args);
  open.push(s);
  return s;
}

describe("Zoho sandbox: server", () => {
  it("listens on loopback and routes /<dc>/<service>/…", async () => {
    const s = await start({ dcs: ["us", "eu", "in"], clientDc: "in" });
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(s.baseUrl("eu", "mailadmin")).toBe(`${s.url}/eu/mailadmin`);
    expect(() => s.baseUrl("jp", "mail")).toThrow(ReconcileError);
    expect((await call(`${s.url}/jp/mail/api/organization`)).status).toBe(404);
    expect((await call(`${s.url}/us/nothing/x`)).status).toBe(404);
    expect(s.partner.dc).toBe("in");
    const token = await accessToken(s, "in");
    expect((await call(`${s.baseUrl("in", "mail")}/api/organization`, { headers: auth(token) })).status).toBe(200);
    const unknown = await call(`${s.baseUrl("in", "mail")}/api/nothing`, { headers: auth(token) });
    expect(unknown.json).toEqual({ data: { errorCode: "URL_RULE_MISMATCH" }, status: { code: 400, description: "Invalid Input" } });
  });

  it("rejects bad options with typed errors", async () => {
    await expect(startZohoSandbox({ dcs: [] })).rejects.toMatchObject({ code: "sandbox.zoho.options" });
    await expect(startZohoSandbox({ dcs: ["us"], clientDc: "eu" })).rejects.toMatchObject({ code: "sandbox.zoho.options" });
    await expect(startZohoSandbox({ seed: { firstId: "abc" } })).rejects.toMatchObject({ code: "sandbox.zoho.options" });
  });

  it("counts calls per endpoint and access tokens minted", async () => {
    const s = await start({ switches: { rateLimitPerMinute: 0 } });
    const token = await accessToken(s);
    await call(`${s.baseUrl("us", "mail")}/api/organization?mode=getCustomerOrgDetails`, { headers: auth(token) });
    await call(`${s.baseUrl("us", "mail")}/api/organization?mode=getCustomerOrgDetails`);
    await call(`${s.baseUrl("us", "mailadmin")}/api/organization/1/extendTrial`, { method: "PUT", headers: auth(token) });
    expect(s.calls.byEndpoint).toEqual({ "accounts.token": 1, "mail.listCustomerOrgs": 2, "mailadmin.extendTrial": 1 });
    expect(s.calls.total).toBe(4);
    expect(s.calls.tokensMinted).toBe(1);
    s.calls.reset();
    expect(s.calls.total).toBe(0);
    expect(s.calls.tokensMinted).toBe(0);
  });

  it("injects 5xx answers, hangs and latency", async () => {
    const s = await start();
    const token = await accessToken(s);
    const url = `${s.baseUrl("us", "mail")}/api/organization`;
    s.faults.failNext({ endpoint: "mail.getPartnerOrg", status: 502, count: 2 });
    expect((await call(url, { headers: auth(token) })).status).toBe(502);
    expect((await call(url, { headers: auth(token) })).status).toBe(502);
    expect((await call(url, { headers: auth(token) })).status).toBe(200);

    s.faults.hangNext({ service: "mail" });
    const seen = s.calls.count("mail.getPartnerOrg");
    const giveUp = new AbortController();
    const hung = fetch(url, { headers: auth(token), signal: giveUp.signal });
    await until(() => s.calls.count("mail.getPartnerOrg") > seen, "the sandbox to receive the request");
    // Received and unanswered: the client gives up (after 150 ms), and the fault is used up.
    setTimeout(() => giveUp.abort(), 150);
    await expect(hung).rejects.toThrow();
    expect((await call(url, { headers: auth(token) })).status).toBe(200);

    s.faults.latencyMs = 120;
    const t0 = Date.now();
    await call(url, { headers: auth(token) });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(110);
  });

  it("closes even with a hanging request", async () => {
    const s = await startZohoSandbox();
    const token = await accessToken(s);
    s.faults.hangNext();
    const pending = fetch(`${s.baseUrl("us", "mail")}/api/organization`, { headers: auth(token) }).catch((e: unknown) => e);
    await until(() => s.calls.count("mail.getPartnerOrg") === 1, "the sandbox to receive the request");
    await s.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it("persists state to a JSON file and reloads it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zoho-sb-"));
    try {
      const file = join(dir, "zoho.json");
      const a = await startZohoSandbox({ stateFile: file, seed: { orgs: [{ domain: "acme.example", email: "it@acme.example" }] } });
      const token = await accessToken(a);
      await call(`${a.baseUrl("us", "mailadmin")}/api/organization/${a.state.org("acme.example")?.zoid}/enableTrial?planName=basicTrial`, {
        method: "PUT",
        headers: auth(token),
      });
      const creds = a.partner;
      await a.close();
      expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ version: 1 });

      const b = await start({ stateFile: file });
      expect(b.partner.clientId).toBe(creds.clientId);
      expect(b.partner.refreshToken).toBe(creds.refreshToken);
      expect(b.state.org("acme.example")?.basePlan).toBe("Workplace Standard Trial");
      const t2 = await accessToken(b);
      expect((await call(`${b.baseUrl("us", "mail")}/api/organization/${b.state.org("acme.example")?.zoid}`, { headers: auth(t2) })).status).toBe(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a state file that is not one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zoho-sb-"));
    try {
      const file = join(dir, "bad.json");
      writeFileSync(file, '{"hello":1}');
      await expect(startZohoSandbox({ stateFile: file })).rejects.toMatchObject({ code: "sandbox.zoho.state_file" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
