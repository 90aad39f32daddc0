import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedCatalog, startWhmcsSandbox, type WhmcsSandbox } from "../../src/sandbox/whmcs/index.js";
import { demoSeed } from "../../src/cli/demo-seed.js";
import { useTestDatabase } from "../support/mariadb.js";
import { EXAMPLES, runCli } from "./harness.js";

const db = await useTestDatabase("cli_db_backend");

/**
 * The `db` backend end to end through the CLI: catalog writes go straight to WHMCS's tables on a
 * real MariaDB; WHMCS's own API (the sandbox, on the same database) then sells what was written.
 */
describe.skipIf(!db.available)("reconcile with catalogBackend: db", () => {
  let sandbox: WhmcsSandbox;
  let dir: string;
  const env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    const store = await db.freshStore();
    sandbox = await startWhmcsSandbox({ store, credentials: { identifier: "db-test-ident", secret: "db-test-secret-value", actions: "all" } });
    await seedCatalog(sandbox.store, demoSeed());
    dir = mkdtempSync(join(tmpdir(), "reconcile-db-"));
    cpSync(EXAMPLES, dir, { recursive: true });
    // Catalog only: customer orgs and Zoho are covered elsewhere.
    const config = readFileSync(join(dir, "reconcile.yaml"), "utf8")
      .replace('manifests: ["catalog/**/*.yaml", "customers/**/*.yaml"]', 'manifests: ["catalog/**/*.yaml"]')
      .replace(/\nzoho:\n(  .*\n)+/, "\n")
      .replace("url: http://127.0.0.1:8080", `url: ${sandbox.url}`)
      .replace("catalogBackend: companion", `catalogBackend: db\n  database: { url: "${db.url}"${db.password ? ', password: "${env:WHMCS_DB_PASSWORD}"' : ""} }`);
    writeFileSync(join(dir, "reconcile.yaml"), config);
    Object.assign(env, { WHMCS_API_IDENTIFIER: "db-test-ident", WHMCS_API_SECRET: "db-test-secret-value" }, db.password ? { WHMCS_DB_PASSWORD: db.password } : {});
  });
  afterAll(async () => {
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("plans, applies through the database, and converges; WHMCS's API shows the result", async () => {
    const plan = await runCli(dir, ["plan", "--detailed-exitcode"], { env });
    expect(plan.code).toBe(2);
    expect(plan.stdout).toContain("catalog backend db");
    const applied = await runCli(dir, ["--yes"], { env });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("Apply complete: 6 applied");
    const again = await runCli(dir, ["plan", "--detailed-exitcode"], { env });
    expect(again.code).toBe(0);

    // The companion actions are off: nothing but the database carried the writes.
    expect(sandbox.switches.companion).toBe(false);
    const res = await fetch(`${sandbox.url}/includes/api.php`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ action: "GetProducts", module: "zoho_mail", identifier: "db-test-ident", secret: "db-test-secret-value", responsetype: "json" }),
    });
    const body = (await res.json()) as { products: { product: { name: string; pricing: Record<string, Record<string, string>> }[] } };
    const ws = body.products.product.find((p) => p.name === "Zoho Workplace Standard");
    expect(ws?.pricing["USD"]?.["msetupfee"]).toBe("5.00");
    expect(ws?.pricing["USD"]?.["quarterly"]).toBe("-1.00");
  });
});
