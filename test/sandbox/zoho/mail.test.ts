import { afterEach, describe, expect, it } from "vitest";
import { startZohoSandbox, type ZohoSandbox, type ZohoSandboxOptions } from "../../../src/sandbox/zoho/index.js";
import { INVALID_OAUTHTOKEN_BODY, INVALID_TICKET_BODY, accessToken, auth, call, jsonInit } from "./http.js";

let sb: ZohoSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function start(opts: ZohoSandboxOptions = {}): Promise<{ s: ZohoSandbox; token: string; mail: string; admin: string }> {
  sb = await startZohoSandbox({ clock: () => 1_700_000_000_000, ...opts, switches: { rateLimitPerMinute: 0, ...opts.switches } });
  const token = await accessToken(sb);
  return { s: sb, token, mail: `${sb.baseUrl("us", "mail")}/api/organization`, admin: `${sb.baseUrl("us", "mailadmin")}/api/organization` };
}

/** An access token from a fresh refresh token that holds only `scopes`. */
async function tokenWith(s: ZohoSandbox, scopes: readonly string[]): Promise<string> {
  const refresh = s.state.issueRefreshToken(scopes);
  const r = await call(`${s.baseUrl("us", "accounts")}/oauth/v2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: refresh, client_id: s.partner.clientId, client_secret: s.partner.clientSecret }).toString(),
  });
  return (r.json as { access_token: string }).access_token;
}

const ORG = { firstName: "Ada", lastName: "Lovelace", emailId: "it@acme.example", domainName: "acme.example", planName: "free" };

describe("Zoho sandbox: mail auth", () => {
  it("answers a missing Authorization header with INVALID_TICKET (400)", async () => {
    const { mail } = await start();
    const r = await call(mail);
    expect(r.status).toBe(400);
    expect(r.text).toBe(INVALID_TICKET_BODY);
  });

  it("answers an unknown token with INVALID_OAUTHTOKEN (401)", async () => {
    const { mail } = await start();
    const r = await call(mail, { headers: auth("1000.nope.nope") });
    expect(r.status).toBe(401);
    expect(r.text).toBe(INVALID_OAUTHTOKEN_BODY);
  });

  it("accepts Bearer only with the switch on", async () => {
    const { s, token, mail } = await start();
    expect((await call(mail, { headers: { Authorization: `Bearer ${token}` } })).text).toBe(INVALID_TICKET_BODY);
    s.switches.acceptBearer = true;
    expect((await call(mail, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it("refuses a token from another data centre", async () => {
    const { s, token } = await start();
    const r = await call(`${s.baseUrl("eu", "mail")}/api/organization`, { headers: auth(token) });
    expect(r.text).toBe(INVALID_OAUTHTOKEN_BODY);
  });

  it("enforces scopes per endpoint, accepting the legacy VirtualOffice names", async () => {
    const { s, mail } = await start();
    const legacy = s.state.issueRefreshToken(["VirtualOffice.partner.organization.READ"]);
    const r = await call(`${s.baseUrl("us", "accounts")}/oauth/v2/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: legacy, client_id: s.partner.clientId, client_secret: s.partner.clientSecret }).toString(),
    });
    const t = (r.json as { access_token: string }).access_token;
    expect((await call(`${mail}?mode=getCustomerOrgDetails`, { headers: auth(t) })).status).toBe(200);
    const denied = await call(mail, jsonInit("POST", t, ORG));
    expect(denied.status).toBe(401);
    expect(denied.json).toEqual({ data: { errorCode: "INVALID_OAUTHSCOPE" }, status: { code: 401, description: "Invalid Access" } });
  });

  it("rate-limits 30 requests a minute per token with 429, or 400 URL_ROLLING_THROTTLES_LIMIT_EXCEEDED", async () => {
    const { s, token, mail } = await start({ switches: { rateLimitPerMinute: 30, rateLimitLockMs: 120_000 } });
    for (let i = 0; i < 30; i++) expect((await call(mail, { headers: auth(token) })).status).toBe(200);
    const limited = await call(mail, { headers: auth(token) });
    expect(limited.status).toBe(429);
    expect(limited.text).toBe(
      '{"data":{"errorCode":"URL_ROLLING_THROTTLES_LIMIT_EXCEEDED"},"status":{"code":429,"description":"Too Many Requests"}}',
    );
    s.clock.advance(60_001);
    expect((await call(mail, { headers: auth(token) })).status).toBe(429);
    s.switches.throttleResponse = "400";
    const as400 = await call(mail, { headers: auth(token) });
    expect(as400.text).toBe('{"data":{"errorCode":"URL_ROLLING_THROTTLES_LIMIT_EXCEEDED"},"status":{"code":400,"description":"Invalid Input"}}');
    s.clock.advance(120_001);
    expect((await call(mail, { headers: auth(token) })).status).toBe(200);
  });
});

