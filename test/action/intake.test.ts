import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { INTAKE_BRANCH, offeredOf } from "../../src/action/intake.js";
import { exampleProject, runCli, type Project } from "../cli/harness.js";
import { pay, placeOrder, whmcsApi } from "../cli/storefront.js";
import { startFakeGitHub } from "./fake-github.js";
import { runnerEnv, TOKEN } from "./support.js";

const MAIN = "1111111111111111111111111111111111111111";

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

/** The runner's environment of a scheduled intake run on the default branch. */
function env(p: Project, gh: { url: string }, dir: string, sha: string): NodeJS.ProcessEnv {
  return runnerEnv(p, gh, dir, { schedule: "0 * * * *" }, "schedule", sha, { GITHUB_REF: "refs/heads/main", INPUT_MODE: "intake" });
}

/** The commits of the intake branch back to the default branch's head, oldest first. */
function branchCommits(gh: NonNullable<typeof github>): { sha: string; message: string; files: string[] }[] {
  const out: { sha: string; message: string; files: string[] }[] = [];
  let sha = gh.refs.get(`heads/${INTAKE_BRANCH}`);
  while (sha !== undefined && sha !== MAIN) {
    const c = gh.gitCommits.get(sha);
    if (c === undefined) break;
    const parent = c.parents[0];
    const before = parent === undefined ? new Map<string, string>() : gh.filesAt(parent);
    out.unshift({ sha, message: c.message, files: [...gh.filesAt(sha).keys()].filter((f) => !before.has(f)) });
    sha = parent;
  }
  return out;
}

describe("the Action's intake mode", () => {
  it("opens one pull request with a commit per paid order, adds a later order to it, and closes it once the orders are merged", async () => {
    project = await exampleProject();
    github = await startFakeGitHub(TOKEN);
    temp = mkdtempSync(join(tmpdir(), "reconcile-intake-"));
    const p = project;
    const gh = github;
    const api = whmcsApi(p);
    const applied = await runCli(p.dir, ["--yes"], { env: p.env });
    expect(applied.code, applied.stderr).toBe(0);
    gh.gitCommit(MAIN, { "reconcile.yaml": readFileSync(join(p.dir, "reconcile.yaml"), "utf8") });

    for (const o of [
      { domain: "alpha.example", product: "Zoho Mail Lite", mailboxes: 5, cycle: "annually" as const },
      { domain: "bravo.example", product: "Zoho Mail Premium", mailboxes: 3, cycle: "annually" as const },
      { domain: "charlie.example", product: "Zoho Mail Lite", mailboxes: 2, cycle: "annually" as const },
    ]) await pay(api, await placeOrder(p, api, o));
    const unpaid = await placeOrder(p, api, { domain: "delta.example", product: "Zoho Mail Lite", mailboxes: 4, cycle: "annually" });

    // First run: one pull request, three commits, one file each.
    const first = await runCli(p.dir, ["action"], { env: env(p, gh, temp, MAIN) });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^Opened pull request #1 with 3 storefront order\(s\)/);
    expect(gh.pulls).toHaveLength(1);
    const pull = gh.pulls[0];
    expect(pull?.state).toBe("open");
    expect(pull?.head?.ref).toBe(INTAKE_BRANCH);
    expect(pull?.base.ref).toBe("main");
    let commits = branchCommits(gh);
    expect(commits.map((c) => c.files)).toEqual([["customers/alpha-example.yaml"], ["customers/bravo-example.yaml"], ["customers/charlie-example.yaml"]]);
    expect(commits[0]?.message).toMatch(/^Storefront order #\d+: alpha\.example \(order #\d+ of .*, USD 60\.00, paid \(invoice #\d+\), 5 mailboxes annually\)$/);
    const body = pull?.body ?? "";
    expect(body).toContain("### Storefront orders to review (3)");
    expect(body).toMatch(/\| alpha\.example \| a•••@alpha\.example \| mail-lite \| 5 \| annually \| USD 60\.00 \| paid \(invoice #\d+\) \|/);
    expect(body).toContain(`delta.example: order #${unpaid.orderId}`);
    expect(body).toContain("unpaid: invoice #");
    // Masked like every other pull request output: no customer e-mail or name in full.
    expect(body).not.toMatch(/admin@/);
    expect(body).not.toContain("Hopper");
    expect(offeredOf(body).size).toBe(3);
    const manifest = gh.filesAt(gh.refs.get(`heads/${INTAKE_BRANCH}`) ?? "").get("customers/alpha-example.yaml") ?? "";
    expect(manifest).toContain("kind: CustomerOrg");
    expect(manifest).toContain("email: admin@alpha.example"); // the manifest itself holds the client, as every manifest does

    // Another paid order arrives: the second run adds one commit to the same pull request.
    await pay(api, await placeOrder(p, api, { domain: "echo.example", product: "Zoho Mail Lite", mailboxes: 1, cycle: "annually" }));
    const second = await runCli(p.dir, ["action"], { env: env(p, gh, temp, MAIN) });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^Updated pull request #1 with 4 storefront order\(s\) \(1 new: #\d+\)/);
    expect(gh.pulls).toHaveLength(1);
    commits = branchCommits(gh);
    expect(commits).toHaveLength(4);
    expect(commits[3]?.files).toEqual(["customers/echo-example.yaml"]);
    expect(gh.pulls[0]?.body).toContain("### Storefront orders to review (4)");

    // A run with nothing new changes nothing.
    const third = await runCli(p.dir, ["action"], { env: env(p, gh, temp, MAIN) });
    expect(third.code, third.stderr).toBe(0);
    expect(branchCommits(gh)).toHaveLength(4);

    // The pull request is merged: main holds the manifests, and the apply adopts the orders.
    const head = gh.refs.get(`heads/${INTAKE_BRANCH}`) ?? "";
    for (const [path, text] of gh.filesAt(head)) {
      if (!path.startsWith("customers/")) continue;
      mkdirSync(dirname(join(p.dir, path)), { recursive: true });
      writeFileSync(join(p.dir, path), text);
    }
    const merged = await runCli(p.dir, ["--yes"], { env: p.env });
    expect(merged.code, merged.stderr).toBe(0);
    for (const d of ["alpha.example", "bravo.example", "charlie.example", "echo.example"]) {
      expect((await p.sandbox.store.selectOne("tblhosting", { domain: d }))?.["domainstatus"], d).toBe("Active");
    }
    const last = await runCli(p.dir, ["action"], { env: env(p, gh, temp, "2222222222222222222222222222222222222222") });
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toMatch(/^No storefront order is left to review: closed pull request #1\./);
    expect(gh.pulls[0]?.state).toBe("closed");
    expect(gh.refs.has(`heads/${INTAKE_BRANCH}`)).toBe(false);
    expect(gh.comments.get(1)?.at(-1)?.body).toContain("No storefront order is left to review");
    expect(readFileSync(join(temp, "output.txt"), "utf8")).toContain("intake=closed");
  });
});
