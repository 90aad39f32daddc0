import { afterEach, describe, expect, it } from "vitest";
import { ZohoApiError, ZohoInputError, countryName, type FetchFn } from "../../../src/providers/zoho/index.js";
import type { ZohoSandbox } from "../../../src/sandbox/zoho/index.js";
import { rig } from "./setup.js";

const open: ZohoSandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function setup(...args: Parameters<typeof rig>) {
  const r = await rig(...args);
  open.push(r.sb);
  r.sb.state.addOrg({ domain: "acme.example", email: "it@acme.example" });
  return r;
}

const CUSTOMER = { companyName: "Acme Ltd", street: "1 Main St", city: "London", state: "London", country: "GB", zipcode: "EC1A 1AA", phone: "+44.2071234567" };
const STANDARD = { planId: 10730, payPeriod: "yearly" as const, addons: [{ id: 10779, count: 5 }] };

describe("Zoho Store operations", () => {
  it("buys, reads, changes and cancels a subscription", async () => {
    const { sb, p } = await setup();
    const zoid = sb.state.org("acme.example")?.zoid;
    const bought = await p.store.createSubscription({ email: "it@acme.example", customer: CUSTOMER, subscription: STANDARD });
    expect(bought.customId).toBe(zoid);
    expect(bought.profileId).toMatch(/^\d+$/);
    expect(sb.state.org("acme.example")).toMatchObject({ basePlan: "Workplace Standard", licenseCount: 5 });

    expect(await p.store.getSubscription("it@acme.example")).toEqual({
      paid: true,
      planId: 10730,
      planName: "Workplace Standard",
      payPeriod: "yearly",
      addons: [{ id: "10779", name: "User", count: 5 }],
    });

    await p.store.updateSubscription({
      email: "it@acme.example",
      subscription: { planId: 17045, payPeriod: "yearly", addons: [{ id: 17083, count: 2 }, { id: 10792, count: 3 }, { id: 191, count: 1 }] },
    });
    expect(sb.state.org("acme.example")).toMatchObject({ basePlan: "Mail Flexible", licenseCount: 5 });
    const flexible = await p.store.getSubscription("it@acme.example");
    expect(flexible.paid && flexible.addons.map((a) => a.name)).toEqual(["Mail Lite User", "Mail Premium User", "Extra_5_GB"]);

    await p.store.cancelSubscription("it@acme.example", "customer left");
    expect(await p.store.getSubscription("it@acme.example")).toEqual({ paid: false });
    expect(sb.state.org("acme.example")?.basePlan).toBe("Mail Free");
    expect(sb.calls.byEndpoint).toMatchObject({
      "store.createSubscription": 1,
      "store.updateSubscription": 1,
      "store.getSubscription": 3,
      "store.cancelSubscription": 1,
    });
  });

  it("sends the country as a full English name", async () => {
    const { sb, p } = await setup();
    await p.store.createSubscription({ email: "it@acme.example", customer: CUSTOMER, subscription: STANDARD });
    const rows = await p.store.listPartnerSubscriptions();
    expect(rows[0]?.country).toBe("United Kingdom");
    expect(countryName("de")).toBe("Germany");
    expect(countryName("United States")).toBe("United States");
    expect(sb.state.org("acme.example")?.plan.type).toBe("paid");
  });

  it("reports a declined card as a store failure with Zoho's text, and does not retry", async () => {
    const { sb, p, sleeps } = await setup({ sandbox: { switches: { cardDeclined: true } } });
    const err = (await p.store.createSubscription({ email: "it@acme.example", customer: CUSTOMER, subscription: STANDARD }).catch((e: unknown) => e)) as ZohoApiError;
    expect(err).toBeInstanceOf(ZohoApiError);
    expect(err.code).toBe("zoho.store_failure");
    expect(err.message).toBe("Zoho Store createSubscription failed: Payment failed: the card could not be charged");
    expect(err.moreInfo).toBe("Payment failed: the card could not be charged");
    expect(err.hint).toContain("could not charge the partner's card");
    expect(sb.calls.count("store.createSubscription")).toBe(1);
    expect(sleeps).toEqual([]);
    expect(sb.state.org("acme.example")?.plan).toEqual({ type: "free" });
  });

  it("treats ERRORMSG alongside success as a failure", async () => {
    const { sb, p } = await setup();
    sb.switches.errorMsgWithSuccess = "Profile update pending";
    await expect(p.store.createSubscription({ email: "it@acme.example", customer: CUSTOMER, subscription: STANDARD })).rejects.toMatchObject({
      category: "store_failure",
      message: "Zoho Store createSubscription reported an error alongside success: Profile update pending",
    });
  });

  it("passes Store refusals through verbatim", async () => {
    const { sb, p } = await setup();
    await expect(p.store.getSubscription("nobody@else.example")).rejects.toMatchObject({ category: "store_failure", moreInfo: sb.switches.messages.storeUnknownCustomer });
    await p.store.createSubscription({ email: "it@acme.example", customer: CUSTOMER, subscription: STANDARD });
    await expect(
      p.store.updateSubscription({ email: "it@acme.example", subscription: { ...STANDARD, payPeriod: "monthly" } }),
    ).rejects.toMatchObject({ moreInfo: sb.switches.messages.storeYearToMonth });
  });

  it("checks plan, pay period and add-ons before calling", async () => {
    const { sb, p } = await setup({
      provider: { plans: { "mail-lite": { planId: 17033, userAddonId: 17083, payPeriods: ["yearly"] } } },
    });
    const buy = (subscription: typeof STANDARD) => p.store.createSubscription({ email: "it@acme.example", customer: CUSTOMER, subscription });
    await expect(buy(STANDARD)).rejects.toThrow("plan id 10730 is not in zoho.plans");
    await expect(buy({ planId: 17033, payPeriod: "monthly" as never, addons: [] })).rejects.toThrow("plan mail-lite (17033) is not sold monthly");
    await expect(buy({ planId: 17033, payPeriod: "yearly", addons: [{ id: 17083, count: -1 }] })).rejects.toBeInstanceOf(ZohoInputError);
    await expect(buy({ planId: 17033, payPeriod: "yearly", addons: [{ id: 17083, count: 1 }, { id: 17083, count: 2 }] })).rejects.toThrow("listed twice");
    await expect(
      p.store.updateSubscription({ email: "it@acme.example", currentPayPeriod: "yearly", subscription: { planId: 17033, payPeriod: "monthly", addons: [] } }),
    ).rejects.toThrow("cannot be switched to monthly");
    expect(sb.calls.total).toBe(0);
  });

  it("reads the partner listing page by page, stopping at the total from the headers", async () => {
    const { sb, p } = await setup();
    for (let i = 0; i < 250; i++) {
      sb.state.addOrg({ domain: `c${i}.example`, email: `it@c${i}.example`, plan: { type: "paid", planId: 10731, period: "MONT", addons: [{ id: 10780, count: 2 }] } });
    }
    const rows = await p.store.listPartnerSubscriptions();
    expect(rows).toHaveLength(250);
    expect(rows[0]).toMatchObject({ email: "it@c0.example", planName: "Workplace Professional", billingFrequency: "monthly", addons: [{ name: "User", value: 2 }] });
    expect(rows[0]?.orgId).toBe(sb.state.org("c0.example")?.zoid);
    expect(sb.calls.count("store.listSubscriptions")).toBe(2);

    sb.calls.reset();
    sb.switches.listingHeaders = null;
    expect(await p.store.listPartnerSubscriptions({ pageSize: 100 })).toHaveLength(250);
    expect(sb.calls.count("store.listSubscriptions")).toBe(3);
    sb.calls.reset();
    expect(await p.store.listPartnerSubscriptions({ pageSize: 50 })).toHaveLength(250);
    expect(sb.calls.count("store.listSubscriptions")).toBe(6);
  });

  it("accepts the wrapped listing shape", async () => {
    const { sb, p } = await setup({ sandbox: { switches: { listingWrapped: true } } });
    sb.state.setPlan("acme.example", { type: "paid", planId: 17033, period: "YEAR", addons: [{ id: 17083, count: 7 }] });
    expect(await p.store.listPartnerSubscriptions()).toMatchObject([{ email: "it@acme.example", planName: "Mail Lite", billingFrequency: "yearly" }]);
  });

  it("stops when the server ignores the page parameter", async () => {
    const stripPage: FetchFn = (input, init) => {
      const u = new URL(String(input));
      u.searchParams.delete("page");
      return fetch(u, init);
    };
    const { sb, p } = await setup({ sandbox: { switches: { listingHeaders: null } }, provider: { fetch: stripPage } });
    for (let i = 0; i < 3; i++) sb.state.addOrg({ domain: `c${i}.example`, email: `it@c${i}.example`, plan: { type: "paid", planId: 17033, period: "YEAR", addons: [] } });
    expect(await p.store.listPartnerSubscriptions({ pageSize: 3 })).toHaveLength(3);
    expect(sb.calls.count("store.listSubscriptions")).toBe(2);
  });
});
