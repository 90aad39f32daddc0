import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { WhmcsClient } from "../../src/providers/whmcs/index.js";
import { exampleProject, runCli, type Project } from "./harness.js";
import { pay, placeOrder, whmcsApi, type Placed, type StorefrontOrder } from "./storefront.js";

/**
 * Storefront orders, end to end in the sandboxes: five orders placed through the API as the WHMCS
 * cart places them (one unpaid, one flagged as fraud, three paid by paying their invoices). Intake
 * writes three manifests and lists the other two with why; planning them adopts the three Pending
 * services; apply provisions Zoho and accepts the orders, with no second order; the next plan has
 * nothing left to do.
 */

const STOREFRONT = ["CustomerOrg/alpha-example", "CustomerOrg/bravo-example", "CustomerOrg/charlie-example"];

interface JsonChange {
  readonly key: string;
  readonly action: string;
  readonly diffs: readonly { readonly path: string }[];
  readonly before: { readonly status: string; readonly mailboxes: number; readonly zoho: { readonly plan: { type: string; licenses?: number } | null } } | null;
  readonly after: { readonly status: string; readonly mailboxes: number };
  readonly impact: { readonly notes?: readonly string[]; readonly billing?: { readonly before: string | null; readonly after: string } };
}

async function planJson(p: Project): Promise<{ changes: JsonChange[] }> {
  const r = await runCli(p.dir, ["plan", "--format", "json", "--show-pii"], { env: p.env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { changes: JsonChange[] };
}

describe("reconcile intake: storefront orders become manifests", () => {
  let p: Project;
  let api: WhmcsClient;
  const placed = new Map<string, Placed>();
  let ordersBefore = 0;

  beforeAll(async () => {
    p = await exampleProject();
    api = whmcsApi(p);
    const applied = await runCli(p.dir, ["--yes"], { env: p.env });
    expect(applied.code, applied.stderr).toBe(0);
    const orders: StorefrontOrder[] = [
      { domain: "alpha.example", product: "Zoho Mail Lite", mailboxes: 5, cycle: "annually" },
      { domain: "bravo.example", product: "Zoho Mail Premium", mailboxes: 3, cycle: "annually", currency: "EUR" },
      { domain: "charlie.example", product: "Zoho Workplace Standard", mailboxes: 2, cycle: "monthly", storage: "50gb" },
      { domain: "delta.example", product: "Zoho Mail Lite", mailboxes: 4, cycle: "annually" },
      { domain: "echo.example", product: "Zoho Mail Lite", mailboxes: 9, cycle: "annually" },
    ];
    ordersBefore = (await p.sandbox.store.select("tblorders")).length;
    for (const o of orders) placed.set(o.domain, await placeOrder(p, api, o));
    for (const d of ["alpha.example", "bravo.example", "charlie.example"]) await pay(api, placed.get(d) as Placed);
    // delta stays unpaid; echo is paid, then flagged as fraud.
    await pay(api, placed.get("echo.example") as Placed);
    await api.call("FraudOrder", { orderid: placed.get("echo.example")?.orderId ?? "" }, { kind: "write" });
  });
  afterAll(async () => {
    await p.close();
  });

  it("writes a manifest per paid order and lists the unpaid and the fraud order with why", async () => {
    const r = await runCli(p.dir, ["intake"], { env: p.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Wrote 3 CustomerOrg manifest(s)");
    expect(r.stdout).toMatch(/delta\.example {2}order #\d+ .*: unpaid: invoice #\d+ is Unpaid \(intake\.requirePaid\)/);
    expect(r.stdout).toMatch(/echo\.example {2}order #\d+ .*flagged as fraud.*: WHMCS flags order #\d+ as fraud: never written/);
    const files = readdirSync(join(p.dir, "customers")).sort();
    expect(files).toEqual(["acme.yaml", "alpha-example.yaml", "bravo-example.yaml", "charlie-example.yaml", "globex.yaml"]);
    const alpha = readFileSync(join(p.dir, "customers", "alpha-example.yaml"), "utf8");
    expect(alpha).toMatch(new RegExp(`^# storefront order #${placed.get("alpha.example")?.orderId} \\(order number \\d+\\) of \\d{4}-\\d\\d-\\d\\d: USD 60\\.00, paid \\(invoice #\\d+\\)$`, "m"));
    expect(alpha).toContain("plan: paid on the product's Zoho plan mail-lite (the order names no plan)");
    const doc = parse(alpha) as { kind: string; spec: Record<string, unknown> };
    expect(doc.kind).toBe("CustomerOrg");
    expect(doc.spec).toMatchObject({ domain: "alpha.example", product: "mail-lite", billingCycle: "annually", mailboxes: 5, plan: { type: "paid", payPeriod: "yearly" }, status: "active" });
    const bravo = parse(readFileSync(join(p.dir, "customers", "bravo-example.yaml"), "utf8")) as { spec: { client: { currency: string } } };
    expect(bravo.spec.client.currency).toBe("EUR");
    const charlie = parse(readFileSync(join(p.dir, "customers", "charlie-example.yaml"), "utf8")) as { spec: Record<string, unknown> };
    expect(charlie.spec).toMatchObject({ product: "workplace-standard", billingCycle: "monthly", mailboxes: 2, options: { storage: "50gb" }, plan: { type: "paid", payPeriod: "monthly" } });
    // Nothing was written to WHMCS: the five orders are as they were.
    expect((await p.sandbox.store.select("tblorders", { status: "Pending" })).length).toBe(4);
    // A second run refuses to overwrite; the domains are declared now, so it has nothing new to write anyway.
    const again = await runCli(p.dir, ["intake"], { env: p.env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("3 order(s) on declared domains are left to the plan");
    expect(again.stdout).not.toContain("Wrote");
  });

  it("plans the three as adoptions of their Pending services, saying which order each accepts", async () => {
    const plan = await planJson(p);
    const orgs = plan.changes.filter((c) => STOREFRONT.includes(c.key));
    expect(orgs.map((c) => `${c.key}:${c.action}`).sort()).toEqual(["CustomerOrg/alpha-example:adopt", "CustomerOrg/bravo-example:adopt", "CustomerOrg/charlie-example:adopt"]);
    expect(plan.changes.filter((c) => c.action === "create")).toEqual([]);
    const alpha = orgs.find((c) => c.key === "CustomerOrg/alpha-example") as JsonChange;
    const id = placed.get("alpha.example")?.orderId ?? "";
    expect(alpha.impact.notes?.join("\n")).toMatch(new RegExp(`accepts storefront order #${id} \\(paid USD 60\\.00 on \\d{4}-\\d\\d-\\d\\d; AcceptOrder, no module call\\), no second order`));
    expect(alpha.impact.notes?.join("\n")).not.toContain("AddOrder");
    expect(alpha.before?.status).toBe("pending");
    expect(alpha.impact.billing).toMatchObject({ before: "60.00", after: "60.00" });
  });

  it("shows a manifest that differs from the order as a change, with what each bills", async () => {
    const file = join(p.dir, "customers", "alpha-example.yaml");
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace("mailboxes: 5", "mailboxes: 7"));
    try {
      const plan = await planJson(p);
      const alpha = plan.changes.find((c) => c.key === "CustomerOrg/alpha-example") as JsonChange;
      expect(alpha.action).toBe("adopt");
      expect(alpha.diffs.map((d) => d.path)).toContain("mailboxes");
      expect(alpha.impact.billing).toMatchObject({ before: "60.00", after: "84.00" });
      expect(alpha.impact.notes?.join("\n")).toContain(
        "the manifest differs from what the customer ordered (mailboxes 5 → 7): the order bills USD 60.00 annually, the manifest USD 84.00 annually",
      );
    } finally {
      writeFileSync(file, text);
    }
  });

  it("applies: Zoho provisioned, orders accepted, no second order; the next plan has no changes", async () => {
    const r = await runCli(p.dir, ["--yes"], { env: p.env });
    expect(r.code, r.stderr).toBe(0);
    for (const d of ["alpha.example", "bravo.example", "charlie.example"]) {
      const rows = await p.sandbox.store.select("tblhosting", { domain: d });
      expect(rows.map((s) => s["domainstatus"]), d).toEqual(["Active"]);
      const order = await p.sandbox.store.selectOne("tblorders", { id: Number(placed.get(d)?.orderId) });
      expect(order?.["status"]).toBe("Active");
    }
    // Exactly the five storefront orders were added: apply placed none.
    expect((await p.sandbox.store.select("tblorders")).length).toBe(ordersBefore + 5);
    expect((await p.sandbox.store.selectOne("tblhosting", { domain: "delta.example" }))?.["domainstatus"]).toBe("Pending");
    expect((await p.sandbox.store.selectOne("tblhosting", { domain: "echo.example" }))?.["domainstatus"]).toBe("Fraud");

    const next = await runCli(p.dir, ["plan", "--detailed-exitcode"], { env: p.env });
    expect(next.code, next.stdout + next.stderr).toBe(0);
    const plan = await planJson(p);
    for (const [name, mailboxes] of [["alpha-example", 5], ["bravo-example", 3], ["charlie-example", 2]] as const) {
      const c = plan.changes.find((x) => x.key === `CustomerOrg/${name}`) as JsonChange;
      expect(c.action, name).toBe("noop");
      expect(c.before?.zoho.plan).toMatchObject({ type: "paid", licenses: mailboxes });
      expect(c.before?.mailboxes).toBe(mailboxes);
    }
  });

  it("with requirePaid off, writes the unpaid order too, never the fraud one", async () => {
    const config = join(p.dir, "reconcile.yaml");
    const text = readFileSync(config, "utf8");
    writeFileSync(config, `${text}intake: { requirePaid: false, dir: intake }\n`);
    const r = await runCli(p.dir, ["intake"], { env: p.env });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(p.dir, "intake", "delta-example.yaml"))).toBe(true);
    expect(existsSync(join(p.dir, "intake", "echo-example.yaml"))).toBe(false);
    expect(r.stderr).toMatch(/intake\/delta-example\.yaml is matched by no manifests glob/);
    writeFileSync(config, text);
  });
});
