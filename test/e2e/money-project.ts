import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Secret } from "../../src/core/secrets.js";
import { createWhmcsClient, type WhmcsClient } from "../../src/providers/whmcs/index.js";
import { seedCatalog } from "../../src/sandbox/whmcs/index.js";
import { exampleProject, runCli, type CliResult, type Project } from "../cli/harness.js";

/*
 * A project for the money tests: the CLI in-process against both sandboxes, WHMCS holding USD
 * (default) and EUR, a catalog of two zoho_mail products priced in both currencies, customer
 * orgs written one file each. WHMCS is read back through its API only, never its tables.
 */

/** One customer org as the money tests write it. */
export interface MoneyOrg {
  readonly name: string;
  readonly product: "mail-lite" | "workplace-standard";
  readonly billingCycle: "monthly" | "annually";
  readonly mailboxes: number;
  readonly plan: { readonly type: "paid"; readonly payPeriod?: "monthly" | "yearly" } | { readonly type: "trial"; readonly trialPlan: "basicTrial" } | { readonly type: "free" };
  readonly currency?: "EUR";
  readonly options?: { readonly storage: "10" | "25" | "50" };
  readonly status?: "active" | "suspended" | "terminated";
}

/** Prices that a catalog change moves: the Mail Lite mailbox, per year. */
export interface LitePrices {
  readonly USD: string;
  readonly EUR: string;
}

/**
 *                       USD monthly  USD annually  EUR monthly  EUR annually
 *   mail-lite                             5.00                      4.50
 *   mail-lite mailbox                    (lite)                    (lite)
 *   workplace-standard     1.00          10.00        0.90          9.00
 *   workplace user         3.00          36.00        2.85         34.20
 *   storage 10             —             —            —            —
 *   storage 25             1.00          11.00        0.95         10.45
 *   storage 50             1.75          19.25        1.65         18.15
 */
export function catalogYaml(lite: LitePrices): string {
  const doc = (kind: string, name: string, spec: string): string => `apiVersion: reconcile.zoho-whmcs/v1\nkind: ${kind}\nmetadata: { name: ${name} }\nspec:\n${spec}`;
  return [
    doc("ProductGroup", "business-email", "  { name: Business Email, headline: Email on your own domain, tagline: Powered by Zoho Mail, hidden: false, order: 1 }\n"),
    doc(
      "ConfigOptionGroup",
      "lite-options",
      `  name: Mail Lite options
  description: Mailboxes for Zoho Mail Lite
  options:
    - { key: mailboxes, label: Mailboxes, type: quantity, min: 1, max: 0, unitLabel: Mailbox, pricing: { USD: { annually: "${lite.USD}" }, EUR: { annually: "${lite.EUR}" } } }
`,
    ),
    doc(
      "ConfigOptionGroup",
      "workplace-options",
      `  name: Workplace options
  description: Users and storage
  options:
    - { key: mailboxes, label: Users, type: quantity, min: 1, max: 1000, unitLabel: User, pricing: { USD: { monthly: "3.00", annually: "36.00" }, EUR: { monthly: "2.85", annually: "34.20" } } }
    - key: storage
      label: Storage
      type: dropdown
      choices:
        - { key: "10", label: 10 GB }
        - { key: "25", label: 25 GB, pricing: { USD: { monthly: "1.00", annually: "11.00" }, EUR: { monthly: "0.95", annually: "10.45" } } }
        - { key: "50", label: 50 GB, pricing: { USD: { monthly: "1.75", annually: "19.25" }, EUR: { monthly: "1.65", annually: "18.15" } } }
`,
    ),
    doc(
      "Product",
      "mail-lite",
      `  group: business-email
  name: Zoho Mail Lite
  description: Ad-free business email.
  type: other
  payType: recurring
  zoho: { plan: mail-lite }
  configOptionGroups: [lite-options]
  pricing: { USD: { annually: "5.00" }, EUR: { annually: "4.50" } }
`,
    ),
    doc(
      "Product",
      "workplace-standard",
      `  group: business-email
  name: Zoho Workplace Standard
  description: Mail, documents and meetings.
  type: other
  payType: recurring
  zoho: { plan: workplace-standard }
  configOptionGroups: [workplace-options]
  pricing: { USD: { monthly: "1.00", annually: "10.00" }, EUR: { monthly: "0.90", annually: "9.00" } }
`,
    ),
  ].join("---\n");
}

