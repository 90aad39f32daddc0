import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { ExitCode, ReconcileError } from "../../core/errors.js";
import type { Logger } from "../../core/log.js";
import { controlHandler } from "../../sandbox/control.js";
import {
  openMariaDbStore,
  parseDatabaseUrl,
  redactDatabaseUrl,
  seedCatalog,
  startWhmcsSandbox,
  type MariaDbStore,
  type SeedCatalog,
  type WhmcsStore,
} from "../../sandbox/whmcs/index.js";
import { registerSecret } from "../../core/secrets.js";
import { startZohoSandbox } from "../../sandbox/zoho/index.js";
import { usageError, type ParsedArgs } from "../args.js";
import type { CliIo } from "../io.js";

/** Credentials of the local sandbox: fixed, throwaway values that guard nothing but a loopback emulator. */
export const SANDBOX_CREDENTIALS = { identifier: "sandbox-api-identifier", secret: "sandbox-api-secret" } as const;
/**
 * The in-process demo's Zoho credentials, shaped like Zoho's (`1000.` + 30 uppercase
 * alphanumerics, a 42-character hex secret, a `1000.<part>.<part>` refresh token, visibly not a real one). `reconcile
 * sandbox` generates its own per state instead.
 */
export const ZOHO_SANDBOX_CREDENTIALS = {
  clientId: "1000.SANDBOXZOHOCLIENT0000000000000",
  clientSecret: "5a4e0d5b0c1f2e3d4c5b6a79887766554433221100",
  refreshToken: "1000.sandboxrefreshtoken00000000000000.sandboxrefreshtoken000000000000",
} as const;

export interface StartSandboxesOptions {
  readonly port: number;
  readonly zohoPort: number;
  readonly whmcsState?: string;
  /** A store (e.g. MariaDB) instead of the SQLite file; the caller closes it. */
  readonly whmcsStore?: WhmcsStore;
  readonly zohoState?: string;
  /** `generate`: random Zoho-shaped credentials per fresh state (kept with it); default the fixed demo ones. */
  readonly zohoCredentials?: "fixed" | "generate";
  /** Redirect URIs registered for the Zoho OAuth client (added to a kept state too). */
  readonly zohoRedirectUris?: readonly string[];
}

/**
 * The Zoho emulator, the WHMCS emulator's zoho_mail module wired to it (its "Create Account"
 * button), and the loopback control endpoint at `<whmcs url>/__control`.
 */
export async function startSandboxes(options: StartSandboxesOptions) {
  const zoho = await listening(options.zohoPort, "the Zoho sandbox's, --port + 1", () =>
    startZohoSandbox({
      port: options.zohoPort,
      dcs: ["us", "eu", "in", "au"],
      ...(options.zohoCredentials === "generate" ? {} : { seed: { ...ZOHO_SANDBOX_CREDENTIALS } }),
      ...(options.zohoState ? { stateFile: options.zohoState } : {}),
    }),
  );
  try {
    for (const uri of options.zohoRedirectUris ?? []) zoho.state.addRedirectUri(uri);
    const credentials = { clientId: zoho.partner.clientId, clientSecret: zoho.partner.clientSecret, refreshToken: zoho.partner.refreshToken };
    const whmcs = await listening(options.port, "", () =>
      startWhmcsSandbox({
        port: options.port,
        ...(options.whmcsStore ? { store: options.whmcsStore } : options.whmcsState ? { sqliteFile: options.whmcsState } : {}),
        switches: { companion: true },
        credentials: { ...SANDBOX_CREDENTIALS, actions: "all" },
        zohoMail: { accountsUrl: zoho.baseUrl("us", "accounts"), mailUrl: zoho.baseUrl("us", "mail"), ...credentials },
      }),
    );
    whmcs.route(CONTROL_PATH, controlHandler({ whmcs, zoho }, CONTROL_PATH));
    return {
      whmcs,
      zoho,
      zohoCredentials: credentials,
      controlUrl: `${whmcs.url}${CONTROL_PATH}`,
      close: async () => {
        await whmcs.close();
        await zoho.close();
      },
    };
  } catch (err) {
    await zoho.close();
    throw err;
  }
}

const CONTROL_PATH = "/__control";

