import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isPlanComment } from "../../src/action/comment.js";
import { DRIFT_ISSUE_MARKER, driftFromComment, sameChange, sinceOf, splitDrift } from "../../src/action/drift.js";
import { computePlan } from "../../src/plan/index.js";
import { realisticInput } from "../render/realistic.js";
import { exampleProject, runCli, type Project } from "../cli/harness.js";
import { startFakeGitHub } from "./fake-github.js";
import { BOT, runnerEnv, TOKEN } from "./support.js";


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

type FakeGitHub = Awaited<ReturnType<typeof startFakeGitHub>>;

/** git in the project folder, as a fixed author (the runner's git config plays no part). */
function git(dir: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", ...args], {
    cwd: dir,
    encoding: "utf8",
  }).trim();
}

/** The example project, applied (live state is what main declares), with main committed in a real repository. */
async function appliedMain(): Promise<{ p: Project; gh: FakeGitHub; dir: string; main: string }> {
  project = await exampleProject();
  github = await startFakeGitHub(TOKEN);
  temp = mkdtempSync(join(tmpdir(), "reconcile-drift-"));
  const p = project;
  const applied = await runCli(p.dir, ["--yes"], { env: p.env });
  expect(applied.code, applied.stderr).toBe(0);
  expect((await runCli(p.dir, ["plan", "--detailed-exitcode"], { env: p.env })).code).toBe(0);
  writeFileSync(join(p.dir, ".gitignore"), ".reconcile/\n");
  git(p.dir, "init", "--quiet");
  git(p.dir, "add", ".");
  git(p.dir, "commit", "--quiet", "-m", "main");
  return { p, gh: github, dir: temp, main: git(p.dir, "rev-parse", "HEAD") };
}

/** Someone edits a product's price in the WHMCS admin area: one tblpricing row, written directly. */
async function editPriceByHand(p: Project, product: string, currency: string, annually: string): Promise<void> {
  const pid = (await p.sandbox.store.selectOne("tblproducts", { name: product }))?.["id"];
  const cur = (await p.sandbox.store.selectOne("tblcurrencies", { code: currency }))?.["id"];
  expect(pid, product).toBeDefined();
  expect(cur, currency).toBeDefined();
  const n = await p.sandbox.store.update("tblpricing", { type: "product", relid: Number(pid), currency: Number(cur) }, { annually });
  expect(n).toBe(1);
}

/** The runner's environment on the default branch (`GITHUB_REF` main). */
function env(p: Project, gh: { url: string }, dir: string, eventName: string, event: object, sha: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return runnerEnv(p, gh, dir, event, eventName, sha, { GITHUB_REF: "refs/heads/main", ...extra });
}

const outputs = (dir: string): string => readFileSync(join(dir, "output.txt"), "utf8");

describe("drift on a pull request", () => {
  it("shows a WHMCS price changed in the admin area under drift, apart from the pull request's own change", async () => {
    const { p, gh, dir, main } = await appliedMain();
    // The pull request changes something unrelated: a product's description.
    git(p.dir, "checkout", "--quiet", "-b", "feature");
    const products = join(p.dir, "catalog", "products.yaml");
    writeFileSync(products, readFileSync(products, "utf8").replace("50 GB per mailbox, email archival and S/MIME.", "50 GB per mailbox, archival and S/MIME."));
    git(p.dir, "commit", "--quiet", "-am", "feature");
    const head = git(p.dir, "rev-parse", "HEAD");
    // Meanwhile someone edits Mail Lite's USD price by hand.
    await editPriceByHand(p, "Zoho Mail Lite", "USD", "99.00");

    const event = { pull_request: { number: 7, head: { sha: head }, base: { ref: "main", sha: main } } };
    const r = await runCli(p.dir, ["action"], { env: env(p, gh, dir, "pull_request", event, head) });
    expect(r.code, r.stderr).toBe(0);
    const comments = gh.comments.get(7) ?? [];
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? "";
    expect(isPlanComment(body)).toBe(true);
    expect(driftFromComment(body)).toEqual(["Product/mail-lite:update"]);
    const section = body.slice(body.indexOf("#### Drift"));
    expect(section).toContain("#### Drift: live state moved away from `main`");
    expect(section).toMatch(/\| `Product\/mail-lite` \| update \| `pricing\.USD\.annually`: `"99\.00"` → `"0\.00"` \|/);
    expect(section).toContain("**This pull request's own changes (1):** `Product/mail-premium` (update).");
    expect(section).not.toContain("mail-premium` | update");
    // The footer stays last; the report artifact shows the same drift.
    expect(body.trimEnd().split("\n").at(-1)).toMatch(/^<sub>planned for /);
    expect(outputs(dir)).toContain(`report-file=${join(dir, "reconcile-report.html")}`);
    const html = readFileSync(join(dir, "reconcile-report.html"), "utf8");
    const drift = html.slice(html.indexOf('<section id="drift">'));
    expect(drift.slice(0, drift.indexOf("</section>"))).toContain("Product/mail-lite");
    expect(drift.slice(0, drift.indexOf("</section>"))).not.toContain("Product/mail-premium");
    // The temporary worktree of main is gone again.
    expect(git(p.dir, "worktree", "list").split("\n")).toHaveLength(1);
    for (const out of [r.stdout, r.stderr, body, html]) for (const s of [...p.secrets, TOKEN]) expect(out).not.toContain(s);
  });

  it("says why drift was not told apart when the base commit is not in the checkout, and plans anyway", async () => {
    const { p, gh, dir, main } = await appliedMain();
    const missing = "9".repeat(40);
    const event = { pull_request: { number: 7, base: { ref: "main", sha: missing } } };
    const r = await runCli(p.dir, ["action"], { env: env(p, gh, dir, "pull_request", event, main) });
    expect(r.code, r.stderr).toBe(0);
    const body = (gh.comments.get(7) ?? [])[0]?.body ?? "";
    expect(body).toContain(`Drift against \`main\` was not told apart: the base commit ${missing.slice(0, 12)} is not in the checkout and could not be fetched (check out with fetch-depth: 0).`);
    expect(driftFromComment(body)).toBeUndefined();
  });
});

