import { afterEach, describe, expect, it } from "vitest";
import { startZohoSandbox, type ZohoSandbox, type ZohoSandboxOptions } from "../../../src/sandbox/zoho/index.js";
import { INVALID_OAUTHTOKEN_BODY, accessToken, auth, call, storeMultipart, storeQuery } from "./http.js";

let sb: ZohoSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function start(opts: ZohoSandboxOptions = {}): Promise<{ s: ZohoSandbox; token: string; sub: string; api: string }> {
  sb = await startZohoSandbox({ clock: () => 1_700_000_000_000, ...opts });
  sb.state.addOrg({ domain: "acme.example", email: "it@acme.example", country: "United Kingdom" });
  const token = await accessToken(sb);
  return { s: sb, token, sub: `${sb.baseUrl("us", "store")}/restapi/partner/v1/json/subscription`, api: `${sb.baseUrl("us", "store")}/api/v1/partner` };
}

const CUSTOMER = { companyname: "Acme", street: "1 Main St", city: "London", state: "London", country: "United Kingdom", zipcode: "EC1A 1AA", phone: "+44" };
const BUY = {
  serviceid: 1501,
  email: "it@acme.example",
  customer: CUSTOMER,
  subscription: { plan: 10730, addons: [{ id: 10779, count: 5 }, { id: 191, count: 2 }], payperiod: "YEAR" },
};

