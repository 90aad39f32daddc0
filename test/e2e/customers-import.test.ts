import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Secret } from "../../src/core/secrets.js";
import { acceptOrder, addClient, addOrder, createWhmcsClient, type WhmcsClient } from "../../src/providers/whmcs/index.js";
import { seedCatalog, type SeedCatalog, type SeededCatalog } from "../../src/sandbox/whmcs/index.js";
import { completeRow } from "../../src/sandbox/whmcs/rows.js";
import type { SeedPlan } from "../../src/sandbox/zoho/state.js";
import { exampleProject, runCli, type Project } from "../cli/harness.js";

/**
 * A reseller's whole book, brought in: a WHMCS that sells Zoho Mail the way Zoho's own module
 * leaves it (services ordered and accepted in WHMCS, Zoho orgs created in Zoho and upgraded by
 * hand, the module's zoho_mail table filled, no ZOID custom field anywhere: the products do not
 * even have the field). `reconcile import --customers` writes the catalog and one CustomerOrg per
 * service; planning it adopts everything and changes no billing field, applying it writes only the
 * ownership records, and the three services that cannot be adopted as they are are reported.
 */
const CUSTOMERS = 200;
const WHMCS_PAGE = 250; // the customer read's default limitnum
const ZOHO_PAGE = 200; // the Zoho sandbox's org listing page

const SEED: SeedCatalog = {
  currencies: [{ code: "EUR", prefix: "€", suffix: " EUR", rate: "0.92" }],
  groups: [{ ref: "email", name: "Business Email", headline: "Email on your own domain", tagline: "Powered by Zoho Mail", order: 1 }],
  configGroups: [
    {
      ref: "lite",
      name: "Mail Lite options",
      description: "Mailboxes for Zoho Mail Lite",
      options: [{ name: "mailboxes|Mailboxes", type: "quantity", min: 1, max: 0, choices: [{ name: "Mailbox", pricing: { USD: { annually: "12.00" }, EUR: { annually: "11.40" } } }] }],
    },
    {
      ref: "premium",
      name: "Mail Premium options",
      description: "Mailboxes for Zoho Mail Premium",
      options: [{ name: "mailboxes|Mailboxes", type: "quantity", min: 1, max: 0, choices: [{ name: "Mailbox", pricing: { USD: { annually: "48.00" }, EUR: { annually: "45.60" } } }] }],
    },
    {
      ref: "workplace",
      name: "Workplace options",
      description: "Users and storage",
      options: [
        { name: "mailboxes|Users", type: "quantity", min: 1, max: 500, choices: [{ name: "User", pricing: { USD: { monthly: "3.00", annually: "36.00" }, EUR: { monthly: "2.85", annually: "34.20" } } }] },
        {
          name: "storage|Extra storage",
          type: "dropdown",
          choices: [
            { name: "none|No extra storage", order: 1 },
            { name: "50gb|50 GB per user", order: 2, pricing: { USD: { monthly: "1.00", annually: "12.00" }, EUR: { monthly: "0.95", annually: "11.40" } } },
          ],
        },
      ],
    },
  ],
  products: [
    { ref: "lite", group: "email", name: "Zoho Mail Lite", type: "other", payType: "recurring", module: "zoho_mail", configGroups: ["lite"], pricing: { USD: { annually: "0.00" }, EUR: { annually: "0.00" } } },
    { ref: "premium", group: "email", name: "Zoho Mail Premium", type: "other", payType: "recurring", module: "zoho_mail", configGroups: ["premium"], pricing: { USD: { annually: "0.00" }, EUR: { annually: "0.00" } } },
    {
      ref: "workplace",
      group: "email",
      name: "Zoho Workplace Standard",
      type: "other",
      payType: "recurring",
      module: "zoho_mail",
      configGroups: ["workplace"],
      pricing: { USD: { monthly: "0.00", annually: "0.00" }, EUR: { monthly: "0.00", annually: "0.00" } },
    },
  ],
};

