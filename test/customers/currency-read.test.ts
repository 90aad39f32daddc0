import { afterEach, describe, expect, it } from "vitest";
import type { CustomerOrgState } from "../../src/model/customers.js";
import { hasChanges } from "../../src/model/plan.js";
import { customerCatalog, customerOrg } from "./builders.js";
import { startRig, type CustomerRig } from "./rig.js";

let rig: CustomerRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("client currencies with several WHMCS currencies", () => {
  it("come from one paged GetOrders read, not one GetClientsDetails per client", async () => {
    rig = await startRig();
    const base = customerCatalog();
    const catalog = {
      ...base,
      products: base.products.map((p) => (p.name === "mail-lite" ? { ...p, spec: { ...p.spec, pricing: { ...p.spec.pricing, EUR: { annually: "9.00" } } } } : p)),
    };
    const orgs = [
      customerOrg("euro-one", { client: { currency: "EUR" } }),
      customerOrg("euro-two", { client: { currency: "EUR" } }),
      customerOrg("dollar", { client: { currency: "USD" } }),
      // Created in the default currency (USD): its currency comes from its order too.
      customerOrg("plain"),
    ];
    const first = await rig.plan(catalog, orgs);
    expect((await rig.apply(first.plan, orgs, first.live)).ok).toBe(true);

    rig.whmcs.calls.reset();
    const again = await rig.plan(catalog, orgs);
    expect(hasChanges(again.plan)).toBe(false);
    const counts = rig.whmcs.calls.counts();
    expect(counts["getclientsdetails"] ?? 0).toBe(0);
    expect(counts["getorders"]).toBe(1);
    const currency = (name: string) => (again.plan.changes.find((c) => c.key === `CustomerOrg/${name}`)?.after as CustomerOrgState | undefined)?.billing.currency;
    expect([currency("euro-one"), currency("euro-two"), currency("dollar"), currency("plain")]).toEqual(["EUR", "EUR", "USD", "USD"]);
  });
});
