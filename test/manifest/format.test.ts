import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ManifestIssue } from "../../src/core/errors.js";
import { formatIssues, loadProject } from "../../src/manifest/index.js";
import { FIXTURES, issuesOf } from "./projects.js";

describe("formatIssues", () => {
  it("prints file:line:col, code, message and an indented hint, paths relative to cwd", () => {
    const cwd = "/work/project";
    const issues: ManifestIssue[] = [
      { code: "schema.enum", file: "/work/project/catalog/p.yaml", line: 12, col: 14, path: "/spec/payType", message: "'payType' is 'recuring'", hint: "did you mean 'recurring'?" },
      { code: "file.glob-empty", file: "/work/project/reconcile.yaml", line: 0, col: 0, path: "/manifests/0", message: "the manifest glob 'x/*.yaml' matches no files" },
    ];
    expect(formatIssues(issues, cwd)).toBe(
      [
        "catalog/p.yaml:12:14  schema.enum  'payType' is 'recuring'",
        "    hint: did you mean 'recurring'?",
        "reconcile.yaml  file.glob-empty  the manifest glob 'x/*.yaml' matches no files",
      ].join("\n"),
    );
  });

  it("uses the process working directory by default", async () => {
    const dir = join(FIXTURES, "invalid", "unknown-kind");
    const issues = await issuesOf(loadProject(join(dir, "reconcile.yaml")));
    const text = formatIssues(issues);
    expect(text).toBe(
      [
        "test/fixtures/manifests/invalid/unknown-kind/manifests.yaml:3:7  manifest.unknown-kind  unknown kind 'Prodcut'",
        "    hint: did you mean 'Product'?",
      ].join("\n"),
    );
  });

  it("prints nothing for no issues", () => {
    expect(formatIssues([])).toBe("");
  });
});