type ProductRef = "lite" | "premium" | "workplace";
const PLAN_IDS: Readonly<Record<ProductRef, { planId: number; addon: number }>> = {
  lite: { planId: 17033, addon: 17083 },
  premium: { planId: 17035, addon: 10792 },
  workplace: { planId: 10730, addon: 10779 },
};

interface Customer {
  readonly n: number;
  readonly domain: string;
  readonly product: ProductRef;
  readonly cycle: "monthly" | "annually";
  readonly mailboxes: number;
  readonly zoho: "paid" | "trial" | "free" | "none";
  /** Licences bought at Zoho, when they differ from the mailboxes. */
  readonly licences?: number;
  readonly storage?: "none" | "50gb";
  readonly currency?: "EUR";
  /** A second service for the same domain, ordered by mistake. */
  readonly twice?: boolean;
}

/** 200 customers over 3 products, both cycles, trial and free among them, one paying in EUR; three that cannot be adopted. */
function book(): Customer[] {
  return Array.from({ length: CUSTOMERS }, (_, n): Customer => {
    const domain = `c${String(n).padStart(3, "0")}.example`;
    const product: ProductRef = (["lite", "premium", "workplace"] as const)[n % 3] as ProductRef;
    const monthly = product === "workplace" && n % 2 === 0;
    const base: Customer = {
      n,
      domain,
      product,
      cycle: monthly ? "monthly" : "annually",
      mailboxes: 1 + (n % 4),
      zoho: n % 10 === 1 ? "free" : n % 10 === 8 && product === "workplace" ? "trial" : "paid",
      ...(product === "workplace" ? { storage: n % 4 === 0 ? "50gb" : "none" } : {}),
      ...(n === 42 ? { currency: "EUR" as const } : {}),
    };
    if (n === 7) return { ...base, zoho: "none" }; // the module's Create was never clicked
    if (n === 13) return { ...base, zoho: "paid", licences: base.mailboxes + 2 }; // licences bought by hand at Zoho
    if (n === 17) return { ...base, zoho: "paid", twice: true };
    return base;
  });
}

let project: Project;
let api: WhmcsClient;
let seeded: SeededCatalog;
const customers = book();

async function seedCustomers(): Promise<{ services: number; clients: number }> {
  const eur = String((await project.sandbox.store.select("tblcurrencies", { code: "EUR" }))[0]?.["id"]);
  const mailboxesOf = (p: ProductRef): number => {
    const g = seeded.configGroups[p];
    const o = Object.entries(g?.options ?? {}).find(([k]) => k.startsWith("mailboxes"));
    return o?.[1].id as number;
  };
  const storage = Object.entries(seeded.configGroups["workplace"]?.options ?? {}).find(([k]) => k.startsWith("storage"))?.[1];
  let services = 0;
  for (const c of customers) {
    const { clientId } = await addClient(api, {
      firstName: "Ada",
      lastName: `Customer ${c.n}`,
      companyName: `Company ${c.n} Ltd`,
      email: `it@${c.domain}`,
      address1: `${c.n} Main St`,
      city: "London",
      state: "London",
      postcode: "EC1A 1AA",
      country: "GB",
      phoneNumber: "+44.2071234567",
      ...(c.currency === "EUR" ? { currencyId: eur } : {}),
      noEmail: true,
    });
    const configOptions: Record<string, number> = { [String(mailboxesOf(c.product))]: c.mailboxes };
    if (c.storage !== undefined && storage !== undefined) {
      const choice = Object.entries(storage.choices).find(([k]) => k.startsWith(c.storage as string))?.[1] as number;
      configOptions[String(storage.id)] = choice;
    }
    const item = {
      productId: String(seeded.products[c.product]),
      billingCycle: c.cycle,
      domain: c.domain,
      configOptions,
      ...(c.zoho === "free" || c.zoho === "trial" ? { priceOverride: "0.00" } : {}),
    };
    const order = await addOrder(api, { clientId, paymentMethod: "banktransfer", items: c.twice === true ? [item, item] : [item], noEmail: true });
    await acceptOrder(api, order.orderId, { autoSetup: false, sendEmail: false });
    services += order.serviceIds.length;
    if (c.zoho === "none") continue;
    const plan: SeedPlan =
      c.zoho === "free"
        ? { type: "free" }
        : c.zoho === "trial"
          ? { type: "trial", trial: "basicTrial" }
          : { type: "paid", planId: PLAN_IDS[c.product].planId, period: c.cycle === "monthly" ? "MONT" : "YEAR", addons: [{ id: PLAN_IDS[c.product].addon, count: c.licences ?? c.mailboxes }] };
    const zoid = project.zoho.state.addOrg({ domain: c.domain, email: `it@${c.domain}`, firstName: "Ada", lastName: `Customer ${c.n}`, verified: true, plan });
    // The module's own table, as its Create Account button leaves it.
    await project.sandbox.store.insert(
      "zoho_mail",
      completeRow("zoho_mail", { domain: c.domain, zoid, superAdmin: `it@${c.domain}`, isverified: "true", url: `https://mailadmin.zoho.com/cpanel/home.do?zaaid=${zoid}#dashboard` }),
    );
  }
  return { services, clients: customers.length };
}

