import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { Octokit } from "octokit";
import { ExitCode, ReconcileError } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import { scrub } from "../core/secrets.js";
import { hasChanges } from "../model/plan.js";
import { renderJson, renderText } from "../render/index.js";
import { renderApplyReport } from "../apply/index.js";
import { renderVerification } from "../apply/customers/index.js";
import { runPipeline } from "../pipeline/index.js";
import { progressReporter } from "../cli/progress.js";
import type { CliIo } from "../cli/io.js";
import { renderHtml } from "../render/html.js";
import { reportOptions } from "../pipeline/report.js";
import { commentBody, planChangeList } from "./comment.js";
import { baseDrift, baseOf, driftMarkdown, htmlDrift, syncDriftIssue, withDriftSection } from "./drift.js";
import { runIntakeMode } from "./intake.js";
import { ACTIONS_BOT_LOGIN, commentOn, reviewedPlanFor, reviewedPlanOf, tokenIdentity, upsertPlanComment, type Repo, type ReviewLookup } from "./github.js";

/** What the Action reads from its environment (GitHub's variables and the action's inputs). */
export interface ActionEnv {
  readonly mode: "plan" | "apply" | "apply-remaining" | "drift" | "intake";
  readonly config: string;
  readonly token: string | undefined;
  /** Whose plan comments count when `GET /user` is closed to the token (installation tokens). */
  readonly botLogin: string;
  /** apply-remaining: the merged pull request whose reviewed plan was partially applied. */
  readonly pullRequest: number | undefined;
  /** The branch ref the run is for (`refs/heads/…`). */
  readonly ref: string;
  readonly repo: Repo;
  readonly sha: string;
  readonly eventName: string;
  readonly event: Readonly<Record<string, unknown>>;
  readonly apiUrl: string;
  readonly runUrl: string | undefined;
  readonly summaryFile: string | undefined;
  readonly outputFile: string | undefined;
  readonly tempDir: string;
}

/**
 * An input of action.yml, as the node20 runtime passes it: `INPUT_` and the input's name upper-cased,
 * spaces as underscores, hyphens kept (`INPUT_GITHUB-TOKEN`). The all-underscore spelling
 * (`INPUT_GITHUB_TOKEN`), which the composite action used to set, is read when that one is absent.
 */
