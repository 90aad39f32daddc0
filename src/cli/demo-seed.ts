import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import type { SeedCatalog } from "../sandbox/whmcs/index.js";

/** The existing WHMCS catalog `npm run demo` starts from (also usable with `reconcile sandbox --seed`). */
export const DEMO_SEED_FILE = fileURLToPath(new URL("../../examples/sandbox-seed.yaml", import.meta.url));

export function demoSeed(): SeedCatalog {
  return parse(readFileSync(DEMO_SEED_FILE, "utf8")) as SeedCatalog;
}
