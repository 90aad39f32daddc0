import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { ExitCode, ReconcileError } from "../../core/errors.js";
import type { Logger } from "../../core/log.js";
import { seedCatalog, startWhmcsSandbox, type SeedCatalog } from "../../sandbox/whmcs/index.js";
import { startZohoSandbox } from "../../sandbox/zoho/index.js";
import { usageError, type ParsedArgs } from "../args.js";
import type { CliIo } from "../io.js";

/** Credentials of the local sandbox: fixed, throwaway values that guard nothing but a loopback emulator. */
export const SANDBOX_CREDENTIALS = { identifier: "sandbox-api-identifier", secret: "sandbox-api-secret" } as const;
export const ZOHO_SANDBOX_CREDENTIALS = {
  clientId: "sandbox-zoho-client-id",
  clientSecret: "sandbox-zoho-client-secret",
  refreshToken: "sandbox-zoho-refresh-token",
} as const;

/** The Zoho emulator, and the WHMCS emulator's zoho_mail module wired to it (its "Create Account" button). */
export async function startSandboxes(options: { port: number; zohoPort: number; whmcsState?: string; zohoState?: string }) {
  const zoho = await startZohoSandbox({
    port: options.zohoPort,
    dcs: ["us", "eu", "in", "au"],
    seed: { ...ZOHO_SANDBOX_CREDENTIALS },
    ...(options.zohoState ? { stateFile: options.zohoState } : {}),
  });
  try {
    const whmcs = await startWhmcsSandbox({
      port: options.port,
      ...(options.whmcsState ? { sqliteFile: options.whmcsState } : {}),
      switches: { companion: true },
      credentials: { ...SANDBOX_CREDENTIALS, actions: "all" },
      zohoMail: {
        accountsUrl: zoho.baseUrl("us", "accounts"),
        mailUrl: zoho.baseUrl("us", "mail"),
        ...ZOHO_SANDBOX_CREDENTIALS,
      },
    });
    return { whmcs, zoho, close: async () => { await whmcs.close(); await zoho.close(); } };
  } catch (err) {
    await zoho.close();
    throw err;
  }
}

function readSeed(path: string): SeedCatalog {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ReconcileError("sandbox.seed-unreadable", `cannot read seed file ${path}`, ExitCode.invalid, { cause: err });
  }
  try {
    return (path.endsWith(".json") ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 })) as SeedCatalog;
  } catch (err) {
    throw new ReconcileError("sandbox.seed-invalid", `seed file ${path} is not valid ${path.endsWith(".json") ? "JSON" : "YAML"}: ${err instanceof Error ? err.message : String(err)}`, ExitCode.invalid);
  }
}

/** `reconcile sandbox`: the WHMCS emulator on loopback, state kept in a local file, until interrupted. */
export async function sandboxCommand(parsed: ParsedArgs, io: CliIo, logger: Logger): Promise<number> {
  const portText = parsed.values.port ?? "8080";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port must be a port number (got ${JSON.stringify(portText)})`);
  const stateFile = resolve(io.cwd, parsed.values.state ?? ".sandbox/whmcs.sqlite");
  const zohoState = stateFile.replace(/(\.sqlite)?$/, ".zoho.json");
  if (parsed.values.reset) for (const f of [stateFile, zohoState]) if (existsSync(f)) rmSync(f);
  const fresh = !existsSync(stateFile);
  if (parsed.values.seed && !fresh) {
    throw usageError("--seed loads a starting catalog into a fresh state; add --reset to start over");
  }
  const seed = parsed.values.seed ? readSeed(resolve(io.cwd, parsed.values.seed)) : undefined;
  mkdirSync(dirname(stateFile), { recursive: true });

  const both = await startSandboxes({ port, zohoPort: port === 0 ? 0 : port + 1, whmcsState: stateFile, zohoState });
  const sandbox = both.whmcs;
  if (seed) await seedCatalog(sandbox.store, seed);
  logger.info({ url: sandbox.url, zoho: both.zoho.url, stateFile }, "sandboxes listening");

  io.stdout.write(`WHMCS sandbox listening on ${sandbox.url}/includes/api.php
State: ${stateFile}${fresh ? " (new)" : " (kept from the last run; --reset starts over)"}
Companion actions: on

Zoho sandbox (accounts, mail, mailadmin, store for us, eu, in, au) on ${both.zoho.url}
State: ${zohoState}

Credentials (sandbox only):
  export WHMCS_API_IDENTIFIER=${SANDBOX_CREDENTIALS.identifier}
  export WHMCS_API_SECRET=${SANDBOX_CREDENTIALS.secret}
  export ZOHO_CLIENT_ID=${ZOHO_SANDBOX_CREDENTIALS.clientId}
  export ZOHO_CLIENT_SECRET=${ZOHO_SANDBOX_CREDENTIALS.clientSecret}
  export ZOHO_REFRESH_TOKEN=${ZOHO_SANDBOX_CREDENTIALS.refreshToken}

reconcile.yaml:
  whmcs:
    url: ${sandbox.url}
    identifier: \${env:WHMCS_API_IDENTIFIER}
    secret: \${env:WHMCS_API_SECRET}
    catalogBackend: companion
    paymentMethod: banktransfer
  zoho:
    region: us
    sandboxUrl: ${both.zoho.url}
    clientId: \${env:ZOHO_CLIENT_ID}
    clientSecret: \${env:ZOHO_CLIENT_SECRET}
    refreshToken: \${env:ZOHO_REFRESH_TOKEN}

Press Ctrl-C to stop.
`);
  await io.interrupted();
  await both.close();
  io.stderr.write("sandbox stopped; state saved\n");
  return ExitCode.ok;
}
