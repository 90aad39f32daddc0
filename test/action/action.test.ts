import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { changesFromComment, checksumFromComment, commentBody, isPlanComment, planChangeList } from "../../src/action/comment.js";
import { actionEnv, type ActionEnv } from "../../src/action/run.js";
import { computePlan } from "../../src/plan/index.js";
import { realisticInput } from "../render/realistic.js";
import { runCli, type Project } from "../cli/harness.js";
import { actionFixture, BOT, ELSEWHERE, PARENT, prEvent, pushEvent, runnerEnv, SHA, TOKEN, type ActionFixture, type FakeGitHub } from "./support.js";

let fixture: ActionFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

async function setup(options: Parameters<typeof actionFixture>[0] = {}): Promise<ActionFixture> {
  fixture = await actionFixture(options);
  return fixture;
}

/** Pull request #7 as GitHub shows it once merged into main as SHA; `over` changes one fact. */
function merged(gh: FakeGitHub, over: Partial<FakeGitHub["pulls"][number]> = {}): void {
  gh.pulls.push({ number: 7, merged_at: "2026-11-28T10:00:00Z", merge_commit_sha: SHA, base: { ref: "main" }, commits: [SHA], ...over });
}

/** Nothing reached WHMCS: no product written, no order placed. */
function nothingApplied(p: Project): void {
  for (const action of ["ReconcileUpsertProduct", "ReconcileUpsertProductGroup", "ReconcileUpsertConfigGroup", "AddClient", "AddOrder"]) {
    expect(p.sandbox.calls.count(action), action).toBe(0);
  }
}

const PROTECT_PREMIUM = (dir: string) => {
  const cfg = join(dir, "reconcile.yaml");
  writeFileSync(cfg, readFileSync(cfg, "utf8").replace("protect: []", 'protect: ["Product/mail-premium"]'));
};

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
    expect(body.split("\n").slice(3, 5).join("\n")).toContain("The safety policy refuses this plan");
  });

  it("records the plan's changes as sorted key:action entries", () => {
    const plan = computePlan(realisticInput());
    const body = commentBody(plan, { refusals: [] });
    expect(changesFromComment(body)).toEqual(planChangeList(plan));
    expect(planChangeList(plan).length).toBeGreaterThan(0);
    expect(planChangeList(plan).every((e) => !e.endsWith(":noop"))).toBe(true);
  });
});

