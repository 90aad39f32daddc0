import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/canonical.js";
import type { LoadedProject } from "../../src/manifest/index.js";
import { DEFAULT_ZOHO_PLANS, loadConfig, loadProject } from "../../src/manifest/index.js";
import { FIXTURES } from "./projects.js";

const realistic = join(FIXTURES, "valid", "realistic");
const file = (name: string): string => join(realistic, name);
const at = (name: string, line: number): { file: string; line: number; col: number } => ({ file: file(name), line, col: 1 });

const acmeClient = {
  email: "it@acme.example",
  firstName: "Ada",
  lastName: "Lovelace",
  company: "Acme Ltd",
  address: { line1: "1 Main St", line2: "", city: "London", state: "London", postcode: "EC1A 1AA", country: "GB" },
  phone: "+44.2071234567",
  currency: null,
};

const expected: LoadedProject = {
  config: {
    file: file("reconcile.yaml"),
    dir: realistic,
    manifests: ["catalog/**/*.yaml", "customers/*.yaml", "customers/acme.yaml", "!catalog/drafts/**"],
    whmcs: {
      url: "https://billing.example.com/whmcs",
      identifier: { env: "WHMCS_API_IDENTIFIER" },
      secret: { env: "WHMCS_API_SECRET" },
      accessKey: { env: "WHMCS_API_ACCESS_KEY" },
      catalogBackend: "db",
      database: { url: "mysql://whmcs@db.internal:3306/whmcs", password: { env: "WHMCS_DB_PASSWORD" } },
      paymentMethod: "banktransfer",
      orders: { invoice: true, emails: false },
    },
    zoho: {
      region: "eu",
      clientId: { env: "ZOHO_CLIENT_ID" },
      clientSecret: { env: "ZOHO_CLIENT_SECRET" },
      refreshToken: { env: "ZOHO_REFRESH_TOKEN" },
      accountsServer: "https://accounts.zoho.eu",
      plans: {
        "mail-lite": { planId: 17033, userAddonId: 17083, payPeriods: ["yearly"], maxUsers: 1000, trials: [] },
        "workplace-standard": { planId: 10730, userAddonId: 10779, payPeriods: ["monthly", "yearly"], storeName: "Workplace Standard", trials: ["basicTrial"] },
      },
    },
    policy: {
      prune: { ProductGroup: false, ConfigOptionGroup: false, Product: true, CustomerOrg: false },
      protect: ["Product/legacy-mail", "ProductGroup/archive"],
      thresholds: { updateShare: 0.2, deleteShare: 0.3, minExisting: 10, mrrDelta: { EUR: "250.50", USD: "500.00" }, customers: 50, licencesDelta: undefined },
      reprice: "none",
    },
    intake: { requirePaid: true, dir: "customers" },
    source: at("reconcile.yaml", 2),
  },
  catalog: {
    productGroups: [
      {
        kind: "ProductGroup",
        name: "archive",
        key: "ProductGroup/archive",
        spec: { name: "Archive", headline: "", tagline: "", hidden: true, order: 0 },
        source: at("catalog/groups.yaml", 13),
      },
      {
        kind: "ProductGroup",
        name: "business-email",
        key: "ProductGroup/business-email",
        spec: { name: "Business Email", headline: "Email on your own domain", tagline: "Powered by Zoho Mail", hidden: false, order: 1 },
        source: at("catalog/groups.yaml", 2),
      },
    ],
    configOptionGroups: [
      {
        kind: "ConfigOptionGroup",
        name: "mail-lite-options",
        key: "ConfigOptionGroup/mail-lite-options",
        spec: {
          name: "Mail Lite options",
          description: "",
          options: [
            {
              key: "mailboxes",
              label: "Mailboxes",
              type: "quantity",
              min: 0,
              max: 0,
              hidden: false,
              choices: [{ key: "", label: "Mailboxes", hidden: false, pricing: {} }],
            },
            {
              key: "region",
              label: "Data centre",
              type: "radio",
              min: 0,
              max: 0,
              hidden: false,
              choices: [
                { key: "eu", label: "Europe", hidden: false, pricing: {} },
                { key: "us", label: "United States", hidden: false, pricing: {} },
              ],
            },
          ],
        },
        source: at("catalog/options.yaml", 35),
      },
      {
        kind: "ConfigOptionGroup",
        name: "workplace-options",
        key: "ConfigOptionGroup/workplace-options",
        spec: {
          name: "Workplace options",
          description: "Users, storage and backup",
          options: [
            {
              key: "users",
              label: "Users",
              type: "quantity",
              min: 1,
              max: 300,
              hidden: false,
              choices: [
                {
                  key: "",
                  label: "User",
                  hidden: false,
                  pricing: { EUR: { annually: "34.20", monthly: "2.85" }, USD: { annually: "36.00", monthly: "3.00" } },
                },
              ],
            },
            {
              key: "storage",
              label: "Extra storage",
              type: "dropdown",
              min: 0,
              max: 0,
              hidden: false,
              choices: [
                { key: "none", label: "No extra storage", hidden: false, pricing: {} },
                { key: "50gb", label: "50 GB per user", hidden: false, pricing: { USD: { annually: "36.00", monthly: "3.00" } } },
                { key: "10gb", label: "10 GB per user", hidden: true, pricing: {} },
              ],
            },
            {
              key: "backup",
              label: "Daily backup",
              type: "yesno",
              min: 0,
              max: 0,
              hidden: true,
              choices: [{ key: "", label: "Daily backup", hidden: false, pricing: { USD: { monthly: "1.00", msetupfee: "5.00" } } }],
            },
          ],
        },
        source: at("catalog/options.yaml", 2),
      },
    ],
    products: [
      {
        kind: "Product",
        name: "mail-free",
        key: "Product/mail-free",
        spec: {
          group: "archive",
          name: "Zoho Mail Free",
          description: "",
          type: "other",
          payType: "free",
          hidden: true,
          module: "zoho_mail",
          zoho: undefined,
          configOptionGroups: [],
          pricing: {},
        },
        source: at("catalog/products.yaml", 40),
      },
      {
        kind: "Product",
        name: "mail-lite",
        key: "Product/mail-lite",
        spec: {
          group: "business-email",
          name: "Zoho Mail Lite",
          description: "",
          type: "hostingaccount",
          payType: "recurring",
          hidden: false,
          module: "zoho_mail",
          zoho: { plan: "mail-lite" },
          configOptionGroups: ["mail-lite-options"],
          pricing: { USD: { annually: "12.00" } },
        },
        source: at("catalog/products.yaml", 15),
      },
      {
        kind: "Product",
        name: "migration",
        key: "Product/migration",
        spec: {
          group: "archive",
          name: "Mailbox migration",
          description: "",
          type: "other",
          payType: "onetime",
          hidden: false,
          module: "zoho_mail",
          zoho: undefined,
          configOptionGroups: [],
          // One-time prices live in the monthly column, their setup fee in msetupfee.
          pricing: { EUR: { monthly: "45.00" }, USD: { monthly: "49.99", msetupfee: "5.00" } },
        },
        source: at("catalog/products.yaml", 29),
      },
      {
        kind: "Product",
        name: "workplace-standard",
        key: "Product/workplace-standard",
        spec: {
          group: "business-email",
          name: "Zoho Workplace Standard",
          description: "Mail, WorkDrive and Cliq for your team.",
          type: "other",
          payType: "recurring",
          hidden: false,
          module: "zoho_mail",
          zoho: { plan: "workplace-standard" },
          configOptionGroups: ["mail-lite-options", "workplace-options"],
          pricing: {
            EUR: { monthly: "0.00", quarterly: "7.10" },
            USD: { annually: "0.00", asetupfee: "10.50", monthly: "0.00", msetupfee: "10.00" },
          },
        },
        source: at("catalog/products.yaml", 2),
      },
    ],
  },
  customerOrgs: [
    {
      kind: "CustomerOrg",
      name: "acme",
      key: "CustomerOrg/acme",
      spec: {
        client: acmeClient,
        domain: "acme.example",
        product: "mail-lite",
        billingCycle: "annually",
        mailboxes: 25,
        plan: { type: "paid", payPeriod: "yearly" },
        options: {},
        status: "active",
      },
      source: at("customers/acme.yaml", 2),
    },
    {
      kind: "CustomerOrg",
      name: "acme-labs",
      key: "CustomerOrg/acme-labs",
      spec: {
        client: acmeClient,
        domain: "labs.acme.example",
        product: "workplace-standard",
        billingCycle: "monthly",
        mailboxes: 3,
        plan: { type: "paid", payPeriod: "monthly" },
        options: {},
        status: "suspended",
      },
      source: at("customers/acme.yaml", 19),
    },
    {
      kind: "CustomerOrg",
      name: "globex",
      key: "CustomerOrg/globex",
      spec: {
        client: {
          email: "hank@globex.example",
          firstName: "Hank",
          lastName: "Scorpio",
          company: "",
          address: { line1: "1 Volcano Rd", line2: "Cypress Creek", city: "Springfield", state: "OR", postcode: "97475", country: "US" },
          phone: "+1.5550100",
          currency: null,
        },
        domain: "globex.example",
        product: "workplace-standard",
        billingCycle: "annually",
        mailboxes: 40,
        plan: { type: "trial", trialPlan: "basicTrial" },
        options: {},
        status: "active",
      },
      source: at("customers/globex.yaml", 2),
    },
    {
      kind: "CustomerOrg",
      name: "initech",
      key: "CustomerOrg/initech",
      spec: {
        client: {
          email: "bill@initech.example",
          firstName: "Bill",
          lastName: "Lumbergh",
          company: "Initech",
          address: { line1: "4120 Freidrich Ln", line2: "", city: "Austin", state: "TX", postcode: "78744", country: "US" },
          phone: "+1.5120100",
          currency: null,
        },
        domain: "initech.example",
        product: "migration",
        billingCycle: "onetime",
        mailboxes: 1,
        plan: { type: "free" },
        options: {},
        status: "terminated",
      },
      source: at("customers/globex.yaml", 18),
    },
  ],
  files: ["catalog/groups.yaml", "catalog/options.yaml", "catalog/products.yaml", "customers/acme.yaml", "customers/globex.yaml"].map(file),
};

