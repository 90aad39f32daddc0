import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../core/log.js";
import { hasChanges } from "../model/plan.js";
import { main } from "../cli/main.js";
import { planStage } from "../pipeline/index.js";
import { inProcessSandboxes, workerSandboxes } from "./sandboxes.js";
import { orgProject, quietIo } from "./customers.js";

/**
 * The remote cost model: what a call costs when WHMCS and Zoho are real servers across the
 * internet, and the limits Zoho enforces. The sandboxes are given the same latencies (fixed per
 * call: the emulators' latency switches add a constant, no jitter) and Zoho's Mail limit.
 */
export interface CostModel {
  readonly whmcsLatencyMs: number;
  readonly zohoLatencyMs: number;
  /** Zoho Mail requests a minute per token (Store calls are not under it). */
  readonly mailPerMinute: number;
  /** Access tokens per refresh token per ten minutes. */
  readonly mintsPer10Min: number;
  /** WHMCS list pages (`limitnum`). */
  readonly whmcsPageSize: number;
  /** Zoho Store partner listing rows per page. */
  readonly storePageSize: number;
}

export const DEFAULT_MODEL: CostModel = {
  whmcsLatencyMs: Number(process.env["BENCH_WHMCS_MS"] ?? 150),
  zohoLatencyMs: Number(process.env["BENCH_ZOHO_MS"] ?? 200),
  mailPerMinute: 30,
  mintsPer10Min: 10,
  whmcsPageSize: 250,
  storePageSize: 200,
};

/** Wall time of `n` calls made one after another under a sliding window of `limit` per `windowMs` (a slot frees `windowMs` after its call ended). */
export function chainMs(n: number, latencyMs: number, limit = Infinity, windowMs = 60_000): number {
  const ends: number[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    const start = i >= limit ? Math.max(t, (ends[i - limit] as number) + windowMs) : t;
    t = start + latencyMs;
    ends.push(t);
  }
  return t;
}

export interface NoChangeFigures {
  readonly orgs: number;
  readonly pendingShare: number;
  readonly pending: number;
  readonly whmcsCalls: number;
  readonly zohoCalls: number;
  readonly tokensMinted: number;
  readonly ms: number;
  readonly boundCalls: number;
  readonly boundMs: number;
  readonly callsRatio: number;
  readonly msRatio: number;
  /** The same plan done per object, as the `zoho_mail` module would: derived from the model, not run. */
  readonly baselineCalls: number;
  readonly baselineMs: number;
  readonly fewerCalls: number;
  readonly faster: number;
  /** Calls per WHMCS action and per Zoho endpoint, to read the call count against the bound. */
  readonly callsByAction: string;
}

/**
 * The lower bound of a no-change plan under the model: the pages it must read, each listing one page
 * after another, independent listings side by side. From the start: WHMCS clients, and Zoho (the one
 * token, then the org listing and the Store listing's pages); after the catalog (which names the
 * managed products and the currencies): the services of each managed product, and with several
 * currencies the orders (the only bulk source of each client's currency).
 */
export function noChangeBound(
  m: CostModel,
  counts: { readonly clients: number; readonly servicesPerProduct: readonly number[]; readonly orders: number; readonly currencies: number; readonly orgs: number },
): { calls: number; ms: number } {
  const pages = (rows: number, size: number) => Math.max(1, Math.ceil(rows / size));
  const clientPages = pages(counts.clients, m.whmcsPageSize);
  const servicePages = counts.servicesPerProduct.map((n) => pages(n, m.whmcsPageSize));
  const orderPages = counts.currencies > 1 ? pages(counts.orders, m.whmcsPageSize) : 0;
  // Zoho: the org listing in one page (the partner listing is not paged) and the Store listing's pages.
  const orgPages = 1;
  const storePages = pages(counts.orgs, m.storePageSize);
  const calls = 1 + clientPages + servicePages.reduce((a, n) => a + n, 0) + orderPages + 1 + orgPages + storePages;
  const afterCatalog = Math.max(0, ...servicePages.map((n) => chainMs(n, m.whmcsLatencyMs)), chainMs(orderPages, m.whmcsLatencyMs));
  const ms = Math.max(
    chainMs(clientPages, m.whmcsLatencyMs),
    m.whmcsLatencyMs /* catalog */ + afterCatalog,
    m.zohoLatencyMs /* token */ + Math.max(chainMs(orgPages, m.zohoLatencyMs, m.mailPerMinute), chainMs(storePages, m.zohoLatencyMs)),
  );
  return { calls, ms };
}

/**
 * Per object, the way the `zoho_mail` module and a naive client read: `GetClientsProducts` per
 * service, `getCustomerOrgDetails` per org, a fresh access token per Zoho call (the module mints one
 * per request), under the same model: Mail calls at the Mail limit, mints at the mint limit.
 */