describe("Zoho sandbox: store subscriptions", () => {
  it("buys, reads, changes and cancels a subscription keyed by the super admin's email", async () => {
    const { s, token, sub } = await start();
    const zoid = s.state.org("acme.example")?.zoid ?? "";
    const bought = await call(sub, storeMultipart("POST", token, BUY));
    expect(bought.status).toBe(200);
    const profileId = (bought.json as { licensedetails: { profileid: string } }).licensedetails.profileid;
    expect(bought.json).toEqual({ result: "success", customid: zoid, licensedetails: { profileid: profileId } });
    expect(s.state.org(zoid)).toMatchObject({ basePlan: "Workplace Standard", licenseCount: 5 });

    const read = await call(storeQuery(sub, { serviceid: 1501, email: "it@acme.example" }), { headers: auth(token) });
    expect(read.json).toEqual({
      result: "success",
      licensedetails: {
        paiduser: true,
        payperiod: "YEAR",
        planname: "Workplace Standard",
        planid: 10730,
        addondetails: [
          { addonname: "User", addonvalue: 5, addonid: "10779" },
          { addonname: "Extra_5_GB", addonvalue: 2, addonid: "191" },
        ],
      },
    });

    const change = { serviceid: 1501, email: "it@acme.example", subscription: { plan: 17045, addons: [{ id: 17083, count: 3 }, { id: 10780, count: 4 }], payperiod: "YEAR" } };
    expect((await call(sub, storeMultipart("PUT", token, change))).json).toMatchObject({ result: "success" });
    expect(s.state.org(zoid)).toMatchObject({ basePlan: "Mail Flexible", licenseCount: 7 });

    const cancel = await call(storeQuery(sub, { serviceid: 1501, email: "it@acme.example", comment: "bye" }), { method: "DELETE", headers: auth(token) });
    expect(cancel.text).toBe('{"result":"success"}');
    expect(s.state.org(zoid)).toMatchObject({ basePlan: "Mail Free", licenseCount: 5 });
    const free = await call(storeQuery(sub, { serviceid: 1501, email: "it@acme.example" }), { headers: auth(token) });
    expect(free.text).toBe('{"result":"success","licensedetails":{"paiduser":false}}');
    s.switches.storeFreeGetBody = "failure";
    const asFailure = await call(storeQuery(sub, { serviceid: 1501, email: "it@acme.example" }), { headers: auth(token) });
    expect(asFailure.json).toEqual({ result: "failure", ERRORMSG: "Customer has no paid subscription" });
  });

  it("answers a declined card with result failure and leaves the plan alone", async () => {
    const { s, token, sub } = await start({ switches: { cardDeclined: true } });
    const r = await call(sub, storeMultipart("POST", token, BUY));
    expect(r.status).toBe(200);
    expect(r.text).toBe('{"result":"failure","ERRORMSG":"Payment failed: the card could not be charged"}');
    expect(s.state.org("acme.example")?.plan).toEqual({ type: "free" });
  });

  it("can send ERRORMSG alongside success", async () => {
    const { s, token, sub } = await start();
    s.switches.errorMsgWithSuccess = "Partial failure";
    expect((await call(sub, storeMultipart("POST", token, BUY))).json).toMatchObject({ result: "success", ERRORMSG: "Partial failure" });
  });

  it("validates the payload", async () => {
    const { s, token, sub } = await start({ seed: { foreignCustomers: [{ domain: "taken.example", email: "boss@taken.example" }] } });
    const failure = async (init: RequestInit, url = sub) => (await call(url, init)).json;
    const m = s.switches.messages;
    expect(await failure(storeMultipart("POST", token, { ...BUY, serviceid: 2 }))).toEqual({ result: "failure", ERRORMSG: m.storeUnknownService });
    expect(await failure(storeMultipart("POST", token, { ...BUY, email: "nobody@else.example" }))).toEqual({ result: "failure", ERRORMSG: m.storeUnknownCustomer });
    expect(await failure(storeMultipart("POST", token, { ...BUY, email: "boss@taken.example" }))).toEqual({ result: "failure", ERRORMSG: m.storeOtherPartner });
    const { customer: _, ...noCustomer } = BUY;
    expect(await failure(storeMultipart("POST", token, noCustomer))).toEqual({ result: "failure", ERRORMSG: m.storeMissingCustomer });
    expect(await failure(storeMultipart("POST", token, { ...BUY, subscription: { ...BUY.subscription, plan: 1 } }))).toEqual({ result: "failure", ERRORMSG: m.storeUnknownPlan });
    expect(await failure(storeMultipart("POST", token, { ...BUY, subscription: { plan: 17033, addons: [{ id: 17083, count: 1 }], payperiod: "MONT" } }))).toEqual({
      result: "failure",
      ERRORMSG: m.storePayPeriod,
    });
    expect(await failure(storeMultipart("POST", token, { ...BUY, subscription: { ...BUY.subscription, addons: [{ id: 10780, count: 1 }] } }))).toEqual({
      result: "failure",
      ERRORMSG: m.storeUnknownAddon,
    });
    const broken = new FormData();
    broken.append("JSONString", "{not json");
    expect(await failure({ method: "POST", headers: auth(token), body: broken })).toEqual({ result: "failure", ERRORMSG: m.storeMalformed });
    expect(await failure({ headers: auth(token) })).toEqual({ result: "failure", ERRORMSG: m.storeMalformed });
  });

  it("accepts urlencoded JSONString for POST only with the switch on", async () => {
    const { s, token, sub } = await start();
    const init = () => ({
      method: "POST",
      headers: { ...auth(token), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ JSONString: JSON.stringify(BUY) }).toString(),
    });
    s.switches.storeAcceptUrlencoded = false;
    expect((await call(sub, init())).json).toMatchObject({ result: "failure" });
    s.switches.storeAcceptUrlencoded = true;
    expect((await call(sub, init())).json).toMatchObject({ result: "success" });
  });

  it("refuses paid → paid POST, yearly → monthly PUT, and PUT on a free customer", async () => {
    const { s, token, sub } = await start();
    const m = s.switches.messages;
    const put = { serviceid: 1501, email: "it@acme.example", subscription: { plan: 10730, addons: [{ id: 10779, count: 5 }], payperiod: "MONT" } };
    expect((await call(sub, storeMultipart("PUT", token, put))).json).toEqual({ result: "failure", ERRORMSG: m.storeNotPaid });
    await call(sub, storeMultipart("POST", token, BUY));
    expect((await call(sub, storeMultipart("POST", token, BUY))).json).toEqual({ result: "failure", ERRORMSG: m.storeAlreadyPaid });
    expect((await call(sub, storeMultipart("PUT", token, put))).json).toEqual({ result: "failure", ERRORMSG: m.storeYearToMonth });
    s.switches.rejectYearToMonth = false;
    expect((await call(sub, storeMultipart("PUT", token, put))).json).toMatchObject({ result: "success" });
  });

  it("refuses trial → paid only when switched", async () => {
    const { s, token, sub } = await start();
    s.state.setPlan("acme.example", { type: "trial", trial: "basicTrial" });
    s.switches.trialToPaidAllowed = false;
    expect((await call(sub, storeMultipart("POST", token, BUY))).json).toEqual({ result: "failure", ERRORMSG: s.switches.messages.storeTrialToPaid });
    s.switches.trialToPaidAllowed = true;
    expect((await call(sub, storeMultipart("POST", token, BUY))).json).toMatchObject({ result: "success" });
  });

  it("answers a bad token on the write API with HTTP 400", async () => {
    const { sub } = await start();
    const r = await call(sub, storeMultipart("POST", "1000.bad.bad", BUY));
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ result: "failure", ERRORMSG: "Invalid OAuth token" });
  });
});

