import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { SeedCatalog } from "../sandbox/whmcs/index.js";

/*
 * Files shipped with the package, found from this module's URL. The paths assume this module sits two
 * folders below the package root: src/cli/, dist/cli/, and dist/bin/, where the CLI's bundle puts every
 * chunk (scripts/build-cli.mjs). From a module one folder deeper (src/cli/commands/) the sources would
 * need a third "../" and the bundle would not, so keep such paths in modules two folders down.
 */

/** The examples' config, which `npm run demo` plans against its sandboxes. */
export const EXAMPLES_CONFIG = fileURLToPath(new URL("../../examples/reconcile.yaml", import.meta.url));

/** The existing WHMCS catalog `npm run demo` starts from (also usable with `reconcile sandbox --seed`). */
export const DEMO_SEED_FILE = fileURLToPath(new URL("../../examples/sandbox-seed.yaml", import.meta.url));

export function demoSeed(): SeedCatalog {
  return parse(readFileSync(DEMO_SEED_FILE, "utf8")) as SeedCatalog;
}
