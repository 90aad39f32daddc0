import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleProject, type Project } from "../cli/harness.js";
import { startFakeGitHub } from "./fake-github.js";

/** What the Action tests share: a project on the sandboxes, the fake GitHub API, a runner's environment. */

export const TOKEN = "ghs_faketoken0123456789";
/** The pushed commit (the merge); its parent; a commit on another line of history. */
export const SHA = "0123456789abcdef0123456789abcdef01234567";
export const PARENT = "1111111111111111111111111111111111111111";
export const ELSEWHERE = "2222222222222222222222222222222222222222";
export const BOT = "github-actions[bot]";

export type FakeGitHub = Awaited<ReturnType<typeof startFakeGitHub>>;

export interface ActionFixture {
  readonly project: Project;
  readonly github: FakeGitHub;
  /** RUNNER_TEMP: event payloads, the summary, the outputs file, the plan and the report. */
  readonly temp: string;
  close(): Promise<void>;
}

/** The example project on fresh sandboxes, and the fake GitHub with main: PARENT ← SHA, and ELSEWHERE off PARENT. */
export async function actionFixture(options: Parameters<typeof startFakeGitHub>[1] = {}): Promise<ActionFixture> {
  const project = await exampleProject();
  const github = await startFakeGitHub(TOKEN, options);
  // ELSEWHERE branched off PARENT and was never merged into main.
  github.commit(PARENT);
  github.commit(SHA, PARENT);
  github.commit(ELSEWHERE, PARENT);
  const temp = mkdtempSync(join(tmpdir(), "reconcile-action-"));
  return {
    project,
    github,
    temp,
    async close() {
      await project.close();
      await github.close();
      rmSync(temp, { recursive: true, force: true });
    },
  };
}

/**
 * The environment GitHub's runner gives the Action's step: the GITHUB_* variables, the event payload
 * written to a file, and the inputs as the node20 runtime names them (`INPUT_GITHUB-TOKEN`: hyphens kept).
 */
export function runnerEnv(p: Project, gh: { url: string }, dir: string, event: object, eventName: string, sha = SHA, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const eventPath = join(dir, `event-${eventName}.json`);
  writeFileSync(eventPath, JSON.stringify(event));
  return {
    ...p.env,
    GITHUB_REPOSITORY: "acme/email-catalog",
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: sha,
    GITHUB_API_URL: gh.url,
    GITHUB_SERVER_URL: "https://github.example",
    GITHUB_RUN_ID: "42",
    GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
    GITHUB_OUTPUT: join(dir, "output.txt"),
    RUNNER_TEMP: dir,
    INPUT_CONFIG: "reconcile.yaml",
    INPUT_MODE: "auto",
    "INPUT_GITHUB-TOKEN": TOKEN,
    "INPUT_BOT-LOGIN": BOT,
    "INPUT_PULL-REQUEST": "",
    ...extra,
  };
}

export const prEvent = { pull_request: { number: 7 } };
export const pushEvent = { ref: "refs/heads/main", repository: { default_branch: "main" } };