describe("Zoho sandbox: partner listing", () => {
  async function seeded(n: number, opts: ZohoSandboxOptions = {}) {
    const ctx = await start(opts);
    for (let i = 0; i < n; i++) {
      ctx.s.state.addOrg({
        domain: `c${i}.example`,
        email: `it@c${i}.example`,
        plan: { type: "paid", planId: 17033, period: "YEAR", addons: [{ id: 17083, count: i + 1 }] },
      });
    }
    return ctx;
  }

  it("lists paid customers as a bare array, 200 per page, with paging headers", async () => {
    const { s, token, api } = await seeded(250);
    const p1 = await call(`${api}/subscriptions`, { headers: auth(token) });
    expect(Array.isArray(p1.json)).toBe(true);
    expect((p1.json as unknown[]).length).toBe(200);
    expect(p1.headers.get("x-total-count")).toBe("250");
    expect(p1.headers.get("x-page")).toBe("1");
    expect(p1.headers.get("x-per-page")).toBe("200");
    const p2 = await call(`${api}/subscriptions?page=2&per_page=200`, { headers: auth(token) });
    expect((p2.json as unknown[]).length).toBe(50);
    const row = (p2.json as Record<string, unknown>[])[49];
    const zoid = s.state.org("c249.example")?.zoid;
    expect(row).toMatchObject({
      email_id: "it@c249.example",
      org_id: zoid,
      service_name: "Workplace",
      plan_name: "Mail Lite",
      addons: [{ addon_name: "User", value: 250 }],
      billing_frequency: "yearly",
      customer_address: { country: "" },
    });
    const leads = await call(`${api}/leads`, { headers: auth(token) });
    expect(leads.json).toMatchObject([{ email_id: "it@acme.example", plan_name: null, customer_address: { country: "United Kingdom" } }]);
  });

  it("wraps the listing and drops the headers when switched", async () => {
    const { token, api } = await seeded(3, { switches: { listingWrapped: true, listingHeaders: null, listingPageSize: 2 } });
    const r = await call(`${api}/subscriptions?per_page=50`, { headers: auth(token) });
    expect((r.json as { subscriptions: unknown[] }).subscriptions).toHaveLength(2);
    expect(r.headers.get("x-total-count")).toBeNull();
  });

  it("answers a bad token on the read API with INVALID_OAUTHTOKEN", async () => {
    const { api } = await start();
    const r = await call(`${api}/subscriptions`, { headers: auth("1000.x.y") });
    expect(r.status).toBe(401);
    expect(r.text).toBe(INVALID_OAUTHTOKEN_BODY);
  });
});