interface PlanJson {
  readonly summary: Record<string, number>;
  readonly changes: readonly { kind: string; key: string; action: string; diffs: { path: string; before: unknown; after: unknown }[]; impact: { billing?: { mrrDelta: string }; licenceDeltas?: unknown } }[];
  readonly unmanaged: readonly { kind: string; name: string; reason: string; note?: string; billing?: unknown; licences?: unknown }[];
  readonly totals?: { mrr: Record<string, string>; licences: Record<string, number>; customers: number };
}

const pages = (n: number, size: number): number => Math.ceil(n / size);
let seededCounts: { services: number; clients: number };

beforeAll(async () => {
  project = await exampleProject({ seed: false });
  seeded = await seedCatalog(project.sandbox.store, SEED);
  api = createWhmcsClient({
    url: project.sandbox.url,
    identifier: new Secret(project.env["WHMCS_API_IDENTIFIER"] as string, "test"),
    secret: new Secret(project.env["WHMCS_API_SECRET"] as string, "test"),
  });
  seededCounts = await seedCustomers();
  // A repository that starts from the import alone.
  rmSync(join(project.dir, "catalog"), { recursive: true, force: true });
  rmSync(join(project.dir, "customers"), { recursive: true, force: true });
  const cfg = join(project.dir, "reconcile.yaml");
  writeFileSync(cfg, readFileSync(cfg, "utf8").replace('manifests: ["catalog/**/*.yaml", "customers/**/*.yaml"]', 'manifests: ["imported/*.yaml", "imported/customers/*.yaml"]'));
}, 300_000);

afterAll(async () => {
  await project?.close();
});

