import { afterEach, describe, expect, it } from "vitest";
import type { FetchFn } from "../../../src/providers/zoho/index.js";
import { parseJsonExact } from "../../../src/providers/zoho/json.js";
import type { ZohoSandbox, ZohoSwitches } from "../../../src/sandbox/zoho/index.js";
import { rig, type Rig } from "./setup.js";

const open: ZohoSandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** 1,000 orgs: every 5th paid (400 in two plans), every 10th of the rest in a trial, every 3rd verified. */
function seed(sb: ZohoSandbox, n: number): void {
  for (let i = 0; i < n; i++) {
    const name = `c${String(i).padStart(4, "0")}.example`;
    const plan =
      i % 5 < 2
        ? i % 2 === 0
          ? ({ type: "paid", planId: 10730, period: "YEAR", addons: [{ id: 10779, count: 3 + (i % 7) }, { id: 191, count: 1 }] } as const)
          : ({ type: "paid", planId: 17045, period: "MONT", addons: [{ id: 10779, count: 2 }, { id: 10780, count: 1 }] } as const)
        : i % 10 === 2
          ? ({ type: "trial", trial: "professionalTrial" } as const)
          : ({ type: "free" } as const);
    sb.state.addOrg({ domain: name, email: `admin@${name}`, verified: i % 3 === 0, plan });
  }
}

async function bulk(switches: Partial<ZohoSwitches>, n: number, live: { mailPageSize?: number; storePageSize?: number }): Promise<Rig> {
  const r = await rig({ sandbox: { switches }, provider: { live } });
  open.push(r.sb);
  seed(r.sb, n);
  return r;
}

describe("Zoho bulk live read", () => {
  it("reads 1,000 orgs in a number of calls set by the page sizes, with one token", async () => {
    const { sb, p } = await bulk({ customerOrgPageSize: 100 }, 1000, { mailPageSize: 100 });
    const live = await p.readLive();
    expect(Object.keys(live.orgs)).toHaveLength(1000);
    // Mail: 10 full pages and the empty page that ends an undocumented paging. Store: 400 rows, 200 a page, total in a header.
    expect(sb.calls.byEndpoint).toEqual({ "accounts.token": 1, "mail.listCustomerOrgs": 11, "store.listSubscriptions": 2 });
    expect(sb.calls.tokensMinted).toBe(1);
    expect(live.warnings).toEqual([]);
    expect(live.orphanSubscriptions).toEqual([]);

    const c0 = live.orgs["c0000.example"];
    expect(c0).toEqual({
      zoid: sb.state.org("c0000.example")?.zoid,
      domain: "c0000.example",
      superAdmin: "admin@c0000.example",
      verified: true,
      plan: { type: "paid", planId: 10730, planName: "Workplace Standard", payPeriod: "yearly", licenses: 3 },
      usersCount: null,
      licenseCount: null,
      basePlan: "Workplace Standard",
      trialAllowed: false,
      canExtendTrial: false,
    });
    expect(live.orgs["c0001.example"]?.plan).toEqual({ type: "paid", planId: 17045, planName: "Mail Flexible Plan", payPeriod: "monthly", licenses: 3 });
    expect(live.orgs["c0002.example"]?.plan).toEqual({ type: "trial", trialPlan: "professionalTrial" });
    expect(live.orgs["c0003.example"]).toMatchObject({ plan: { type: "free" }, verified: true, trialAllowed: true });
    expect(live.orgs["c0004.example"]?.verified).toBe(false);
    expect(Object.values(live.orgs).filter((o) => o.plan.type === "paid")).toHaveLength(400);
    expect(Object.values(live.orgs).filter((o) => o.plan.type === "trial")).toHaveLength(100);
    expect(Object.keys(live.orgs)).toEqual([...Object.keys(live.orgs)].sort());
  });

  it("counts calls by pages: 999 and 1,000 orgs cost the same, 1,999 a few more", async () => {
    const a = await bulk({ customerOrgPageSize: 250, listingPageSize: 100 }, 1000, { mailPageSize: 250, storePageSize: 100 });
    await a.p.readLive();
    expect(a.sb.calls.byEndpoint).toEqual({ "accounts.token": 1, "mail.listCustomerOrgs": 5, "store.listSubscriptions": 4 });

    const b = await bulk({ customerOrgPageSize: 250, listingPageSize: 100 }, 999, { mailPageSize: 250, storePageSize: 100 });
    await b.p.readLive();
    expect(b.sb.calls.byEndpoint).toEqual({ "accounts.token": 1, "mail.listCustomerOrgs": 5, "store.listSubscriptions": 4 });

    const c = await bulk({ customerOrgPageSize: 250, listingPageSize: 100 }, 1999, { mailPageSize: 250, storePageSize: 100 });
    await c.p.readLive();
    expect(c.sb.calls.byEndpoint).toEqual({ "accounts.token": 1, "mail.listCustomerOrgs": 9, "store.listSubscriptions": 8 });
  });

  it("reads everything in one listing call when Zoho does not page, and takes counts when listed", async () => {
    const { sb, p } = await bulk({ customerOrgExtraFields: true, listingHeaders: null }, 1000, {});
    const live = await p.readLive();
    // Without a total header, two full Store pages need a third (empty) one to be sure.
    expect(sb.calls.byEndpoint).toEqual({ "accounts.token": 1, "mail.listCustomerOrgs": 1, "store.listSubscriptions": 3 });
    expect(live.orgs["c0000.example"]).toMatchObject({ usersCount: 1, licenseCount: 3 });
    expect(live.orgs["c0003.example"]).toMatchObject({ usersCount: 1, licenseCount: 5 });
  });

  it("warns about unknown plan names", async () => {
    const { sb, p } = await rig({ provider: { live: { planNames: { "Mail Flexible Plan": 17045 } } } });
    open.push(sb);
    seed(sb, 2);
    const live = await p.readLive();
    expect(live.orgs["c0000.example"]?.plan).toMatchObject({ type: "paid", planId: null, planName: "Workplace Standard" });
    expect(live.orgs["c0001.example"]?.plan).toMatchObject({ type: "paid", planId: 17045 });
    expect(live.warnings).toEqual(['c0000.example: Store plan name "Workplace Standard" is not a known plan; add it to the plan-name table']);
  });

  it("keeps paid subscriptions whose org is not in the Mail listing", async () => {
    // The org left the partner's Mail listing (its admin revoked partner access) but the Store still bills it.
    const hideFirstOrg: FetchFn = async (input, init) => {
      const res = await fetch(input, init);
      if (!String(input).includes("mode=getCustomerOrgDetails")) return res;
      const body = parseJsonExact(await res.text()) as { data: unknown[] };
      return new Response(JSON.stringify({ ...body, data: body.data.slice(1) }), { status: res.status, headers: res.headers });
    };
    const { sb, p } = await rig({ provider: { fetch: hideFirstOrg } });
    open.push(sb);
    seed(sb, 3);
    const live = await p.readLive();
    expect(Object.keys(live.orgs)).toEqual(["c0001.example", "c0002.example"]);
    expect(live.orphanSubscriptions).toEqual([{ email: "admin@c0000.example", orgId: sb.state.org("c0000.example")?.zoid, planName: "Workplace Standard" }]);
  });
});
