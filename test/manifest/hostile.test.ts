import { mkdir, truncate, writeFile, chmod } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compareCodeUnits } from "../../src/core/canonical.js";
import type { ManifestIssue } from "../../src/core/errors.js";
import { loadConfig, loadProject, MAX_ALIAS_COUNT, MAX_FILE_BYTES, MAX_ISSUES_PER_DOCUMENT, MAX_ISSUES_PER_FILE, MAX_NESTING_DEPTH } from "../../src/manifest/index.js";
import { CONFIG_HEAD, GROUP_DOC, issuesOf, tempProject } from "./projects.js";
import type { TempProject } from "./projects.js";

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

async function single(files: Readonly<Record<string, string | Uint8Array>>): Promise<readonly ManifestIssue[]> {
  project = await tempProject(files);
  return issuesOf(loadProject(project.config));
}

describe("hostile input", () => {
  it("refuses a 3 GB file without reading it into memory", async () => {
    project = await tempProject({ "catalog.yaml": GROUP_DOC });
    // Sparse: no disk used. Reading it whole would fail outright (Node refuses files over 2 GiB).
    await writeFile(join(project.dir, "huge.yaml"), "# huge\n");
    await truncate(join(project.dir, "huge.yaml"), 3 * 1024 ** 3);
    const issues = await issuesOf(loadProject(project.config));
    expect(issues.map((i) => [i.code, i.file, i.line, i.col])).toEqual([["file.too-large", join(project.dir, "huge.yaml"), 0, 0]]);
  });

  it("accepts a file of exactly the size cap and refuses one byte more", async () => {
    const fill = (size: number): string => {
      const body = GROUP_DOC;
      const padding = size - Buffer.byteLength(body) - 2;
      return `${"#".repeat(padding)}\n\n${body}`.slice(0, size);
    };
    const exact = fill(MAX_FILE_BYTES);
    expect(Buffer.byteLength(exact)).toBe(MAX_FILE_BYTES);
    project = await tempProject({ "catalog.yaml": exact });
    await expect(loadProject(project.config)).resolves.toBeDefined();
    await project.cleanup();
    const issues = await single({ "catalog.yaml": `${exact}\n` });
    expect(issues.map((i) => i.code)).toEqual(["file.too-large"]);
  });

  it("stops an alias bomb at the alias limit", async () => {
    let bomb = `apiVersion: reconcile.zoho-whmcs/v1\nkind: ProductGroup\nmetadata: { name: bomb }\nspec:\n  name: Bomb\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n`;
    for (let i = 1; i <= 9; i++) bomb += `  a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(", ")}]\n`;
    // Expanded, the bomb is 9^10 nodes: without the limit this would not finish within the test timeout.
    const issues = await single({ "bomb.yaml": bomb });
    expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([["yaml.alias-limit", 7, 12]]);
    expect(MAX_ALIAS_COUNT).toBe(100);
  });

  it("refuses prototype keys everywhere and pollutes nothing", async () => {
    const hostile = [
      `apiVersion: reconcile.zoho-whmcs/v1\nkind: ProductGroup\nmetadata: { name: a }\nspec:\n  name: A\n  __proto__: { polluted: yes }\n`,
      `{"apiVersion": "reconcile.zoho-whmcs/v1", "kind": "ProductGroup", "metadata": {"name": "b"}, "spec": {"name": "B", "constructor": {"prototype": {"polluted": true}}}}\n`,
      `apiVersion: reconcile.zoho-whmcs/v1\nkind: ProductGroup\nmetadata: { name: c }\nspec: { name: C }\n__proto__:\n  polluted: true\n`,
    ].join("---\n");
    const issues = await single({ "hostile.yaml": hostile });
    expect(issues.map((i) => [i.code, i.line])).toEqual([
      ["yaml.forbidden-key", 6],
      ["yaml.forbidden-key", 8], // constructor
      ["yaml.forbidden-key", 8], // prototype
      ["yaml.forbidden-key", 14],
    ]);
    await project?.cleanup();
    project = await tempProject({ "reconcile.yaml": `${CONFIG_HEAD}__proto__: { polluted: true }\n`, "catalog.yaml": GROUP_DOC });
    const configIssues = await issuesOf(loadConfig(project.config));
    expect(configIssues.map((i) => [i.code, i.line, i.col])).toEqual([["yaml.forbidden-key", 10, 1]]);
    expect(({} as Record<string, unknown>)["polluted"]).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain("polluted");
  });

  it("reports an unreadable file", async () => {
    project = await tempProject({ "catalog.yaml": GROUP_DOC });
    if (process.platform === "linux" && process.getuid?.() === 0) {
      // Root reads files of any mode. /proc/self/mem opens even for root, but every read fails with
      // EIO; manifests outside the config's folder are refused before any read, so here the config
      // itself is the unreadable file.
      const issues = await issuesOf(loadProject("/proc/self/mem"));
      expect(issues.map((i) => [i.code, i.file, i.line])).toEqual([["file.unreadable", "/proc/self/mem", 0]]);
      return;
    }
    const target = join(project.dir, "locked.yaml");
    await writeFile(target, GROUP_DOC);
    await chmod(target, 0o000);
    const issues = await issuesOf(loadProject(project.config));
    expect(issues.map((i) => [i.code, i.file, i.line])).toEqual([["file.unreadable", target, 0]]);
  });

  it("reports a missing config file and a config path that is a folder", async () => {
    project = await tempProject({});
    const missing = await issuesOf(loadProject(join(project.dir, "nope.yaml")));
    expect(missing.map((i) => [i.code, i.line])).toEqual([["file.not-found", 0]]);
    await mkdir(join(project.dir, "folder.yaml"));
    const folder = await issuesOf(loadConfig(join(project.dir, "folder.yaml")));
    expect(folder.map((i) => i.code)).toEqual(["file.unreadable"]);
  });

  // Parsing 300,000 keys takes seconds, and several times that on a busy machine: the timeout here
  // is generous, so only a blow-up (work growing with the square of the keys) runs into it.
  it("stays fast and brief on a mapping with hundreds of thousands of unknown or repeated keys", { timeout: 300_000 }, async () => {
    const keys = 150_000;
    let unknown = "apiVersion: reconcile.zoho-whmcs/v1\nkind: ProductGroup\nmetadata: { name: wide }\nspec:\n  name: Wide\n";
    for (let i = 0; i < keys; i++) unknown += `  k${i}: 1\n`;
    let repeated = "apiVersion: reconcile.zoho-whmcs/v1\nkind: ProductGroup\nmetadata: { name: dup }\nspec:\n  name: Dup\n";
    for (let i = 0; i < keys; i++) repeated += "  k: 1\n";
    const issues = await single({ "unknown.yaml": unknown, "repeated.yaml": repeated });
    const count = (file: string, code: string): number => issues.filter((i) => i.file.endsWith(file) && i.code === code).length;
    expect(count("unknown.yaml", "schema.unknown-field")).toBe(MAX_ISSUES_PER_DOCUMENT);
    expect(count("unknown.yaml", "manifest.too-many-issues")).toBe(1);
    expect(count("repeated.yaml", "yaml.duplicate-key")).toBe(MAX_ISSUES_PER_DOCUMENT);
    expect(count("repeated.yaml", "manifest.too-many-issues")).toBe(1);
    expect(issues.find((i) => i.code === "manifest.too-many-issues" && i.file.endsWith("unknown.yaml"))?.message).toBe(
      `${keys - MAX_ISSUES_PER_DOCUMENT} more issues in this document not shown`,
    );
  });

  it("stops checking a file with hundreds of thousands of bad documents once it is full of issues", async () => {
    const issues = await single({ "many.yaml": "---\n- not a mapping\n".repeat(200_000) });
    expect(issues).toHaveLength(MAX_ISSUES_PER_FILE + 1);
    expect(issues.filter((i) => i.code === "manifest.not-a-mapping")).toHaveLength(MAX_ISSUES_PER_FILE);
    expect(issues[MAX_ISSUES_PER_FILE]).toMatchObject({ code: "manifest.too-many-issues", line: 2 * MAX_ISSUES_PER_FILE + 2 });
  });

  it("refuses deeply nested flow collections before the YAML composer can crash the process", async () => {
    const depth = 200_000;
    const issues = await single({ "deep.yaml": `${"[".repeat(depth)}${"]".repeat(depth)}\n` });
    expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([["yaml.too-deep", 1, MAX_NESTING_DEPTH + 1]]);
  });

  it("keeps the documents before a too-deep one, so references to them still resolve", async () => {
    const deep = `key: ${"[".repeat(100)}${"]".repeat(100)}\n`;
    const product = "apiVersion: reconcile.zoho-whmcs/v1\nkind: Product\nmetadata: { name: p }\nspec: { group: business-email, name: P }\n";
    const issues = await single({ "a.yaml": `${GROUP_DOC}---\n${deep}`, "b.yaml": product });
    expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([["yaml.too-deep", 6, MAX_NESTING_DEPTH + 5]]);
  });

  it("refuses deeply nested block mappings", async () => {
    let text = "";
    for (let i = 0; i <= MAX_NESTING_DEPTH; i++) text += `${" ".repeat(i)}k${i}:\n`;
    const issues = await single({ "deep.yaml": `${text}${" ".repeat(MAX_NESTING_DEPTH + 1)}v: 1\n` });
    expect(issues.map((i) => i.code)).toEqual(["yaml.too-deep"]);
  });

  it("refuses control characters and UTF-16 text", async () => {
    const bell = await single({ "bell.yaml": `${GROUP_DOC.replace("Business", "Busi\u0007ness")}` });
    expect(bell.map((i) => [i.code, i.line, i.col])).toEqual([["file.binary", 4, 19]]);
    await project?.cleanup();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GROUP_DOC, "utf16le")]);
    const wide = await single({ "wide.yaml": utf16 });
    expect(wide.map((i) => i.code)).toEqual(["file.binary"]);
  });

  it("accepts a UTF-8 byte order mark", async () => {
    project = await tempProject({ "catalog.yaml": `\uFEFF${GROUP_DOC}` });
    const loaded = await loadProject(project.config);
    expect(loaded.catalog.productGroups.map((g) => [g.name, g.source.line, g.source.col])).toEqual([["business-email", 1, 1]]);
  });

  it("treats a glob that only matches the config file itself as empty", async () => {
    const issues = await single({ "reconcile.yaml": CONFIG_HEAD.replace('["*.yaml"]', '["reconcile.yaml"]') });
    expect(issues.map((i) => [i.code, i.path, i.line, i.col])).toEqual([["file.glob-empty", "/manifests/0", 3, 13]]);
  });

  it("collects every issue of every file, sorted by file, line, column and code", async () => {
    const bad = (name: string, extra: string): string =>
      `apiVersion: reconcile.zoho-whmcs/v1\nkind: ProductGroup\nmetadata: { name: ${name} }\nspec: { name: X, ${extra} }\n`;
    const issues = await single({
      "c.yaml": bad("c", "order: -1, hidden: 1"),
      "a.yaml": `${bad("a", "tagline: 5")}---\nkind: Nope\n`,
      "b.yaml": "key: [unclosed\n",
    });
    const order = issues.map((i) => `${i.file}:${String(i.line).padStart(4, "0")}:${String(i.col).padStart(4, "0")}:${i.code}`);
    expect(order).toEqual([...order].sort(compareCodeUnits));
    expect(issues.map((i) => i.code)).toEqual([
      "schema.type",
      "manifest.api-version",
      "manifest.unknown-kind",
      "yaml.syntax",
      "schema.range",
      "schema.type",
    ]);
  });
});