describe("reconcile action", () => {
  it("plans on a pull request: one sticky comment, summary, outputs and the plan file", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    const env = runnerEnv(p, gh, dir, prEvent, "pull_request");
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
    expect((await runCli(p.dir, ["action"], { env: runnerEnv(p, gh, dir, prEvent, "pull_request") })).code).toBe(0);
    merged(gh);
    const applied = await runCli(p.dir, ["action"], { env: runnerEnv(p, gh, dir, pushEvent, "push") });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("Apply complete");
    const comments = gh.comments.get(7) ?? [];
    expect(comments.at(-1)?.body).toMatch(/^Applied the reviewed plan `sha256:/);
    expect((await runCli(p.dir, ["plan", "--detailed-exitcode"], { env: p.env })).code).toBe(0);
  });

  it("refuses to apply a commit no reviewed pull request produced", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    const r = await runCli(p.dir, ["action"], { env: runnerEnv(p, gh, dir, pushEvent, "push") });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("action.no-reviewed-plan");
    expect(p.sandbox.calls.count("ReconcileUpsertProduct")).toBe(0);
  });

  it("refuses to apply when WHMCS changed after the review, and says so on the pull request", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    expect((await runCli(p.dir, ["action"], { env: runnerEnv(p, gh, dir, prEvent, "pull_request") })).code).toBe(0);
    await p.sandbox.store.update("tblproductgroups", { name: "Business Email" }, { headline: "Edited by hand after the review" });
    merged(gh);
    const r = await runCli(p.dir, ["action"], { env: runnerEnv(p, gh, dir, pushEvent, "push") });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("apply.checksum-mismatch");
    expect(p.sandbox.calls.count("ReconcileUpsertProduct")).toBe(0);
    expect((gh.comments.get(7) ?? []).at(-1)?.body).toContain("Did **not** apply");
  });

  it("does not apply on pushes to other branches", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    const r = await runCli(p.dir, ["action"], { env: runnerEnv(p, gh, dir, { ref: "refs/heads/feature", repository: { default_branch: "main" } }, "push") });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("action.branch");
    nothingApplied(p);
  });
});

describe("reconcile action: the gates between a review and WHMCS", () => {
  /** Plan on pull request #7 as the workflow would (the comment is written by the token's identity). */
  async function reviewed(p: Project, gh: FakeGitHub, dir: string, extra: NodeJS.ProcessEnv = {}): Promise<string> {
    const r = await runCli(p.dir, ["action"], { env: runnerEnv(p, gh, dir, prEvent, "pull_request", SHA, extra) });
    expect(r.code).toBe(0);
    const body = (gh.comments.get(7) ?? []).find((c) => isPlanComment(c.body))?.body ?? "";
    return checksumFromComment(body) ?? "";
  }
  const push = (p: Project, gh: FakeGitHub, dir: string, extra: NodeJS.ProcessEnv = {}) =>
    runCli(p.dir, ["action"], { env: runnerEnv(p, gh, dir, pushEvent, "push", SHA, extra) });
  const lastComment = (gh: FakeGitHub) => (gh.comments.get(7) ?? []).at(-1)?.body ?? "";

  it("ignores the checksum of a pull request that is not merged, and says so on it", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    await reviewed(p, gh, dir);
    merged(gh, { merged_at: null });
    const r = await push(p, gh, dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("action.pr-not-merged");
    nothingApplied(p);
    expect(lastComment(gh)).toMatch(/^Did \*\*not\*\* apply .*#7 is not merged/);
  });

  it("ignores a pull request merged into another branch than the one pushed", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    await reviewed(p, gh, dir);
    merged(gh, { base: { ref: "release" } });
    const r = await push(p, gh, dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("action.pr-other-branch");
    nothingApplied(p);
    expect(lastComment(gh)).toContain("merged into release, not main");
  });

  it("ignores a pull request whose merge commit is not the pushed commit nor its ancestor", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    await reviewed(p, gh, dir);
    merged(gh, { merge_commit_sha: ELSEWHERE });
    const r = await push(p, gh, dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("action.merge-not-ancestor");
    nothingApplied(p);
    expect(gh.requests.some((q) => q.path.endsWith(`/compare/${ELSEWHERE}...${SHA}`))).toBe(true);
    expect(lastComment(gh)).toContain("Did **not** apply");
  });

  it("accepts a merge commit that is an ancestor of the pushed commit", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    await reviewed(p, gh, dir);
    merged(gh, { merge_commit_sha: PARENT });
    const r = await push(p, gh, dir);
    expect(r.code).toBe(0);
    expect(lastComment(gh)).toMatch(/^Applied the reviewed plan/);
  });

  it("ignores a plan comment someone else wrote, even with the right checksum and even the first", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    // The real plan's comment, as the tool would write it, planted on #7 by another participant.
    expect((await runCli(p.dir, ["action"], { env: runnerEnv(p, gh, dir, { pull_request: { number: 8 } }, "pull_request") })).code).toBe(0);
    const genuine = gh.comments.get(8)?.[0]?.body ?? "";
    expect(checksumFromComment(genuine)).toMatch(/^sha256:/);
    gh.comments.set(7, [{ id: 1, user: "mallory", body: genuine }]);
    merged(gh);
    const r = await push(p, gh, dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("action.no-reviewed-plan");
    expect(r.stderr).toContain(`no plan comment written by ${BOT}`);
    nothingApplied(p);
    expect(lastComment(gh)).toMatch(/^Did \*\*not\*\* apply .*#7 has no plan comment written by github-actions\[bot\]/);
  });

  it("reads the checksum from its own comment, not from an earlier one another user planted", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    const forged = `<!-- zoho-whmcs-reconcile:plan -->\n<!-- zoho-whmcs-reconcile:checksum sha256:${"0".repeat(64)} -->\n`;
    gh.comments.set(7, [{ id: 1, user: "mallory", body: forged }]);
    await reviewed(p, gh, dir);
    // The plan run wrote its own comment and left the planted one alone.
    expect(gh.comments.get(7)?.[0]?.body).toBe(forged);
    expect(gh.comments.get(7)).toHaveLength(2);
    merged(gh);
    const r = await push(p, gh, dir);
    expect(r.code).toBe(0);
    expect(lastComment(gh)).toMatch(/^Applied the reviewed plan/);
  });

  it("with a personal access token, the identity is GET /user's login and the bot's comments do not count", async () => {
    const { project: p, github: gh, temp: dir } = await setup({ identity: { kind: "user", login: "reconcile-bot" } });
    const checksum = await reviewed(p, gh, dir);
    expect(gh.comments.get(7)?.[0]?.user).toBe("reconcile-bot");
    merged(gh);
    // A comment as github-actions[bot] (any workflow's GITHUB_TOKEN) is not this token's.
    const own = gh.comments.get(7)?.[0];
    if (own) own.user = BOT;
    const refused = await push(p, gh, dir);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain("no plan comment written by reconcile-bot");
    if (own) own.user = "reconcile-bot";
    const applied = await push(p, gh, dir);
    expect(applied.code).toBe(0);
    expect(lastComment(gh)).toContain(checksum);
  });

  it("with an installation token other than GITHUB_TOKEN, bot-login names its identity", async () => {
    const { project: p, github: gh, temp: dir } = await setup({ identity: { kind: "installation", login: "acme-reconciler[bot]" } });
    const app = { "INPUT_BOT-LOGIN": "acme-reconciler[bot]" };
    await reviewed(p, gh, dir, app);
    merged(gh);
    const withoutInput = await push(p, gh, dir);
    expect(withoutInput.code).toBe(4);
    expect(withoutInput.stderr).toContain(`no plan comment written by ${BOT}`);
    expect((await push(p, gh, dir, app)).code).toBe(0);
  });

  it("plan mode fails the check when the safety policy refuses the plan", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    PROTECT_PREMIUM(p.dir);
    const r = await runCli(p.dir, ["action"], { env: runnerEnv(p, gh, dir, prEvent, "pull_request") });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("Product/mail-premium is protected");
    expect(gh.comments.get(7)?.[0]?.body).toContain("The safety policy refuses this plan");
  });

  it("a safety refusal at merge applies nothing and is said on the pull request", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    await reviewed(p, gh, dir);
    PROTECT_PREMIUM(p.dir);
    merged(gh);
    const r = await push(p, gh, dir);
    expect(r.code).toBe(4);
    nothingApplied(p);
    expect(lastComment(gh)).toMatch(/^Did \*\*not\*\* apply .*the safety policy refuses the fresh plan: Product\/mail-premium is protected/);
  });
});

describe("reconcile action: apply-remaining after a partial apply", () => {
  const dispatch = { ref: "refs/heads/main", repository: { default_branch: "main" }, inputs: { "pull-request": "7" } };
  const remaining = (p: Project, gh: FakeGitHub, dir: string, pr = "7") =>
    runCli(p.dir, ["action"], { env: runnerEnv(p, gh, dir, dispatch, "workflow_dispatch", SHA, { INPUT_MODE: "apply-remaining", "INPUT_PULL-REQUEST": pr }) });

  /** Review #7's full plan and merge it; then apply only its catalog part (the customer manifests left out). */
  async function partiallyApplied(p: Project, gh: FakeGitHub, dir: string): Promise<void> {
    expect((await runCli(p.dir, ["action"], { env: runnerEnv(p, gh, dir, prEvent, "pull_request") })).code).toBe(0);
    merged(gh);
    const cfg = join(p.dir, "reconcile.yaml");
    const full = readFileSync(cfg, "utf8");
    writeFileSync(cfg, full.replace('manifests: ["catalog/**/*.yaml", "customers/**/*.yaml"]', 'manifests: ["catalog/**/*.yaml"]'));
    const partial = await runCli(p.dir, ["--yes"], { env: p.env });
    expect(partial.code, partial.stderr).toBe(0);
    writeFileSync(cfg, full);
  }

  it("applies a fresh plan whose every change was in the reviewed plan", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    await partiallyApplied(p, gh, dir);
    // What is left differs from the reviewed plan (so the merge's checksum gate refuses it) ...
    expect((await runCli(p.dir, ["action"], { env: runnerEnv(p, gh, dir, pushEvent, "push") })).code).toBe(4);
    // ... but every change left was reviewed.
    const r = await remaining(p, gh, dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("CustomerOrg/acme");
    expect((gh.comments.get(7) ?? []).at(-1)?.body).toMatch(/^Applied what was left of the reviewed plan `sha256:/);
    expect((await runCli(p.dir, ["plan", "--detailed-exitcode"], { env: p.env })).code).toBe(0);
    expect((await remaining(p, gh, dir)).code).toBe(0);
    expect((gh.comments.get(7) ?? []).at(-1)?.body).toMatch(/^Nothing was left to apply/);
  });

  it("refuses a fresh plan with a change the reviewed plan did not have", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    await partiallyApplied(p, gh, dir);
    await p.sandbox.store.update("tblproductgroups", { name: "Business Email" }, { headline: "Edited by hand after the review" });
    const orders = p.sandbox.calls.count("AddOrder");
    const r = await remaining(p, gh, dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("ProductGroup/business-email:update");
    expect(p.sandbox.calls.count("AddOrder")).toBe(orders);
    expect((gh.comments.get(7) ?? []).at(-1)?.body).toContain("changes the reviewed plan did not: `ProductGroup/business-email:update`");
  });

  it("goes through the same gates: an unmerged pull request's plan is not applied", async () => {
    const { project: p, github: gh, temp: dir } = await setup();
    expect((await runCli(p.dir, ["action"], { env: runnerEnv(p, gh, dir, prEvent, "pull_request") })).code).toBe(0);
    merged(gh, { merged_at: null });
    const r = await remaining(p, gh, dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("action.pr-not-merged");
    nothingApplied(p);
  });
});