describe("valid projects", () => {
  it("normalises a realistic project into the expected desired state", async () => {
    const project = await loadProject(file("reconcile.yaml"));
    // Field positions are checked on their own below; the desired state is everything else.
    const withoutFields = { ...project, customerOrgs: project.customerOrgs.map(({ fields: _fields, ...r }) => r) };
    expect(withoutFields).toStrictEqual(expected);
    const acme = project.customerOrgs.find((o) => o.name === "acme");
    expect(acme?.fields?.["/spec/mailboxes"]).toMatchObject({ file: file("customers/acme.yaml"), line: 16 });
  });

  it("gives the same result byte for byte on every load", async () => {
    const a = await loadProject(file("reconcile.yaml"));
    const b = await loadProject(file("reconcile.yaml"));
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it("loads the config alone with loadConfig", async () => {
    expect(await loadConfig(file("reconcile.yaml"))).toStrictEqual(expected.config);
  });

  it("seeds zoho.plans with the reference defaults and applies policy defaults", async () => {
    const config = await loadConfig(join(FIXTURES, "valid", "minimal", "reconcile.yaml"));
    expect(config.zoho?.plans).toStrictEqual(DEFAULT_ZOHO_PLANS);
    expect(config.zoho?.plans["mail-lite"]).toStrictEqual({ planId: 17033, userAddonId: 17083, payPeriods: ["yearly"], trials: [] });
    expect(config.zoho?.plans["workplace-standard"]).toStrictEqual({ planId: 10730, userAddonId: 10779, payPeriods: ["monthly", "yearly"], trials: ["basicTrial"] });
    expect(config.whmcs.orders).toStrictEqual({ invoice: true, emails: false });
    expect(config.whmcs.url).toBe("http://127.0.0.1:8080");
    expect(config.whmcs.accessKey).toBeUndefined();
    expect(config.whmcs.database).toBeUndefined();
    expect(config.policy).toStrictEqual({
      prune: { ProductGroup: false, ConfigOptionGroup: false, Product: false, CustomerOrg: false },
      protect: [],
      thresholds: { updateShare: 0.3, deleteShare: 0.3, minExisting: 10, mrrDelta: {}, customers: 50, licencesDelta: undefined },
      reprice: "none",
    });
  });

  it("accepts the shipped examples", async () => {
    const examples = fileURLToPath(new URL("../../examples/reconcile.yaml", import.meta.url));
    const project = await loadProject(examples);
    expect(project.catalog.products.length).toBeGreaterThan(0);
    expect(project.files.length).toBeGreaterThan(0);
  });
});