export function perObjectBaseline(m: CostModel, orgs: number): { calls: number; ms: number } {
  const whmcs = orgs;
  const mail = orgs;
  const mints = orgs;
  const whmcsMs = chainMs(whmcs, m.whmcsLatencyMs);
  const mailMs = chainMs(mail, m.zohoLatencyMs, m.mailPerMinute);
  const mintMs = chainMs(mints, m.zohoLatencyMs, m.mintsPer10Min, 600_000);
  return { calls: whmcs + mail + mints, ms: Math.max(whmcsMs, mailMs, mintMs) };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * No-change plans under the model, for each share of pending (unverified) orgs: `orgs` orgs set up
 * with the limits lifted and no latency, then for each share (largest first) the rest verified and
 * recorded, then one plan with the model's latencies and Zoho's Mail limit on, timed and counted.
 */
export interface MailboxChangeFigures {
  readonly orgs: number;
  readonly changes: number;
  readonly whmcsCalls: number;
  readonly zohoCalls: number;
  /** Plan and apply together, as `reconcile --yes` runs them. */
  readonly ms: number;
  readonly callsByAction: string;
}

export async function benchNoChangeModel(
  work: string,
  examples: string,
  orgs: number,
  shares: readonly number[],
  m: CostModel = DEFAULT_MODEL,
): Promise<{ noChange: NoChangeFigures[]; mailboxChanges: MailboxChangeFigures }> {
  // In a worker thread unless BENCH_SANDBOXES=in-process: real servers' work is not the client's.
  const sandboxes = process.env["BENCH_SANDBOXES"] === "in-process" ? await inProcessSandboxes() : await workerSandboxes();
  const { info } = sandboxes;
  try {
    const { dir, env, writeConfig } = orgProject(work, examples, `model-${orgs}`, orgs, info);
    // Set-up: limits lifted. Measured plans: the client keeps Zoho's default 30 Mail requests a minute.
    writeConfig("reconcile.yaml", 10_000);
    const modelConfig = writeConfig("reconcile.model.yaml");
    const errors: string[] = [];
    const apply = async (what: string): Promise<void> => {
      errors.length = 0;
      const code = await main(["--yes", "--force"], quietIo(dir, env, errors));
      if (code !== 0) throw new Error(`${what} exited ${code}: ${errors.join("").slice(-600)}`);
    };
    await apply("set-up apply");

    const out: NoChangeFigures[] = [];
    for (const share of [...shares].sort((a, b) => b - a)) {
      const pending = Math.round(orgs * share);
      // org-i pending for i < pending; every other org verified and recorded.
      await sandboxes.verifyFrom(pending);
      await apply(`recording ${share * 100} % pending`);

      globalThis.gc?.();
      await sandboxes.model(m);
      await sandboxes.resetCalls();
      const t0 = performance.now();
      const run = await planStage({ configPath: modelConfig, env, logger: silentLogger() });
      const ms = Math.round(performance.now() - t0);
      await sandboxes.model(undefined);
      const counts = await sandboxes.counts();
      if (hasChanges(run.plan)) throw new Error(`the no-change plan (${orgs} orgs, ${share * 100} % pending) has changes`);
      const services = run.customers.services;
      const perProduct = new Map<string, number>();
      for (const s of services) perProduct.set(s.productId, (perProduct.get(s.productId) ?? 0) + 1);
      const managed = run.live.products.filter((p) => p.state.module === "zoho_mail").map((p) => perProduct.get(p.remoteId) ?? 0);
      const bound = noChangeBound(m, {
        clients: run.customers.clients.length,
        servicesPerProduct: managed,
        orders: counts.orders,
        currencies: run.live.currencies.length,
        orgs: run.customers.zohoOrgs.length,
      });
      const baseline = perObjectBaseline(m, orgs);
      const whmcsCalls = sum(counts.whmcs);
      const zohoCalls = sum(counts.zoho);
      out.push({
        orgs,
        pendingShare: share,
        pending: run.plan.pending?.length ?? 0,
        whmcsCalls,
        zohoCalls,
        tokensMinted: run.targets.zoho?.tokens.mints ?? 0,
        ms,
        boundCalls: bound.calls,
        boundMs: Math.round(bound.ms),
        callsRatio: round2((whmcsCalls + zohoCalls) / bound.calls),
        msRatio: round2(ms / bound.ms),
        baselineCalls: baseline.calls,
        baselineMs: Math.round(baseline.ms),
        fewerCalls: Math.round(baseline.calls / (whmcsCalls + zohoCalls)),
        callsByAction: [...Object.entries(counts.whmcs), ...Object.entries(counts.zoho)].map(([k, v]) => `${k} ${v}`).join(", "),
        faster: Math.round(baseline.ms / ms),
      });
    }
    return { noChange: out, mailboxChanges: await mailboxChanges() };

    /** Ten orgs get one more mailbox in their manifests: the plan and apply that follow, under the model. */
    async function mailboxChanges(): Promise<MailboxChangeFigures> {
      const file = join(dir, "customers", "orgs-0.yaml");
      const docs = readFileSync(file, "utf8").split("---\n");
      for (let i = 0; i < 10; i++) docs[i] = (docs[i] as string).replace(/mailboxes: (\d+)/, (_m, n: string) => `mailboxes: ${Number(n) + 1}`);
      writeFileSync(file, docs.join("---\n"));
      await sandboxes.model(m);
      await sandboxes.resetCalls();
      errors.length = 0;
      const t0 = performance.now();
      const code = await main(["--yes", "--config", "reconcile.model.yaml"], quietIo(dir, env, errors));
      const ms = Math.round(performance.now() - t0);
      await sandboxes.model(undefined);
      if (code !== 0) throw new Error(`the apply of 10 mailbox changes exited ${code}: ${errors.join("").slice(-600)}`);
      const c = await sandboxes.counts();
      const counts = { ...c.whmcs, ...c.zoho };
      return {
        orgs,
        changes: 10,
        whmcsCalls: sum(c.whmcs),
        zohoCalls: sum(c.zoho),
        ms,
        callsByAction: Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(", "),
      };
    }
  } finally {
    await sandboxes.close();
  }
}

const sum = (counts: Readonly<Record<string, number>>): number => Object.values(counts).reduce((a, n) => a + n, 0);
