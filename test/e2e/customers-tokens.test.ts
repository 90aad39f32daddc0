import { afterEach, describe, expect, it } from "vitest";
import { ZohoTokenError } from "../../src/providers/zoho/index.js";
import { customerCatalog, customerOrg } from "../customers/builders.js";
import { startRig, type CustomerRig } from "../customers/rig.js";

/**
 * Zoho's token endpoint in a real run: the mint throttle, an access token that expires between
 * plan and apply, a refresh token revoked meanwhile, and a client registered in another data
 * centre. Each against the sandbox, through the whole customer pipeline.
 */
const catalog = customerCatalog();
const orgs = [customerOrg("acme"), customerOrg("beta", { mailboxes: 8 })];

let rig: CustomerRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

/** Mints `n` access tokens with the partner's refresh token, as another process sharing it would. */
async function mintElsewhere(r: CustomerRig, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${r.zoho.baseUrl(r.zoho.partner.dc, "accounts")}/oauth/v2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: r.zoho.partner.refreshToken,
        client_id: r.zoho.partner.clientId,
        client_secret: r.zoho.partner.clientSecret,
      }).toString(),
    });
    expect(((await res.json()) as { access_token?: string }).access_token).toBeTruthy();
  }
}

function writesTo(r: CustomerRig): string[] {
  return Object.keys(r.whmcs.calls.counts()).filter((a) => !/^(get|reconcileget)/.test(a));
}

describe("Zoho tokens during a customer run", () => {
  it("throttled minting: waits out Zoho's window once, then plans with one token", async () => {
    rig = await startRig();
    await mintElsewhere(rig, 10);
    const sleeps: number[] = [];
    const r = rig;
    rig.renewProvider({ sleep: async (ms) => {
      sleeps.push(ms);
      r.zoho.clock.advance(ms);
    } });
    rig.zoho.calls.reset();
    const { plan } = await rig.plan(catalog, orgs);
    expect(plan.changes.filter((c) => c.kind === "CustomerOrg").map((c) => c.action)).toEqual(["create", "create"]);
    expect(sleeps).toEqual([630_000]);
    expect(rig.zoho.calls.count("accounts.token")).toBe(2);
    expect(rig.provider.tokens.mints).toBe(1);
  });

  it("throttled minting that does not end: a clear error after two waits, no retry storm, nothing written", async () => {
    rig = await startRig();
    await mintElsewhere(rig, 10);
    const sleeps: number[] = [];
    rig.renewProvider({ sleep: async (ms) => void sleeps.push(ms) });
    rig.zoho.calls.reset();
    rig.whmcs.calls.reset();
    const err = await rig.plan(catalog, orgs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZohoTokenError);
    expect(err).toMatchObject({ code: "zoho.token.throttled", kind: "throttled" });
    expect((err as ZohoTokenError).message).toMatch(/^Zoho Accounts is throttling access-token requests for this refresh token \(region "us"\); still refused after waiting 2 × 11 min$/);
    expect((err as ZohoTokenError).hint).toContain("Zoho allows about 10 access tokens per 10 minutes per refresh token");
    expect(sleeps).toEqual([630_000, 630_000]);
    expect(rig.zoho.calls.count("accounts.token")).toBe(3);
    expect(writesTo(rig)).toEqual([]);
  });

  it("an access token that expires between plan and apply: one refresh, the apply completes", async () => {
    rig = await startRig();
    const { plan, live } = await rig.plan(catalog, orgs);
    expect(rig.provider.tokens.mints).toBe(1);
    // Two hours pass at Zoho while the run still holds its (now expired) token.
    rig.zoho.clock.advance(2 * 3_600_000);
    rig.zoho.calls.reset();
    const report = await rig.apply(plan, orgs, live);
    expect(report.ok).toBe(true);
    expect(rig.provider.tokens.mints).toBe(2);
    expect(rig.zoho.calls.tokensMinted).toBe(1);
    const again = await rig.plan(catalog, orgs);
    expect(again.plan.changes.filter((c) => c.action !== "noop")).toEqual([]);
  });

  it("a refresh token revoked mid-run: the org fails with 're-authorize', nothing is retried in a loop", async () => {
    rig = await startRig();
    const { plan, live } = await rig.plan(catalog, orgs);
    rig.zoho.state.revokeRefreshToken(rig.zoho.partner.refreshToken);
    rig.zoho.calls.reset();
    const report = await rig.apply(plan, orgs, live);
    const failed = report.results.filter((r) => r.status === "failed");
    expect(failed.map((r) => r.error?.code)).toEqual(["zoho.token.reauthorize", "zoho.token.reauthorize"]);
    expect(failed[0]?.error?.message).toMatch(/step zoho-org: Zoho Accounts at .* refused the refresh token \(invalid_code\): re-authorize \(run reconcile zoho auth\)$/);
    expect(rig.zoho.calls.count("accounts.token")).toBeLessThanOrEqual(2);
    expect(rig.zoho.state.orgs()).toEqual([]);
  });

  it("a client registered in another data centre: 'wrong data centre or credentials' before anything is written", async () => {
    rig = await startRig();
    rig.renewProvider({ region: "eu" });
    rig.whmcs.calls.reset();
    const err = await rig.plan(catalog, orgs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZohoTokenError);
    expect(err).toMatchObject({ code: "zoho.token.wrong_dc_or_credentials" });
    expect((err as ZohoTokenError).message).toMatch(/answered invalid_client: wrong data centre or credentials \(configured region "eu"\)$/);
    expect((err as ZohoTokenError).hint).toContain('Check that zoho.region "eu" is that data centre');
    expect(writesTo(rig)).toEqual([]);
    expect(rig.zoho.state.orgs()).toEqual([]);
  });
});
