import { afterEach, describe, expect, it } from "vitest";
import { ZohoApiError, ZohoInputError } from "../../../src/providers/zoho/index.js";
import type { ZohoSandbox } from "../../../src/sandbox/zoho/index.js";
import { rig } from "./setup.js";

const open: ZohoSandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function setup(...args: Parameters<typeof rig>) {
  const r = await rig(...args);
  open.push(r.sb);
  return r;
}

const ADA = { domainName: "Acme.Example", emailId: "it@acme.example", firstName: "Ada", lastName: "Lovelace" };

describe("Zoho Mail operations", () => {
  it("creates an org and reads it back with the 64-bit zoid intact", async () => {
    const { sb, p } = await setup();
    const created = await p.mail.createOrg(ADA);
    expect(created).toMatchObject({ domainName: "acme.example", superAdmin: "it@acme.example", isVerified: false, isTrialAllowed: true, basePlan: "Mail Free" });
    expect(created.zoid).toBe(sb.state.org("acme.example")?.zoid);
    expect(BigInt(created.zoid) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    const details = await p.mail.getOrg(created.zoid);
    expect(details).toEqual({
      zoid: created.zoid,
      orgName: "acme.example",
      primaryDomainName: "acme.example",
      domains: ["acme.example"],
      superAdmin: "it@acme.example",
      basePlan: "Mail Free",
      planType: "free",
      licenseCount: 5,
      usersCount: 1,
    });
  });

  it("accepts create answers with HTTP 201 too", async () => {
    const { sb, p } = await setup({ sandbox: { switches: { createHttpStatus: 201, createOrgReturnsBasePlan: false } } });
    const created = await p.mail.createOrg({ ...ADA, planName: "basicTrial" });
    expect(created.basePlan).toBeUndefined();
    expect(sb.state.org(created.zoid)?.basePlan).toBe("Workplace Standard Trial");
  });

  it("sends orgName and password when the strict reading is needed", async () => {
    const { sb, p } = await setup({ sandbox: { switches: { createOrgStrict: true } } });
    const { Secret } = await import("../../../src/core/secrets.js");
    await expect(p.mail.createOrg(ADA)).rejects.toMatchObject({ category: "invalid_request", errorCode: "PATTERN_NOT_MATCHED" });
    const created = await p.mail.createOrg({ ...ADA, orgName: "Acme", password: new Secret("Initial-Pass-1", "test") });
    expect(sb.state.org(created.zoid)).toBeDefined();
  });

  it("surfaces 'customer of another partner' as a conflict with Zoho's text and the tagging hint", async () => {
    const { sb, p } = await setup({ sandbox: { seed: { foreignCustomers: [{ domain: "acme.example", email: "boss@acme.example" }] } } });
    const err = (await p.mail.createOrg(ADA).catch((e: unknown) => e)) as ZohoApiError;
    expect(err).toBeInstanceOf(ZohoApiError);
    expect(err.code).toBe("zoho.conflict");
    expect(err.httpStatus).toBe(500);
    expect(err.moreInfo).toBe(sb.switches.messages.customerOfAnotherPartner);
    expect(err.message).toBe(`Zoho mail createOrg failed (HTTP 500, ${sb.switches.messages.customerOfAnotherPartner})`);
    expect(err.hint).toContain("https://store.zoho.com/html/store/tagyourpartner.html");
    expect(sb.calls.count("mail.createOrg")).toBe(1);
  });

  it("rejects bad input before calling Zoho", async () => {
    const { sb, p } = await setup();
    await expect(p.mail.createOrg({ ...ADA, domainName: "not a domain" })).rejects.toBeInstanceOf(ZohoInputError);
    await expect(p.mail.createOrg({ ...ADA, emailId: "nobody" })).rejects.toMatchObject({ code: "zoho.input" });
    await expect(p.mail.getOrg("12ab")).rejects.toBeInstanceOf(ZohoInputError);
    await expect(p.mail.enableTrial("1", "goldTrial" as never)).rejects.toBeInstanceOf(ZohoInputError);
    expect(sb.calls.total).toBe(0);
  });

  it("reports an unknown org as not_found", async () => {
    const { p } = await setup();
    await expect(p.mail.getOrg("123")).rejects.toMatchObject({ category: "not_found", httpStatus: 404, moreInfo: "Organization not found" });
  });

  it("finds one customer org by domain", async () => {
    const { sb, p } = await setup({ sandbox: { switches: { searchKeyMatch: "contains" } } });
    sb.state.addOrg({ domain: "acme.example", email: "it@acme.example" });
    sb.state.addOrg({ domain: "xacme.example", email: "it@xacme.example" });
    expect((await p.mail.findCustomerOrg("acme.example"))?.domainName).toBe("acme.example");
    expect(await p.mail.findCustomerOrg("zeta.example")).toBeUndefined();
  });

  it("lists every customer org with a number of calls set by the page size", async () => {
    const { sb, p } = await setup({ sandbox: { switches: { customerOrgPageSize: 10 } } });
    for (let i = 0; i < 25; i++) sb.state.addOrg({ domain: `c${String(i).padStart(2, "0")}.example`, email: `it@c${i}.example` });
    const all = await p.mail.listCustomerOrgs({ pageSize: 10 });
    expect(all.map((o) => o.domainName)).toEqual(Array.from({ length: 25 }, (_, i) => `c${String(i).padStart(2, "0")}.example`));
    expect(sb.calls.count("mail.listCustomerOrgs")).toBe(3 + 1);
  });

  it("lists in one call when Zoho ignores paging and returns everything", async () => {
    const { sb, p } = await setup();
    for (let i = 0; i < 30; i++) sb.state.addOrg({ domain: `c${i}.example`, email: `it@c${i}.example` });
    expect(await p.mail.listCustomerOrgs({ pageSize: 10 })).toHaveLength(30);
    expect(sb.calls.count("mail.listCustomerOrgs")).toBe(1);
    sb.calls.reset();
    // A short unpaged answer is asked for once more; the repeat ends the loop without duplicates.
    expect(await p.mail.listCustomerOrgs({ pageSize: 50 })).toHaveLength(30);
    expect(sb.calls.count("mail.listCustomerOrgs")).toBe(2);
  });

  it("adds a domain and verifies it once the customer's CNAME exists", async () => {
    const { sb, p } = await setup();
    const zoid = sb.state.addOrg({ domain: "acme.example", email: "it@acme.example" });
    const added = await p.mail.addDomain(zoid, "acme.net");
    expect(added).toMatchObject({ domainName: "acme.net", verified: false, primary: false });
    expect(added.cnameVerificationCode).toBe(`zb${added.htmlVerificationCode ?? ""}`);
    expect(await p.mail.verifyDomain(zoid, "acme.net")).toEqual({
      verified: false,
      error: "CNAME_RECORD_HOST_UNKNOWN",
      message: "Verification failed due to host not found",
    });
    sb.state.dns.addCname(`${added.cnameVerificationCode ?? ""}.acme.net`, "zmverify.zoho.com.");
    expect(await p.mail.verifyDomain(zoid, "acme.net")).toEqual({ verified: true });
    expect((await p.mail.getDomain(zoid, "acme.net")).verified).toBe(true);
    expect((await p.mail.listDomains(zoid)).map((d) => [d.domainName, d.verified])).toEqual([
      ["acme.example", false],
      ["acme.net", true],
    ]);
    await expect(p.mail.addDomain(zoid, "acme.net")).rejects.toMatchObject({ category: "conflict", moreInfo: "Domain already exists" });
  });

  it("reads the legacy verify failure (HTTP 400 + moreInfo) as a result", async () => {
    const { sb, p } = await setup({ sandbox: { switches: { verifyFailureShape: "legacy-400" } } });
    const zoid = sb.state.addOrg({ domain: "acme.example", email: "it@acme.example" });
    expect(await p.mail.verifyDomain(zoid, "acme.example", "TXT")).toEqual({ verified: false, error: undefined, message: "Verification failed due to host not found" });
    const code = sb.state.org(zoid)?.domains[0]?.htmlCode ?? "";
    sb.state.dns.addTxt("acme.example", `zoho-verification=zb${code}.zmverify.zoho.com`);
    expect(await p.mail.verifyDomain(zoid, "acme.example", "TXT")).toEqual({ verified: true });
    expect(sb.state.org(zoid)?.verified).toBe(true);
  });

  it("enables and extends a trial on mailadmin, with Zoho's refusal text", async () => {
    const { sb, p } = await setup({ sandbox: { clock: () => 1_700_000_000_000 } });
    const zoid = sb.state.addOrg({ domain: "acme.example", email: "it@acme.example" });
    await p.mail.enableTrial(zoid, "mailPremiumTrial");
    expect(sb.state.org(zoid)?.basePlan).toBe("Mail Premium Trial");
    await p.mail.extendTrial(zoid);
    const plan = sb.state.org(zoid)?.plan;
    expect(plan?.type === "trial" ? plan.expiresAt - sb.clock.now() : 0).toBe(30 * 86_400_000);
    const err = (await p.mail.extendTrial(zoid).catch((e: unknown) => e)) as ZohoApiError;
    expect(err.category).toBe("invalid_request");
    expect(err.message).toBe("Zoho mailadmin extendTrial failed (HTTP 500, Trial has already been extended)");
    expect(sb.calls.byEndpoint).toMatchObject({ "mailadmin.enableTrial": 1, "mailadmin.extendTrial": 2 });
    const summary = (await p.mail.listCustomerOrgs())[0];
    expect(summary).toMatchObject({ basePlan: "Mail Premium Trial", isTrialAllowed: false, extendTrial: false });
  });
});
