import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadProject } from "../manifest/index.js";
import { Secret } from "../core/secrets.js";
import { silentLogger } from "../core/log.js";
import { memoryJournal } from "../apply/index.js";
import { applyFullPlan } from "../apply/customers/index.js";
import { planNamesFromConfig, readCustomerLiveState } from "../customers/index.js";
import { computeFullPlan } from "../plan/customers/index.js";
import { hasChanges } from "../model/plan.js";
import { createCatalogProvider, createWhmcsClient } from "../providers/whmcs/index.js";
import { createZohoProvider } from "../providers/zoho/index.js";
import { startWhmcsSandbox } from "../sandbox/whmcs/index.js";
import { startZohoSandbox } from "../sandbox/zoho/index.js";

function orgDocs(from: number, count: number): string {
  const docs: string[] = [];
  for (let i = from; i < from + count; i++) {
    const lite = i % 5 < 3;
    docs.push(`apiVersion: reconcile.zoho-whmcs/v1
kind: CustomerOrg
metadata: { name: org-${i} }
spec:
  client:
    email: admin@org-${i}.example
    firstName: Admin
    lastName: Org${i}
    address: { line1: ${i} Main St, city: London, state: London, postcode: EC1A 1AA, country: GB }
    phone: "+44.20${String(i).padStart(8, "0")}"
  domain: org-${i}.example
  product: ${lite ? "mail-lite" : "workplace-standard"}
  billingCycle: ${lite ? "annually" : "monthly"}
  mailboxes: ${1 + (i % 40)}
  plan: { type: paid }
`);
  }
  return docs.join("---\n");
}

export interface CustomerBenchFigures {
  readonly orgs: number;
  readonly applyMs: number;
  readonly noChangePlanMs: number;
  readonly whmcsCalls: number;
  readonly zohoCalls: number;
  readonly tokensMinted: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
}

/**
 * Sets up `orgs` customer orgs through the real apply path (both sandboxes on loopback, rate
 * limits off), then measures the run that matters every day: a plan that finds nothing to do.
 */
export async function benchCustomers(work: string, examples: string, orgs: number): Promise<CustomerBenchFigures> {
  const dir = join(work, `orgs-${orgs}`);
  cpSync(examples, dir, { recursive: true });
  mkdirSync(join(dir, "customers"), { recursive: true });
  for (let i = 0; i < orgs; i += 500) writeFileSync(join(dir, "customers", `orgs-${i}.yaml`), orgDocs(i, Math.min(500, orgs - i)));
  const project = await loadProject(join(dir, "reconcile.yaml"));
  const plans = project.config.zoho?.plans ?? {};

  const zoho = await startZohoSandbox({ switches: { rateLimitPerMinute: 0 } });
  const whmcs = await startWhmcsSandbox({ seedEur: true, switches: { companion: true } });
  try {
    const client = createWhmcsClient({ url: whmcs.url, identifier: new Secret(whmcs.credentials.identifier, "bench"), secret: new Secret(whmcs.credentials.secret, "bench") });
    const catalog = createCatalogProvider({ client, backend: "companion" });
    const provider = () =>
      createZohoProvider({
        region: zoho.partner.dc,
        clientId: new Secret(zoho.partner.clientId, "bench"),
        clientSecret: new Secret(zoho.partner.clientSecret, "bench"),
        refreshToken: new Secret(zoho.partner.refreshToken, "bench"),
        baseUrl: zoho.baseUrl,
        plans,
        live: { planNames: planNamesFromConfig(plans) },
        mailRateLimit: false,
      });
    const target = { whmcs: whmcs.url, catalogBackend: "companion", zohoRegion: zoho.partner.dc };
    const planOnce = async (z: ReturnType<typeof provider>) => {
      const live = await catalog.readCatalog();
      const customers = await readCustomerLiveState({ whmcs: client, zoho: z, catalog: live, declaredDomains: project.customerOrgs.map((o) => o.spec.domain) });
      const plan = computeFullPlan({ desired: project.catalog, live, backend: "companion", target, customers: { desired: project.customerOrgs, live: customers, zohoPlans: plans } });
      return { live, plan };
    };
    const applyOnce = async (z: ReturnType<typeof provider>, p: Awaited<ReturnType<typeof planOnce>>) =>
      applyFullPlan({
        plan: p.plan,
        currencies: p.live.currencies,
        writer: catalog.writer,
        liveCatalog: p.live,
        readCatalog: () => catalog.readCatalog(),
        journal: memoryJournal(),
        logger: silentLogger(),
        customers: { desired: project.customerOrgs, whmcs: client, zoho: { mail: z.mail, store: z.store, mailAdminUrl: z.client.url("mailadmin", "") }, zohoPlans: plans, paymentMethod: "banktransfer" },
      });

    const setup = provider();
    const t0 = performance.now();
    const first = await applyOnce(setup, await planOnce(setup));
    if (first.summary.failed > 0) throw new Error(`setup apply failed for ${first.summary.failed} change(s)`);
    for (const o of zoho.state.orgs()) zoho.state.verifyDomain(o.domain);
    const second = await applyOnce(setup, await planOnce(setup));
    if (second.summary.failed > 0) throw new Error(`setup apply failed for ${second.summary.failed} change(s)`);
    const applyMs = Math.round(performance.now() - t0);

    globalThis.gc?.();
    whmcs.calls.reset();
    zoho.calls.reset();
    const fresh = provider();
    const t1 = performance.now();
    const { plan } = await planOnce(fresh);
    const noChangePlanMs = Math.round(performance.now() - t1);
    if (hasChanges(plan)) throw new Error("the plan after apply still has changes");
    const mem = process.memoryUsage();
    return {
      orgs: project.customerOrgs.length,
      applyMs,
      noChangePlanMs,
      whmcsCalls: whmcs.calls.total(),
      zohoCalls: zoho.calls.total,
      tokensMinted: fresh.tokens.mints,
      rssMiB: Math.round(mem.rss / 1048576),
      heapUsedMiB: Math.round(mem.heapUsed / 1048576),
    };
  } finally {
    await whmcs.close();
    await zoho.close();
  }
}
