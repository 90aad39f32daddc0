import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { ExitCode, ReconcileError } from "../../core/errors.js";
import type { Logger } from "../../core/log.js";
import { seedCatalog, startWhmcsSandbox, type SeedCatalog } from "../../sandbox/whmcs/index.js";
import { usageError, type ParsedArgs } from "../args.js";
import type { CliIo } from "../io.js";

/** Credentials of the local sandbox: fixed, throwaway values that guard nothing but a loopback emulator. */
export const SANDBOX_CREDENTIALS = { identifier: "sandbox-api-identifier", secret: "sandbox-api-secret" } as const;

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
  if (parsed.values.reset && existsSync(stateFile)) rmSync(stateFile);
  const fresh = !existsSync(stateFile);
  if (parsed.values.seed && !fresh) {
    throw usageError("--seed loads a starting catalog into a fresh state; add --reset to start over");
  }
  const seed = parsed.values.seed ? readSeed(resolve(io.cwd, parsed.values.seed)) : undefined;
  mkdirSync(dirname(stateFile), { recursive: true });

  const sandbox = await startWhmcsSandbox({
    port,
    sqliteFile: stateFile,
    switches: { companion: true },
    credentials: { ...SANDBOX_CREDENTIALS, actions: "all" },
  });
  if (seed) await seedCatalog(sandbox.store, seed);
  logger.info({ url: sandbox.url, stateFile }, "WHMCS sandbox listening");

  io.stdout.write(`WHMCS sandbox listening on ${sandbox.url}/includes/api.php
State: ${stateFile}${fresh ? " (new)" : " (kept from the last run; --reset starts over)"}
Companion actions: on

Credentials (sandbox only):
  export WHMCS_API_IDENTIFIER=${SANDBOX_CREDENTIALS.identifier}
  export WHMCS_API_SECRET=${SANDBOX_CREDENTIALS.secret}

reconcile.yaml:
  whmcs:
    url: ${sandbox.url}
    identifier: \${env:WHMCS_API_IDENTIFIER}
    secret: \${env:WHMCS_API_SECRET}
    catalogBackend: companion
    paymentMethod: banktransfer

Press Ctrl-C to stop.
`);
  await io.interrupted();
  await sandbox.close();
  io.stderr.write("sandbox stopped; state saved\n");
  return ExitCode.ok;
}
