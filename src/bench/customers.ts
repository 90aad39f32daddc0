import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../core/log.js";
import { hasChanges } from "../model/plan.js";
import { startWhmcsSandbox } from "../sandbox/whmcs/index.js";
import { startZohoSandbox } from "../sandbox/zoho/index.js";
import { main } from "../cli/main.js";
import type { CliIo } from "../cli/io.js";
import { planOf, planStage } from "../pipeline/index.js";
import { sandboxInfo, type SandboxInfo } from "./sandboxes.js";

export function orgDocs(from: number, count: number): string {
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

export interface OrgProject {
  readonly dir: string;
  /** The secrets the config names, for the sandboxes. */
  readonly env: NodeJS.ProcessEnv;
  /** Writes a config (`file` in the project) pointed at the sandboxes; the Mail limit the client keeps (Zoho's 30 when omitted). Returns its path. */
  writeConfig(file: string, mailRequestsPerMinute?: number): string;
}

/** examples/ plus `orgs` customer orgs (`orgDocs`, 500 a file) in `work/name`, for the sandboxes `info` names. */
export function orgProject(work: string, examples: string, name: string, orgs: number, info: SandboxInfo): OrgProject {
  const dir = join(work, name);
  cpSync(examples, dir, { recursive: true });
  mkdirSync(join(dir, "customers"), { recursive: true });
  for (let i = 0; i < orgs; i += 500) writeFileSync(join(dir, "customers", `orgs-${i}.yaml`), orgDocs(i, Math.min(500, orgs - i)));
  const base = readFileSync(join(dir, "reconcile.yaml"), "utf8").replace("url: http://127.0.0.1:8080", `url: ${info.whmcsUrl}`);
  return {
    dir,
    env: {
      WHMCS_API_IDENTIFIER: info.whmcs.identifier,
      WHMCS_API_SECRET: info.whmcs.secret,
      ZOHO_CLIENT_ID: info.zoho.clientId,
      ZOHO_CLIENT_SECRET: info.zoho.clientSecret,
      ZOHO_REFRESH_TOKEN: info.zoho.refreshToken,
    },
    writeConfig(file, mailRequestsPerMinute) {
      const limit = mailRequestsPerMinute === undefined ? "" : `  mailRequestsPerMinute: ${mailRequestsPerMinute}\n`;
      const path = join(dir, file);
      writeFileSync(path, base.replace("  region: us\n", `  region: ${info.zoho.dc}\n  sandboxUrl: ${info.zohoUrl}\n${limit}`));
      return path;
    },
  };
}

export interface CustomerBenchFigures {
  readonly orgs: number;
  readonly applyMs: number;
  readonly noChangePlanMs: number;
  /** The plan computed again from the same manifests and live state, no I/O: mean of 3 runs. */
  readonly computeMs: number;
  readonly whmcsCalls: number;
  readonly zohoCalls: number;
  readonly tokensMinted: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
}

/** The CLI in-process, quiet: the bench measures the path users run, not a re-wiring of it. */
export function quietIo(cwd: string, env: NodeJS.ProcessEnv, errors: string[]): CliIo {
  return {
    stdout: { write: () => true },
    stderr: { write: (chunk: string) => errors.push(chunk) },
    env,
    cwd,
    interactive: false,
    ask: async () => "",
    interrupted: () => new Promise(() => undefined),
  };
}

/**
 * Sets up `orgs` customer orgs with `reconcile --yes` against both sandboxes on loopback (Zoho's
 * request and mint limits lifted: they would only measure waiting), then measures the run that
 * matters every day: a plan that finds nothing to do.
 */
export async function benchCustomers(work: string, examples: string, orgs: number): Promise<CustomerBenchFigures> {
  const zoho = await startZohoSandbox({ switches: { rateLimitPerMinute: 0, mintLimit: 1_000_000 } });
  const whmcs = await startWhmcsSandbox({ seedEur: true, switches: { companion: true } });
  try {
    const { dir, env, writeConfig } = orgProject(work, examples, `orgs-${orgs}`, orgs, sandboxInfo(whmcs, zoho));
    const config = writeConfig("reconcile.yaml", 10_000);
    const errors: string[] = [];
    const io = quietIo(dir, env, errors);
    const apply = async (what: string): Promise<void> => {
      errors.length = 0;
      // --force: setting up thousands of orgs at once is over policy.thresholds.customers by design.
      const code = await main(["--yes", "--force"], io);
      if (code !== 0) throw new Error(`${what} exited ${code}: ${errors.join("").slice(-600)}`);
    };

    const t0 = performance.now();
    await apply("setup apply");
    for (const o of zoho.state.orgs()) zoho.state.verifyDomain(o.domain);
    await apply("setup apply (recording verification)");
    const applyMs = Math.round(performance.now() - t0);

    globalThis.gc?.();
    whmcs.calls.reset();
    zoho.calls.reset();
    const t1 = performance.now();
    const run = await planStage({ configPath: config, env, logger: silentLogger() });
    const noChangePlanMs = Math.round(performance.now() - t1);
    if (hasChanges(run.plan)) throw new Error("the plan after apply still has changes");
    const live = { catalog: run.live, customers: run.customers };
    const t2 = performance.now();
    for (let i = 0; i < 3; i++) planOf(run.project, run.targets, live, undefined);
    const computeMs = Math.round((performance.now() - t2) / 3);
    const mem = process.memoryUsage();
    return {
      orgs: run.project.customerOrgs.length,
      applyMs,
      noChangePlanMs,
      computeMs,
      whmcsCalls: whmcs.calls.total(),
      zohoCalls: zoho.calls.total,
      tokensMinted: run.targets.zoho?.tokens.mints ?? 0,
      rssMiB: Math.round(mem.rss / 1048576),
      heapUsedMiB: Math.round(mem.heapUsed / 1048576),
    };
  } finally {
    await whmcs.close();
    await zoho.close();
  }
}