export function orgYaml(o: MoneyOrg): string {
  const spec = {
    client: {
      email: `it@${o.name}.example`,
      firstName: "Ada",
      lastName: o.name,
      company: `${o.name} Ltd`,
      address: { line1: "1 Main St", city: "London", state: "London", postcode: "EC1A 1AA", country: "GB" },
      phone: "+44.2071234567",
      ...(o.currency !== undefined ? { currency: o.currency } : {}),
    },
    domain: `${o.name}.example`,
    product: o.product,
    billingCycle: o.billingCycle,
    mailboxes: o.mailboxes,
    plan: o.plan,
    ...(o.options !== undefined ? { options: o.options } : {}),
    ...(o.status !== undefined ? { status: o.status } : {}),
  };
  return `apiVersion: reconcile.zoho-whmcs/v1\nkind: CustomerOrg\nmetadata: { name: ${o.name} }\nspec: ${JSON.stringify(spec)}\n`;
}

/** The plan as `reconcile plan -f json` prints it, as far as the money tests read it. */
export interface PlanJson {
  readonly checksum: string;
  readonly changes: readonly {
    readonly kind: string;
    readonly key: string;
    readonly name: string;
    readonly action: string;
    readonly after: {
      readonly domain: string;
      readonly billingCycle: string;
      readonly mailboxes: number | null;
      readonly status: string;
      readonly options: Record<string, string>;
      readonly billing: { readonly currency: string | null; readonly recurringAmount: string };
    } | null;
    readonly impact: { readonly billing?: { readonly currency: string; readonly before: string | null; readonly after: string; readonly mrrDelta: string } };
  }[];
  readonly totals?: { readonly mrr: Record<string, string>; readonly licences: Record<string, number>; readonly customers: number };
  readonly blocked?: readonly unknown[];
}

export interface MoneyProject {
  readonly project: Project;
  readonly api: WhmcsClient;
  writeCatalog(lite: LitePrices): void;
  writeOrgs(orgs: readonly MoneyOrg[]): void;
  /** Replaces the config's `policy:` section (indented lines, without the `policy:` line). */
  writePolicy(lines: string): void;
  cli(argv: readonly string[]): Promise<CliResult>;
  /** `reconcile plan -f json`, which must exit 0. */
  plan(): Promise<PlanJson>;
  close(): Promise<void>;
}

export const DEFAULT_POLICY = `  protect: []
  thresholds: { updateShare: 0.5, deleteShare: 0.3, minExisting: 10, customers: 100 }
`;

export async function moneyProject(): Promise<MoneyProject> {
  const project = await exampleProject({ seed: false });
  await seedCatalog(project.sandbox.store, { currencies: [{ code: "EUR", prefix: "€", suffix: " EUR", rate: "0.92" }] });
  const api = createWhmcsClient({
    url: project.sandbox.url,
    identifier: new Secret(project.env["WHMCS_API_IDENTIFIER"] as string, "test"),
    secret: new Secret(project.env["WHMCS_API_SECRET"] as string, "test"),
  });
  for (const d of ["catalog", "customers"]) {
    rmSync(join(project.dir, d), { recursive: true, force: true });
    mkdirSync(join(project.dir, d));
  }
  const config = join(project.dir, "reconcile.yaml");
  const base = readFileSync(config, "utf8").replace(/\npolicy:\n[\s\S]*$/, "\n");
  const cli = (argv: readonly string[]): Promise<CliResult> => runCli(project.dir, argv, { env: project.env });
  const m: MoneyProject = {
    project,
    api,
    writeCatalog(lite) {
      writeFileSync(join(project.dir, "catalog", "catalog.yaml"), catalogYaml(lite));
    },
    writeOrgs(orgs) {
      rmSync(join(project.dir, "customers"), { recursive: true, force: true });
      mkdirSync(join(project.dir, "customers"));
      for (const o of orgs) writeFileSync(join(project.dir, "customers", `${o.name}.yaml`), orgYaml(o));
    },
    writePolicy(lines) {
      writeFileSync(config, `${base}policy:\n${lines}`);
    },
    cli,
    async plan() {
      const r = await cli(["plan", "-f", "json"]);
      if (r.code !== 0) throw new Error(`reconcile plan exited ${r.code}: ${r.stderr}`);
      return JSON.parse(r.stdout) as PlanJson;
    },
    close: () => project.close(),
  };
  m.writePolicy(DEFAULT_POLICY);
  return m;
}

// ---------------------------------------------------------------------------------------------
// WHMCS read back through its API, and the money it bills, computed here on its own.
// ---------------------------------------------------------------------------------------------

