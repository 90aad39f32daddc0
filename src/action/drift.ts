import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { promisify } from "node:util";
import type { Octokit } from "octokit";
import { canonicalJson } from "../core/canonical.js";
import { ReconcileError } from "../core/errors.js";
import { scrub } from "../core/secrets.js";
import { hasChanges, type Change, type Plan } from "../model/plan.js";
import { planStage, type PipelineRequest } from "../pipeline/index.js";
import { fieldDiffs } from "../plan/diff.js";
import { renderMarkdown } from "../render/index.js";
import type { HtmlDrift } from "../render/html.js";
import { maskerFor, maskedValue, type Masker } from "../render/mask.js";
import type { Repo } from "./github.js";

const run = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// Drift on a pull request: what the base branch's own plan already has is not the PR's doing.
// ---------------------------------------------------------------------------------------------

/** A pull request's plan split by what the base branch's plan against the same live state has. */
export interface DriftSplit {
  /** Changes the base plan has too, identical: live state moved away from the base. */
  readonly drift: readonly Change[];
  /** Changes only this pull request's manifests make. */
  readonly own: readonly Change[];
  /** Base-plan changes this plan does not repeat: the pull request settles that drift another way. */
  readonly settled: readonly Change[];
}

/** The same change: same resource, action, state after and field differences. */
export function sameChange(a: Change, b: Change): boolean {
  return a.key === b.key && a.action === b.action && canonicalJson(a.after ?? null) === canonicalJson(b.after ?? null) && canonicalJson(a.diffs) === canonicalJson(b.diffs);
}

/** Tell drift (in the base plan too, identical) from the pull request's own changes; unchanged resources are neither. */
export function splitDrift(pr: Plan, base: Plan): DriftSplit {
  const baseChanges = new Map(base.changes.filter((c) => c.action !== "noop").map((c) => [c.key, c]));
  const drift: Change[] = [];
  const own: Change[] = [];
  for (const c of pr.changes) {
    if (c.action === "noop") continue;
    const b = baseChanges.get(c.key);
    (b !== undefined && sameChange(c, b) ? drift : own).push(c);
  }
  const driftKeys = new Set(drift.map((c) => c.key));
  const settled = [...baseChanges.values()].filter((c) => !driftKeys.has(c.key));
  return { drift, own, settled };
}

/** The base a pull request's drift is measured against (from the `pull_request` event). */
export interface BaseRef {
  readonly sha: string;
  /** Branch name, for people. */
  readonly ref: string;
}

export function baseOf(event: Readonly<Record<string, unknown>>): BaseRef | undefined {
  const base = (event["pull_request"] as { base?: { sha?: unknown; ref?: unknown } } | undefined)?.base;
  if (typeof base?.sha !== "string" || !/^[0-9a-f]{7,64}$/.test(base.sha)) return undefined;
  return { sha: base.sha, ref: typeof base.ref === "string" && base.ref !== "" ? base.ref : base.sha.slice(0, 12) };
}

export type BaseDrift =
  | { readonly ok: true; readonly base: BaseRef; readonly plan: Plan; readonly split: DriftSplit }
  | { readonly ok: false; readonly base: BaseRef; readonly reason: string };

