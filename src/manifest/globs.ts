import * as nodeFs from "node:fs";
import { realpath } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { glob, type GlobOptions } from "tinyglobby";
import { compareCodeUnits } from "../core/canonical.js";
import type { ManifestIssue } from "../core/errors.js";
import type { SourcePosition } from "../model/catalog.js";
import { IssueCode } from "./codes.js";
import type { IssueCode as IssueCodeValue } from "./codes.js";
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
 *
 * Manifests stay inside the config's folder (the repository under review): an absolute pattern,
 * a `..` that climbs out, and a match that is, or lies under, a symbolic link leading outside are
 * refused at the pattern's line. Such a file is never read and such a folder never listed: the
 * walk stops at the link. Messages name the pattern and paths inside the folder only, never where
 * a link leads.
 */
export async function expandManifestGlobs(
  configFile: string,
  patterns: readonly string[],
  positions: readonly SourcePosition[] = [],
): Promise<GlobResult> {
  const cwd = dirname(configFile);
  const ignore = patterns.filter((p) => p.startsWith("!")).map((p) => p.slice(1));
  const issues: ManifestIssue[] = [];
  const found = new Set<string>();
  const root = await realpath(cwd).catch(() => resolve(cwd));
  const report = (index: number, code: IssueCodeValue, message: string, hint?: string): void => {
    const at = positions[index];
    issues.push(issue({ code, file: configFile, line: at?.line ?? 0, col: at?.col ?? 0, path: `/manifests/${index}`, message, hint }));
  };
  const outsideHint = `manifests must be files inside ${cwd} (the folder of ${relative(cwd, configFile)}); copy them into it`;

  for (const [index, pattern] of patterns.entries()) {
    if (pattern.startsWith("!")) continue;
    const escape = escapes(pattern);
    if (escape !== undefined) {
      report(index, IssueCode.globOutside, `the manifest glob '${pattern}' ${escape}`, outsideHint);
      continue;
    }
    let matches: string[];
    const fence = fencedFs(root, cwd);
    try {
      matches = await glob([pattern], { cwd, absolute: true, onlyFiles: true, expandDirectories: false, dot: false, ignore, fs: fence.fs });
    } catch (err) {
      report(index, IssueCode.globInvalid, `the manifest glob '${pattern}' is invalid: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    const files = matches.map((m) => resolve(m)).filter((m) => m !== configFile);
    for (const link of fence.outside) {
      report(
        index,
        IssueCode.globOutside,
        `the manifest glob '${pattern}' reaches ${link === undefined ? "a folder" : `'${link}'`}, a symbolic link to a folder outside the config's folder; refused`,
        outsideHint,
      );
    }
    if (files.length === 0 && fence.outside.size === 0) {
      report(
        index,
        IssueCode.globEmpty,
        `the manifest glob '${pattern}' matches no files`,
        `globs are relative to ${cwd}; to match every YAML file under a folder write e.g. 'catalog/**/*.yaml'`,
      );
    }
    for (const f of files) {
      if (found.has(f)) continue;
      if (await inside(root, f)) {
        found.add(f);
      } else {
        report(
          index,
          IssueCode.globOutside,
          `the manifest glob '${pattern}' matches '${relative(cwd, f)}', which is or lies under a symbolic link leading outside the config's folder; refused`,
          outsideHint,
        );
      }
    }
  }
  return { files: [...found].sort(compareCodeUnits), issues };
}

/** Why a pattern cannot stay inside the folder, judged from its text alone. */
function escapes(pattern: string): string | undefined {
  if (isAbsolute(pattern) || /^[a-zA-Z]:/.test(pattern) || pattern.startsWith("\\")) {
    return "is an absolute path; globs are relative to the config's folder and stay inside it";
  }
  let depth = 0;
  for (const segment of pattern.split(/[/\\]+/)) {
    if (segment === "..") depth -= 1;
    else if (segment !== "." && segment !== "") depth += 1;
    if (depth < 0) return "climbs out of the config's folder with '..'; globs stay inside it";
  }
  if (/(^|[/\\{,])\.\.([/\\},]|$)/.test(pattern) && /[{}]/.test(pattern)) {
    return "uses '..' inside a brace pattern; write the paths inside the config's folder instead";
  }
  return undefined;
}

/**
 * The file system as the glob walk sees it: a folder whose real path lies outside `root` is
 * listed as empty and recorded under the in-tree path of the link that led there.
 */
function fencedFs(root: string, cwd: string): { fs: NonNullable<GlobOptions["fs"]>; outside: Set<string | undefined> } {
  const outside = new Set<string | undefined>();
  /** Real path → the in-tree link path it was reached through. */
  const linkOf = new Map<string, string>();
  const within = (real: string): boolean => real === root || real.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
  const shown = (path: string): string | undefined => {
    const rel = relative(cwd, path.replace(/[/\\]+$/, ""));
    return rel === "" || rel.startsWith("..") || isAbsolute(rel) ? undefined : rel;
  };
  type Callback = (err: NodeJS.ErrnoException | null, value?: unknown) => void;
  const fencedRealpath = (path: nodeFs.PathLike, ...rest: unknown[]): void => {
    const cb = rest[rest.length - 1] as Callback;
    nodeFs.realpath(path, (err, real) => {
      if (!err && !within(real)) {
        const link = shown(String(path));
        if (link !== undefined && !linkOf.has(real)) linkOf.set(real, link);
      }
      cb(err, real);
    });
  };
  const fencedReaddir = (path: nodeFs.PathLike, ...rest: unknown[]): void => {
    const cb = rest[rest.length - 1] as Callback;
    const options = rest.length > 1 ? rest[0] : undefined;
    nodeFs.realpath(path, (err, real) => {
      if (!err && !within(real)) {
        const dir = String(path).replace(/[/\\]+$/, "");
        outside.add(linkOf.get(dir) ?? linkOf.get(real) ?? shown(dir));
        cb(null, []);
        return;
      }
      (nodeFs.readdir as (p: nodeFs.PathLike, o: unknown, c: Callback) => void)(path, options, cb);
    });
  };
  return { fs: { realpath: fencedRealpath as unknown as typeof nodeFs.realpath, readdir: fencedReaddir as unknown as typeof nodeFs.readdir }, outside };
}

/** True when the file, with every link on its way resolved, is inside `root`. */
async function inside(root: string, file: string): Promise<boolean> {
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    return false;
  }
  return real === root || real.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}
