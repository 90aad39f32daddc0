// Builds the GitHub Action's bundle: src/action/bundle.ts and everything it imports (our TypeScript
// sources, the JSON Schemas, the runtime dependencies) as one ES module, dist-action/index.mjs, which
// action.yml runs on the node20 runtime without installing anything. Beside it, licenses.txt: the
// licence of every third-party package in the bundle. Both are committed; the same sources and
// node_modules give the same bytes, and test/action/bundle.test.ts checks the committed files
// against a fresh build.
//
//   node scripts/build-action.mjs [out-dir]     (npm run build:action; out-dir defaults to dist-action)
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const ENTRY = "src/action/bundle.ts";
export const BUNDLE = "index.mjs";
export const LICENSES = "licenses.txt";

// Bundled CommonJS packages call require() (Node's built-ins among them); an ES module has none.
const BANNER = [
  "// zoho-whmcs-reconcile: the GitHub Action, built by `npm run build:action` from src/action/bundle.ts. Do not edit.",
  'import { createRequire as __reconcileCreateRequire } from "node:module";',
  "const require = __reconcileCreateRequire(import.meta.url);",
].join("\n");

/** esbuild's options for an ES module bundle run by Node 20, shared with scripts/build-cli.mjs; output stays in memory. */
export const NODE_BUNDLE = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  charset: "utf8",
  legalComments: "eof",
  metafile: true,
  write: false,
  logLevel: "warning",
};

/** Builds into `outDir`; returns the files written and esbuild's metafile (what went into the bundle). */
export async function buildAction(outDir = join(ROOT, "dist-action")) {
  const outfile = resolve(outDir, BUNDLE);
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile,
    ...NODE_BUNDLE,
    banner: { js: BANNER },
  });
  const [output] = result.outputFiles;
  if (result.outputFiles.length !== 1 || output === undefined) throw new Error(`expected one output file, got ${result.outputFiles.length}`);
  const licenses = licenseText(packagesIn(result.metafile, outfile));
  mkdirSync(outDir, { recursive: true });
  writeFileSync(outfile, output.contents);
  writeFileSync(join(outDir, LICENSES), licenses);
  return { files: [outfile, join(outDir, LICENSES)], metafile: result.metafile, bytes: output.contents.length };
}

/** Folders (relative to ROOT) of the packages that put code into the bundle, by package folder. */
function packagesIn(metafile, outfile) {
  const out = Object.entries(metafile.outputs).find(([path]) => resolve(ROOT, path) === outfile)?.[1];
  if (out === undefined) throw new Error("the metafile does not list the bundle");
  const dirs = new Set();
  for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) {
    if (bytesInOutput === 0) continue;
    const parts = input.split("/");
    const at = parts.lastIndexOf("node_modules");
    if (at < 0) continue;
    const scoped = parts[at + 1]?.startsWith("@");
    dirs.add(parts.slice(0, at + (scoped ? 3 : 2)).join("/"));
  }
  return [...dirs];
}

const LICENSE_FILE = /^(licen[cs]e|copying)(\.(md|txt|markdown))?$/i;

/** Each package's name, version, declared licence and LICENSE file text, sorted by name then version. */
function licenseText(dirs) {
  const entries = dirs.map((dir) => {
    const pkg = JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8"));
    const files = readdirSync(join(ROOT, dir)).filter((f) => LICENSE_FILE.test(f)).sort();
    const texts = files.map((f) => readFileSync(join(ROOT, dir, f), "utf8").replace(/\r\n/g, "\n").trimEnd());
    const declared = typeof pkg.license === "string" ? pkg.license : "(not declared)";
    const text = texts.length > 0 ? texts.join("\n\n") : `(the package ships no licence file; its package.json declares ${declared})`;
    return { name: pkg.name, version: pkg.version, declared, text };
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  const head = "Third-party packages bundled into dist-action/index.mjs, with their licences.\n";
  return `${head}${entries.map((e) => `\n${"=".repeat(78)}\n${e.name}@${e.version} (${e.declared})\n${"=".repeat(78)}\n\n${e.text}\n`).join("")}`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const started = process.hrtime.bigint();
  const { files, bytes } = await buildAction(process.argv[2] === undefined ? undefined : resolve(process.argv[2]));
  const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
  process.stdout.write(`wrote ${files.map((f) => f.replace(`${ROOT}`, "")).join(", ")} (${(bytes / 1024).toFixed(0)} KiB bundle) in ${ms} ms\n`);
}
