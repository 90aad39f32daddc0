import type { Config } from "../model/config.js";
import type { CatalogProvider } from "../model/provider.js";
import type { Logger } from "../core/log.js";
import { resolveSecret } from "../manifest/index.js";
import { createCatalogProvider, createWhmcsClient } from "../providers/whmcs/index.js";

/** Build the catalog provider the config names. Secrets are resolved here, at the edge, and nowhere else. */
export function catalogProviderFor(config: Config, env: NodeJS.ProcessEnv, logger: Logger): CatalogProvider {
  const w = config.whmcs;
  const client = createWhmcsClient({
    url: w.url,
    identifier: resolveSecret(w.identifier, env),
    secret: resolveSecret(w.secret, env),
    ...(w.accessKey ? { accessKey: resolveSecret(w.accessKey, env) } : {}),
    logger: logger.child({ provider: "whmcs" }),
  });
  switch (w.catalogBackend) {
    case "companion":
    case "api":
      return createCatalogProvider({ client, backend: w.catalogBackend });
    case "db":
      return createCatalogProvider({
        client,
        backend: "db",
        ...(w.database === undefined
          ? {}
          : {
              database: {
                url: w.database.url,
                ...(w.database.password ? { password: resolveSecret(w.database.password, env) } : {}),
                logger: logger.child({ provider: "whmcs-db" }),
              },
            }),
      });
  }
}
