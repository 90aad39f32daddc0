import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { demoSeed } from "../../src/cli/demo-seed.js";
import { seedCatalog, startWhmcsSandbox, type WhmcsSandbox, type WhmcsStore } from "../../src/sandbox/whmcs/index.js";
import { startZohoSandbox, type ZohoSandbox } from "../../src/sandbox/zoho/index.js";
import { EXAMPLES } from "../cli/harness.js";

export interface LockProject {
  readonly dir: string;
  readonly sandbox: WhmcsSandbox;
  readonly zoho: ZohoSandbox;
  readonly env: NodeJS.ProcessEnv;
  readonly domains: readonly string[];
  close(): Promise<void>;
}

export function org(tag: string, i: number): string {
  return `apiVersion: reconcile.zoho-whmcs/v1
kind: CustomerOrg
metadata: { name: ${tag}-${i} }
spec:
  client:
    email: owner@${tag}-${i}.example
    firstName: Owner
    lastName: Shop${i}
    address: { line1: ${i} High St, city: Leeds, state: West Yorkshire, postcode: LS1 1AA, country: GB }
    phone: "+44.1130000000"
  domain: ${tag}-${i}.example
  product: mail-lite
  billingCycle: annually
  mailboxes: ${2 + (i % 5)}
  plan: { type: paid }
`;
}

/**
 * examples/ (catalog) plus `orgs` new customer orgs in a temp dir, pointed at fresh in-process
 * WHMCS (companion actions on; SQLite unless `store` is given) and Zoho sandboxes.
 */
export async function lockProject(options: { orgs: number; store?: WhmcsStore; now?: () => Date; tag?: string; catalogBackend?: string }): Promise<LockProject> {
  const identifier = "lock-test-identifier";
  const secret = "lock-test-secret-value";
  const zohoCreds = { clientId: "lock-zoho-client", clientSecret: "lock-zoho-secret", refreshToken: "lock-zoho-refresh" };
  const zoho = await startZohoSandbox({ seed: zohoCreds, switches: { rateLimitPerMinute: 0, mintLimit: 1000 } });
  const sandbox = await startWhmcsSandbox({
    switches: { companion: true },
    credentials: { identifier, secret, actions: "all" },
    ...(options.store !== undefined ? { store: options.store } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
  });
  await seedCatalog(sandbox.store, demoSeed());
  const dir = mkdtempSync(join(tmpdir(), "reconcile-lock-"));
  cpSync(EXAMPLES, dir, { recursive: true });
  const tag = options.tag ?? "shop";
  // Only the new orgs: the examples' two customers are left out.
  rmSync(join(dir, "customers"), { recursive: true, force: true });
  mkdirSync(join(dir, "customers"));
  writeFileSync(join(dir, "customers", "shops.yaml"), Array.from({ length: options.orgs }, (_, i) => org(tag, i)).join("---\n"));
  let config = readFileSync(join(dir, "reconcile.yaml"), "utf8")
    .replace("url: http://127.0.0.1:8080", `url: ${sandbox.url}`)
    .replace("  region: us\n", `  region: us\n  sandboxUrl: ${zoho.url}\n  mailRequestsPerMinute: 10000\n`);
  if (options.catalogBackend !== undefined) config = config.replace("catalogBackend: companion", `catalogBackend: ${options.catalogBackend}`);
  writeFileSync(join(dir, "reconcile.yaml"), config);
  return {
    dir,
    sandbox,
    zoho,
    env: {
      WHMCS_API_IDENTIFIER: identifier,
      WHMCS_API_SECRET: secret,
      ZOHO_CLIENT_ID: zohoCreds.clientId,
      ZOHO_CLIENT_SECRET: zohoCreds.clientSecret,
      ZOHO_REFRESH_TOKEN: zohoCreds.refreshToken,
    },
    domains: Array.from({ length: options.orgs }, (_, i) => `${tag}-${i}.example`),
    async close() {
      await sandbox.close();
      await zoho.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a duplicate would show: rows per client email, per service domain, orders, Zoho orgs per domain. */
export async function duplicates(p: LockProject): Promise<{ clients: number; services: number; orders: number; zohoOrgs: number; duplicated: string[] }> {
  const clients = await p.sandbox.store.select("tblclients");
  const services = await p.sandbox.store.select("tblhosting");
  const orders = await p.sandbox.store.select("tblorders");
  const orgs = p.zoho.state.orgs();
  const dup = (values: readonly string[]): string[] => values.filter((v, i) => values.indexOf(v) !== i);
  return {
    clients: clients.length,
    services: services.length,
    orders: orders.length,
    zohoOrgs: orgs.length,
    duplicated: [
      ...dup(clients.map((c) => String(c["email"]).toLowerCase())),
      ...dup(services.map((s) => String(s["domain"]))),
      ...dup(orgs.map((o) => o.domain)),
    ],
  };
}
