import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/*
 * `src/plan/` and `src/render/` take every input as a value: no file system, network, process,
 * clock or randomness, directly or through what they import. The only module outside the
 * project they may reach is node:crypto (checksums).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const PURE_FOLDERS = ["src/plan", "src/render"];
const ALLOWED_EXTERNAL = new Set(["node:crypto"]);
const FORBIDDEN_TOKENS: readonly [RegExp, string][] = [
  [/\bprocess\s*[.[]/, "process"],
  [/\bDate\.now\b/, "Date.now"],
  [/\bnew\s+Date\b/, "new Date"],
  [/\bMath\.random\b/, "Math.random"],
  [/\bfetch\s*\(/, "fetch"],
  [/\brequire\s*\(/, "require"],
  [/\bglobalThis\b/, "globalThis"],
  [/\bsetTimeout\b|\bsetInterval\b|\bsetImmediate\b/, "timers"],
];

/** Module specifiers a TypeScript source imports or re-exports, statically or dynamically. */
function importsOf(source: string): string[] {
  const specs: string[] = [];
  const patterns = [/\b(?:import|export)\s[^;]*?\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g];
  for (const re of patterns) for (const m of source.matchAll(re)) if (m[1] !== undefined) specs.push(m[1]);
  return specs;
}

/** Problems in one file: forbidden globals, and external imports outside the allow-list. */
function problemsIn(file: string, source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
  const problems = FORBIDDEN_TOKENS.filter(([re]) => re.test(code)).map(([, what]) => `${file}: uses ${what}`);
  for (const spec of importsOf(code)) {
    if (!spec.startsWith(".") && !ALLOWED_EXTERNAL.has(spec)) problems.push(`${file}: imports ${spec}`);
  }
  return problems;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** Every file reachable from the pure folders through relative imports, with its problems. */
function scan(): { files: string[]; problems: string[] } {
  const seen = new Set<string>();
  const problems: string[] = [];
  const queue = PURE_FOLDERS.flatMap((f) => tsFiles(join(ROOT, f)));
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    const rel = relative(ROOT, file);
    problems.push(...problemsIn(rel, source));
    for (const spec of importsOf(source).filter((s) => s.startsWith("."))) {
      const target = resolve(dirname(file), spec.replace(/\.js$/, ".ts"));
      if (!existsSync(target)) problems.push(`${rel}: imports ${spec}, which does not exist`);
      else queue.push(target);
    }
  }
  return { files: [...seen].map((f) => relative(ROOT, f)).sort(), problems: problems.sort() };
}

describe("src/plan and src/render import no I/O", () => {
  it("no forbidden import or global, directly or transitively", () => {
    const { files, problems } = scan();
    expect(files).toContain("src/plan/compute.ts");
    expect(files).toContain("src/render/markdown.ts");
    expect(files).toContain("src/core/canonical.ts");
    expect(problems).toEqual([]);
  });

  it.each([
    ['import { readFileSync } from "node:fs";', "imports node:fs"],
    ['import http from "node:http";', "imports node:http"],
    ['export { connect } from "net";', "imports net"],
    ['const cp = await import("child_process");', "imports child_process"],
    ["const key = process.env.KEY;", "uses process"],
    ["const t = Date.now();", "uses Date.now"],
    ["const r = Math.random();", "uses Math.random"],
    ['const res = await fetch("http://x");', "uses fetch"],
    ['import { pino } from "pino";', "imports pino"],
  ])("the scan catches %s", (source, expected) => {
    expect(problemsIn("x.ts", source)).toEqual([`x.ts: ${expected}`]);
  });

  it("comments do not count", () => {
    expect(problemsIn("x.ts", "// Date.now would break determinism\n/* process.env */\nconst a = 1;")).toEqual([]);
  });
});