describe("Zoho sandbox: organizations", () => {
  it("creates a child org: HTTP 200, body status 201, zoid as a string", async () => {
    const { s, token, mail } = await start();
    const r = await call(mail, jsonInit("POST", token, ORG));
    expect(r.status).toBe(200);
    const body = r.json as { status: unknown; data: Record<string, unknown> };
    expect(body.status).toEqual({ code: 201, description: "Created" });
    expect(Object.keys(body.data)).toEqual([
      "orgName", "st_enc_zoid", "isVerified", "zoid", "usedLicenseCount", "URI", "encryptedZoid", "isTrialAllowed", "domainName", "superAdmin", "basePlan",
    ]);
    expect(body.data).toMatchObject({ zoid: "9007199254740994", isVerified: false, usedLicenseCount: 1, isTrialAllowed: true, domainName: "acme.example", superAdmin: "it@acme.example", basePlan: "Mail Free" });
    expect(body.data["URI"]).toBe(`${s.baseUrl("us", "mail")}/api/organization/9007199254740994`);
    expect(s.state.org("acme.example")?.licenseCount).toBe(5);
  });

  it("answers creates with HTTP 201 and without basePlan when switched", async () => {
    const { token, mail } = await start({ switches: { createHttpStatus: 201, createOrgReturnsBasePlan: false } });
    const r = await call(mail, jsonInit("POST", token, ORG));
    expect(r.status).toBe(201);
    expect(r.json).not.toHaveProperty("data.basePlan");
  });

  it("rejects form bodies, unknown keys and missing fields", async () => {
    const { s, token, mail } = await start();
    const asForm = await call(mail, {
      method: "POST",
      headers: { ...auth(token), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(ORG).toString(),
    });
    expect(asForm.status).toBe(400);
    expect(asForm.text).toBe('{"data":{"errorCode":"JSON_PARSE_ERROR","moreInfo":"JSON is not well formed"},"status":{"code":400,"description":"Invalid Input"}}');
    const extra = await call(mail, jsonInit("POST", token, { ...ORG, colour: "blue" }));
    expect(extra.text).toBe('{"data":{"errorCode":"EXTRA_KEY_FOUND_IN_JSON","moreInfo":"colour"},"status":{"code":400,"description":"Invalid Input"}}');
    const { lastName: _, ...missing } = ORG;
    const m = await call(mail, jsonInit("POST", token, missing));
    expect(m.text).toBe(
      '{"data":{"errorCode":"PATTERN_NOT_MATCHED","moreInfo":"zoho-inputstream Input does not match the given pattern"},"status":{"code":400,"description":"Invalid Input"}}',
    );
    s.switches.createOrgStrict = true;
    expect((await call(mail, jsonInit("POST", token, ORG))).status).toBe(400);
    expect((await call(mail, jsonInit("POST", token, { ...ORG, orgName: "acme", password: "pw-12345" }))).status).toBe(200);
  });

  it("answers an existing customer with HTTP 500 and data.moreInfo, naming another partner when it is theirs", async () => {
    const { s, token, mail } = await start({ seed: { foreignCustomers: [{ domain: "taken.example", email: "boss@taken.example" }] } });
    await call(mail, jsonInit("POST", token, ORG));
    const again = await call(mail, jsonInit("POST", token, { ...ORG, emailId: "other@acme.example" }));
    expect(again.status).toBe(500);
    expect(again.json).toEqual({ data: { moreInfo: s.switches.messages.orgExists }, status: { code: 500, description: "Internal Error" } });
    const foreign = await call(mail, jsonInit("POST", token, { ...ORG, domainName: "taken.example", emailId: "it@taken.example" }));
    expect(foreign.status).toBe(500);
    expect(foreign.json).toEqual({ data: { moreInfo: s.switches.messages.customerOfAnotherPartner }, status: { code: 500, description: "Internal Error" } });
  });

  it("reads org details with a numeric 64-bit zoid and 404s on someone else's org", async () => {
    const { s, token, mail } = await start({ seed: { foreignCustomers: [{ domain: "taken.example", email: "boss@taken.example" }] } });
    const zoid = s.state.addOrg({ domain: "acme.example", email: "it@acme.example" });
    const r = await call(`${mail}/${zoid}`, { headers: auth(token) });
    expect(r.status).toBe(200);
    expect(r.text).toContain(`"zoid":${zoid},`);
    expect(BigInt(zoid) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(r.json).toMatchObject({ data: { basePlan: "Mail Free", planType: "free", licenseCount: 5, usersCount: 1, domains: ["acme.example"], primaryDomainName: "acme.example" } });
    const enc = await call(`${mail}/${zoid}?fields=encryptedZoid`, { headers: auth(token) });
    expect(Object.keys((enc.json as { data: object }).data)).toEqual(["encryptedZoid"]);
    const foreign = s.state.org("taken.example")?.zoid ?? "";
    const nf = await call(`${mail}/${foreign}`, { headers: auth(token) });
    expect(nf.status).toBe(404);
    expect(nf.json).toEqual({ data: { moreInfo: "Organization not found" }, status: { code: 404, description: "Not Found" } });
  });

  it("lists this partner's customer orgs with getCustomerOrgDetails", async () => {
    const { s, token, mail } = await start({ seed: { foreignCustomers: [{ domain: "taken.example", email: "boss@taken.example" }] } });
    const zoid = s.state.addOrg({ domain: "acme.example", email: "it@acme.example", verified: true });
    s.state.addOrg({ domain: "beta.example", email: "it@beta.example" });
    const r = await call(`${mail}?mode=getCustomerOrgDetails`, { headers: auth(token) });
    expect(r.text).toContain(`{"zoid":${zoid},"domainName":"acme.example","superAdmin":"it@acme.example","isVerified":true,"basePlan":"Mail Free","isTrialAllowed":true,"extendTrial":false}`);
    expect((r.json as { data: unknown[] }).data).toHaveLength(2);
    const one = await call(`${mail}?mode=getCustomerOrgDetails&searchKey=beta.example`, { headers: auth(token) });
    expect((one.json as { data: { domainName: string }[] }).data.map((o) => o.domainName)).toEqual(["beta.example"]);
    s.switches.searchKeyMatch = "prefix";
    const prefix = await call(`${mail}?mode=getCustomerOrgDetails&searchKey=a`, { headers: auth(token) });
    expect((prefix.json as { data: { domainName: string }[] }).data.map((o) => o.domainName)).toEqual(["acme.example"]);
    expect((await call(`${mail}?mode=getcustomerorgdetails`, { headers: auth(token) })).status).toBe(400);
    s.switches.modeCaseInsensitive = true;
    expect((await call(`${mail}?mode=getcustomerorgdetails`, { headers: auth(token) })).status).toBe(200);
  });

  it("pages the listing with start/limit when paging is switched on, and adds counts on request", async () => {
    const { s, token, mail } = await start({ switches: { customerOrgPageSize: 2 } });
    for (const d of ["a", "b", "c"]) s.state.addOrg({ domain: `${d}.example`, email: `it@${d}.example` });
    const names = async (q: string) =>
      ((await call(`${mail}?mode=getCustomerOrgDetails${q}`, { headers: auth(token) })).json as { data: { domainName: string }[] }).data.map((o) => o.domainName);
    expect(await names("")).toEqual(["a.example", "b.example"]);
    expect(await names("&start=2&limit=2")).toEqual(["c.example"]);
    expect(await names("&start=0&limit=50")).toEqual(["a.example", "b.example"]);
    expect(await names("&start=3&limit=2")).toEqual([]);
    s.switches.customerOrgExtraFields = true;
    const r = await call(`${mail}?mode=getCustomerOrgDetails&start=0&limit=1`, { headers: auth(token) });
    expect((r.json as { data: object[] }).data[0]).toMatchObject({ licenseCount: 5, usersCount: 1 });
  });

  it("starts, extends and expires a trial on mailadmin", async () => {
    const { s, token, admin } = await start();
    const zoid = s.state.addOrg({ domain: "acme.example", email: "it@acme.example" });
    const put = (path: string) => call(`${admin}/${zoid}/${path}`, { method: "PUT", headers: auth(token) });
    const bad = await put("enableTrial?planName=goldTrial");
    expect(bad.json).toEqual({ data: { moreInfo: "Invalid plan name" }, status: { code: 500, description: "Internal Error" } });
    expect((await put("extendTrial")).json).toEqual({ data: { moreInfo: "The organization is not in a trial" }, status: { code: 500, description: "Internal Error" } });
    const ok = await put("enableTrial?planName=professionalTrial");
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('{"status":{"code":200,"description":"success"}}');
    expect(s.state.org(zoid)?.basePlan).toBe("Workplace Professional Trial");
    expect((await put("enableTrial?planName=basicTrial")).status).toBe(500);
    expect((await put("extendTrial")).status).toBe(200);
    expect((await put("extendTrial")).json).toEqual({ data: { moreInfo: "Trial has already been extended" }, status: { code: 500, description: "Internal Error" } });
    s.clock.advance(30 * 86_400_000 - 1);
    expect(s.state.org(zoid)?.plan.type).toBe("trial");
    s.clock.advance(1);
    expect(s.state.org(zoid)?.basePlan).toBe("Mail Free");
    const fresh = await accessToken(s);
    const list = await call(`${s.baseUrl("us", "mail")}/api/organization?mode=getCustomerOrgDetails`, { headers: auth(fresh) });
    expect((list.json as { data: object[] }).data[0]).toMatchObject({ basePlan: "Mail Free", isTrialAllowed: false, extendTrial: false });
  });

  it("creates an org directly in a trial", async () => {
    const { s, token, mail } = await start();
    await call(mail, jsonInit("POST", token, { ...ORG, planName: "mailPremiumTrial" }));
    expect(s.state.org("acme.example")?.basePlan).toBe("Mail Premium Trial");
  });
});

describe("Zoho sandbox: domains and users", () => {
  it("adds a domain with verification codes and verifies it once the CNAME exists", async () => {
    const { s, token, mail } = await start();
    const zoid = s.state.addOrg({ domain: "acme.example", email: "it@acme.example" });
    const added = await call(`${mail}/${zoid}/domains`, jsonInit("POST", token, { domainName: "acme.net" }));
    const data = (added.json as { data: Record<string, unknown> }).data;
    expect((added.json as { status: unknown }).status).toEqual({ code: 201, description: "Created" });
    expect(Object.keys(data)).toEqual(["HTMLVerificationCode", "verificationStatus", "domainName", "createdTime", "CNAMEVerificationCode", "isRegisteredByZoho", "primary"]);
    expect(data["CNAMEVerificationCode"]).toBe(`zb${String(data["HTMLVerificationCode"])}`);

    const primary = s.state.org(zoid)?.domains.find((d) => d.domainName === "acme.example");
    const cname = `zb${primary?.htmlCode ?? ""}`;
    const verify = () => call(`${mail}/${zoid}/domains/acme.example`, jsonInit("PUT", token, { mode: "verifyDomainByCName" }));
    const failed = await verify();
    expect(failed.status).toBe(200);
    expect(failed.json).toEqual({
      status: { code: 200, description: "success" },
      data: { message: "Verification failed due to host not found", error: "CNAME_RECORD_HOST_UNKNOWN", cnameRecord: [], status: false },
    });
    s.state.dns.addCname(`${cname}.acme.example`, "zmverify.zoho.com");
    expect((await verify()).text).toBe('{"status":{"code":200,"description":"success"},"data":{"status":true}}');
    expect(s.state.org(zoid)?.verified).toBe(true);
  });

  it("verifies by TXT with the documented failure body, and on the verifyDomain path", async () => {
    const { s, token, mail } = await start();
    const zoid = s.state.addOrg({ domain: "acme.example", email: "it@acme.example" });
    const code = s.state.org(zoid)?.domains[0]?.htmlCode ?? "";
    const verify = () => call(`${mail}/${zoid}/domains/acme.example/verifyDomain`, jsonInit("PUT", token, { mode: "verifyDomainByTXT" }));
    expect((await verify()).text).toBe(
      '{"status":{"code":200,"description":"success"},"data":{"message":"Verification failed due to host not found","error":"TXT_RECORD_HOST_UNKNOWN","txtRecord":[],"status":false}}',
    );
    s.state.dns.addTxt("acme.example", `zoho-verification=zb${code}.zmverify.zoho.com`);
    expect((await verify()).json).toEqual({ status: { code: 200, description: "success" }, data: { status: true } });
  });

  it("answers verify failures the legacy way (400 + moreInfo) when switched, and rejects unknown modes", async () => {
    const { s, token, mail } = await start({ switches: { verifyFailureShape: "legacy-400" } });
    const zoid = s.state.addOrg({ domain: "acme.example", email: "it@acme.example" });
    const r = await call(`${mail}/${zoid}/domains/acme.example`, jsonInit("PUT", token, { mode: "verifyDomainByHTML", domainName: "acme.example" }));
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ data: { moreInfo: "Verification failed due to host not found" }, status: { code: 400, description: "Invalid Input" } });
    expect((await call(`${mail}/${zoid}/domains/acme.example`, jsonInit("PUT", token, { mode: "verifyDomainByCNAME" }))).status).toBe(400);
    s.state.dns.addHtmlFile("acme.example", s.state.org(zoid)?.domains[0]?.htmlCode ?? "");
    expect((await call(`${mail}/${zoid}/domains/acme.example`, jsonInit("PUT", token, { mode: "verifyDomainByHTML" }))).json).toMatchObject({ data: { status: true } });
  });

  it("reads domains with the legacy VirtualOffice org scopes, like every other org call", async () => {
    const { s, mail } = await start();
    const zoid = s.state.addOrg({ domain: "acme.example", email: "it@acme.example" });
    for (const scopes of [["VirtualOffice.organization.READ"], ["VirtualOffice.partner.organization.READ"]]) {
      const t = await tokenWith(s, scopes);
      expect((await call(`${mail}/${zoid}`, { headers: auth(t) })).status).toBe(200);
      const list = await call(`${mail}/${zoid}/domains`, { headers: auth(t) });
      expect(list.status).toBe(200);
      expect(list.json).toMatchObject({ data: [{ domainName: "acme.example" }] });
      expect((await call(`${mail}/${zoid}/domains/acme.example`, { headers: auth(t) })).status).toBe(200);
      // Reading grants no writes.
      expect((await call(`${mail}/${zoid}/domains`, jsonInit("POST", t, { domainName: "acme.net" }))).status).toBe(401);
    }
    const writer = await tokenWith(s, ["VirtualOffice.partner.organization.UPDATE"]);
    expect((await call(`${mail}/${zoid}/domains`, jsonInit("POST", writer, { domainName: "acme.net" }))).status).toBe(200);
  });

  it("answers the org's storage details: users, licences bought and assigned, storage add-ons", async () => {
    const { s, token, mail } = await start();
    const zoid = s.state.addOrg({ domain: "acme.example", email: "it@acme.example" });
    const storage = (query = "") => call(`${mail}/${zoid}/storage${query}`, { headers: auth(token) });
    const free = await storage();
    expect(free.status).toBe(200);
    expect(free.text).toMatch(/"zuid":\d{16,}\}/);
    const superAdmin = s.state.data.orgs.find((o) => o.zoid === zoid)?.users[0]?.zuid ?? "";
    expect(JSON.parse(free.text.replace(/"zuid":(\d+)/g, '"zuid":"$1"'))).toEqual({
      status: { code: 200, description: "success" },
      data: {
        userList: [{ totalStorage: 5, mailBox: true, basicStorage: "free", usedStorage: 0, zuid: superAdmin }],
        orgPlans: [{ planType: "free", totalCount: 5, allotedCount: 1 }],
        addons: [],
      },
    });
    s.state.setPlan(zoid, { type: "paid", planId: 17035, period: "YEAR", addons: [{ id: 10792, count: 12 }, { id: 188, count: 2 }] });
    await call(`${mail}/${zoid}/accounts`, jsonInit("POST", token, { primaryEmailAddress: "u2@acme.example", password: "Secret-123" }));
    const paid = (await storage()).json as { data: { userList: { basicStorage: string; totalStorage: number }[]; orgPlans: unknown[]; addons: unknown[] } };
    expect(paid.data.userList).toHaveLength(2);
    expect(paid.data.userList[1]).toMatchObject({ basicStorage: "mailPremium", totalStorage: 50 });
    expect(paid.data.orgPlans).toEqual([{ planType: "mailPremium", totalCount: 12, allotedCount: 2 }]);
    expect(paid.data.addons).toEqual([{ addonType: "25gb", totalCount: 2, allotedCount: 0 }]);
    expect(((await storage("?start=1&limit=5")).json as { data: { userList: unknown[] } }).data.userList).toHaveLength(1);
    const one = await call(`${mail}/${zoid}/storage/u2@acme.example`, { headers: auth(token) });
    expect(one.json).toMatchObject({ data: { totalStorage: 50, mailBox: true, basicStorage: "mailPremium", extraStorage: {}, usedStorage: 0 } });
    // The subscriptions scope guards it; another org's zoid is not found.
    const orgOnly = await tokenWith(s, ["ZohoMail.partner.organization.READ"]);
    expect((await call(`${mail}/${zoid}/storage`, { headers: auth(orgOnly) })).status).toBe(401);
    expect((await storage("?start=x")).json).toMatchObject({ data: { errorCode: "URL_RULE_MISMATCH" } });
    expect((await call(`${mail}/123/storage`, { headers: auth(token) })).status).toBe(404);
  });

  it("counts users against the licence count", async () => {
    const { s, token, mail } = await start();
    const zoid = s.state.addOrg({ domain: "acme.example", email: "it@acme.example" });
    const add = (n: number) => call(`${mail}/${zoid}/accounts`, jsonInit("POST", token, { primaryEmailAddress: `u${n}@acme.example`, password: "Secret-123" }));
    for (let n = 2; n <= 5; n++) expect((await add(n)).status).toBe(200);
    const full = await add(6);
    expect(full.status).toBe(400);
    expect(full.json).toEqual({ data: { errorCode: "LICENSE_LIMIT_EXCEEDED", moreInfo: "No free license available" }, status: { code: 400, description: "Invalid Input" } });
    s.state.setPlan(zoid, { type: "paid", planId: 10730, period: "YEAR", addons: [{ id: 10779, count: 6 }] });
    expect((await add(6)).status).toBe(200);
    const list = await call(`${mail}/${zoid}/accounts`, { headers: auth(token) });
    expect((list.json as { data: unknown[] }).data).toHaveLength(6);
    const page = await call(`${mail}/${zoid}/accounts?start=5&limit=10`, { headers: auth(token) });
    expect(page.text).toMatch(/"zuid":\d{16,},/);
    expect((page.json as { data: unknown[] }).data).toHaveLength(1);
  });
});
