import { dirname, resolve } from "node:path";
import { glob } from "tinyglobby";
import { compareCodeUnits } from "../core/canonical.js";
import type { ManifestIssue } from "../core/errors.js";
import { IssueCode } from "./codes.js";
import { issue } from "./issues.js";

export interface GlobResult {
  /** Absolute paths, deduplicated, sorted by code unit. */
  readonly files: readonly string[];
  readonly issues: readonly ManifestIssue[];
}

/**
 * Expand the config's manifest globs relative to the config file's folder. Patterns starting
 * with `!` exclude. Every other pattern must match at least one file: a pattern that matches
 * nothing is almost always a typo, and silently loading fewer manifests could plan deletions.
 * The config file itself is never a manifest, even when a broad pattern matches it.
 */
export async function expandManifestGlobs(configFile: string, patterns: readonly string[]): Promise<GlobResult> {
  const cwd = dirname(configFile);
  const ignore = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
  const issues: ManifestIssue[] = [];
  const found = new Set<string>();
  for (const [index, pattern] of patterns.entries()) {
    if (pattern.startsWith("!")) continue;
    let matches: string[];
    try {
      matches = await glob([pattern], { cwd, absolute: true, onlyFiles: true, expandDirectories: false, dot: false, ignore });
    } catch (err) {
      issues.push(
        issue({
          code: IssueCode.globInvalid,
          file: configFile,
          line: 0,
          col: 0,
          path: `/manifests/${index}`,
          message: `the manifest glob '${pattern}' is invalid: ${err instanceof Error ? err.message : String(err)}`,
        }),
      );
      continue;
    }
    const files = matches.map((m) => resolve(m)).filter((m) => m !== configFile);
    if (files.length === 0) {
      issues.push(
        issue({
          code: IssueCode.globEmpty,
          file: configFile,
          line: 0,
          col: 0,
          path: `/manifests/${index}`,
          message: `the manifest glob '${pattern}' matches no files`,
          hint: `globs are relative to ${cwd}; to match every YAML file under a folder write e.g. 'catalog/**/*.yaml'`,
        }),
      );
    }
    for (const f of files) found.add(f);
  }
  return { files: [...found].sort(compareCodeUnits), issues };
}
