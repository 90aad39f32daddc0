import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { COMPANION_ROOT, PHP_DIR, usePhp } from "./php.js";

const php = usePhp("php -l");

function phpFiles(dir: string): string[] {
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .flatMap((path) => (statSync(path).isDirectory() ? phpFiles(path) : path.endsWith(".php") ? [path] : []));
}

const shipped = phpFiles(COMPANION_ROOT);

describe("the companion PHP files", () => {
  it("are the seven API actions, the shared file and the hook", () => {
    expect(shipped.map((p) => relative(COMPANION_ROOT, p)).sort()).toEqual([
      "includes/api/reconcileacquirelock.php",
      "includes/api/reconcilegetcatalog.php",
      "includes/api/reconcilereleaselock.php",
      "includes/api/reconcilerenewlock.php",
      "includes/api/reconcileupsertconfiggroup.php",
      "includes/api/reconcileupsertproduct.php",
      "includes/api/reconcileupsertproductgroup.php",
      "includes/hooks/zoho_whmcs_reconcile.php",
      "includes/zoho_whmcs_reconcile/companion.php",
    ]);
  });

  describe.skipIf(!php.available)(`php -l (PHP ${php.version ?? "missing"})`, () => {
    it.each([...shipped, ...phpFiles(PHP_DIR)].map((p) => [relative(join(COMPANION_ROOT, ".."), p), p]))("%s has no syntax errors", (_name, path) => {
      const result = spawnSync("php", ["-l", path], { encoding: "utf8" });
      expect(result.stdout + result.stderr).toMatch(/No syntax errors detected/);
      expect(result.status).toBe(0);
    });
  });
});
