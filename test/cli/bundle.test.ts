import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire, isBuiltin } from "node:module";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import standaloneCode from "ajv/dist/standalone/index.js";
import type { Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCli, MAIN, PRECOMPILED } from "../../scripts/build-cli.mjs";
import { USAGE } from "../../src/cli/args.js";
import { runNode, type NodeRun } from "../support/node-process.js";
import { createAjv, readSchema, SCHEMA_BASE, SCHEMA_FILES, schemaHash } from "../../src/manifest/schemas.js";
import { EXAMPLES, runCli } from "./harness.js";

/*
 * bin/reconcile.js runs dist/bin/main.js, the CLI bundled by scripts/build-cli.mjs (`npm run build`).
 * A clean clone has no dist/, so these tests build the bundle afresh, with precompiled validators
 * generated as scripts/compile-schemas.mjs does, into node_modules/.cli-bundle-…/: two folders below
 * the repository, as dist/bin/ is, so the paths the sources compute from import.meta.url hold there as
 * they do in dist/bin/. They run it as a user does, `node` in a project folder, and compare with the
 * sources run in-process (which compile the schemas at run time).
 */

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "reconcile.js");
const RUNNER = "reconcile.mjs";

let out: string;
let metafile: Metafile;
const temps: string[] = [];

/** A fresh folder two levels below the repository, where the bundle's relative paths hold. */
function bundleDir(): string {
  const dir = mkdtempSync(join(ROOT, "node_modules", ".cli-bundle-"));
  temps.push(dir);
  return dir;
}

beforeAll(async () => {
  const ajv = createAjv({ source: true });
  for (const f of SCHEMA_FILES) ajv.addSchema(readSchema(f));
  const code = standaloneCode.default(ajv, { manifest: `${SCHEMA_BASE}manifest.schema.json`, config: `${SCHEMA_BASE}config.schema.json` });
  // Inside the repository, so the build resolves the generated code's ajv helpers.
  const generated = join(bundleDir(), "validators.cjs");
  writeFileSync(generated, `${code}\nexports.schemaHash = ${JSON.stringify(schemaHash())};\n`);
  out = bundleDir();
  ({ metafile } = await buildCli(out, { precompiled: generated }));
  // bin/reconcile.js itself, pointed at this build instead of dist/bin/.
  const bin = readFileSync(BIN, "utf8");
  expect(bin, "bin/reconcile.js should run the bundle").toContain(`from "../dist/bin/${MAIN}"`);
  writeFileSync(join(out, RUNNER), bin.replace(`"../dist/bin/${MAIN}"`, `"./${MAIN}"`));
});

afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

type Run = NodeRun;

function reconcile(args: readonly string[], cwd: string, bundle = out): Promise<Run> {
  return runNode([join(bundle, RUNNER), ...args], cwd, { PATH: process.env["PATH"] ?? "" });
}

/** A copy of examples/ with a schema problem and a cross-check problem; `validate -c` of it. */
function invalidProject(): readonly string[] {
  const dir = mkdtempSync(join(tmpdir(), "reconcile-cli-bundle-"));
  temps.push(dir);
  cpSync(EXAMPLES, dir, { recursive: true });
  const edit = (file: string, from: string, to: string): void => {
    const text = readFileSync(join(dir, file), "utf8");
    expect(text).toContain(from);
    writeFileSync(join(dir, file), text.replace(from, to));
  };
  edit("catalog/groups.yaml", "headline: Email on your own domain", "headline: 5");
  edit("catalog/products.yaml", "group: business-email", "group: no-such-group");
  return ["validate", "-c", join(dir, "reconcile.yaml")];
}

