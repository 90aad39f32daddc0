import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Secret } from "../../src/core/secrets.js";
import { acceptOrder, addClient, addOrder, createWhmcsClient } from "../../src/providers/whmcs/index.js";
import { seedCatalog } from "../../src/sandbox/whmcs/index.js";
import { exampleProject, runCli, type Project } from "../cli/harness.js";

/**
 * policy.prune: an owned catalog object no manifest declares any more is retired (a product or
 * group hidden, a product also marked retired, an option group detached), never deleted; its
 * services are untouched, deleteShare caps it, and declaring it again brings it back.
 */
let project: Project | undefined;
afterEach(async () => {
  await project?.close();
  project = undefined;
});

interface PlanJson {
  readonly summary: Record<string, number>;
  readonly changes: readonly { kind: string; key: string; action: string; diffs: { path: string; before: unknown; after: unknown }[]; impact: { retire?: { activeServices: number | null }; notes?: string[] } }[];
  readonly unmanaged: readonly { kind: string; name: string; reason: string; note?: string }[];
}

/** The config's policy section replaced; manifests: the catalog only. */
function setPolicy(dir: string, policy: string): void {
  const cfg = join(dir, "reconcile.yaml");
  writeFileSync(
    cfg,
    readFileSync(cfg, "utf8")
      .replace('manifests: ["catalog/**/*.yaml", "customers/**/*.yaml"]', 'manifests: ["catalog/**/*.yaml"]')
      .replace(/\npolicy:\n(  .*\n)+/, `\npolicy:\n${policy}`),
  );
}

/** Removes one `---`-separated document naming `name` from a manifest file; returns the file as it was. */
function removeDoc(file: string, name: string): string {
  const text = readFileSync(file, "utf8");
  const docs = text.split(/\n---\n/);
  writeFileSync(file, docs.filter((d) => !d.includes(`metadata: { name: ${name} }`)).join("\n---\n"));
  return text;
}

/** The examples' catalog against a WHMCS with USD and EUR and nothing else; no customer manifests. */
async function freshProject(): Promise<Project> {
  const p = await exampleProject({ seed: false });
  await seedCatalog(p.sandbox.store, { currencies: [{ code: "EUR", prefix: "€", suffix: " EUR", rate: "0.92" }] });
  rmSync(join(p.dir, "customers"), { recursive: true, force: true });
  return p;
}

async function applied(p: Project): Promise<void> {
  const r = await runCli(p.dir, ["--yes"], { env: p.env });
  expect(r.code, r.stdout + r.stderr).toBe(0);
}

async function planJson(p: Project, code = 0): Promise<PlanJson> {
  const r = await runCli(p.dir, ["plan", "-f", "json"], { env: p.env });
  expect(r.code, r.stderr).toBe(code);
  return JSON.parse(r.stdout) as PlanJson;
}

async function premiumRow(p: Project) {
  const rows = await p.sandbox.store.select("tblproducts", { name: "Zoho Mail Premium" });
  expect(rows).toHaveLength(1);
  return rows[0] as Record<string, unknown>;
}

