/**
 * `npm run bench`: figures for the paths that must scale, printed and written as JSON
 * (bench-results/bench.json). Not timed tests: they measure, they do not assert.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadProject } from "../manifest/index.js";
import { benchCustomers } from "./customers.js";
import { benchStartup } from "./startup.js";
import { benchCatalog } from "./catalog.js";
import { benchNoChangeModel, DEFAULT_MODEL } from "./model.js";
import { benchApplyRate } from "./apply-rate.js";

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
    if (wanted("catalog")) figures.push(...(await benchCatalog(work, EXAMPLES, measure)));

    // 4. The remote cost model: no-change plans with WHMCS's and Zoho's latencies and Zoho's limits,
    // next to the model's lower bound and the per-object baseline.
    if (wanted("model")) {
      const m = DEFAULT_MODEL;
      process.stdout.write(
        `\nremote cost model: WHMCS ${m.whmcsLatencyMs} ms a call, Zoho ${m.zohoLatencyMs} ms a call (fixed, no jitter), ` +
          `Zoho Mail ${m.mailPerMinute} requests a minute, ${m.mintsPer10Min} token mints per 10 minutes, WHMCS pages of ${m.whmcsPageSize}, Store pages of ${m.storePageSize}.\n` +
          "bound: the pages the plan must read (clients, each managed product's services, the orders when WHMCS has several currencies, the Zoho listings), one after another per listing, listings side by side; baseline: the same plan read per object " +
          "(GetClientsProducts per service, getCustomerOrgDetails per org, a token per Zoho call), derived from the model, not run.\n",
      );
      for (const n of (process.env["BENCH_MODEL_ORGS"] ?? "1000,10000").split(",").filter((x) => x !== "").map(Number)) {
        const { noChange: rows, mailboxChanges } = await benchNoChangeModel(work, EXAMPLES, n, [0, 0.05, 0.2], m);
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
            "calls by action": r.callsByAction,
          })));
        }
        figures.push(await measure("model: 10 mailbox changes, plan + apply", n, async () => ({ ...mailboxChanges })));
      }
    }

    // 5. New orgs applied under Zoho's Mail limit (the model, time-scaled): the rate achieved against the limit.
    if (wanted("apply-rate")) {
      const n = Number(process.env["BENCH_APPLY_ORGS"] ?? 1000);
      const scale = Number(process.env["BENCH_TIME_SCALE"] ?? 20);
      figures.push(await measure("model: apply of new orgs under the Mail limit", n, async () => ({ ...(await benchApplyRate(work, EXAMPLES, n, DEFAULT_MODEL, scale)) })));
    }

    // 3. Customer orgs across WHMCS and Zoho: set up through apply, then a no-change plan.
    for (const n of wanted("orgs") ? (process.env["BENCH_ORGS"] ?? "1000,10000").split(",").filter((x) => x !== "").map(Number) : []) {
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
