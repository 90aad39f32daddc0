import { afterEach, describe, expect, it } from "vitest";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManifestError } from "../../src/core/errors.js";
import { loadProject } from "../../src/manifest/index.js";
import { CONFIG_HEAD, issuesOf, tempProject } from "./projects.js";
import type { TempProject } from "./projects.js";

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const group = (name: string): string => `apiVersion: reconcile.zoho-whmcs/v1\nkind: ProductGroup\nmetadata: { name: ${name} }\nspec: { name: ${name} }\n`;

describe("manifest globs", () => {
  it("are relative to the config file, sorted by code unit, deduplicated, with ! excluding", async () => {
    project = await tempProject({
      "reconcile.yaml": CONFIG_HEAD.replace('["*.yaml"]', '["*.yaml", "sub/**/*.yaml", "a.yaml", "!sub/skip/**"]'),
      "b.yaml": group("b"),
      "B.yaml": group("upper-b"),
      "a.yaml": group("a"),
      "sub/c.yaml": group("c"),
      "sub/deeper/d.yaml": group("d"),
      "sub/skip/broken.yaml": "this: [is not valid\n",
      ".hidden.yaml": "neither: [is this\n",
    });
    const loaded = await loadProject(project.config);
    // Code-unit order puts upper case first, unlike a locale-aware sort.
    expect(loaded.files).toEqual(["B.yaml", "a.yaml", "b.yaml", "sub/c.yaml", "sub/deeper/d.yaml"].map((f) => join(project?.dir ?? "", f)));
    expect(loaded.catalog.productGroups.map((g) => g.name)).toEqual(["a", "b", "c", "d", "upper-b"]);
  });

  it("resolve relative to the config file's folder, not the working directory", async () => {
    project = await tempProject({
      "deploy/reconcile.yaml": CONFIG_HEAD.replace('["*.yaml"]', '["catalog/*.yaml", "./more/../more/*.yaml"]'),
      "deploy/catalog/groups.yaml": group("g"),
      "deploy/more/h.yaml": group("h"),
      "catalog/other.yaml": group("other"),
    });
    const loaded = await loadProject(join(project.dir, "deploy", "reconcile.yaml"));
    expect(loaded.files).toEqual([join(project.dir, "deploy", "catalog", "groups.yaml"), join(project.dir, "deploy", "more", "h.yaml")]);
  });

  it("follow symbolic links that stay inside the config's folder", async () => {
    project = await tempProject({ "real/g.yaml": group("g") });
    await symlink(join(project.dir, "real"), join(project.dir, "linked"));
    await symlink(join(project.dir, "real", "g.yaml"), join(project.dir, "alias.yaml"));
    const loaded = await loadProject(project.config);
    expect(loaded.files).toEqual([join(project.dir, "alias.yaml")]);
    await writeFile(project.config, CONFIG_HEAD.replace('["*.yaml"]', '["linked/*.yaml"]'));
    expect((await loadProject(project.config)).files).toEqual([join(project.dir, "linked", "g.yaml")]);
  });
});