describe("the Action's files", () => {
  const root = join(import.meta.dirname, "..", "..");
  interface Job {
    readonly if?: string;
    readonly environment?: string;
    readonly concurrency?: { readonly group: string; readonly "cancel-in-progress": boolean; readonly queue?: string };
    readonly steps: readonly { readonly id?: string; readonly name?: string; readonly if?: string; readonly uses?: string; readonly with?: Record<string, unknown> }[];
  }
  const workflow = parseYaml(readFileSync(join(root, "examples", "github", "reconcile.yml"), "utf8")) as {
    readonly env: Record<string, string>;
    readonly jobs: Record<string, Job>;
  };
  const action = parseYaml(readFileSync(join(root, "action.yml"), "utf8")) as {
    readonly inputs: Record<string, { readonly default?: string }>;
    readonly outputs: Record<string, { readonly description?: string; readonly value?: string }>;
  };
  /** The variable GitHub's node20 runtime sets for an input: INPUT_ and the name upper-cased, spaces as underscores, hyphens kept. */
  const runtimeName = (input: string): string => `INPUT_${input.replace(/ /g, "_").toUpperCase()}`;
  const github = { GITHUB_REPOSITORY: "acme/email-catalog", GITHUB_EVENT_NAME: "workflow_dispatch", GITHUB_SHA: SHA };
  /** Each input of action.yml: a value to give it, and where actionEnv puts what it read. */
  const reads: Record<string, readonly [value: string, read: (a: ActionEnv) => unknown, expected: unknown]> = {
    config: ["catalog/reconcile.yaml", (a) => a.config, "catalog/reconcile.yaml"],
    mode: ["drift", (a) => a.mode, "drift"],
    "github-token": [TOKEN, (a) => a.token, TOKEN],
    "bot-login": ["acme-reconciler[bot]", (a) => a.botLogin, "acme-reconciler[bot]"],
    "pull-request": ["12", (a) => a.pullRequest, 12],
  };

  it("the example workflow passes the WHMCS and Zoho secrets", () => {
    for (const name of ["WHMCS_API_IDENTIFIER", "WHMCS_API_SECRET", "ZOHO_CLIENT_ID", "ZOHO_CLIENT_SECRET", "ZOHO_REFRESH_TOKEN"]) {
      expect(workflow.env[name]).toBe(`\${{ secrets.${name} }}`);
    }
  });

  it("plans and applies in separate concurrency groups: plans cancelled per pull request, applies never", () => {
    const { plan, apply, "apply-remaining": remaining } = workflow.jobs;
    expect(plan?.concurrency).toEqual({ group: "reconcile-plan-${{ github.event.pull_request.number }}", "cancel-in-progress": true });
    expect(apply?.concurrency).toEqual({ group: "reconcile-apply", "cancel-in-progress": false, queue: "max" });
    expect(remaining?.concurrency).toEqual(apply?.concurrency);
    expect(remaining?.if).toBe("github.event_name == 'workflow_dispatch'");
    expect(remaining?.environment).toBe("production");
    expect(remaining?.steps.at(-1)?.with).toMatchObject({ mode: "apply-remaining", "pull-request": "${{ inputs.pull-request }}" });
  });

  it("actionEnv reads every input of action.yml under the name the node20 runtime gives it", () => {
    expect(Object.keys(reads).sort()).toEqual(Object.keys(action.inputs).sort());
    expect(runtimeName("github-token")).toBe("INPUT_GITHUB-TOKEN");
    for (const [input, [value, read, expected]] of Object.entries(reads)) {
      const name = runtimeName(input);
      expect(read(actionEnv({ ...github, [name]: value })), name).toEqual(expected);
      expect(read(actionEnv(github)), `${name} not set`).not.toEqual(expected);
    }
    expect(action.inputs["bot-login"]?.default).toBe(BOT);
  });

  it("actionEnv still reads the underscore names the composite action used to set", () => {
    for (const [input, [value, read, expected]] of Object.entries(reads)) {
      const name = runtimeName(input).replace(/-/g, "_");
      expect(read(actionEnv({ ...github, [name]: value })), name).toEqual(expected);
    }
  });

  it("action.yml's outputs are what the run writes to GITHUB_OUTPUT, with no step to take them from", () => {
    expect(Object.keys(action.outputs).length).toBeGreaterThan(0);
    for (const [name, output] of Object.entries(action.outputs)) expect(output.value, name).toBeUndefined();
  });

  it("the example workflow uploads the plan and the report after the plan and drift runs, and installs no Node", () => {
    for (const job of ["plan", "drift"]) {
      const steps = workflow.jobs[job]?.steps ?? [];
      const at = steps.findIndex((s) => s.id === "reconcile");
      expect(steps[at]?.uses, job).toMatch(/zoho-whmcs-reconcile@/);
      const uploads = steps.slice(at + 1).filter((s) => s.uses === "actions/upload-artifact@v4");
      expect(uploads.map((s) => [s.if, s.with]), job).toEqual([
        ["always() && steps.reconcile.outputs.plan-file != ''", { name: "reconcile-plan", path: "${{ steps.reconcile.outputs.plan-file }}" }],
        ["always() && steps.reconcile.outputs.report-file != ''", { name: "reconcile-report", path: "${{ steps.reconcile.outputs.report-file }}" }],
      ]);
    }
    for (const [name, job] of Object.entries(workflow.jobs)) expect(job.steps.filter((s) => s.uses?.startsWith("actions/setup-node")), name).toEqual([]);
  });

  it("reconcile --help lists the action command", async () => {
    const r = await runCli(root, ["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}action {12}\S/m);
  });
});
