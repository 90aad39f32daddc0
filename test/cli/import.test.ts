import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { exampleProject, runCli, type Project } from "./harness.js";

let project: Project | undefined;
afterEach(async () => {
  await project?.close();
  project = undefined;
});

interface PlanJson {
  readonly changes: readonly { kind: string; key: string; action: string; diffs: { path: string }[] }[];
}

describe("reconcile import", () => {
  it("writes the live zoho_mail catalog as manifests that validate, adopt everything and change no field", async () => {
    const p = (project = await exampleProject());
    const r = await runCli(p.dir, ["import", "--out", "imported"], { env: p.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Imported 1 product group(s), 2 option group(s) and 3 product(s)");
    for (const f of ["groups.yaml", "options.yaml", "products.yaml"]) expect(existsSync(join(p.dir, "imported", f))).toBe(true);
    expect(readFileSync(join(p.dir, "imported", "groups.yaml"), "utf8")).toContain("name: business-email");
    // Another module's products and their group stay out.
    expect(readFileSync(join(p.dir, "imported", "products.yaml"), "utf8")).not.toContain("Hosting Basic");

    // A repository made of the import alone.
    const cfg = join(p.dir, "reconcile.yaml");
    writeFileSync(
      cfg,
      readFileSync(cfg, "utf8")
        .replace('manifests: ["catalog/**/*.yaml", "customers/**/*.yaml"]', 'manifests: ["imported/*.yaml"]')
        .replace(/\nzoho:\n(  .*\n)+/, "\n"),
    );
    expect((await runCli(p.dir, ["validate"], { env: p.env })).code).toBe(0);
    const plan = JSON.parse((await runCli(p.dir, ["plan", "-f", "json"], { env: p.env })).stdout) as PlanJson;
    expect(plan.changes).toHaveLength(6);
    for (const c of plan.changes) {
      expect(["adopt", "noop", "update"], c.key).toContain(c.action);
      // Only the record fields the tool adds to managed products differ.
      expect(c.diffs.filter((d) => d.path !== "recordFields").map((d) => `${c.key} ${d.path}`)).toEqual([]);
    }
    expect(plan.changes.filter((c) => c.action === "adopt").map((c) => c.key).sort()).toEqual(["Product/zoho-mail-10gb-retired", "Product/zoho-mail-lite"]);
    expect((await runCli(p.dir, ["--yes"], { env: p.env })).code).toBe(0);
    expect((await runCli(p.dir, ["plan", "--detailed-exitcode"], { env: p.env })).code).toBe(0);
  });

  it("never overwrites without --force", async () => {
    const p = (project = await exampleProject());
    expect((await runCli(p.dir, ["import", "--out", "imported"], { env: p.env })).code).toBe(0);
    const again = await runCli(p.dir, ["import", "--out", "imported"], { env: p.env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("import.would-overwrite");
    expect((await runCli(p.dir, ["import", "--out", "imported", "--force"], { env: p.env })).code).toBe(0);
  });
});