describe("the CLI bundle", () => {
  it("prints the usage for --help", async () => {
    const r = await reconcile(["--help"], EXAMPLES);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(USAGE);
  });

  it("validates examples/ as the sources do", async () => {
    const [bundled, sources] = await Promise.all([reconcile(["validate"], EXAMPLES), runCli(EXAMPLES, ["validate"])]);
    expect(sources.code).toBe(0);
    expect(bundled).toEqual({ code: 0, stdout: sources.stdout, stderr: sources.stderr });
  });

  it("carries precompiled validators of today's schemas, so the loader uses them", () => {
    const pre = createRequire(import.meta.url)(join(out, PRECOMPILED)) as { schemaHash?: unknown; manifest?: unknown; config?: unknown };
    expect(pre.schemaHash).toBe(schemaHash());
    expect(typeof pre.manifest).toBe("function");
    expect(typeof pre.config).toBe("function");
  });

  it("reports invalid manifests as the sources do: exit 3, file:line:col, the schema's and the cross-checks' problems", async () => {
    const args = invalidProject();
    // Paths in the report are relative to the process's working folder: the same for both.
    const [bundled, sources] = await Promise.all([reconcile(args, process.cwd()), runCli(process.cwd(), args)]);
    expect(sources.code).toBe(3);
    expect(sources.stderr).toMatch(/catalog\/groups\.yaml:\d+:\d+ +schema\.type/);
    expect(sources.stderr).toMatch(/catalog\/products\.yaml:\d+:\d+ +ref\.unknown-group/);
    expect(bundled).toEqual({ code: 3, stdout: sources.stdout, stderr: sources.stderr });
  });

  it("without precompiled validators (a build before scripts/compile-schemas.mjs), compiles the schemas and reports the same", async () => {
    const bare = bundleDir();
    cpSync(out, bare, { recursive: true, filter: (src) => !src.endsWith(PRECOMPILED) });
    const args = invalidProject();
    const [bundled, sources] = await Promise.all([reconcile(args, process.cwd(), bare), runCli(process.cwd(), args)]);
    expect(sources.code).toBe(3);
    expect(bundled).toEqual({ code: 3, stdout: sources.stdout, stderr: sources.stderr });
  });

  it("runs the demo: the sandboxes (better-sqlite3), the demo's seed and examples/reconcile.yaml found from the chunks", async () => {
    const r = await reconcile(["demo"], tmpdir());
    expect(r.code, r.stderr).toBe(0);
    const [first = "", applied = "", last = ""] = r.stdout.split(/━+\n[123]\/3 {2}/).slice(1);
    expect(first).toMatch(/^= adopt Product\/mail-lite/m); // from the seed
    expect(first).toMatch(/^\+ create CustomerOrg\/acme/m); // from examples/
    expect(applied).toContain("Apply complete: 8 applied");
    expect(last).toContain("No changes. Live state matches the manifests.");
  });

  it("loads for `validate` only the argument parsing, the manifest loader and what they import", () => {
    const outputs = metafile.outputs;
    const chunk = (entryPoint: string): string => {
      const found = Object.keys(outputs).filter((p) => outputs[p]?.entryPoint === entryPoint);
      expect(found, `one chunk for ${entryPoint}`).toHaveLength(1);
      return found[0] as string;
    };
    // main.js and its static imports, the validate command's chunk and its static imports, transitively:
    // what `reconcile validate` loads before it reads a file (main.ts imports each command on dispatch).
    const loaded = new Set<string>();
    const load = (path: string): void => {
      const o = outputs[path];
      if (o === undefined || loaded.has(path)) return;
      loaded.add(path);
      for (const i of o.imports) if (i.kind === "import-statement" && i.external !== true) load(i.path);
    };
    load(chunk("src/cli/main.ts"));
    expect([...loaded][0]).toBe(relative(ROOT, join(out, MAIN)));
    load(chunk("src/cli/commands/validate.ts"));

    const inputs = [...loaded].flatMap((p) => Object.entries(outputs[p]?.inputs ?? {}).filter(([, i]) => i.bytesInOutput > 0).map(([input]) => input));
    for (const needed of ["src/cli/args.ts", "src/manifest/load.ts", "src/manifest/schemas.ts", "node_modules/yaml/dist/index.js"]) expect(inputs, needed).toContain(needed);
    expect(inputs.filter((i) => /^src\/(sandbox|providers|pipeline)\//.test(i))).toEqual([]);
    const externals = [...loaded].flatMap((p) => (outputs[p]?.imports ?? []).filter((i) => i.external === true).map((i) => i.path));
    expect(externals.filter((e) => /^(better-sqlite3|mysql2|pino|octokit)(\/|$)/.test(e))).toEqual([]);
    for (const p of loaded) {
      const text = readFileSync(join(ROOT, p), "utf8");
      // Nor do they name them (better-sqlite3 is loaded with createRequire, which the metafile does not list) ...
      expect(text, p).not.toMatch(/better-sqlite3|mysql2/);
      // ... nor require anything but Node's built-ins at run time (bundled CommonJS, fdir's optional picomatch).
      const required = [...text.matchAll(/\b__require(?:\.resolve)?\("([^"]+)"\)/g)].map((m) => m[1] ?? "");
      expect(required.filter((r) => !isBuiltin(r)), p).toEqual([]);
    }
  });

  it("is built only two folders below the repository, where the sources' relative paths hold", async () => {
    await expect(buildCli(join(tmpdir(), "reconcile-cli-bundle-elsewhere"))).rejects.toThrow(/two folders below/);
    await expect(buildCli(join(ROOT, "dist"))).rejects.toThrow(/two folders below/);
  });
});