/** One service as GetClientsProducts shows it, with its client's currency from GetClientsDetails. */
export interface BilledService {
  readonly id: string;
  readonly domain: string;
  readonly status: string;
  /** Folded: `monthly`, `annually`, `semiannually`, `freeaccount`, … */
  readonly cycle: string;
  readonly amount: string;
  readonly currency: string;
  readonly mailboxes: number | undefined;
  /** Dropdown choices by option key; labels are `<key> GB`, so the key is the label's first word. */
  readonly options: Record<string, string>;
}

interface ProductsAnswer {
  readonly products?: { readonly product?: readonly Record<string, unknown>[] };
}

export async function readServices(api: WhmcsClient): Promise<BilledService[]> {
  const answer = (await api.call("GetClientsProducts", { limitnum: 1000 }, { kind: "read" })) as ProductsAnswer;
  const rows = answer.products?.product ?? [];
  const currencies = new Map<string, string>();
  for (const id of new Set(rows.map((r) => String(r["clientid"])))) {
    const details = await api.call("GetClientsDetails", { clientid: id }, { kind: "read" });
    currencies.set(id, String(details["currency_code"]));
  }
  return rows.map((r) => {
    const options: Record<string, string> = {};
    let mailboxes: number | undefined;
    const chosen = ((r["configoptions"] as { configoption?: readonly Record<string, unknown>[] } | undefined)?.configoption ?? []) as readonly Record<string, unknown>[];
    for (const c of chosen) {
      const key = String(c["option"]).split("|")[0] as string;
      if (key === "mailboxes") mailboxes = Number(String(c["value"]).split(" ")[0]);
      else options[key] = String(c["value"]).split(" ")[0] as string;
    }
    return {
      id: String(r["id"]),
      domain: String(r["domain"]),
      status: String(r["status"]),
      cycle: String(r["billingcycle"]).toLowerCase().replace(/[\s-]/g, ""),
      amount: String(r["recurringamount"]),
      currency: currencies.get(String(r["clientid"])) ?? "",
      mailboxes,
      options,
    };
  });
}

const MONTHS: Readonly<Record<string, bigint>> = { monthly: 1n, quarterly: 3n, semiannually: 6n, annually: 12n, biennially: 24n, triennially: 36n };

/** "123.45" → 12345n; the amounts WHMCS answers have at most two decimals. */
function cents(amount: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (m === null) throw new Error(`not an amount: ${amount}`);
  const v = BigInt(m[2] as string) * 100n + BigInt(((m[3] ?? "") + "00").slice(0, 2));
  return m[1] === "-" ? -v : v;
}

/**
 * What WHMCS invoices a month, per currency, in 1/72 cents (72 is the least common multiple of
 * 1, 3, 6, 12, 24 and 36, so every cycle divides exactly): Active and Suspended services only.
 */
export function monthlyScaled(services: readonly BilledService[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const s of services) {
    if (s.status !== "Active" && s.status !== "Suspended") continue;
    const months = MONTHS[s.cycle];
    if (months === undefined) continue;
    out.set(s.currency, (out.get(s.currency) ?? 0n) + (cents(s.amount) * 72n) / months);
  }
  return out;
}

/** Signed money of a 1/72-cent figure, rounded once, half to even: "+5.00", "-2.60", "0.00". */
export function roundedMoney(scaled: bigint): string {
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  let q = abs / 72n;
  const r = abs % 72n;
  if (r * 2n > 72n || (r * 2n === 72n && q % 2n === 1n)) q += 1n;
  const text = `${q / 100n}.${String(q % 100n).padStart(2, "0")}`;
  return q === 0n ? "0.00" : `${negative ? "-" : "+"}${text}`;
}

/** The monthly change WHMCS bills from `before` to `after`, per currency, to the cent. */
export function mrrChange(before: readonly BilledService[], after: readonly BilledService[]): Record<string, string> {
  const b = monthlyScaled(before);
  const a = monthlyScaled(after);
  const out: Record<string, string> = {};
  for (const currency of [...new Set([...b.keys(), ...a.keys()])].sort()) {
    const money = roundedMoney((a.get(currency) ?? 0n) - (b.get(currency) ?? 0n));
    if (money !== "0.00") out[currency] = money;
  }
  return out;
}

/** A plan's `totals.mrr` without zero entries, for comparison with `mrrChange`. */
export function nonZero(mrr: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(mrr ?? {}).filter(([, v]) => !/^[+-]?0\.00$/.test(v)));
}