/** Start a server; a taken or forbidden port is the user's to fix, not a bug. */
async function listening<T>(port: number, which: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const label = which === "" ? `port ${port}` : `port ${port} (${which})`;
    if (code === "EADDRINUSE") {
      throw new ReconcileError("sandbox.port-in-use", `${label} is in use; choose another with --port`, ExitCode.error, { cause: err });
    }
    if (code === "EACCES") {
      throw new ReconcileError("sandbox.port-denied", `${label} needs privileges this user lacks; choose another with --port`, ExitCode.error, { cause: err });
    }
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

/** `reconcile sandbox`: the WHMCS and Zoho emulators on loopback, state kept locally, until interrupted. */
export async function sandboxCommand(parsed: ParsedArgs, io: CliIo, logger: Logger): Promise<number> {
  const portText = parsed.values.port ?? "8080";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65534) throw usageError(`--port must be a port number below 65535 (got ${JSON.stringify(portText)})`);
  const redirectUris = (parsed.values["zoho-redirect-uri"] ?? []).map(checkRedirectUri);
  const databaseUrl = parsed.values["database-url"];
  const stateFile = resolve(io.cwd, parsed.values.state ?? ".sandbox/whmcs.sqlite");
  const zohoState = stateFile.replace(/(\.sqlite)?$/, ".zoho.json");
  const reset = Boolean(parsed.values.reset);
  if (reset) for (const f of [...(databaseUrl === undefined ? [stateFile] : []), zohoState]) if (existsSync(f)) rmSync(f);
  const seed = parsed.values.seed ? readSeed(resolve(io.cwd, parsed.values.seed)) : undefined;
  mkdirSync(dirname(stateFile), { recursive: true });

  const database = databaseUrl === undefined ? undefined : await openDatabase(databaseUrl, reset);
  try {
    const fresh = database === undefined ? !existsSync(stateFile) : (await database.count("tblconfiguration")) === 0;
    if (seed && !fresh) throw usageError("--seed loads a starting catalog into a fresh state; add --reset to start over");
    const both = await startSandboxes({
      port,
      zohoPort: port === 0 ? 0 : port + 1,
      ...(database === undefined ? { whmcsState: stateFile } : { whmcsStore: database }),
      zohoState,
      zohoCredentials: "generate",
      zohoRedirectUris: redirectUris,
    });
    try {
      const sandbox = both.whmcs;
      if (seed) await seedCatalog(sandbox.store, seed);
      const where = database === undefined ? stateFile : `MariaDB ${database.target}`;
      logger.info({ url: sandbox.url, zoho: both.zoho.url, state: where }, "sandboxes listening");
      const z = both.zohoCredentials;
      const uris = both.zoho.state.data.clients[0]?.redirectUris ?? [];

      io.stdout.write(`WHMCS sandbox listening on ${sandbox.url}/includes/api.php
State: ${where}${fresh ? " (new)" : " (kept from the last run; --reset starts over)"}
Companion actions: on

Zoho sandbox (accounts, mail, mailadmin, store for us, eu, in, au) on ${both.zoho.url}
State: ${zohoState}
OAuth consent: ${both.zoho.baseUrl("us", "accounts")}/oauth/v2/auth
OAuth redirect URIs: ${uris.length === 0 ? "none (add one with --zoho-redirect-uri URI)" : uris.join(", ")}

Control (loopback only; faults, latency, rate limits, card declines, clock): ${both.controlUrl}
  curl ${both.controlUrl}
  curl -X POST -H 'Content-Type: application/json' -d '{"kind":"status","status":503,"times":1}' ${both.controlUrl}/whmcs/faults

Credentials (sandbox only):
  export WHMCS_API_IDENTIFIER=${SANDBOX_CREDENTIALS.identifier}
  export WHMCS_API_SECRET=${SANDBOX_CREDENTIALS.secret}
  export ZOHO_CLIENT_ID=${z.clientId}
  export ZOHO_CLIENT_SECRET=${z.clientSecret}
  export ZOHO_REFRESH_TOKEN=${z.refreshToken}

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
    } finally {
      await both.close();
    }
  } finally {
    await database?.close();
  }
  io.stderr.write("sandbox stopped; state saved\n");
  return ExitCode.ok;
}

function checkRedirectUri(uri: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(uri);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    throw usageError(`--zoho-redirect-uri must be an absolute http(s) URL (got ${JSON.stringify(uri)})`);
  }
  return uri;
}

/** The WHMCS tables in MariaDB/MySQL; the database is created when missing (default name `whmcs_sandbox`). */
async function openDatabase(url: string, reset: boolean): Promise<MariaDbStore> {
  let target;
  try {
    target = parseDatabaseUrl(url);
  } catch (err) {
    throw usageError(`--database-url: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (target.password !== undefined) registerSecret(target.password);
  try {
    const store = await openMariaDbStore({ url, database: target.database ?? "whmcs_sandbox", createDatabase: true });
    if (reset) await store.reset();
    return store;
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new ReconcileError("sandbox.database", `cannot open the WHMCS sandbox database at ${redactDatabaseUrl(url)}: ${detail}`, ExitCode.error, {
      hint: "check the server is running and the URL (mysql://user[:password]@host[:port][/database])",
    });
  }
}