describe("retiring catalog objects (policy.prune)", () => {
  it("prune off: orphaned, still orderable; prune on: hidden and retired, services untouched, capped by deleteShare; declared again: back", async () => {
    const p = (project = await freshProject());
    setPolicy(p.dir, "  prune: { ProductGroup: false, Product: false, ConfigOptionGroup: false, CustomerOrg: false }\n  thresholds: { minExisting: 1, deleteShare: 0.1 }\n");
    await applied(p);

    // A customer on Zoho Mail Premium.
    const api = createWhmcsClient({ url: p.sandbox.url, identifier: new Secret(p.env["WHMCS_API_IDENTIFIER"] as string, "t"), secret: new Secret(p.env["WHMCS_API_SECRET"] as string, "t") });
    const { clientId } = await addClient(api, { firstName: "Ada", lastName: "L", email: "it@acme.example", address1: "1 Main St", city: "London", state: "London", postcode: "EC1A 1AA", country: "GB", phoneNumber: "+44.1" });
    const pid = String((await premiumRow(p))["id"]);
    const order = await addOrder(api, { clientId, paymentMethod: "banktransfer", items: [{ productId: pid, billingCycle: "annually", domain: "acme.example" }] });
    await acceptOrder(api, order.orderId, { autoSetup: false });
    const serviceBefore = await p.sandbox.store.select("tblhosting");

    // The product's manifest (and its option group's) removed.
    const products = join(p.dir, "catalog", "products.yaml");
    const options = join(p.dir, "catalog", "options.yaml");
    const productsText = removeDoc(products, "mail-premium");
    const optionsText = removeDoc(options, "mail-premium-options");

    const off = await planJson(p);
    expect(off.changes.filter((c) => c.action !== "noop")).toEqual([]);
    const orphan = off.unmanaged.find((u) => u.kind === "Product" && u.name === "Zoho Mail Premium");
    expect(orphan).toMatchObject({ reason: "orphaned" });
    expect(orphan?.note).toMatch(/^orphaned, still orderable: .*policy\.prune\.Product.*1 active service/);

    setPolicy(p.dir, "  prune: { Product: true, ConfigOptionGroup: true }\n  thresholds: { minExisting: 1, deleteShare: 0.1 }\n");
    const on = await planJson(p, 4); // a dry run shows the plan and says the policy refuses it
    const retire = on.changes.filter((c) => c.action === "retire");
    expect(retire.map((c) => c.key).sort()).toEqual(["ConfigOptionGroup/mail-premium-options", "Product/mail-premium"]);
    const product = retire.find((c) => c.kind === "Product");
    expect(product?.impact.retire).toEqual({ activeServices: 1 });
    expect(product?.diffs.map((d) => d.path).sort()).toEqual(["configOptionGroups", "hidden", "retired"]);
    expect(on.summary["retire"]).toBe(2);
    expect(on.unmanaged.filter((u) => u.name === "Zoho Mail Premium")).toEqual([]);

    // Two of eight managed objects: over deleteShare 0.1, refused with exit 4.
    const refused = await runCli(p.dir, ["--yes"], { env: p.env });
    expect(refused.code).toBe(4);
    expect(refused.stderr + refused.stdout).toContain("would be retired (25.0 %), over the limit of 10.0 % (policy.thresholds.deleteShare)");
    expect((await premiumRow(p))["hidden"]).toBe(0);

    setPolicy(p.dir, "  prune: { Product: true, ConfigOptionGroup: true }\n  thresholds: { minExisting: 1, deleteShare: 0.5 }\n");
    await applied(p);
    const row = await premiumRow(p);
    expect([row["hidden"], row["retired"]]).toEqual([1, 1]);
    expect(await p.sandbox.store.count("tblproducts", { name: "Zoho Mail Premium" })).toBe(1);
    expect(await p.sandbox.store.count("tblproductconfiglinks", { pid: Number(pid) })).toBe(0);
    expect(await p.sandbox.store.count("tblproductconfiggroups", { name: "Mail Premium options" })).toBe(1);
    expect(await p.sandbox.store.select("tblhosting")).toEqual(serviceBefore);
    // Read back through the API: the companion's catalog read says hidden.
    const again = await planJson(p);
    expect(again.changes.filter((c) => c.action !== "noop")).toEqual([]);
    expect(again.unmanaged.find((u) => u.name === "Zoho Mail Premium")?.note).toMatch(/^retired \(hidden, never deleted\); 1 active service/);

    // Declared again: shown, no longer retired, linked again.
    writeFileSync(products, productsText);
    writeFileSync(options, optionsText);
    const back = await planJson(p);
    const c = back.changes.find((x) => x.key === "Product/mail-premium");
    expect(c?.action).toBe("update");
    expect(c?.diffs.map((d) => d.path).sort()).toEqual(["configOptionGroups", "hidden", "retired"]);
    await applied(p);
    const restored = await premiumRow(p);
    expect([restored["hidden"], restored["retired"]]).toEqual([0, 0]);
    expect((await runCli(p.dir, ["plan", "--detailed-exitcode"], { env: p.env })).code).toBe(0);
  });

  it("never retires when the manifests declare no catalog at all (the empty-desired guard)", async () => {
    const p = (project = await freshProject());
    setPolicy(p.dir, "  prune: { ProductGroup: true, Product: true, ConfigOptionGroup: true }\n");
    await applied(p);
    rmSync(join(p.dir, "catalog"), { recursive: true, force: true });
    mkdirSync(join(p.dir, "catalog"));
    writeFileSync(join(p.dir, "catalog", "empty.yaml"), "# the catalog moved elsewhere\n");
    const r = await runCli(p.dir, ["--yes", "--force"], { env: p.env });
    expect(r.code).toBe(4);
    expect(r.stderr + r.stdout).toContain("the manifests declare no catalog resource");
    expect((await premiumRow(p))["hidden"]).toBe(0);
  });

  it("never changes a protected object", async () => {
    const p = (project = await freshProject());
    setPolicy(p.dir, "  prune: {}\n");
    await applied(p);
    removeDoc(join(p.dir, "catalog", "products.yaml"), "mail-premium");
    setPolicy(p.dir, '  prune: { Product: true }\n  protect: ["Product/mail-premium"]\n');
    const r = await runCli(p.dir, ["--yes", "--force"], { env: p.env });
    expect(r.code).toBe(4);
    expect(r.stderr + r.stdout).toContain("Product/mail-premium is protected (policy.protect) but the plan would retire it");
  });
});