function input(env: NodeJS.ProcessEnv, name: string): string {
  const runtime = `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
  return env[runtime] ?? env[runtime.replace(/-/g, "_")] ?? "";
}

export function actionEnv(env: NodeJS.ProcessEnv): ActionEnv {
  const need = (name: string): string => {
    const v = env[name];
    if (v === undefined || v === "") throw new ReconcileError("action.env", `${name} is not set: run this inside a GitHub Actions job`);
    return v;
  };
  const [owner = "", repo = ""] = need("GITHUB_REPOSITORY").split("/");
  const eventName = need("GITHUB_EVENT_NAME");
  const eventPath = env["GITHUB_EVENT_PATH"];
  const event = eventPath ? (JSON.parse(readFileSync(eventPath, "utf8")) as Record<string, unknown>) : {};
  const requested = input(env, "mode").trim() || "auto";
  const mode = requested === "auto" ? (eventName === "push" ? "apply" : eventName === "schedule" ? "drift" : "plan") : requested;
  if (mode !== "plan" && mode !== "apply" && mode !== "apply-remaining" && mode !== "drift" && mode !== "intake") {
    throw new ReconcileError("action.input", `input mode must be plan, apply, apply-remaining, drift, intake or auto (got ${JSON.stringify(requested)})`);
  }
  const prInput = input(env, "pull-request").trim().replace(/^#/, "");
  if (prInput !== "" && !/^[1-9][0-9]*$/.test(prInput)) throw new ReconcileError("action.input", `input pull-request must be a pull request number (got ${JSON.stringify(prInput)})`);
  const server = env["GITHUB_SERVER_URL"] ?? "https://github.com";
  const runId = env["GITHUB_RUN_ID"];
  return {
    mode,
    config: input(env, "config").trim() || "reconcile.yaml",
    token: input(env, "github-token").trim() || undefined,
    botLogin: input(env, "bot-login").trim() || ACTIONS_BOT_LOGIN,
    pullRequest: prInput === "" ? undefined : Number(prInput),
    ref: String(event["ref"] ?? env["GITHUB_REF"] ?? ""),
    repo: { owner, repo },
    sha: need("GITHUB_SHA"),
    eventName,
    event,
    apiUrl: env["GITHUB_API_URL"] ?? "https://api.github.com",
    runUrl: runId ? `${server}/${owner}/${repo}/actions/runs/${runId}` : undefined,
    summaryFile: env["GITHUB_STEP_SUMMARY"],
    outputFile: env["GITHUB_OUTPUT"],
    tempDir: env["RUNNER_TEMP"] ?? env["TMPDIR"] ?? "/tmp",
  };
}

function setOutputs(file: string | undefined, outputs: Record<string, string>): void {
  if (!file) return;
  appendFileSync(file, Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join(""));
}

function pullRequestNumber(event: Readonly<Record<string, unknown>>): number | undefined {
  const pr = event["pull_request"] as { number?: unknown } | undefined;
  return typeof pr?.number === "number" ? pr.number : undefined;
}

/**
 * The GitHub Action. On pull requests: plan, one sticky comment, job summary, plan JSON file; a
 * plan the safety policy refuses fails the check. On push to the default branch: find the reviewed
 * checksum of the merged pull request and apply only if a fresh plan has exactly that checksum.
 * `apply-remaining` (after a partial apply): apply a fresh plan whose every change was reviewed.
 */
export async function runAction(a: ActionEnv, io: CliIo, logger: Logger): Promise<number> {
  const octokit = a.token ? new Octokit({ auth: a.token, baseUrl: a.apiUrl }) : undefined;
  const request = { configPath: resolve(io.cwd, a.config), env: io.env, logger };

  if (a.mode === "plan") {
    const { run, safety } = await runPipeline(request, { mode: "plan", force: false });
    const { plan } = run;
    // The base branch's own plan against the same live state: what it has too is drift, not this pull request's.
    const base = baseOf(a.event);
    const drift = base === undefined ? undefined : await baseDrift(request, plan, base, a.tempDir);
    const planBody = commentBody(plan, { refusals: safety.ok ? [] : safety.reasons, sha: a.sha, root: dirname(request.configPath), ...(a.runUrl ? { runUrl: a.runUrl } : {}) });
    const body = drift === undefined ? planBody : withDriftSection(planBody, driftMarkdown(drift, plan));
    const planFile = join(a.tempDir, "reconcile-plan.json");
    writeFileSync(planFile, renderJson(plan));
    const reportFile = join(a.tempDir, "reconcile-report.html");
    writeFileSync(reportFile, renderHtml(plan, reportOptions(run, drift === undefined ? {} : { drift: htmlDrift(drift) })));
    if (a.summaryFile) appendFileSync(a.summaryFile, body);
    const pr = pullRequestNumber(a.event);
    if (pr !== undefined && octokit) {
      const login = await tokenIdentity(octokit, a.botLogin);
      const c = await upsertPlanComment(octokit, a.repo, pr, body, login);
      io.stderr.write(`${c.created ? "created" : "updated"} the plan comment on #${pr}\n`);
    }
    setOutputs(a.outputFile, { checksum: plan.checksum, "has-changes": String(hasChanges(plan)), "plan-file": planFile, "report-file": reportFile });
    io.stdout.write(body);
    for (const r of safety.ok ? [] : safety.reasons) io.stderr.write(`refused: ${r}\n`);
    return safety.ok ? ExitCode.ok : ExitCode.refused;
  }

  if (!octokit) {
    const why = a.mode === "drift" ? "keep the drift issue" : a.mode === "intake" ? "keep the storefront orders pull request" : "find the reviewed plan";
    throw new ReconcileError("action.token", `${a.mode} needs github-token to ${why}`, ExitCode.error);
  }
  const named = (a.event["repository"] as { default_branch?: unknown } | undefined)?.default_branch;
  // A schedule event's payload may not carry the repository; then ask for its default branch.
  const defaultBranch = typeof named === "string" ? named : a.mode === "drift" || a.mode === "intake" ? (await octokit.rest.repos.get({ ...a.repo })).data.default_branch : "main";
  if (a.ref !== `refs/heads/${defaultBranch}`) {
    throw new ReconcileError("action.branch", `${a.mode} runs only on ${defaultBranch} (this is ${a.ref || a.eventName})`, ExitCode.refused);
  }
  const login = await tokenIdentity(octokit, a.botLogin);
  if (a.mode === "intake") return runIntakeMode(a, io, logger, octokit, defaultBranch);

  if (a.mode === "drift") {
    // The default branch's manifests against live state: any change is drift, kept in one issue.
    const { run } = await runPipeline(request, { mode: "plan", force: false });
    const { plan } = run;
    const planFile = join(a.tempDir, "reconcile-plan.json");
    writeFileSync(planFile, renderJson(plan));
    const reportFile = join(a.tempDir, "reconcile-report.html");
    writeFileSync(reportFile, renderHtml(plan, reportOptions(run, { title: `Drift check of ${defaultBranch} against ${plan.target.whmcs}` })));
    const issue = await syncDriftIssue(octokit, a.repo, login, plan, { branch: defaultBranch, sha: a.sha, now: new Date().toISOString(), ...(a.runUrl ? { runUrl: a.runUrl } : {}) });
    const drifted = hasChanges(plan);
    const said =
      issue.action === "none"
        ? `No drift: live state matches ${defaultBranch}.`
        : issue.action === "closed"
          ? `No drift: live state matches ${defaultBranch} again; closed issue #${issue.issue}.`
          : `Live state has drifted from ${defaultBranch}: ${issue.action} issue #${issue.issue}.`;
    io.stdout.write(`${renderText(plan, { color: false })}\n${said}\n`);
    if (a.summaryFile) appendFileSync(a.summaryFile, `${said}\n`);
    setOutputs(a.outputFile, {
      checksum: plan.checksum,
      "has-changes": String(drifted),
      drifted: String(drifted),
      ...(issue.action !== "none" ? { issue: String(issue.issue) } : {}),
      "plan-file": planFile,
      "report-file": reportFile,
    });
    return ExitCode.ok;
  }
  const short = a.sha.slice(0, 12);

  /** Say a refusal on the pull request (when one is known) and in the summary; return the exit code. */
  const refuse = async (pr: number | undefined, reason: string): Promise<void> => {
    const text = `Did **not** apply at ${short}: ${reason}. Nothing was applied.`;
    if (pr !== undefined) await commentOn(octokit, a.repo, pr, text);
    if (a.summaryFile) appendFileSync(a.summaryFile, `${text}\n`);
  };
  const notFound = async (lookup: Extract<ReviewLookup, { found: false }>): Promise<never> => {
    await refuse(lookup.pullRequest, lookup.reason);
    throw new ReconcileError(lookup.code, `${lookup.reason}: nothing was applied`, ExitCode.refused, {
      hint: `changes reach WHMCS only through a pull request merged into ${defaultBranch} whose plan comment (written by ${login}) was reviewed`,
    });
  };

  if (a.mode === "apply-remaining") {
    if (a.pullRequest === undefined) throw new ReconcileError("action.input", "apply-remaining needs the pull-request input: the merged pull request whose plan was partially applied");
    const lookup = await reviewedPlanOf(octokit, a.repo, a.pullRequest, a.sha, defaultBranch, login);
    if (!lookup.found) return notFound(lookup);
    const reviewed = lookup.plan;
    if (reviewed.changes === undefined) {
      return notFound({ found: false, code: "action.no-reviewed-changes", reason: `the plan comment on #${reviewed.pullRequest} records no change list`, pullRequest: reviewed.pullRequest });
    }
    io.stderr.write(`applying what is left of the plan reviewed on #${reviewed.pullRequest} (${reviewed.checksum})\n`);
    const result = await applyFresh(request, io, { allowed: new Set(reviewed.changes) });
    return report(a, io, octokit, reviewed.pullRequest, result, {
      ok: `Applied what was left of the reviewed plan \`${reviewed.checksum}\` at ${short} (\`${result.checksum ?? ""}\`).`,
      nothing: `Nothing was left to apply of the reviewed plan \`${reviewed.checksum}\` at ${short}.`,
    });
  }

  const lookup = await reviewedPlanFor(octokit, a.repo, a.sha, defaultBranch, login);
  if (!lookup.found) return notFound(lookup);
  const reviewed = lookup.plan;
  io.stderr.write(`applying the plan reviewed on #${reviewed.pullRequest} (${reviewed.checksum})\n`);
  const result = await applyFresh(request, io, { planChecksum: reviewed.checksum });
  return report(a, io, octokit, reviewed.pullRequest, { ...result, checksum: reviewed.checksum }, {
    ok: `Applied the reviewed plan \`${reviewed.checksum}\` at ${short}.`,
    nothing: `Applied the reviewed plan \`${reviewed.checksum}\` at ${short}.`,
  });
}

