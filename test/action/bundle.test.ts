import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, parse as parsePath } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { Metafile } from "esbuild";
import { checksumFromComment, isPlanComment } from "../../src/action/comment.js";
import { buildAction, BUNDLE, LICENSES } from "../../scripts/build-action.mjs";
import { runCli } from "../cli/harness.js";
import { runNode, type NodeRun } from "../support/node-process.js";
import { actionFixture, prEvent, runnerEnv, type ActionFixture } from "./support.js";

/*
 * action.yml runs dist-action/index.mjs, committed and built by `npm run build:action`. These tests
 * check that the committed files are what the current sources build, and that the bundle runs
 * as GitHub's runner starts it: `node index.mjs`, with nothing installed beside it.
 */

const ROOT = join(import.meta.dirname, "..", "..");
const COMMITTED = join(ROOT, "dist-action");

let fixture: ActionFixture | undefined;
const temps: string[] = [];
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

describe("action.yml", () => {
  it("runs a committed file on the node20 runtime", () => {
    const action = parseYaml(readFileSync(join(ROOT, "action.yml"), "utf8")) as { readonly runs: { readonly using?: string; readonly main?: string; readonly steps?: unknown } };
    expect(action.runs.using).toBe("node20");
    expect(action.runs.steps).toBeUndefined();
    expect(action.runs.main).toBe(`dist-action/${BUNDLE}`);
    expect(existsSync(join(ROOT, action.runs.main ?? "")), `${action.runs.main} is missing: run \`npm run build:action\` and commit dist-action/`).toBe(true);
  });
});

describe("the committed bundle", () => {
  let fresh: string;
  let metafile: Metafile;
  beforeAll(async () => {
    fresh = tempDir("reconcile-bundle-build-");
    ({ metafile } = await buildAction(fresh));
  });

  it("is, with its licence list, byte for byte what the current sources build", () => {
    for (const file of [BUNDLE, LICENSES]) {
      const committed = join(COMMITTED, file);
      const same = existsSync(committed) && readFileSync(committed).equals(readFileSync(join(fresh, file)));
      expect(same, `dist-action/${file} is not what the current sources build: run \`npm run build:action\` and commit dist-action/`).toBe(true);
    }
  });

  it("holds what `reconcile action` needs and not the CLI's other commands", () => {
    const inputs = Object.keys(metafile.inputs);
    for (const needed of ["src/cli/action-main.ts", "src/action/run.ts", "schemas/manifest.schema.json", "node_modules/ajv/dist/ajv.js"]) expect(inputs, needed).toContain(needed);
    const unwanted = inputs.filter((i) => /^src\/(sandbox\/|cli\/main\.ts|cli\/commands\/(demo|sandbox|import|zoho-auth|unlock)\.ts)|node_modules\/better-sqlite3\//.test(i));
    expect(unwanted).toEqual([]);
    // Every third-party package in the bundle has its licence in the list.
    const licenses = readFileSync(join(fresh, LICENSES), "utf8");
    for (const pkg of ["ajv", "octokit", "pino", "yaml", "p-limit", "tinyglobby"]) expect(licenses).toMatch(new RegExp(`^${pkg}@\\d+\\.\\d+\\.\\d+ \\(`, "m"));
  });
});

type Run = NodeRun;

/** As the runner starts a node20 action: `node <main>` in the workspace, with the step's environment only. */
function runBundle(main: string, cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return runNode([main], cwd, env);
}

/**
 * dist-action/ copied where nothing resolves beside it: no node_modules in any folder above, and no
 * `schemas/` where the sources would look for it (two folders up from the bundle).
 */
function isolatedBundle(): string {
  const dir = join(tempDir("reconcile-bundle-run-"), "action", "dist-action");
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(COMMITTED, dir, { recursive: true });
  for (let d = dir; ; d = dirname(d)) {
    expect(existsSync(join(d, "node_modules")), `${d}/node_modules would let the bundle resolve packages`).toBe(false);
    if (d === parsePath(d).root) break;
  }
  expect(existsSync(join(dir, "..", "..", "schemas"))).toBe(false);
  return join(dir, BUNDLE);
}

describe("the committed bundle, run as the runner runs it, with no node_modules", () => {
  it("plans on a pull request: the plan comment, the outputs and the plan file", async () => {
    fixture = await actionFixture();
    const { project: p, github: gh, temp: dir } = fixture;
    const r = await runBundle(isolatedBundle(), p.dir, runnerEnv(p, gh, dir, prEvent, "pull_request"));
    expect(r.code, r.stderr).toBe(0);
    const comments = gh.comments.get(7) ?? [];
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? "";
    expect(isPlanComment(body)).toBe(true);
    const checksum = checksumFromComment(body);
    expect(checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
    const outputs = readFileSync(join(dir, "output.txt"), "utf8");
    expect(outputs).toContain(`checksum=${checksum}\n`);
    expect(outputs).toContain("has-changes=true\n");
    const planFile = join(dir, "reconcile-plan.json");
    expect(outputs).toContain(`plan-file=${planFile}\n`);
    expect((JSON.parse(readFileSync(planFile, "utf8")) as { checksum: string }).checksum).toBe(checksum);
    expect(readFileSync(join(dir, "summary.md"), "utf8")).toContain(checksum);
  });

  it("reports an invalid manifest as the CLI does, from the schemas it embeds: exit 3, the same text", async () => {
    fixture = await actionFixture();
    const { project: p, github: gh, temp: dir } = fixture;
    const products = join(p.dir, "catalog", "products.yaml");
    writeFileSync(products, readFileSync(products, "utf8").replace("metadata: { name: mail-lite }", "metadata: { name: Mail Lite }").replace("payType: recurring", "payType: sometimes"));
    const env = runnerEnv(p, gh, dir, prEvent, "pull_request");
    const bundle = await runBundle(isolatedBundle(), p.dir, env);
    // The CLI in the workspace too, as the runner would start it: the report names files relative to the process's folder.
    const before = process.cwd();
    process.chdir(p.dir);
    const cli = await runCli(p.dir, ["action"], { env }).finally(() => process.chdir(before));
    expect(cli.code).toBe(3);
    expect(cli.stderr).toMatch(/^catalog\/products\.yaml:4:19 +schema\.pattern +'name' must be a lower-case DNS label/m);
    expect(cli.stderr).toMatch(/^catalog\/products\.yaml:10:12 +schema\.enum +'payType' is 'sometimes'/m);
    expect(cli.stderr).toContain("problem(s) found; nothing was written to WHMCS or Zoho.");
    expect({ code: bundle.code, stderr: bundle.stderr }).toEqual({ code: cli.code, stderr: cli.stderr });
    expect(gh.comments.get(7) ?? []).toEqual([]);
  });
});
