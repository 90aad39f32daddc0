import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { customerOrgManifest, orgNameOfDomain, orgNames } from "../../src/manifest/index.js";
import type { DesiredCustomerOrg } from "../../src/model/customer-org.js";

const ORG: DesiredCustomerOrg = {
  client: {
    email: "it@acme.example",
    firstName: "Ada",
    lastName: "Lovelace",
    company: "",
    address: { line1: "1 Main St", line2: "", city: "London", state: "London", postcode: "EC1A 1AA", country: "GB" },
    phone: "+44.2071234567",
    currency: "EUR",
  },
  domain: "acme.example",
  product: "mail-lite",
  billingCycle: "annually",
  mailboxes: 25,
  options: { storage: "50gb" },
  plan: { type: "paid", payPeriod: "yearly" },
  status: "active",
};

describe("customer org manifests", () => {
  it("names orgs after their domain, stably, resolving collisions by a hash of the domain", () => {
    expect(orgNameOfDomain("Acme.Example")).toBe("acme-example");
    expect(orgNameOfDomain("xn--bcher-kva.example")).toBe("xn--bcher-kva-example");
    const names = orgNames(["a.b-c.example", "a-b.c.example", "a-b-c.example", "z.example"]);
    expect(names.get("a-b-c.example")).toBe("a-b-c-example"); // first in code-unit order keeps the plain name
    expect(names.get("a-b.c.example")).toMatch(/^a-b-c-example-[0-9a-f]{6}$/);
    expect(names.get("a.b-c.example")).toMatch(/^a-b-c-example-[0-9a-f]{6}$/);
    expect(names.get("a.b-c.example")).not.toBe(names.get("a-b.c.example"));
    // The same domains in another order give the same names.
    expect(orgNames(["z.example", "a.b-c.example", "a-b-c.example", "a-b.c.example"])).toEqual(names);
    const long = `${"x".repeat(70)}.example`;
    expect(orgNameOfDomain(long).length).toBeLessThanOrEqual(63);
  });

  it("writes one document with comments, or the whole document commented out", () => {
    const text = customerOrgManifest("acme-example", ORG, { comments: ["WHMCS service #7"] });
    expect(text.startsWith("# WHMCS service #7\napiVersion: reconcile.zoho-whmcs/v1\nkind: CustomerOrg\n")).toBe(true);
    const doc = parse(text) as { metadata: { name: string }; spec: Record<string, unknown> };
    expect(doc.metadata.name).toBe("acme-example");
    expect(doc.spec).toMatchObject({
      client: { email: "it@acme.example", currency: "EUR", company: "", address: { line1: "1 Main St", country: "GB" }, phone: "+44.2071234567" },
      domain: "acme.example",
      product: "mail-lite",
      billingCycle: "annually",
      mailboxes: 25,
      options: { storage: "50gb" },
      plan: { type: "paid", payPeriod: "yearly" },
      status: "active",
    });
    expect((doc.spec["client"] as { address: Record<string, string> }).address["line2"]).toBeUndefined();
    const off = customerOrgManifest("acme-example", ORG, { comments: ["NOT IMPORTED: no Zoho org"], commentedOut: true });
    expect(off.split("\n").filter((l) => l !== "").every((l) => l.startsWith("#"))).toBe(true);
    expect(parse(off)).toBeNull();
  });
});