describe("reconcile import --customers: a reseller's whole book", () => {
  let importOut = "";

  it("reads in bulk, writes nothing to WHMCS or Zoho, and writes one manifest per customer", async () => {
    project.sandbox.calls.reset();
    project.zoho.calls.reset();
    const r = await runCli(project.dir, ["import", "--customers", "--out", "imported"], { env: project.env });
    expect(r.code, r.stderr).toBe(0);
    importOut = r.stdout;
    expect(r.stdout).toContain("1 product group(s), 3 option group(s), 3 product(s) and 197 customer org(s)");
    // Three customers, four services (c017 has two).
    expect(r.stdout).toContain("4 service(s) could not be adopted as they are");

    // Calls: 1 catalog read + client and service pages + Zoho's listings, plus one
    // GetClientsDetails per client of a service in use (address, phone and currency are in no list).
    const perProduct = [0, 1, 2].map((k) => customers.filter((c) => c.n % 3 === k).length + (k === 17 % 3 ? 1 : 0));
    const whmcs = project.sandbox.calls.counts();
    expect(whmcs).toEqual({
      reconcilegetcatalog: 1,
      getclients: pages(seededCounts.clients, WHMCS_PAGE),
      getclientsproducts: perProduct.reduce((n, k) => n + pages(k, WHMCS_PAGE), 0),
      getclientsdetails: seededCounts.clients,
      // The clients' currencies (the sandbox has USD and EUR): one page of orders.
      getorders: 1,
    });
    const orgs = project.zoho.state.orgs().length;
    const paid = customers.filter((c) => c.zoho === "paid").length;
    expect(project.zoho.calls.byEndpoint).toEqual({
      "accounts.token": 1,
      "mail.listCustomerOrgs": pages(orgs, ZOHO_PAGE) + 1,
      "store.listSubscriptions": pages(paid, ZOHO_PAGE),
    });
    const bulk = whmcs["reconcilegetcatalog"]! + whmcs["getclients"]! + whmcs["getclientsproducts"]! + project.zoho.calls.total;
    // About 1 + ⌈services/page⌉ + ⌈orgs/page⌉: here 1 + 1 + 3 (one listing per product) + token + 2 + 1 org and subscription pages.
    expect(bulk).toBeLessThanOrEqual(10);
  });

  it("names files after the domain and reports the three services that cannot be adopted, with what differs", () => {
    const files = readdirSync(join(project.dir, "imported", "customers")).sort();
    expect(files).toHaveLength(CUSTOMERS + 1); // c017 has two services: one file each
    expect(files).toContain("c000-example.yaml");
    const eur = readFileSync(join(project.dir, "imported", "customers", "c042-example.yaml"), "utf8");
    expect(eur).toContain("currency: EUR");
    expect(readFileSync(join(project.dir, "imported", "products.yaml"), "utf8")).toMatch(/zoho:\n\s+plan: workplace-standard/);

    const report = readFileSync(join(project.dir, "imported", "import-report.txt"), "utf8");
    expect(report).toContain("no Zoho org for c007.example in this partner's account");
    expect(report).toMatch(/Zoho has 4 licences, WHMCS bills 2 mailboxes/);
    expect(report).toContain("2 services in use on zoho_mail products share the domain c017.example");
    const skipped = readFileSync(join(project.dir, "imported", "customers", "c007-example.yaml"), "utf8");
    expect(skipped.split("\n").every((l) => l === "" || l.startsWith("#"))).toBe(true);
    expect(skipped).toContain("# NOT IMPORTED");
    expect(importOut).toContain("import-report.txt");
  });

  it("plans: adopts every org, no billing change, only the ownership records; apply; then nothing is left", async () => {
    const planned = await runCli(project.dir, ["plan", "-f", "json"], { env: project.env });
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(planned.stdout) as PlanJson;
    const orgs = plan.changes.filter((c) => c.kind === "CustomerOrg");
    expect(orgs).toHaveLength(197);
    for (const c of orgs) {
      expect(c.action, c.key).toBe("adopt");
      expect(c.diffs.map((d) => d.path).filter((p) => !p.startsWith("records.")), c.key).toEqual([]);
      expect(c.impact.billing?.mrrDelta ?? "0.00", c.key).toBe("0.00");
      expect(c.impact.licenceDeltas, c.key).toBeUndefined();
    }
    for (const c of plan.changes.filter((x) => x.kind !== "CustomerOrg")) {
      expect(["adopt", "noop", "update"], c.key).toContain(c.action);
      // The record fields the tool adds to managed products, and display order the manifest language numbers from 0.
      expect(c.diffs.filter((d) => d.path !== "recordFields" && !d.path.endsWith(".order")).map((d) => `${c.key} ${d.path}`)).toEqual([]);
    }
    expect(Object.values(plan.totals?.mrr ?? {}).every((m) => /^[+-]?0\.00$/.test(m))).toBe(true);
    expect(plan.totals?.licences).toEqual({});
    expect(plan.totals?.customers).toBe(0);
    expect(plan.unmanaged.filter((u) => u.kind === "CustomerOrg").map((u) => u.name).sort()).toEqual(
      ["c007.example", "c013.example", "c013.example (Zoho org)", "c017.example", "c017.example", "c017.example (Zoho org)"].sort(),
    );

    const amountsBefore = await project.sandbox.store.select("tblhosting");
    const zohoWrites = (): number =>
      Object.entries(project.zoho.calls.byEndpoint)
        .filter(([e]) => /\.(createOrg|enableTrial|extendTrial|addDomain|updateDomain|deleteDomain|addUser|createSubscription|updateSubscription|cancelSubscription)$/.test(e))
        .reduce((n, [, k]) => n + k, 0);
    project.zoho.calls.reset();
    const applied = await runCli(project.dir, ["--yes"], { env: project.env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(zohoWrites()).toBe(0);
    const amountsAfter = await project.sandbox.store.select("tblhosting");
    const billed = (rows: readonly Record<string, unknown>[]) => rows.map((r) => [r["id"], r["domain"], r["amount"], r["billingcycle"], r["domainstatus"], r["packageid"]]);
    expect(billed(amountsAfter)).toEqual(billed(amountsBefore));

    const again = await runCli(project.dir, ["plan", "--detailed-exitcode"], { env: project.env });
    expect(again.code, again.stdout).toBe(0);
  });

  it("a customer whose manifest is removed is never pruned: orphaned, with what it still bills and costs", async () => {
    rmSync(join(project.dir, "imported", "customers", "c000-example.yaml"));
    const cfg = join(project.dir, "reconcile.yaml");
    writeFileSync(cfg, readFileSync(cfg, "utf8").replace(/prune: \{[^}]*\}/, "prune: { ProductGroup: true, Product: true, ConfigOptionGroup: true, CustomerOrg: true }"));
    const r = await runCli(project.dir, ["plan", "-f", "json", "--detailed-exitcode"], { env: project.env });
    expect(r.code, r.stderr).toBe(0); // no change at all
    const plan = JSON.parse(r.stdout) as PlanJson;
    const orphan = plan.unmanaged.find((u) => u.name === "c000.example");
    // With several WHMCS currencies, every client's currency comes from its orders, undeclared ones too.
    expect(orphan).toMatchObject({ reason: "orphaned", billing: { currency: "USD", recurringAmount: "12.00", cycle: "annually", mrr: "1.00" }, licences: 1 });
    expect(orphan?.note).toContain("declare it with status: terminated");
    expect(orphan?.note).toContain("WHMCS still bills 12.00 USD annually (1.00 a month) and Zoho charges the partner for 1 licence(s)");
    writeFileSync(cfg, readFileSync(cfg, "utf8").replace(/prune: \{[^}]*\}/, "prune: { ProductGroup: false, Product: false, ConfigOptionGroup: false, CustomerOrg: false }"));
  });

  it("imports again to the same names, and per product with --layout grouped", async () => {
    const r = await runCli(project.dir, ["import", "--customers", "--out", "again", "--layout", "grouped", "--products", "zoho-mail-lite,Zoho Workplace Standard"], { env: project.env });
    expect(r.code, r.stderr).toBe(0);
    const files = readdirSync(join(project.dir, "again", "customers")).sort();
    expect(files).toEqual(["zoho-mail-lite.yaml", "zoho-workplace-standard.yaml"]);
    const lite = readFileSync(join(project.dir, "again", "customers", "zoho-mail-lite.yaml"), "utf8");
    expect(lite).toContain("name: c000-example");
    expect(lite).not.toContain("c001.example"); // premium
    expect(existsSync(join(project.dir, "again", "import-report.txt"))).toBe(true);
  });
});
