import { appendFileSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { RequestError, type Octokit } from "octokit";
import { compareCodeUnits } from "../core/canonical.js";
import type { Logger } from "../core/log.js";
import { collectIntake, orderLine, paymentText, type IntakeOrder, type IntakeResult } from "../cli/commands/intake.js";
import { loadProject } from "../manifest/index.js";
import type { Plan } from "../model/plan.js";
import { targetsFor } from "../pipeline/index.js";
import { maskerFor, type Masker } from "../render/mask.js";
import type { CliIo } from "../cli/io.js";
import { ExitCode } from "../core/errors.js";
import type { Repo } from "./github.js";
import type { ActionEnv } from "./run.js";

/*
 * The Action's `intake` mode (on a schedule): storefront orders become one pull request. Each
 * order that qualifies is one commit adding its CustomerOrg manifest on the branch
 * `reconcile/intake`, so a reviewer can drop one; later runs add commits for new orders to the
 * same pull request, and close it when no order is left. Merging it is an ordinary merge: the
 * normal plan comment and the gated apply follow. WHMCS and Zoho are only read.
 */

export const INTAKE_BRANCH = "reconcile/intake";
const MARKER = "<!-- reconcile-intake";
const OFFERED_RE = /<!-- reconcile-intake offered:([0-9,]*) -->/;

export interface IntakeRun {
  readonly action: "opened" | "updated" | "unchanged" | "closed" | "none";
  readonly pullRequest: number | undefined;
  /** Orders committed by this run. */
  readonly added: readonly string[];
  readonly result: IntakeResult;
}

interface PullLike {
  readonly number: number;
  readonly body?: string | null;
  readonly head: { readonly ref: string };
}

/** Orders offered by earlier runs, from the pull request's marker. */
export function offeredOf(body: string | null | undefined): Set<string> {
  const m = OFFERED_RE.exec(body ?? "");
  return new Set((m?.[1] ?? "").split(",").filter((x) => x !== ""));
}

/** The open intake pull request, if any (head `reconcile/intake`, into `base`). */
async function openIntakePull(octokit: Octokit, repo: Repo, base: string): Promise<PullLike | undefined> {
  const pulls: PullLike[] = await octokit.paginate(octokit.rest.pulls.list, { ...repo, state: "open", head: `${repo.owner}:${INTAKE_BRANCH}`, base, per_page: 100 });
  return pulls.find((p) => p.head.ref === INTAKE_BRANCH);
}

async function branchHead(octokit: Octokit, repo: Repo): Promise<string | undefined> {
  try {
    return (await octokit.rest.git.getRef({ ...repo, ref: `heads/${INTAKE_BRANCH}` })).data.object.sha;
  } catch (err) {
    if (err instanceof RequestError && err.status === 404) return undefined;
    throw err;
  }
}

/** Paths of the files in a commit's tree. */
async function filesOf(octokit: Octokit, repo: Repo, commit: string): Promise<{ tree: string; paths: Set<string> }> {
  const c = await octokit.rest.git.getCommit({ ...repo, commit_sha: commit });
  const t = await octokit.rest.git.getTree({ ...repo, tree_sha: c.data.tree.sha, recursive: "true" });
  return { tree: c.data.tree.sha, paths: new Set(t.data.tree.filter((e) => e.type === "blob" && e.path !== undefined).map((e) => e.path as string)) };
}

/** One commit on `parent`: files added (text) or removed (null). */
async function commitFiles(octokit: Octokit, repo: Repo, parent: { sha: string; tree: string }, files: Readonly<Record<string, string | null>>, message: string): Promise<{ sha: string; tree: string }> {
  const entries = await Promise.all(
    Object.entries(files).map(async ([path, text]) => {
      if (text === null) return { path, mode: "100644" as const, type: "blob" as const, sha: null };
      const blob = await octokit.rest.git.createBlob({ ...repo, content: Buffer.from(text, "utf8").toString("base64"), encoding: "base64" });
      return { path, mode: "100644" as const, type: "blob" as const, sha: blob.data.sha };
    }),
  );
  const tree = await octokit.rest.git.createTree({ ...repo, base_tree: parent.tree, tree: entries });
  const commit = await octokit.rest.git.createCommit({ ...repo, message, tree: tree.data.sha, parents: [parent.sha] });
  return { sha: commit.data.sha, tree: tree.data.sha };
}

/** A masker over the clients of the orders: their e-mails, names and companies never reach the pull request in full. */
function maskerOf(orders: readonly IntakeOrder[]): Masker {
  const changes = orders
    .filter((o) => o.client !== undefined)
    .map((o) => ({ kind: "CustomerOrg", before: null, after: { client: o.client }, diffs: [], impact: {} }));
  return maskerFor({ changes, warnings: [], pending: [], unmanaged: [] } as unknown as Plan);
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** The pull request's body: every order in it, what each bills and its payment state, masked; then what was left out. */
export function intakeBody(inPull: readonly IntakeOrder[], result: IntakeResult, dropped: readonly string[], offered: ReadonlySet<string>, mask: Masker): string {
  const money = (o: IntakeOrder): string => (o.order === undefined ? "?" : `${o.currency ?? ""} ${o.order.amount}`.trim());
  const lines = [
    `### Storefront orders to review (${inPull.length})`,
    "",
    "Each commit adds one order's `CustomerOrg` manifest, written by `reconcile intake` from what WHMCS holds. " +
      "Merging adopts each order's Pending service: the apply provisions Zoho (org, plan, licences), then accepts the order (no second order), then records the ZOID. " +
      "To reject an order, drop its commit (or delete its file) and cancel the order in WHMCS.",
    "",
    "| order | date | domain | client | product | mailboxes | cycle | amount | payment | file |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const o of inPull) {
    const product = o.text === undefined ? "" : (/^ {2}product: (.+)$/m.exec(o.text)?.[1] ?? "");
    lines.push(
      `| #${o.order?.id ?? o.service.orderId} | ${o.order?.date ?? ""} | ${cell(o.domain)} | ${cell(o.client === undefined ? "" : mask.email(o.client.email))} | ${cell(product)} | ${o.service.mailboxes ?? "?"} | ${o.service.cycle} | ${cell(money(o))} | ${o.order === undefined ? "?" : cell(paymentText(o.order))} | \`${cell(o.file ?? "")}\` |`,
    );
  }
  if (result.listed.length > 0) {
    lines.push("", `**Not in this pull request (${result.listed.length})**, from what WHMCS holds now:`, "");
    for (const o of result.listed) lines.push(`- ${cell(o.domain)}: ${mask.prose(orderLine(o))}: ${mask.prose(o.reasons.join("; "))}`);
  }
  if (dropped.length > 0) {
    lines.push("", `**Dropped by review (${dropped.length}):** order ${dropped.map((d) => `#${d}`).join(", ")}; not offered again while this pull request is open. Cancel them in WHMCS.`);
  }
  lines.push("", `${MARKER} offered:${[...offered].sort((a, b) => a.length - b.length || compareCodeUnits(a, b)).join(",")} -->`);
  return `${lines.join("\n")}\n`;
}

/** Repository path of an order's manifest (the config may live in a subfolder of the checkout). */
function repoPath(root: string, configDir: string, file: string): string {
  return relative(root, `${configDir}${sep}${file}`).split(sep).join("/");
}

export interface IntakeModeInput {
  readonly octokit: Octokit;
  readonly repo: Repo;
  readonly configPath: string;
  /** The checkout's root (the repository's top folder). */
  readonly root: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  readonly defaultBranch: string;
  /** The default branch's head: a new branch starts here. */
  readonly sha: string;
  readonly runUrl?: string;
}

/** Opens, updates or closes the one intake pull request. */
export async function syncIntakePull(input: IntakeModeInput): Promise<IntakeRun> {
  const { octokit, repo } = input;
  const project = await loadProject(input.configPath);
  const targets = targetsFor(project.config, input.env, input.logger);
  const result = await collectIntake({ project, targets, includeActive: false, logger: input.logger });
  const pull = await openIntakePull(octokit, repo, input.defaultBranch);
  const idOf = (o: IntakeOrder): string => o.order?.id ?? `service-${o.service.id}`;
  const wanted = new Map(result.written.map((o) => [idOf(o), { order: o, path: repoPath(input.root, project.config.dir, o.file ?? "") }]));

  if (wanted.size === 0) {
    if (pull === undefined) return { action: "none", pullRequest: undefined, added: [], result };
    await octokit.rest.issues.createComment({
      ...repo,
      issue_number: pull.number,
      body: `No storefront order is left to review (merged, declared on ${input.defaultBranch}, accepted or cancelled in WHMCS); closing.${input.runUrl ? ` ([run](${input.runUrl}))` : ""}`,
    });
    await octokit.rest.pulls.update({ ...repo, pull_number: pull.number, state: "closed" });
    try {
      await octokit.rest.git.deleteRef({ ...repo, ref: `heads/${INTAKE_BRANCH}` });
    } catch (err) {
      if (!(err instanceof RequestError) || (err.status !== 404 && err.status !== 422)) throw err;
    }
    return { action: "closed", pullRequest: pull.number, added: [], result };
  }

  const existing = pull === undefined ? undefined : await branchHead(octokit, repo);
  const startAt = existing ?? input.sha;
  const start = await filesOf(octokit, repo, startAt);
  let head = { sha: startAt, tree: start.tree };
  const offered = pull === undefined ? new Set<string>() : offeredOf(pull.body);
  const byPath = new Map([...wanted.values()].map((w) => [w.path, w]));
  const dropped = [...offered].filter((id) => wanted.has(id) && !start.paths.has(wanted.get(id)?.path ?? ""));
  const added: string[] = [];

  // Orders no longer waiting (accepted, cancelled, flagged, declared on the default branch) leave the branch.
  if (existing !== undefined) {
    const base = await filesOf(octokit, repo, input.sha);
    const gone = [...start.paths].filter((p) => !base.paths.has(p) && !byPath.has(p));
    if (gone.length > 0) {
      head = await commitFiles(octokit, repo, head, Object.fromEntries(gone.map((g) => [g, null])), `Drop ${gone.length} storefront order(s) that no longer qualify`);
    }
  }
  for (const [id, w] of [...wanted].sort((a, b) => compareCodeUnits(a[1].order.domain, b[1].order.domain))) {
    if (offered.has(id) || start.paths.has(w.path)) continue;
    const o = w.order;
    head = await commitFiles(octokit, repo, head, { [w.path]: o.text ?? "" }, `Storefront order #${id}: ${o.domain} (${orderLine(o)})`);
    added.push(id);
    offered.add(id);
  }

  const inPull = [...wanted.entries()].filter(([id]) => !dropped.includes(id)).map(([, w]) => w.order);
  const mask = maskerOf([...result.written, ...result.listed]);
  const body = intakeBody(inPull, result, dropped, offered, mask);
  const title = `Storefront orders: ${inPull.length} to review`;
  if (head.sha !== startAt || existing === undefined) {
    if (existing !== undefined) await octokit.rest.git.updateRef({ ...repo, ref: `heads/${INTAKE_BRANCH}`, sha: head.sha, force: false });
    else if ((await branchHead(octokit, repo)) !== undefined) await octokit.rest.git.updateRef({ ...repo, ref: `heads/${INTAKE_BRANCH}`, sha: head.sha, force: true });
    else await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${INTAKE_BRANCH}`, sha: head.sha });
  }
  if (pull === undefined) {
    const created = await octokit.rest.pulls.create({ ...repo, title, head: INTAKE_BRANCH, base: input.defaultBranch, body });
    return { action: "opened", pullRequest: created.data.number, added, result };
  }
  await octokit.rest.pulls.update({ ...repo, pull_number: pull.number, title, body });
  return { action: added.length > 0 || head.sha !== startAt ? "updated" : "unchanged", pullRequest: pull.number, added, result };
}

/** `mode: intake`: sync the pull request, then say what happened (stdout, job summary, outputs). */
export async function runIntakeMode(a: ActionEnv, io: CliIo, logger: Logger, octokit: Octokit, defaultBranch: string): Promise<number> {
  const run = await syncIntakePull({
    octokit,
    repo: a.repo,
    configPath: resolve(io.cwd, a.config),
    root: io.cwd,
    env: io.env,
    logger,
    defaultBranch,
    sha: a.sha,
    ...(a.runUrl ? { runUrl: a.runUrl } : {}),
  });
  const r = run.result;
  const said =
    run.action === "none"
      ? "No storefront orders to review."
      : run.action === "closed"
        ? `No storefront order is left to review: closed pull request #${run.pullRequest ?? ""}.`
        : `${run.action === "opened" ? "Opened" : run.action === "updated" ? "Updated" : "Kept"} pull request #${run.pullRequest ?? ""} with ${r.written.length} storefront order(s)` +
          (run.added.length > 0 ? ` (${run.added.length} new: ${run.added.map((x) => `#${x}`).join(", ")})` : "") +
          ".";
  const mask = maskerOf([...r.written, ...r.listed]);
  const listed = r.listed.map((o) => `  not written: ${o.domain} ${orderLine(o)}: ${mask.prose(o.reasons.join("; "))}`);
  io.stdout.write(`${[said, ...listed].join("\n")}\n`);
  if (a.summaryFile) appendFileSync(a.summaryFile, `${said}\n`);
  if (a.outputFile) {
    const out: Record<string, string> = { intake: run.action, "orders-written": String(r.written.length), "orders-listed": String(r.listed.length) };
    if (run.pullRequest !== undefined) out["intake-pull-request"] = String(run.pullRequest);
    appendFileSync(a.outputFile, Object.entries(out).map(([k, v]) => `${k}=${v}\n`).join(""));
  }
  return ExitCode.ok;
}