describe("manifest globs stay inside the config's folder", () => {
  /** The config with these globs, one per line, so each issue's line names its glob. */
  const configWith = (...globs: string[]): string =>
    CONFIG_HEAD.replace('manifests: ["*.yaml"]\n', `manifests:\n${globs.map((g) => `  - ${JSON.stringify(g)}\n`).join("")}`);

  async function refused(files: Record<string, string>, ...globs: string[]) {
    project = await tempProject({ ...files, "reconcile.yaml": configWith(...globs) });
    return project;
  }

  it("refuse an absolute path at its line, with exit 3", async () => {
    await refused({ "g.yaml": group("g") }, "*.yaml", "/etc/*.yaml");
    const err = (await loadProject(project?.config ?? "").catch((e: unknown) => e)) as ManifestError;
    expect(err).toBeInstanceOf(ManifestError);
    expect(err.exitCode).toBe(3);
    expect(err.issues.map((i) => [i.code, i.line, i.col, i.path])).toEqual([["file.glob-outside", 5, 5, "/manifests/1"]]);
    expect(err.issues[0]?.message).toBe("the manifest glob '/etc/*.yaml' is an absolute path; globs are relative to the config's folder and stay inside it");
    expect(err.issues[0]?.hint).toContain("manifests must be files inside");
  });

  it("refuse '..' climbing out, even when it would come back in", async () => {
    await refused({ "g.yaml": group("g") }, "../*.yaml", "sub/../../x/*.yaml", "{..,x}/*.yaml");
    const issues = await issuesOf(loadProject(project?.config ?? ""));
    expect(issues.map((i) => [i.code, i.line])).toEqual([
      ["file.glob-outside", 4],
      ["file.glob-outside", 5],
      ["file.glob-outside", 6],
    ]);
    expect(issues[0]?.message).toBe("the manifest glob '../*.yaml' climbs out of the config's folder with '..'; globs stay inside it");
  });

  it("refuse a symbolic link to a file outside, without reading it", async () => {
    await refused({ "g.yaml": group("g") }, "*.yaml");
    const dir = project?.dir ?? "";
    await symlink("/proc/self/environ", join(dir, "env.yaml"));
    const outside = await mkdtemp(join(tmpdir(), "reconcile-outside-"));
    try {
      await writeFile(join(outside, "secret.yaml"), "password: hunter2-outside-value\n");
      await symlink(join(outside, "secret.yaml"), join(dir, "secret.yaml"));
      const err = (await loadProject(project?.config ?? "").catch((e: unknown) => e)) as ManifestError;
      expect(err.exitCode).toBe(3);
      expect(err.issues.map((i) => [i.code, i.line, i.message])).toEqual([
        ["file.glob-outside", 4, "the manifest glob '*.yaml' matches 'env.yaml', which is or lies under a symbolic link leading outside the config's folder; refused"],
        ["file.glob-outside", 4, "the manifest glob '*.yaml' matches 'secret.yaml', which is or lies under a symbolic link leading outside the config's folder; refused"],
      ]);
      const text = JSON.stringify(err.issues) + err.message;
      expect(text).not.toContain("hunter2");
      expect(text).not.toContain(outside);
      expect(text).not.toContain("/proc");
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("refuse a symbolic link to a folder outside, without listing it", async () => {
    const outside = await mkdtemp(join(tmpdir(), "reconcile-outside-"));
    try {
      await mkdir(join(outside, "deep"), { recursive: true });
      await writeFile(join(outside, "x.yaml"), group("x"));
      await writeFile(join(outside, "deep", "y.yaml"), group("y"));
      await refused({ "catalog/g.yaml": group("g") }, "catalog/**/*.yaml", "shared/*.yaml");
      const dir = project?.dir ?? "";
      await symlink(outside, join(dir, "catalog", "vendor"));
      await symlink(outside, join(dir, "shared"));
      const err = (await loadProject(project?.config ?? "").catch((e: unknown) => e)) as ManifestError;
      expect(err.exitCode).toBe(3);
      expect(err.issues.map((i) => [i.code, i.line, i.message])).toEqual([
        ["file.glob-outside", 4, "the manifest glob 'catalog/**/*.yaml' reaches 'catalog/vendor', a symbolic link to a folder outside the config's folder; refused"],
        ["file.glob-outside", 5, "the manifest glob 'shared/*.yaml' reaches 'shared', a symbolic link to a folder outside the config's folder; refused"],
      ]);
      expect(JSON.stringify(err.issues)).not.toContain(outside);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("do not walk a link to the root of the file system", async () => {
    await refused({ "g.yaml": group("g") }, "**/*.yaml");
    await symlink("/", join(project?.dir ?? "", "root"));
    // Walking the whole file system would not finish within the test timeout, nor give only this issue.
    const issues = await issuesOf(loadProject(project?.config ?? ""));
    expect(issues.map((i) => [i.code, i.line, i.message])).toEqual([
      ["file.glob-outside", 4, "the manifest glob '**/*.yaml' reaches 'root', a symbolic link to a folder outside the config's folder; refused"],
    ]);
  });

  it("give an empty glob its line too", async () => {
    await refused({ "g.yaml": group("g") }, "*.yaml", "missing/*.yaml");
    const issues = await issuesOf(loadProject(project?.config ?? ""));
    expect(issues.map((i) => [i.code, i.line, i.col])).toEqual([["file.glob-empty", 5, 5]]);
  });

  it("skip files that hold only comments or empty documents", async () => {
    project = await tempProject({ "empty.yaml": "# nothing yet\n---\n---\n", "g.yaml": group("g") });
    const loaded = await loadProject(project.config);
    expect(loaded.catalog.productGroups.map((g) => g.name)).toEqual(["g"]);
    expect(loaded.files).toHaveLength(2);
  });
});