async function git(cwd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run("git", ["-C", cwd, ...args], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

async function hasCommit(root: string, sha: string): Promise<boolean> {
  try {
    await git(root, ["cat-file", "-e", `${sha}^{commit}`]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Check out the base commit's tree in a temporary worktree next to the checkout and run `use` on
 * the config path inside it. A shallow checkout lacks the base commit: it is fetched from `origin`
 * once; when that fails too, the reason says to check out with `fetch-depth: 0`.
 */
export async function withBaseCheckout<T>(configPath: string, base: BaseRef, tempDir: string, use: (baseConfig: string) => Promise<T>): Promise<T | { readonly unavailable: string }> {
  let root: string;
  try {
    root = await git(dirname(configPath), ["rev-parse", "--show-toplevel"]);
  } catch {
    return { unavailable: "the config is not in a git checkout" };
  }
  if (!(await hasCommit(root, base.sha))) {
    try {
      await git(root, ["fetch", "--no-tags", "--quiet", "--depth=1", "origin", base.sha]);
    } catch {
      // Told below: the commit is still missing.
    }
    if (!(await hasCommit(root, base.sha))) {
      return { unavailable: `the base commit ${base.sha.slice(0, 12)} is not in the checkout and could not be fetched (check out with fetch-depth: 0)` };
    }
  }
  const holder = mkdtempSync(join(tempDir, "reconcile-base-"));
  const tree = join(holder, "tree");
  try {
    await git(root, ["worktree", "add", "--detach", "--quiet", tree, base.sha]);
    const rel = relative(realpathSync(root), realpathSync(configPath));
    const baseConfig = join(tree, ...rel.split(sep));
    if (!existsSync(baseConfig)) return { unavailable: `${base.ref} has no ${rel.split(sep).join("/")}` };
    return await use(baseConfig);
  } finally {
    await git(root, ["worktree", "remove", "--force", tree]).catch(() => undefined);
    rmSync(holder, { recursive: true, force: true });
    await git(root, ["worktree", "prune"]).catch(() => undefined);
  }
}

/**
 * Plan the base commit's manifests against live state (read again: the base may declare other
 * orgs) and split the pull request's plan by it. Invalid base manifests or a missing base commit
 * are reasons, not failures: the pull request's own plan stands either way.
 */
export async function baseDrift(request: PipelineRequest, pr: Plan, base: BaseRef, tempDir: string): Promise<BaseDrift> {
  try {
    const result = await withBaseCheckout(request.configPath, base, tempDir, async (configPath) => {
      // The base's own config and providers: never the pull request's loaded project.
      const planned = await planStage({ configPath, env: request.env, logger: request.logger, ...(request.waits ? { waits: request.waits } : {}) });
      return planned.plan;
    });
    if ("unavailable" in result) return { ok: false, base, reason: result.unavailable };
    return { ok: true, base, plan: result, split: splitDrift(pr, result) };
  } catch (err) {
    if (!(err instanceof ReconcileError)) throw err;
    return { ok: false, base, reason: `planning ${base.ref} failed: ${scrub(err.message)}` };
  }
}

/** What the HTML report shows of a pull request's drift. */
export function htmlDrift(d: BaseDrift): HtmlDrift {
  const base = `${d.base.ref} at ${d.base.sha.slice(0, 12)}`;
  return d.ok ? { base, changes: d.split.drift } : { base, changes: [], unavailable: d.reason };
}

/** Hidden line of the drift section: the drift changes as URI-encoded `key:action` entries. */
export const DRIFT_LINE_PREFIX = "<!-- zoho-whmcs-reconcile:drift ";
const MAX_ROWS = 50;

/** The drift section of a pull request's plan comment (Markdown). */
export function driftMarkdown(d: BaseDrift, plan: Plan): string {
  const base = code(d.base.ref);
  if (!d.ok) return `#### Drift\n\nDrift against ${base} was not told apart: ${escapeText(d.reason)}.\n`;
  const { drift, own, settled } = d.split;
  const entries = drift.map((c) => encodeURIComponent(`${c.key}:${c.action}`)).join(" ");
  const lines = [`${DRIFT_LINE_PREFIX}${entries}${entries ? " " : ""}-->`];
  if (drift.length === 0) {
    lines.push("#### Drift", "", `None: live state matches ${base} (at ${d.base.sha.slice(0, 12)}) wherever this plan changes it.`);
  } else {
    const mask = maskerFor(plan);
    lines.push(
      `#### Drift: live state moved away from ${base}`,
      "",
      `${drift.length === 1 ? "This change is" : `These ${drift.length} changes are`} in the plan of ${base} (at ${d.base.sha.slice(0, 12)}) too: someone changed live WHMCS or Zoho outside the manifests. ` +
        "They are not this pull request's doing; merging applies them with the rest and puts live state back.",
      "",
      "| Resource | Action | Fields |",
      "| --- | --- | --- |",
      ...drift.slice(0, MAX_ROWS).map((c) => `| ${code(c.key)} | ${c.action} | ${fieldsCell(c, mask)} |`),
    );
    if (drift.length > MAX_ROWS) lines.push("", `…and ${drift.length - MAX_ROWS} more (the full plan is in the artifact).`);
  }
  lines.push(
    "",
    own.length === 0
      ? "**This pull request changes nothing of its own.**"
      : `**This pull request's own changes (${own.length}):** ${own.slice(0, MAX_ROWS).map((c) => `${code(c.key)} (${c.action})`).join(", ")}${own.length > MAX_ROWS ? `, and ${own.length - MAX_ROWS} more` : ""}.`,
  );
  if (settled.length > 0) {
    lines.push("", `${settled.length === 1 ? "One drifted resource" : `${settled.length} drifted resources`} of ${base} this pull request changes otherwise: ${settled.slice(0, MAX_ROWS).map((c) => code(c.key)).join(", ")}.`);
  }
  return `${lines.join("\n")}\n`;
}

/** The drift changes a comment records, as `key:action` entries (absent without a drift section). */
export function driftFromComment(body: string): string[] | undefined {
  const at = body.indexOf(DRIFT_LINE_PREFIX);
  if (at < 0) return undefined;
  const end = body.indexOf("-->", at);
  return body
    .slice(at + DRIFT_LINE_PREFIX.length, end)
    .split(" ")
    .filter((e) => e !== "")
    .map((e) => decodeURIComponent(e));
}

/** The plan comment with the drift section before its footer (or at its end). */
export function withDriftSection(body: string, section: string): string {
  const footer = body.lastIndexOf("\n\n<sub>");
  if (footer < 0) return `${body.replace(/\n+$/, "")}\n\n${section}`;
  return `${body.slice(0, footer)}\n\n${section.replace(/\n+$/, "")}${body.slice(footer)}`;
}

function fieldsCell(c: Change, mask: Masker): string {
  const diffs = fieldDiffs(c);
  const shown = diffs.slice(0, 6).map((d) => {
    const v = (x: unknown): string => {
      const m = maskedValue(c, mask, d.path, x);
      return m === null || m === undefined ? "(none)" : typeof m === "string" ? JSON.stringify(m) : canonicalJson(m);
    };
    return c.action === "create" ? `${code(d.path)} = ${code(v(d.after))}` : `${code(d.path)}: ${code(v(d.before))} → ${code(v(d.after))}`;
  });
  if (diffs.length > 6) shown.push(`and ${diffs.length - 6} more`);
  return shown.length === 0 ? "" : shown.join("<br>");
}

/** A code span that survives backticks, pipes and newlines in its content. */
function code(s: string): string {
  const flat = s.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function escapeText(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|~])/g, "\\$1")
    .replace(/\r?\n/g, " ");
}

// ---------------------------------------------------------------------------------------------
// Scheduled drift check: one issue while the default branch has drifted.
// ---------------------------------------------------------------------------------------------

/** First line of the drift issue's body: a later run finds the issue by it (written by the token's identity). */
export const DRIFT_ISSUE_MARKER = "<!-- zoho-whmcs-reconcile:drift-issue -->";
const SINCE_LINE = /<!-- zoho-whmcs-reconcile:drift-since ([^ ]+) -->/;
const ISSUE_BODY_LIMIT = 65_536;

export interface DriftIssueContext {
  readonly branch: string;
  readonly sha: string;
  /** ISO 8601 time of this check. */
  readonly now: string;
  /** When the drift was first seen (kept across updates); `now` for a new issue. */
  readonly since: string;
  readonly runUrl?: string;
}

export function driftIssueTitle(branch: string): string {
  return `Drift: live WHMCS/Zoho state differs from ${branch}`;
}

/** The drift issue's body: markers, what was found when, and the plan that would put live state back. */
export function driftIssueBody(plan: Plan, ctx: DriftIssueContext): string {
  const head = [
    DRIFT_ISSUE_MARKER,
    `<!-- zoho-whmcs-reconcile:drift-since ${ctx.since} -->`,
    `Live state has moved away from \`${ctx.branch}\`: its plan has changes although nothing was merged to make them. ` +
      `First seen ${ctx.since}; last checked ${ctx.now} at ${ctx.sha.slice(0, 12)}${ctx.runUrl ? ` ([workflow run](${ctx.runUrl}), HTML report artifact)` : ""}.`,
    "",
    `Put it back by applying \`${ctx.branch}\` (a pull request that changes nothing still plans and applies it), or make the manifests follow live state. ` +
      "This issue is updated while the drift lasts and closed when a scheduled check finds none.",
    "",
    "",
  ].join("\n");
  const markdown = renderMarkdown(plan, { maxLength: ISSUE_BODY_LIMIT - head.length - 200, artifactName: "reconcile-report" });
  // The plan's own first line is the plan comment's marker; an issue is not a plan comment.
  return `${head}${markdown.split("\n").slice(1).join("\n")}`;
}

export function sinceOf(body: string | null | undefined): string | undefined {
  return body ? SINCE_LINE.exec(body)?.[1] : undefined;
}

interface IssueLike {
  readonly number: number;
  readonly body?: string | null;
  readonly user?: { readonly login: string } | null;
  readonly pull_request?: unknown;
}

/** The open drift issue `login` wrote: the oldest open issue with the marker by that author. */
export async function openDriftIssue(octokit: Octokit, repo: Repo, login: string): Promise<IssueLike | undefined> {
  const issues: IssueLike[] = await octokit.paginate(octokit.rest.issues.listForRepo, { ...repo, state: "open", per_page: 100 });
  return issues
    .filter((i) => i.pull_request === undefined && i.user?.login === login && typeof i.body === "string" && i.body.startsWith(DRIFT_ISSUE_MARKER))
    .sort((a, b) => a.number - b.number)[0];
}

export type DriftIssueOutcome =
  | { readonly action: "opened" | "updated" | "closed"; readonly issue: number }
  | { readonly action: "none" };

/**
 * Keep one issue in step with the default branch's drift: open it when the plan has changes,
 * update it while they last, close it (with a comment) once the plan has none.
 */
export async function syncDriftIssue(octokit: Octokit, repo: Repo, login: string, plan: Plan, ctx: Omit<DriftIssueContext, "since">): Promise<DriftIssueOutcome> {
  const open = await openDriftIssue(octokit, repo, login);
  if (!hasChanges(plan)) {
    if (open === undefined) return { action: "none" };
    await octokit.rest.issues.createComment({
      ...repo,
      issue_number: open.number,
      body: `No drift at ${ctx.sha.slice(0, 12)} (${ctx.now}): live state matches \`${ctx.branch}\` again.${ctx.runUrl ? ` [Workflow run](${ctx.runUrl}).` : ""}`,
    });
    await octokit.rest.issues.update({ ...repo, issue_number: open.number, state: "closed", state_reason: "completed" });
    return { action: "closed", issue: open.number };
  }
  const since = sinceOf(open?.body) ?? ctx.now;
  const body = driftIssueBody(plan, { ...ctx, since });
  if (open !== undefined) {
    await octokit.rest.issues.update({ ...repo, issue_number: open.number, title: driftIssueTitle(ctx.branch), body });
    return { action: "updated", issue: open.number };
  }
  const created = await octokit.rest.issues.create({ ...repo, title: driftIssueTitle(ctx.branch), body });
  return { action: "opened", issue: created.data.number };
}
