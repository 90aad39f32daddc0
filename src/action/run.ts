import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Octokit } from "octokit";
import { ExitCode, ReconcileError } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import { scrub } from "../core/secrets.js";
import { hasChanges } from "../model/plan.js";
import { renderJson, renderText } from "../render/index.js";
import { renderApplyReport } from "../apply/index.js";
import { renderVerification } from "../apply/customers/index.js";
import { runPipeline } from "../pipeline/index.js";
import type { CliIo } from "../cli/io.js";
import { commentBody } from "./comment.js";
import { commentOn, reviewedPlanFor, upsertPlanComment, type Repo } from "./github.js";

/** What the Action reads from its environment (GitHub's variables and the composite's inputs). */
export interface ActionEnv {
  readonly mode: "plan" | "apply";
  readonly config: string;
  readonly token: string | undefined;
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
  const requested = (env["INPUT_MODE"] ?? "auto").trim() || "auto";
  const mode = requested === "auto" ? (eventName === "push" ? "apply" : "plan") : requested;
  if (mode !== "plan" && mode !== "apply") throw new ReconcileError("action.input", `input mode must be plan, apply or auto (got ${JSON.stringify(requested)})`);
  const server = env["GITHUB_SERVER_URL"] ?? "https://github.com";
  const runId = env["GITHUB_RUN_ID"];
  return {
    mode,
    config: (env["INPUT_CONFIG"] ?? "").trim() || "reconcile.yaml",
    token: (env["INPUT_GITHUB_TOKEN"] ?? "").trim() || undefined,
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
 * The GitHub Action. On pull requests: plan, one sticky comment, job summary, plan JSON file.
 * On push to the default branch: find the merged pull request's reviewed checksum and apply only
 * if a fresh plan has exactly that checksum.
 */
export async function runAction(a: ActionEnv, io: CliIo, logger: Logger): Promise<number> {
  const octokit = a.token ? new Octokit({ auth: a.token, baseUrl: a.apiUrl }) : undefined;
  const request = { configPath: resolve(io.cwd, a.config), env: io.env, logger };

  if (a.mode === "plan") {
    const { run, safety } = await runPipeline(request, { mode: "plan", force: false });
    const { plan } = run;
    const body = commentBody(plan, { refusals: safety.ok ? [] : safety.reasons, sha: a.sha, ...(a.runUrl ? { runUrl: a.runUrl } : {}) });
    const planFile = join(a.tempDir, "reconcile-plan.json");
    writeFileSync(planFile, renderJson(plan));
    if (a.summaryFile) appendFileSync(a.summaryFile, body);
    const pr = pullRequestNumber(a.event);
    if (pr !== undefined && octokit) {
      const c = await upsertPlanComment(octokit, a.repo, pr, body);
      io.stderr.write(`${c.created ? "created" : "updated"} the plan comment on #${pr}\n`);
    }
    setOutputs(a.outputFile, { checksum: plan.checksum, "has-changes": String(hasChanges(plan)), "plan-file": planFile });
    io.stdout.write(body);
    return safety.ok ? ExitCode.ok : ExitCode.refused;
  }

  if (!octokit) throw new ReconcileError("action.token", "apply needs github-token to find the reviewed plan", ExitCode.error);
  const ref = String(a.event["ref"] ?? "");
  const defaultBranch = String((a.event["repository"] as { default_branch?: unknown } | undefined)?.default_branch ?? "main");
  if (ref !== `refs/heads/${defaultBranch}`) {
    throw new ReconcileError("action.branch", `apply runs only on pushes to ${defaultBranch} (this is ${ref || a.eventName})`, ExitCode.refused);
  }
  const reviewed = await reviewedPlanFor(octokit, a.repo, a.sha, defaultBranch);
  if (!reviewed) {
    throw new ReconcileError("action.no-reviewed-plan", `no reviewed plan found for ${a.sha.slice(0, 12)}: nothing was applied`, ExitCode.refused, {
      hint: "changes reach WHMCS only through a pull request whose plan comment was reviewed; open one",
    });
  }
  io.stderr.write(`applying the plan reviewed on #${reviewed.pullRequest} (${reviewed.checksum})\n`);
  const code = await applyReviewed(request, reviewed.checksum, io);
  const outcome =
    code === ExitCode.ok
      ? `Applied the reviewed plan \`${reviewed.checksum}\` at ${a.sha.slice(0, 12)}.`
      : code === ExitCode.refused
        ? `Did **not** apply: the fresh plan differs from the reviewed \`${reviewed.checksum}\` (or the safety policy refused it). Plan again in a new pull request.`
        : `Apply of \`${reviewed.checksum}\` ended with exit code ${code}; see the [workflow run](${a.runUrl ?? ""}). Plan again to see what is left.`;
  await commentOn(octokit, a.repo, reviewed.pullRequest, outcome);
  if (a.summaryFile) appendFileSync(a.summaryFile, `${outcome}\n`);
  setOutputs(a.outputFile, { checksum: reviewed.checksum, "exit-code": String(code) });
  return code;
}

/** The merge's apply: the pipeline with the reviewed checksum, no prompt; a refusal becomes its exit code. */
async function applyReviewed(request: Parameters<typeof runPipeline>[0], checksum: string, io: CliIo): Promise<number> {
  try {
    const outcome = await runPipeline(
      request,
      { mode: "apply", force: false, planChecksum: checksum },
      {
        planned(run, safety) {
          io.stdout.write(renderText(run.plan, { color: false }));
          for (const r of safety.ok ? [] : safety.reasons) io.stderr.write(`refused: ${r}\n`);
        },
        applied: (report) => void io.stdout.write(`\n${renderApplyReport(report)}`),
        verified: (outcomes) => void io.stdout.write(renderVerification(outcomes)),
      },
    );
    return outcome.exitCode;
  } catch (err) {
    if (!(err instanceof ReconcileError)) throw err;
    io.stderr.write(`error [${err.code}]: ${scrub(err.message)}\n`);
    if (err.hint) io.stderr.write(`hint: ${scrub(err.hint)}\n`);
    return err.exitCode;
  }
}
