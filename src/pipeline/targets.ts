import type { Config } from "../model/config.js";
import type { Logger } from "../core/log.js";
import type { WaitPolicy } from "../core/wait.js";
import { ExitCode, ReconcileError } from "../core/errors.js";
import { resolveSecret } from "../manifest/index.js";
import { createCatalogProvider, createWhmcsClient, type WhmcsCatalogProvider, type WhmcsClient } from "../providers/whmcs/index.js";
import { createZohoProvider, zohoTokenCacheDir, type ZohoProvider } from "../providers/zoho/index.js";
import { planNamesFromConfig } from "../live/index.js";

/** The remote systems a run talks to. */
export interface Targets {
  readonly whmcs: WhmcsClient;
  readonly catalog: WhmcsCatalogProvider;
  /** Undefined when the config has no zoho section. */
  readonly zoho: ZohoProvider | undefined;
}

/**
 * Build the providers the config names. Secrets are resolved here, at the edge, and nowhere else.
 * `waits` bounds and announces their waits (`--max-wait`); Zoho access tokens are kept in the
 * cache folder the environment names (`zohoTokenCacheDir`).
 */
export function targetsFor(config: Config, env: NodeJS.ProcessEnv, logger: Logger, waits: WaitPolicy = {}): Targets {
  const w = config.whmcs;
  const whmcs = createWhmcsClient({
    ...waits,
    url: w.url,
    identifier: resolveSecret(w.identifier, env),
    secret: resolveSecret(w.secret, env),
    ...(w.accessKey ? { accessKey: resolveSecret(w.accessKey, env) } : {}),
    logger: logger.child({ provider: "whmcs" }),
  });
  const catalog = createCatalogProvider({
    client: whmcs,
    backend: w.catalogBackend,
    ...(w.catalogBackend === "db" && w.database !== undefined
      ? {
          database: {
            url: w.database.url,
            ...(w.database.password ? { password: resolveSecret(w.database.password, env) } : {}),
            logger: logger.child({ provider: "whmcs-db" }),
          },
        }
      : {}),
  });
  return { whmcs, catalog, zoho: zohoFor(config, env, logger, waits) };
}

function zohoFor(config: Config, env: NodeJS.ProcessEnv, logger: Logger, waits: WaitPolicy): ZohoProvider | undefined {
  const z = config.zoho;
  if (z === undefined) return undefined;
  const sandbox = z.sandboxUrl;
  const tokenCacheDir = zohoTokenCacheDir(env);
  return createZohoProvider({
    ...waits,
    ...(tokenCacheDir !== undefined ? { tokenCacheDir } : {}),
    region: z.region,
    clientId: resolveSecret(z.clientId, env),
    clientSecret: resolveSecret(z.clientSecret, env),
    refreshToken: resolveSecret(z.refreshToken, env),
    ...(z.accountsServer ? { accountsUrl: z.accountsServer } : {}),
    ...(sandbox ? { baseUrl: (dc: string, service: string) => `${sandbox}/${dc}/${service}` } : {}),
    ...(z.mailRequestsPerMinute !== undefined ? { mailRateLimit: { requests: z.mailRequestsPerMinute, perMs: 60_000 } } : {}),
    plans: z.plans,
    live: { planNames: planNamesFromConfig(z.plans) },
    logger: logger.child({ provider: "zoho" }),
  });
}

/** Customer orgs need Zoho: say so before anything is read. */
export function requireZohoFor(config: Config, customerOrgs: number): void {
  if (customerOrgs > 0 && config.zoho === undefined) {
    throw new ReconcileError("config.zoho-missing", `${customerOrgs} CustomerOrg manifest(s) are declared but ${config.file} has no zoho section`, ExitCode.invalid, {
      hint: "add zoho: { region, clientId: ${env:ZOHO_CLIENT_ID}, clientSecret: ${env:ZOHO_CLIENT_SECRET}, refreshToken: ${env:ZOHO_REFRESH_TOKEN} }",
    });
  }
}
