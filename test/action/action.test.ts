import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checksumFromComment, commentBody, isPlanComment } from "../../src/action/comment.js";
import { computePlan } from "../../src/plan/index.js";
import { realisticInput } from "../render/realistic.js";
import { exampleProject, runCli, type Project } from "../cli/harness.js";
import { startFakeGitHub } from "./fake-github.js";

const TOKEN = "ghs_faketoken0123456789";
const SHA = "0123456789abcdef0123456789abcdef01234567";

let project: Project | undefined;
let github: Awaited<ReturnType<typeof startFakeGitHub>> | undefined;
let temp: string | undefined;
afterEach(async () => {
  await project?.close();
  await github?.close();
  if (temp) rmSync(temp, { recursive: true, force: true });
  project = undefined;
  github = undefined;
  temp = undefined;
});

async function setup() {
  project = await exampleProject();
  github = await startFakeGitHub(TOKEN);
  temp = mkdtempSync(join(tmpdir(), "reconcile-action-"));
  return { project, github, temp };
}

function actionEnv(p: Project, gh: { url: string }, dir: string, event: object, eventName: string, sha = SHA): NodeJS.ProcessEnv {
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
    INPUT_GITHUB_TOKEN: TOKEN,
  };
}

const prEvent = { pull_request: { number: 7 } };
const pushEvent = { ref: "refs/heads/main", repository: { default_branch: "main" } };

describe("the plan comment", () => {
  it("is the Markdown plan with a marker, the checksum line and a footer", async () => {
    const plan = computePlan(realisticInput());
    const body = commentBody(plan, { refusals: [], sha: SHA, runUrl: "https://github.example/acme/email-catalog/actions/runs/42" });
    await expect(body).toMatchFileSnapshot("__snapshots__/comment.md");
    expect(isPlanComment(body)).toBe(true);
    expect(checksumFromComment(body)).toBe(plan.checksum);
  });

  it("puts safety refusals first", () => {
    const plan = computePlan(realisticInput());
    const body = commentBody(plan, { refusals: ["Product/mail-lite is protected"] });
    expect(body.split("\n").slice(2, 5).join("\n")).toContain("The safety policy refuses this plan");
  });
});

describe("reconcile action", () => {
  it("plans on a pull request: one sticky comment, summary, outputs and the plan file", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    const env = actionEnv(p, gh, dir, prEvent, "pull_request");
    const first = await runCli(p.dir, ["action"], { env });
    expect(first.code).toBe(0);
    const again = await runCli(p.dir, ["action"], { env });
    expect(again.code).toBe(0);
    const comments = gh.comments.get(7) ?? [];
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? "";
    expect(isPlanComment(body)).toBe(true);
    const checksum = checksumFromComment(body);
    expect(checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(readFileSync(join(dir, "summary.md"), "utf8")).toContain(checksum);
    const outputs = readFileSync(join(dir, "output.txt"), "utf8");
    expect(outputs).toContain(`checksum=${checksum}`);
    expect(outputs).toContain("has-changes=true");
    const planJson = JSON.parse(readFileSync(join(dir, "reconcile-plan.json"), "utf8")) as { checksum: string };
    expect(planJson.checksum).toBe(checksum);
    expect(gh.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
    for (const out of [first.stdout, first.stderr, body]) for (const s of [...p.secrets, TOKEN]) expect(out).not.toContain(s);
  });

  it("applies on merge exactly the reviewed plan, then reports on the pull request", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    expect((await runCli(p.dir, ["action"], { env: actionEnv(p, gh, dir, prEvent, "pull_request") })).code).toBe(0);
    gh.pulls.push({ number: 7, merged_at: "2026-11-28T10:00:00Z", base: { ref: "main" }, commits: [SHA] });
    const applied = await runCli(p.dir, ["action"], { env: actionEnv(p, gh, dir, pushEvent, "push") });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("Apply complete");
    const comments = gh.comments.get(7) ?? [];
    expect(comments.at(-1)?.body).toMatch(/^Applied the reviewed plan `sha256:/);
    expect((await runCli(p.dir, ["plan", "--detailed-exitcode"], { env: p.env })).code).toBe(0);
  });

  it("refuses to apply a commit no reviewed pull request produced", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    const r = await runCli(p.dir, ["action"], { env: actionEnv(p, gh, dir, pushEvent, "push") });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("action.no-reviewed-plan");
    expect(p.sandbox.calls.count("ReconcileUpsertProduct")).toBe(0);
  });

  it("refuses to apply when WHMCS changed after the review, and says so on the pull request", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    expect((await runCli(p.dir, ["action"], { env: actionEnv(p, gh, dir, prEvent, "pull_request") })).code).toBe(0);
    await p.sandbox.store.update("tblproductgroups", { name: "Business Email" }, { headline: "Edited by hand after the review" });
    gh.pulls.push({ number: 7, merged_at: "2026-11-28T10:00:00Z", base: { ref: "main" }, commits: [SHA] });
    const r = await runCli(p.dir, ["action"], { env: actionEnv(p, gh, dir, pushEvent, "push") });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("apply.checksum-mismatch");
    expect(p.sandbox.calls.count("ReconcileUpsertProduct")).toBe(0);
    expect((gh.comments.get(7) ?? []).at(-1)?.body).toContain("Did **not** apply");
  });

  it("does not apply on pushes to other branches", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    const r = await runCli(p.dir, ["action"], { env: actionEnv(p, gh, dir, { ref: "refs/heads/feature", repository: { default_branch: "main" } }, "push") });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("action.branch");
  });
});
