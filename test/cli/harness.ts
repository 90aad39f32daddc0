import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";
import { startWhmcsSandbox, seedCatalog, type WhmcsSandbox } from "../../src/sandbox/whmcs/index.js";
import { startZohoSandbox, type ZohoSandbox } from "../../src/sandbox/zoho/index.js";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly interactive?: boolean;
  readonly answer?: string;
}

/** Run the CLI in-process with captured streams; `cwd` is the project directory. */
export async function runCli(cwd: string, argv: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (c: string) => (stdout += c) },
    stderr: { write: (c: string) => (stderr += c) },
    env: options.env ?? {},
    cwd,
    interactive: options.interactive ?? false,
    ask: async (q) => {
      stderr += q;
      return options.answer ?? "";
    },
    interrupted: () => new Promise(() => undefined),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

export const EXAMPLES = join(import.meta.dirname, "..", "..", "examples");

export interface Project {
  readonly dir: string;
  readonly sandbox: WhmcsSandbox;
  readonly zoho: ZohoSandbox;
  readonly env: NodeJS.ProcessEnv;
  readonly secrets: readonly string[];
  close(): Promise<void>;
}

/**
 * A copy of examples/ in a temp dir, its config pointed at a fresh sandbox with distinctive
 * credentials (so a test can search every output for them).
 */
export async function exampleProject(options: { seed?: boolean; accessKey?: boolean } = {}): Promise<Project> {
  const identifier = `ID-${Math.random().toString(36).slice(2, 14)}-ident`;
  const secret = `S3CRET-${Math.random().toString(36).slice(2, 14)}-value`;
  const accessKey = `AK-${Math.random().toString(36).slice(2, 14)}-key`;
  const zohoCreds = {
    clientId: `ZC-${Math.random().toString(36).slice(2, 14)}-client`,
    clientSecret: `ZS-${Math.random().toString(36).slice(2, 14)}-secret`,
    refreshToken: `ZR-${Math.random().toString(36).slice(2, 14)}-refresh`,
  };
  // Zoho's 30 requests a minute, and its 10 token mints per 10 minutes (each CLI run mints one),
  // would make a test of many runs wait for minutes: lifted here, tested on their own elsewhere.
  const zoho = await startZohoSandbox({ seed: zohoCreds, switches: { rateLimitPerMinute: 0, mintLimit: 1000 } });
  const sandbox = await startWhmcsSandbox({
    switches: { companion: true },
    credentials: { identifier, secret, actions: "all" },
    ...(options.accessKey ? { accessKey } : {}),
  });
  if (options.seed !== false) {
    const { demoSeed } = await import("../../src/cli/demo-seed.js");
    await seedCatalog(sandbox.store, demoSeed());
  }
  const dir = mkdtempSync(join(tmpdir(), "reconcile-cli-"));
  cpSync(EXAMPLES, dir, { recursive: true });
  const config = readFileSync(join(dir, "reconcile.yaml"), "utf8")
    .replace("url: http://127.0.0.1:8080", `url: ${sandbox.url}`)
    .replace("  region: us\n", `  region: us\n  sandboxUrl: ${zoho.url}\n  mailRequestsPerMinute: 10000\n`)
    .replace("  paymentMethod:", options.accessKey ? "  accessKey: ${env:WHMCS_API_ACCESS_KEY}\n  paymentMethod:" : "  paymentMethod:");
  writeFileSync(join(dir, "reconcile.yaml"), config);
  const env = {
    WHMCS_API_IDENTIFIER: identifier,
    WHMCS_API_SECRET: secret,
    ZOHO_CLIENT_ID: zohoCreds.clientId,
    ZOHO_CLIENT_SECRET: zohoCreds.clientSecret,
    ZOHO_REFRESH_TOKEN: zohoCreds.refreshToken,
    ...(options.accessKey ? { WHMCS_API_ACCESS_KEY: accessKey } : {}),
  };
  return {
    dir,
    sandbox,
    zoho,
    env,
    secrets: [identifier, secret, accessKey, zohoCreds.clientSecret, zohoCreds.refreshToken],
    async close() {
      await sandbox.close();
      await zoho.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
