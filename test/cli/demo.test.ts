import { describe, expect, it } from "vitest";
import { runCli } from "./harness.js";

describe("reconcile demo", () => {
  it("plans, applies and re-plans examples/ against the in-process sandboxes: creates, updates, an adopt, then no changes", async () => {
    const r = await runCli(process.cwd(), ["demo"]);
    expect(r.code, r.stderr).toBe(0);
    const [first = "", applied = "", last = ""] = r.stdout.split(/━+\n[123]\/3 {2}/).slice(1);
    expect(first).toMatch(/^\+ create ProductGroup\/workplace/m);
    expect(first).toMatch(/^~ update Product\/mail-premium/m);
    expect(first).toMatch(/^= adopt Product\/mail-lite/m);
    expect(first).toMatch(/^\+ create CustomerOrg\/acme/m);
    expect(applied).toContain("Apply complete: 8 applied");
    expect(last).toContain("No changes. Live state matches the manifests.");
    expect(last).toContain("CNAME zmverify.zoho.com");
  });
});
