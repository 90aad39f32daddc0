// Builds the CLI that bin/reconcile.js runs: src/cli/main.ts and everything it imports, bundled by
// esbuild into dist/bin/ as ES modules split into chunks, main.js the entry. Start-up is mostly the
// cost of resolving and loading modules (yaml alone is some seventy CommonJS files), so the bundle
// puts our sources and the small pure-JS dependencies into a few files, and the split keeps every
// command's code in chunks that load only when main.ts dispatches to it: `reconcile validate` never
// loads the sandboxes, the providers or the pipeline. Run by `npm run build` after the tsc build and
// scripts/compile-schemas.mjs, whose validators.precompiled.cjs it puts beside the chunks, bundled
// with the ajv helpers it requires and minified (the manifest loader looks for it beside its own
// module; without it, it compiles the schemas at run time, which is slower but gives the same result).
// dist/'s tsc output stays as it is (the bench and scripts/compile-schemas.mjs use it).
//
//   node scripts/build-cli.mjs [out-dir]     (out-dir defaults to dist/bin)
//
// Every output file lands directly in out-dir, two folders below the package root, as src/cli/ and
// src/manifest/ are: the paths the sources compute from import.meta.url ("../../schemas/",
// "../../examples/…") depend on that depth. Keep chunkNames without a folder.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { NODE_BUNDLE } from "./build-action.mjs";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const ENTRY = "src/cli/main.ts";
export const MAIN = "main.js";
export const PRECOMPILED = "validators.precompiled.cjs";
export const PRECOMPILED_SOURCE = join(ROOT, "dist", "manifest", PRECOMPILED);

/*
 * Left to Node's resolution from node_modules at run time, each for a reason:
 * - better-sqlite3: a native addon (a .node binary found by path); the sandbox loads it with
 *   createRequire, since it is an optional dependency.
 * - mysql2: the db backend and the MariaDB sandbox only, imported on use; large, and nothing on the
 *   paths whose start-up matters.
 * - pino: finds its transport and worker files by path at run time, which a bundle breaks.
 * - ajv: required by src/manifest/schemas.ts only when the schemas must be compiled at run time
 *   (never with the precompiled validators, which carry the helpers they use).
 * - octokit: the `action` command only; large.
 * yaml, p-limit and tinyglobby (with fdir and picomatch) are bundled: that is the point.
 */
export const EXTERNAL = ["better-sqlite3", "mysql2", "mysql2/*", "pino", "ajv", "ajv/*", "octokit"];

// Bundled CommonJS packages call require() (Node's built-ins among them); an ES module has none.
const BANNER = [
  "// zoho-whmcs-reconcile: the CLI, built by `npm run build` (scripts/build-cli.mjs) from src/cli/main.ts. Do not edit.",
  'import { createRequire as __reconcileCreateRequire } from "node:module";',
  "const require = __reconcileCreateRequire(import.meta.url);",
].join("\n");

/*
 * fdir (tinyglobby's folder walker) requires picomatch when it loads, for a glob method tinyglobby
 * never calls (it matches with its own picomatch, which is bundled). From a bundle that require goes
 * to node_modules and loads picomatch's CommonJS files a second time on every start; this drops it.
 * An fdir whose code differs fails the build here, to be looked at again.
 */
const FDIR_OPTIONAL_PICOMATCH = 'try {\n\t__require.resolve("picomatch");\n\tpm = __require("picomatch");\n} catch {}';
const fdirWithoutPicomatch = {
  name: "fdir-without-picomatch",
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      if (source.split(FDIR_OPTIONAL_PICOMATCH).length !== 2) throw new Error(`${args.path} no longer has the optional picomatch require this build removes: see scripts/build-cli.mjs`);
      return { contents: source.replace(FDIR_OPTIONAL_PICOMATCH, ""), loader: "js" };
    });
  },
};

/** What a build leaves in out-dir: the entry, named chunks (`validate-XXXXXXXX.js`, `chunk-XXXXXXXX.js`), the validators. */
const OURS = /^(main\.js|[\w-]+-[A-Z0-9]{8}\.js|validators\.precompiled\.cjs)$/;

/**
 * Builds into `outDir` (which must sit two folders below the package root for the bundle's paths to
 * hold), with the precompiled validators from `precompiled` when that file exists; returns the files
 * written and esbuild's metafile (which sources went into which chunk).
 */
export async function buildCli(outDir = join(ROOT, "dist", "bin"), { precompiled = PRECOMPILED_SOURCE } = {}) {
  outDir = resolve(outDir);
  const depth = relative(ROOT, outDir).split(/[\\/]/).filter((p) => p !== "").length;
  if (depth !== 2 || relative(ROOT, outDir).startsWith("..")) throw new Error(`the CLI bundle must go two folders below ${ROOT}, not to ${outDir}`);
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outdir: outDir,
    entryNames: "[name]",
    chunkNames: "[name]-[hash]",
    ...NODE_BUNDLE,
    splitting: true,
    external: EXTERNAL,
    plugins: [fdirWithoutPicomatch],
    banner: { js: BANNER },
  });
  mkdirSync(outDir, { recursive: true });
  const written = new Set();
  for (const file of result.outputFiles) {
    if (dirname(file.path) !== outDir) throw new Error(`esbuild wrote ${file.path} outside ${outDir}`);
    writeFileSync(file.path, file.contents);
    written.add(basename(file.path));
  }
  if (existsSync(precompiled)) {
    // Generated code: minified, with the ajv helpers it requires in it, it loads as one smaller file.
    await build({
      absWorkingDir: ROOT,
      entryPoints: [precompiled],
      outfile: join(outDir, PRECOMPILED),
      bundle: true,
      format: "cjs",
      platform: "node",
      target: "node20",
      minify: true,
      charset: "utf8",
      legalComments: "eof",
      logLevel: "warning",
    });
    written.add(PRECOMPILED);
  }
  // A previous build's chunks (other hashes), and its validators if this build has none.
  for (const name of readdirSync(outDir)) if (OURS.test(name) && !written.has(name)) rmSync(join(outDir, name));
  const files = [...written].sort().map((name) => join(outDir, name));
  return { files, metafile: result.metafile, bytes: result.outputFiles.reduce((n, f) => n + f.contents.length, 0) };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const started = process.hrtime.bigint();
  const { files, bytes } = await buildCli(process.argv[2] === undefined ? undefined : resolve(process.argv[2]));
  const ms = Number((process.hrtime.bigint() - started) / 1_000_000n);
  // Quiet under `npm run build --silent` (`npm run demo`, `npm run bench`), as tsc is.
  if (process.env["npm_config_loglevel"] !== "silent") process.stdout.write(`wrote ${files.length} files to ${relative(ROOT, dirname(files[0] ?? ""))}/ (${(bytes / 1024).toFixed(0)} KiB of chunks) in ${ms} ms\n`);
}
