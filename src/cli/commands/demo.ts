import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExitCode, ReconcileError } from "../../core/errors.js";
import type { Logger } from "../../core/log.js";
import { loadProject } from "../../manifest/index.js";
import { seedCatalog } from "../../sandbox/whmcs/index.js";
import type { ReconcileArgs } from "../args.js";
import type { CliIo } from "../io.js";
import { targetsFor } from "../../pipeline/index.js";
import { demoSeed, EXAMPLES_CONFIG } from "../demo-seed.js";
import { reconcileCommand } from "./reconcile.js";
import { SANDBOX_CREDENTIALS, ZOHO_SANDBOX_CREDENTIALS, startSandboxes } from "./sandbox.js";

function banner(io: CliIo, text: string): void {
  io.stdout.write(`\n${"━".repeat(78)}\n${text}\n${"━".repeat(78)}\n\n`);
}

/**
 * `npm run demo`: an in-process WHMCS sandbox that already sells part of the example catalog
 * (one product as is, one at an old price, one group missing); plan, apply, plan again.
 * No network, no credentials, no server to install.
 */
export async function demoCommand(io: CliIo, logger: Logger, isTty: boolean): Promise<number> {
  const sandboxes = await startSandboxes({ port: 0, zohoPort: 0 });
  const sandbox = sandboxes.whmcs;
  const journalDir = mkdtempSync(join(tmpdir(), "reconcile-demo-"));
  try {
    await seedCatalog(sandbox.store, demoSeed());
    const loaded = await loadProject(EXAMPLES_CONFIG);
    const zoho = loaded.config.zoho === undefined ? undefined : { ...loaded.config.zoho, sandboxUrl: sandboxes.zoho.url };
    const project = { ...loaded, config: { ...loaded.config, whmcs: { ...loaded.config.whmcs, url: sandbox.url }, zoho } };
    const env = {
      WHMCS_API_IDENTIFIER: SANDBOX_CREDENTIALS.identifier,
      WHMCS_API_SECRET: SANDBOX_CREDENTIALS.secret,
      ZOHO_CLIENT_ID: ZOHO_SANDBOX_CREDENTIALS.clientId,
      ZOHO_CLIENT_SECRET: ZOHO_SANDBOX_CREDENTIALS.clientSecret,
      ZOHO_REFRESH_TOKEN: ZOHO_SANDBOX_CREDENTIALS.refreshToken,
    };
    const run = { project, targets: targetsFor(project.config, env, logger), journalDir };
    const base: ReconcileArgs = {
      config: EXAMPLES_CONFIG,
      logLevel: undefined,
      dryRun: true,
      yes: false,
      force: false,
      format: "text",
      out: undefined,
      planChecksum: undefined,
      detailedExitcode: true,
      color: isTty,
      shard: undefined,
    };

    banner(io, `1/3  reconcile --dry-run\n     examples/ against a sandbox WHMCS (${sandbox.url}) that already sells part of it,\n     and a sandbox Zoho (${sandboxes.zoho.url}) with no customer orgs yet`);
    const first = await reconcileCommand(base, io, logger, run);
    if (first !== ExitCode.changes) throw new ReconcileError("demo.unexpected", `the first plan should have changes (exit ${first})`);

    banner(io, "2/3  reconcile --yes\n     apply the plan: catalog first, in dependency order, then the customers' WHMCS orders and Zoho orgs");
    const applied = await reconcileCommand({ ...base, dryRun: false, yes: true }, io, logger, run);
    if (applied !== ExitCode.ok) throw new ReconcileError("demo.apply-failed", `apply did not complete (exit ${applied})`, ExitCode.applyFailed);

    banner(io, "3/3  reconcile --dry-run\n     plan again: live state now matches the manifests");
    const second = await reconcileCommand(base, io, logger, run);
    if (second !== ExitCode.ok) throw new ReconcileError("demo.not-converged", "the plan after apply still has changes");

    io.stdout.write(`\nDone. Try it yourself: \`reconcile sandbox\` runs both emulators (WHMCS and Zoho) until Ctrl-C.\n`);
    return ExitCode.ok;
  } finally {
    await sandboxes.close();
    rmSync(journalDir, { recursive: true, force: true });
  }
}
