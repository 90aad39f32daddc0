/**
 * `npm run bench`: figures for the paths that must scale, printed and written as JSON
 * (bench-results/bench.json). Not timed tests: they measure, they do not assert.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadProject } from "../manifest/index.js";
import { computePlan } from "../plan/index.js";
import { renderJson, renderMarkdown, renderText } from "../render/index.js";
import { createCatalogProvider, createWhmcsClient } from "../providers/whmcs/index.js";
import { seedCatalog, startWhmcsSandbox } from "../sandbox/whmcs/index.js";
import { Secret } from "../core/secrets.js";
import { applyPlan, memoryJournal } from "../apply/index.js";
import { silentLogger } from "../core/log.js";
import { benchCustomers } from "./customers.js";
import { benchStartup } from "./startup.js";
import { bigCatalogSeedAndManifests } from "./catalog.js";
import { benchNoChangeModel, DEFAULT_MODEL } from "./model.js";

interface Figure {
  readonly name: string;
  readonly n: number;
  readonly ms: number;
  readonly heapDeltaMiB: number;
  readonly rssMiB: number;
  readonly extra?: Record<string, number | string>;
}

const EXAMPLES = fileURLToPath(new URL("../../examples", import.meta.url));
const mib = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;

async function measure(name: string, n: number, fn: () => Promise<Record<string, number | string> | void>): Promise<Figure> {
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const extra = (await fn()) ?? undefined;
  const ms = Math.round(performance.now() - t0);
  const figure: Figure = { name, n, ms, heapDeltaMiB: mib(process.memoryUsage().heapUsed - heap0), rssMiB: mib(process.memoryUsage().rss), ...(extra ? { extra } : {}) };
  process.stdout.write(`${name.padEnd(48)} n=${String(n).padStart(6)}  ${String(ms).padStart(6)} ms  heap Δ ${String(figure.heapDeltaMiB).padStart(6)} MiB  rss ${figure.rssMiB} MiB${extra ? `  ${JSON.stringify(extra)}` : ""}\n`);
  return figure;
}

function customerDocs(count: number): string {
  const docs: string[] = [];
  for (let i = 0; i < count; i++) {
    docs.push(`apiVersion: reconcile.zoho-whmcs/v1
kind: CustomerOrg
metadata: { name: customer-${i} }
spec:
  client:
    email: admin@customer-${i}.example
    firstName: Admin
    lastName: Number${i}
    company: Customer ${i} Ltd
    address: { line1: ${i} Main St, city: London, state: London, postcode: EC1A 1AA, country: GB }
    phone: "+44.20${String(i).padStart(8, "0")}"
  domain: customer-${i}.example
  product: mail-lite
  billingCycle: annually
  mailboxes: ${1 + (i % 50)}
  plan: { type: paid }
`);
  }
  return docs.join("---\n");
}

/** `BENCH_ONLY=startup,catalog` runs only those parts (all by default). */
const only = new Set((process.env["BENCH_ONLY"] ?? "").split(",").filter((x) => x !== ""));
const wanted = (part: string): boolean => only.size === 0 || only.has(part);