interface ApplyResult {
  readonly code: number;
  readonly status: "applied" | "nothing-to-do" | "refused" | "failed";
  /** Why nothing was applied (refused), or what failed. */
  readonly reason?: string;
  readonly checksum?: string;
}

/** Tell the pull request (and the job summary) how the apply ended; set the outputs. */
async function report(
  a: ActionEnv,
  io: CliIo,
  octokit: Octokit,
  pr: number,
  result: ApplyResult,
  texts: { readonly ok: string; readonly nothing: string },
): Promise<number> {
  const outcome =
    result.status === "applied"
      ? texts.ok
      : result.status === "nothing-to-do"
        ? texts.nothing
        : result.status === "refused"
          ? `Did **not** apply at ${a.sha.slice(0, 12)}: ${result.reason ?? "refused"}. Nothing was applied; plan again in a new pull request.`
          : `Apply ended with exit code ${result.code}${result.reason ? ` (${result.reason})` : ""}; see the [workflow run](${a.runUrl ?? ""}). Plan again to see what is left, or run \`apply-remaining\` for this pull request.`;
  await commentOn(octokit, a.repo, pr, outcome);
  if (a.summaryFile) appendFileSync(a.summaryFile, `${outcome}\n`);
  setOutputs(a.outputFile, { ...(result.checksum ? { checksum: result.checksum } : {}), "exit-code": String(result.code) });
  if (result.status === "refused") io.stderr.write(`refused: ${result.reason ?? ""}\n`);
  return result.code;
}

