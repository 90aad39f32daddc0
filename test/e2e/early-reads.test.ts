import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { runCli } from "../cli/harness.js";
import { lockProject, type LockProject } from "../lock/project.js";

let project: LockProject | undefined;
afterEach(async () => {
  await project?.close();
  project = undefined;
});

describe("a plan starts its remote reads before it loads the manifests", () => {
  it("the catalog and the bulk customer reads are under way even when a manifest turns out invalid, which is still reported first (exit 3)", async () => {
    const p = (project = await lockProject({ orgs: 3 }));
    appendFileSync(join(p.dir, "customers", "shops.yaml"), "---\napiVersion: reconcile.zoho-whmcs/v1\nkind: CustomerOrg\nmetadata: { name: broken }\nspec: { domain: 12 }\n");
    const r = await runCli(p.dir, ["--dry-run"], { env: p.env });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/customers\/shops\.yaml:\d+:\d+/);
    expect(r.stderr).toContain("nothing was written to WHMCS or Zoho");
    // Started before the manifests were read: they reach the sandboxes even though the run stopped.
    await vi.waitFor(() => {
      expect(p.sandbox.calls.count("ReconcileGetCatalog")).toBe(1);
      expect(p.sandbox.calls.count("GetClients")).toBeGreaterThan(0);
      expect(p.zoho.calls.count("mail.listCustomerOrgs")).toBeGreaterThan(0);
    });
  });

  it("a missing secret is still reported after the manifests, as a missing secret", async () => {
    const p = (project = await lockProject({ orgs: 1 }));
    const { ZOHO_REFRESH_TOKEN: _dropped, ...env } = p.env;
    writeFileSync(join(p.dir, "customers", "more.yaml"), "");
    const r = await runCli(p.dir, ["--dry-run"], { env });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ZOHO_REFRESH_TOKEN/);
    expect(p.sandbox.calls.total()).toBe(0);
  });
});