async function main(): Promise<void> {
  const figures: Figure[] = [];
  const work = mkdtempSync(join(tmpdir(), "reconcile-bench-"));
  try {
    // 0. Start-up: the CLI against bare Node, measured side by side.
    if (wanted("startup")) {
      figures.push(await measure("CLI start-up (median of 5, ms)", 5, async () => {
        const s = benchStartup(EXAMPLES);
        return { "node -e 0": s.nodeMs, "reconcile --help": s.helpMs, "reconcile validate": s.validateMs, "help ÷ node": s.helpRatio, "validate ÷ node": s.validateRatio, "help bound": 1.5, "validate bound": 2.5 };
      }));
    }
    // 1. Loading and validating many customer manifests.
    for (const n of wanted("load") ? [1_000, 10_000] : []) {
      const dir = join(work, `customers-${n}`);
      cpSync(EXAMPLES, dir, { recursive: true });
      mkdirSync(join(dir, "customers"), { recursive: true });
      const perFile = 1_000;
      for (let f = 0; f < n / perFile; f++) writeFileSync(join(dir, "customers", `batch-${f}.yaml`), customerDocs(perFile).replaceAll("customer-", `c${f}-`));
      figures.push(await measure("load + validate customer manifests", n, async () => {
        const project = await loadProject(join(dir, "reconcile.yaml"));
        return { customerOrgs: project.customerOrgs.length };
      }));
    }

    // 2. A large catalog: plan, render, apply and plan again against the sandbox.
    const { seed, manifests } = bigCatalogSeedAndManifests(50, 8);
    const dir = join(work, "catalog");
    cpSync(EXAMPLES, dir, { recursive: true });
    writeFileSync(join(dir, "reconcile.yaml"), readFileSync(join(dir, "reconcile.yaml"), "utf8").replace(', "customers/**/*.yaml"', ""));
    rmSync(join(dir, "catalog"), { recursive: true });
    rmSync(join(dir, "customers"), { recursive: true });
    mkdirSync(join(dir, "catalog"));
    writeFileSync(join(dir, "catalog", "big.yaml"), manifests);
    const project = await loadProject(join(dir, "reconcile.yaml"));
    const sandbox = await startWhmcsSandbox({ switches: { companion: true } });
    try {
      await seedCatalog(sandbox.store, seed);
      const client = createWhmcsClient({ url: sandbox.url, identifier: new Secret(sandbox.credentials.identifier, "bench"), secret: new Secret(sandbox.credentials.secret, "bench") });
      const provider = createCatalogProvider({ client, backend: "companion" });
      const resources = project.catalog.productGroups.length + project.catalog.configOptionGroups.length + project.catalog.products.length;
      let live = await provider.readCatalog();
      const target = { whmcs: sandbox.url, catalogBackend: "companion" };
      let plan = computePlan({ desired: project.catalog, live, backend: "companion", target });
      figures.push(await measure("computePlan (empty WHMCS)", resources, async () => {
        for (let i = 0; i < 10; i++) plan = computePlan({ desired: project.catalog, live, backend: "companion", target });
        return { runs: 10 };
      }));
      figures.push(await measure("render text + markdown + json", plan.changes.length, async () => {
        const sizes = { text: renderText(plan).length, markdown: renderMarkdown(plan).length, json: renderJson(plan).length };
        return sizes;
      }));
      figures.push(await measure("apply (companion, sandbox over loopback)", resources, async () => {
        const writer = provider.writer;
        if (!writer) throw new Error("no writer");
        const report = await applyPlan({ plan, currencies: live.currencies, writer, journal: memoryJournal(), logger: silentLogger() });
        return { succeeded: report.summary.succeeded, failed: report.summary.failed };
      }));
      sandbox.calls.reset();
      figures.push(await measure("read live catalog + no-change plan", resources, async () => {
        live = await provider.readCatalog();
        plan = computePlan({ desired: project.catalog, live, backend: "companion", target });
        return { whmcsCalls: sandbox.calls.total(), changes: plan.changes.filter((c) => c.action !== "noop").length };
      }));
    } finally {
      await sandbox.close();
    }

    // 4. The remote cost model: no-change plans with WHMCS's and Zoho's latencies and Zoho's limits,
    // next to the model's lower bound and the per-object baseline.
    if (wanted("model")) {
      const m = DEFAULT_MODEL;
      process.stdout.write(
        `\nremote cost model: WHMCS ${m.whmcsLatencyMs} ms a call, Zoho ${m.zohoLatencyMs} ms a call (fixed, no jitter), ` +
          `Zoho Mail ${m.mailPerMinute} requests a minute, ${m.mintsPer10Min} token mints per 10 minutes, WHMCS pages of ${m.whmcsPageSize}, Store pages of ${m.storePageSize}.\n` +
          "bound: the pages the plan must read, one after another per stream, streams side by side; baseline: the same plan read per object " +
          "(GetClientsProducts per service, getCustomerOrgDetails per org, a token per Zoho call), derived from the model, not run.\n",
      );
      for (const n of (process.env["BENCH_MODEL_ORGS"] ?? "1000,10000").split(",").filter((x) => x !== "").map(Number)) {
        const rows = await benchNoChangeModel(work, EXAMPLES, n, [0, 0.05, 0.2], m);
        for (const r of rows.sort((a, b) => a.pendingShare - b.pendingShare)) {
          figures.push(await measure(`model: no-change plan, ${r.pendingShare * 100} % pending`, n, async () => ({
            calls: r.whmcsCalls + r.zohoCalls,
            whmcsCalls: r.whmcsCalls,
            zohoCalls: r.zohoCalls,
            tokens: r.tokensMinted,
            pending: r.pending,
            wallMs: r.ms,
            boundCalls: r.boundCalls,
            boundMs: r.boundMs,
            "calls ÷ bound": r.callsRatio,
            "time ÷ bound": r.msRatio,
            baselineCalls: r.baselineCalls,
            baselineMs: r.baselineMs,
            "× fewer calls": r.fewerCalls,
            "× faster": r.faster,
          })));
        }
      }
    }

    // 3. Customer orgs across WHMCS and Zoho: set up through apply, then a no-change plan.
    for (const n of (process.env["BENCH_ORGS"] ?? "1000,10000").split(",").filter((x) => x !== "").map(Number)) {
      let c: Awaited<ReturnType<typeof benchCustomers>> | undefined;
      figures.push(await measure("customer orgs: no-change plan (both systems)", n, async () => {
        c = await benchCustomers(work, EXAMPLES, n);
        return { ...c };
      }));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  mkdirSync("bench-results", { recursive: true });
  const out = { node: process.version, at: new Date().toISOString(), figures };
  writeFileSync(join("bench-results", "bench.json"), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write("\nwritten to bench-results/bench.json\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
