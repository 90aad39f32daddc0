import { dirname, resolve } from "node:path";
import pLimit from "p-limit";
import { ManifestError } from "../core/errors.js";
import type { ManifestIssue } from "../core/errors.js";
import type { DesiredCatalog, DesiredResource } from "../model/catalog.js";
import type { Config } from "../model/config.js";
import { readConfig, type ConfigResult } from "./config.js";
import { crossCheck } from "./cross-checks.js";
import type { DesiredCustomerOrg } from "../model/customer-org.js";
import { loadManifestFile } from "./documents.js";
import type { FileResult } from "./documents.js";
import { expandManifestGlobs } from "./globs.js";
import { append, sortIssues } from "./issues.js";
import { DEFAULT_ZOHO_PLANS } from "./zoho-plans.js";

export interface LoadedProject {
  readonly config: Config;
  readonly catalog: DesiredCatalog;
  readonly customerOrgs: readonly DesiredResource<"CustomerOrg", DesiredCustomerOrg>[];
  /** Absolute paths of the manifest files read, sorted by code unit. */
  readonly files: readonly string[];
}

/** Files read at once: enough to hide latency, few enough to stay far from the descriptor limit. */
const READ_CONCURRENCY = 16;

/** The config file read and checked, never throwing: what `loadProject` starts from. */
export function readProjectConfig(configPath: string): Promise<ConfigResult> {
  return readConfig(resolve(configPath));
}

/** Load and validate the config file alone. Throws `ManifestError` with every issue found. */
export async function loadConfig(configPath: string): Promise<Config> {
  const result = await readProjectConfig(configPath);
  if (result.issues.length > 0 || !result.config) throw new ManifestError(sortIssues(result.issues));
  return result.config;
}

/**
 * Load the config and every manifest it names, validate all of them and normalise them into
 * desired state. Issues from every file are collected before one `ManifestError` is thrown.
 */
export async function loadProject(configPath: string, configRead?: Promise<ConfigResult>): Promise<LoadedProject> {
  const configFile = resolve(configPath);
  // A caller that has read the config already (a plan, to start its remote reads) passes it on.
  const cfg = await (configRead ?? readConfig(configFile));
  const issues: ManifestIssue[] = [...cfg.issues];
  // Without readable globs there is nothing more to check.
  if (!cfg.manifests) throw new ManifestError(sortIssues(issues));

  const globbed = await expandManifestGlobs(configFile, cfg.manifests, cfg.manifestPositions);
  append(issues, globbed.issues);

  const limit = pLimit(READ_CONCURRENCY);
  const results: FileResult[] = await Promise.all(globbed.files.map((f) => limit(() => loadManifestFile(f))));
  for (const r of results) append(issues, r.issues);

  const cross = crossCheck({
    declared: results.flatMap((r) => r.declared),
    normalized: results.flatMap((r) => r.normalized),
    zohoPlans: cfg.config ? (cfg.config.zoho?.plans ?? DEFAULT_ZOHO_PLANS) : undefined,
    displayRoot: dirname(configFile),
  });
  append(issues, cross.issues);

  if (issues.length > 0 || !cfg.config) throw new ManifestError(sortIssues(issues));
  return { config: cfg.config, catalog: cross.catalog, customerOrgs: cross.customerOrgs, files: globbed.files };
}