/**
 * The pipeline in apply mode, no prompt. With `planChecksum`, only a fresh plan with exactly that
 * checksum is applied; with `allowed`, only a fresh plan whose every change (`key:action`) is in it.
 * A refusal (safety, checksum, a change that was not reviewed) becomes a result, never a throw.
 */
async function applyFresh(
  request: Parameters<typeof runPipeline>[0],
  io: CliIo,
  gate: { readonly planChecksum?: string; readonly allowed?: ReadonlySet<string> },
): Promise<ApplyResult> {
  let unreviewed: string[] = [];
  let checksum: string | undefined;
  try {
    const outcome = await runPipeline(
      request,
      // Progress lines in the job log (every 30 s) during a long apply.
      { mode: "apply", force: false, planChecksum: gate.planChecksum, onProgress: progressReporter(io.stderr).progress },
      {
        planned(run, safety) {
          checksum = run.plan.checksum;
          io.stdout.write(renderText(run.plan, { color: false }));
          for (const r of safety.ok ? [] : safety.reasons) io.stderr.write(`refused: ${r}\n`);
        },
        // Asked before the first write: a change the review did not contain stops the run here.
        confirm: async (run) => {
          const { allowed } = gate;
          if (allowed === undefined) return true;
          unreviewed = planChangeList(run.plan).filter((e) => !allowed.has(e));
          return unreviewed.length === 0;
        },
        applied: (r) => void io.stdout.write(`\n${renderApplyReport(r)}`),
        verified: (outcomes) => void io.stdout.write(renderVerification(outcomes)),
      },
    );
    const base = checksum === undefined ? {} : { checksum };
    switch (outcome.status) {
      case "refused":
        return { code: ExitCode.refused, status: "refused", reason: `the safety policy refuses the fresh plan: ${outcome.safety.reasons.join("; ")}`, ...base };
      case "cancelled":
        return {
          code: ExitCode.refused,
          status: "refused",
          reason: `the fresh plan has changes the reviewed plan did not: ${unreviewed.map((e) => `\`${e}\``).join(", ")}`,
          ...base,
        };
      case "nothing-to-do":
      case "verified": // no change; pending domains were checked with Zoho
        return { code: outcome.exitCode, status: "nothing-to-do", ...base };
      case "applied":
        return { code: outcome.exitCode, status: "applied", ...base };
      default:
        return { code: outcome.exitCode, status: "failed", reason: outcome.status, ...base };
    }
  } catch (err) {
    if (!(err instanceof ReconcileError)) throw err;
    io.stderr.write(`error [${err.code}]: ${scrub(err.message)}\n`);
    if (err.hint) io.stderr.write(`hint: ${scrub(err.hint)}\n`);
    const base = checksum === undefined ? {} : { checksum };
    if (err.exitCode === ExitCode.refused) return { code: err.exitCode, status: "refused", reason: scrub(err.message).replace(/; nothing was applied$/, ""), ...base };
    return { code: err.exitCode, status: "failed", reason: err.code, ...base };
  }
}
