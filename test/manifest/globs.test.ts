import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { loadProject } from "../../src/manifest/index.js";
import { CONFIG_HEAD, tempProject } from "./projects.js";
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
      "deploy/reconcile.yaml": CONFIG_HEAD.replace('["*.yaml"]', '["../catalog/*.yaml"]'),
      "catalog/groups.yaml": group("g"),
    });
    const loaded = await loadProject(join(project.dir, "deploy", "reconcile.yaml"));
    expect(loaded.files).toEqual([join(project.dir, "catalog", "groups.yaml")]);
  });

  it("skip files that hold only comments or empty documents", async () => {
    project = await tempProject({ "empty.yaml": "# nothing yet\n---\n---\n", "g.yaml": group("g") });
    const loaded = await loadProject(project.config);
    expect(loaded.catalog.productGroups.map((g) => g.name)).toEqual(["g"]);
    expect(loaded.files).toHaveLength(2);
  });
});
