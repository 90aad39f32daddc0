import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Writable } from "node:stream";
import { ExitCode, ReconcileError } from "../../core/errors.js";
import { loadConfig, resolveSecret } from "../../manifest/index.js";
import { runZohoAuth } from "../../providers/zoho/index.js";
import { usageError, type ParsedArgs } from "../args.js";
import type { CliIo } from "../io.js";

/**
 * `reconcile zoho auth`: the one-time OAuth consent that yields the refresh token. The token goes to
 * the user's secret store (an environment variable), never into a file of ours.
 */
export async function zohoAuthCommand(parsed: ParsedArgs, io: CliIo): Promise<number> {
  if (parsed.rest[0] !== "auth" || parsed.rest.length > 1) {
    throw usageError("usage: reconcile zoho auth (--token-file FILE | --show-token) [--port N]");
  }
  const tokenFile = parsed.values["token-file"];
  const show = Boolean(parsed.values["show-token"]);
  if ((tokenFile === undefined) === !show) {
    throw usageError("say where the refresh token goes: --token-file FILE (written with mode 0600) or --show-token (printed once)");
  }
  const config = await loadConfig(resolve(io.cwd, parsed.values.config ?? "reconcile.yaml"));
  if (config.zoho === undefined) {
    throw new ReconcileError("config.zoho-missing", `${config.file} has no zoho section`, ExitCode.invalid, {
      hint: "add zoho: { region, clientId: ${env:ZOHO_CLIENT_ID}, clientSecret: ${env:ZOHO_CLIENT_SECRET}, refreshToken: ${env:ZOHO_REFRESH_TOKEN} }",
    });
  }
  const portText = parsed.values.port ?? "8719";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--port must be a port number (got ${JSON.stringify(portText)})`);
  const sandboxUrl = config.zoho.sandboxUrl;
  const out = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      io.stderr.write(String(chunk));
      done();
    },
  });
  const result = await runZohoAuth({
    region: config.zoho.region,
    clientId: resolveSecret(config.zoho.clientId, io.env),
    clientSecret: resolveSecret(config.zoho.clientSecret, io.env),
    port,
    out,
    showToken: show,
    ...(sandboxUrl ? { baseUrl: (dc: string, service: string) => `${sandboxUrl}/${dc}/${service}` } : {}),
    ...(io.interactive ? { prompt: (question: string) => io.ask(question) } : {}),
  });
  if (tokenFile !== undefined) writeFileSync(resolve(io.cwd, tokenFile), `${result.refreshToken.reveal()}\n`, { mode: 0o600, flag: "w" });
  const where = tokenFile !== undefined ? `written to ${tokenFile} (mode 0600; delete it once stored)` : "printed above";
  const lines = [
    `Authorized for Zoho data centre "${result.region}". The refresh token was ${where}.`,
    `Store it as the secret ${config.zoho.refreshToken.env} (the config reads \${env:${config.zoho.refreshToken.env}}).`,
  ];
  if (result.region !== config.zoho.region) {
    lines.push(`Your Zoho account lives in "${result.region}", not "${config.zoho.region}": set zoho.region: ${result.region} in ${config.file}.`);
  }
  lines.push(`Accounts server: ${result.accountsServer} (zoho.accountsServer, if it differs from the region's default).`);
  io.stdout.write(`${lines.join("\n")}\n`);
  return ExitCode.ok;
}
