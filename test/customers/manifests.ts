import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProject, type LoadedProject } from "../../src/manifest/index.js";

/** One customer org as a test writes it; everything else is filled in by `orgDocument`. */
export interface OrgLine {
  readonly name: string;
  readonly product: "mail-lite" | "workplace-standard";
  readonly billingCycle: "monthly" | "annually";
  readonly mailboxes: number;
  readonly plan: { readonly type: "paid"; readonly payPeriod?: "monthly" | "yearly" } | { readonly type: "trial"; readonly trialPlan: "basicTrial" } | { readonly type: "free" };
  readonly status?: "active" | "suspended" | "terminated";
}

const CONFIG = `apiVersion: reconcile.zoho-whmcs/v1
kind: Config
manifests: ["catalog.yaml", "customers/*.yaml"]
whmcs:
  url: http://127.0.0.1:9
  identifier: \${env:WHMCS_API_IDENTIFIER}
  secret: \${env:WHMCS_API_SECRET}
  catalogBackend: companion
  paymentMethod: banktransfer
zoho:
  region: us
  clientId: \${env:ZOHO_CLIENT_ID}
  clientSecret: \${env:ZOHO_CLIENT_SECRET}
  refreshToken: \${env:ZOHO_REFRESH_TOKEN}
  plans:
    mail-lite: { planId: 17033, userAddonId: 17083, payPeriods: [yearly], storeName: Mail Lite }
    workplace-standard: { planId: 10730, userAddonId: 10779, payPeriods: [monthly, yearly], storeName: Workplace Standard }
`;

const CATALOG = `apiVersion: reconcile.zoho-whmcs/v1
kind: ProductGroup
metadata: { name: business-email }
spec: { name: Business Email, headline: Email on your own domain, tagline: Powered by Zoho Mail, hidden: false, order: 1 }
---
apiVersion: reconcile.zoho-whmcs/v1
kind: ConfigOptionGroup
metadata: { name: mail-lite-options }
spec:
  name: Mail Lite options
  description: Mailboxes for Zoho Mail Lite
  options:
    - { key: mailboxes, label: Mailboxes, type: quantity, min: 1, max: 0, unitLabel: Mailbox, pricing: { USD: { annually: "12.00" } } }
---
apiVersion: reconcile.zoho-whmcs/v1
kind: ConfigOptionGroup
metadata: { name: workplace-options }
spec:
  name: Workplace options
  description: Users of Zoho Workplace Standard
  options:
    - { key: mailboxes, label: Users, type: quantity, min: 1, max: 0, unitLabel: User, pricing: { USD: { monthly: "3.00", annually: "30.00" } } }
---
apiVersion: reconcile.zoho-whmcs/v1
kind: Product
metadata: { name: mail-lite }
spec:
  group: business-email
  name: Zoho Mail Lite
  description: Ad-free business email, 5 GB per mailbox.
  type: other
  payType: recurring
  zoho: { plan: mail-lite }
  configOptionGroups: [mail-lite-options]
  pricing: { USD: { annually: "0.00" } }
---
apiVersion: reconcile.zoho-whmcs/v1
kind: Product
metadata: { name: workplace-standard }
spec:
  group: business-email
  name: Zoho Workplace Standard
  description: Mail, documents and meetings.
  type: other
  payType: recurring
  zoho: { plan: workplace-standard }
  configOptionGroups: [workplace-options]
  pricing: { USD: { monthly: "0.00", annually: "0.00" } }
`;

export function orgDocument(o: OrgLine): string {
  const spec = {
    client: {
      email: `it@${o.name}.example`,
      firstName: "Ada",
      lastName: o.name,
      company: `${o.name} Ltd`,
      address: { line1: "1 Main St", city: "London", state: "London", postcode: "EC1A 1AA", country: "GB" },
      phone: "+44.2071234567",
    },
    domain: `${o.name}.example`,
    product: o.product,
    billingCycle: o.billingCycle,
    mailboxes: o.mailboxes,
    plan: o.plan,
    ...(o.status !== undefined ? { status: o.status } : {}),
  };
  return `apiVersion: reconcile.zoho-whmcs/v1\nkind: CustomerOrg\nmetadata: { name: ${o.name} }\nspec: ${JSON.stringify(spec)}\n`;
}

/** A project on disk: config, catalog and one file per ten orgs. `write` replaces the customer files. */
export interface ManifestProject {
  readonly dir: string;
  write(orgs: readonly OrgLine[]): void;
  load(): Promise<LoadedProject>;
  remove(): void;
}

export function manifestProject(): ManifestProject {
  const dir = mkdtempSync(join(tmpdir(), "zwr-customers-"));
  writeFileSync(join(dir, "reconcile.yaml"), CONFIG);
  writeFileSync(join(dir, "catalog.yaml"), CATALOG);
  return {
    dir,
    write(orgs) {
      rmSync(join(dir, "customers"), { recursive: true, force: true });
      mkdirSync(join(dir, "customers"));
      for (let i = 0; i < orgs.length; i += 10) {
        writeFileSync(join(dir, "customers", `orgs-${String(i / 10).padStart(3, "0")}.yaml`), orgs.slice(i, i + 10).map(orgDocument).join("---\n"));
      }
    },
    load: () => loadProject(join(dir, "reconcile.yaml")),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