describe("drift split", () => {
  it("counts a change as drift only when the base plan has it with the same content", () => {
    const plan = computePlan(realisticInput());
    const changed = plan.changes.filter((c) => c.action !== "noop");
    expect(changed.length).toBeGreaterThan(2);
    const [first, second] = changed as [(typeof changed)[number], (typeof changed)[number]];
    // The base has the first change as is, and the second with another value after.
    const base = { ...plan, changes: [first, { ...second, after: { other: true } }] };
    const split = splitDrift(plan, base);
    expect(split.drift.map((c) => c.key)).toEqual([first.key]);
    expect(split.own.map((c) => c.key)).toEqual(changed.slice(1).map((c) => c.key));
    expect(split.settled.map((c) => c.key)).toEqual([second.key]);
    expect(sameChange(second, { ...second, diffs: [] })).toBe(second.diffs.length === 0);
  });
});

describe("scheduled drift check", () => {
  const schedule = { schedule: "17 * * * *" };

  it("opens one issue when main has drifted, updates it while the drift lasts, and closes it when it is gone", async () => {
    const { p, gh, dir, main } = await appliedMain();
    // An issue with the marker that someone else opened is never the one to keep.
    gh.issues.push({ number: 1, title: "planted", body: `${DRIFT_ISSUE_MARKER}\nnot ours`, state: "open", state_reason: null, labels: [], user: "mallory" });
    const run = () => runCli(p.dir, ["action"], { env: env(p, gh, dir, "schedule", schedule, main) });
    const ours = () => gh.issues.filter((i) => i.user === BOT);

    await editPriceByHand(p, "Zoho Mail Lite", "USD", "99.00");
    const first = await run();
    expect(first.code, first.stderr).toBe(0);
    expect(ours()).toHaveLength(1);
    const issue = ours()[0];
    expect(issue?.state).toBe("open");
    expect(issue?.title).toBe("Drift: live WHMCS/Zoho state differs from main");
    expect(issue?.body.startsWith(DRIFT_ISSUE_MARKER)).toBe(true);
    expect(issue?.body).toContain("`Product/mail-lite`");
    expect(issue?.body).not.toContain("<!-- zoho-whmcs-reconcile:plan -->");
    expect(first.stdout).toContain(`opened issue #${issue?.number}`);
    expect(outputs(dir)).toContain("drifted=true");
    expect(existsSync(join(dir, "reconcile-report.html"))).toBe(true);
    const since = sinceOf(issue?.body);
    expect(since).toMatch(/^\d{4}-\d\d-\d\dT/);

    // The drift grows: the same issue is updated, and still says when the drift was first seen.
    await editPriceByHand(p, "Zoho Mail Premium", "EUR", "77.00");
    const second = await run();
    expect(second.code, second.stderr).toBe(0);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]?.number).toBe(issue?.number);
    expect(ours()[0]?.body).toContain("`Product/mail-premium`");
    expect(sinceOf(ours()[0]?.body)).toBe(since);
    expect(second.stdout).toContain(`updated issue #${issue?.number}`);

    // Live state is put back (main applied again): the issue is closed, with a comment saying so.
    expect((await runCli(p.dir, ["--yes"], { env: p.env })).code).toBe(0);
    const third = await run();
    expect(third.code, third.stderr).toBe(0);
    expect(ours()).toHaveLength(1);
    expect(ours()[0]?.state).toBe("closed");
    expect((gh.comments.get(issue?.number ?? 0) ?? []).at(-1)?.body).toMatch(/^No drift at [0-9a-f]{12} .*: live state matches `main` again\./);
    expect(third.stdout).toContain(`closed issue #${issue?.number}`);
    expect(outputs(dir)).toContain("drifted=false");

    // A fourth run with no drift and no open issue does nothing; the planted issue was never touched.
    const fourth = await run();
    expect(fourth.stdout).toContain("No drift: live state matches main.");
    expect(gh.issues.find((i) => i.number === 1)).toMatchObject({ state: "open", body: `${DRIFT_ISSUE_MARKER}\nnot ours`, title: "planted" });
    expect(gh.requests.filter((r) => r.method === "PATCH" && r.path.endsWith("/issues/1"))).toHaveLength(0);
    for (const out of [first.stdout, first.stderr, issue?.body ?? ""]) for (const s of [...p.secrets, TOKEN]) expect(out).not.toContain(s);
  });
});
