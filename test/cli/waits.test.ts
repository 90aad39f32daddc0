import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { exampleProject, runCli, type Project } from "./harness.js";

let project: Project | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await project?.close();
  project = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function cacheDir(): string {
  const d = mkdtempSync(join(tmpdir(), "reconcile-cli-cache-"));
  dirs.push(d);
  return d;
}

describe("waits and the Zoho token cache through the CLI", () => {
  it("eleven runs inside ten minutes mint one Zoho access token", async () => {
    project = await exampleProject();
    // Zoho's own limit: ten mints per ten minutes per refresh token.
    project.zoho.switches.mintLimit = 10;
    const env = { ...project.env, RECONCILE_CACHE_DIR: cacheDir() };
    for (let run = 0; run < 11; run++) {
      const r = await runCli(project.dir, ["--dry-run"], { env });
      expect(r.code, r.stderr).toBe(0);
    }
    expect(project.zoho.calls.tokensMinted).toBe(1);
    const files = readdirSync(env.RECONCILE_CACHE_DIR);
    expect(files).toHaveLength(1);
    expect(statSync(join(env.RECONCILE_CACHE_DIR, files[0] ?? "")).mode & 0o777).toBe(0o600);
  });

  it("a mint throttle longer than --max-wait fails at once with exit 1, the reason and a hint", async () => {
    project = await exampleProject();
    project.zoho.switches.mintLimit = 0;
    const started = performance.now();
    const r = await runCli(project.dir, ["--dry-run", "--max-wait", "30s"], { env: { ...project.env, RECONCILE_CACHE_DIR: cacheDir() } });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "error [wait.too-long]: Zoho Accounts is throttling access-token requests for this refresh token (about 10 per 10 minutes): " +
        "that wait (10m 30s) is longer than --max-wait 30s; stopped instead of waiting\n",
    );
    expect(r.stderr).toMatch(/hint: .*give this tool its own refresh token.*--max-wait 10m30s\./);
    for (const secret of project.secrets) expect(r.stderr + r.stdout).not.toContain(secret);
  });

  it("refuses a --max-wait that is not a duration", async () => {
    project = await exampleProject();
    const r = await runCli(project.dir, ["--dry-run", "--max-wait", "soon"], { env: project.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error [cli.usage]: --max-wait must be a duration such as 30s, 5m or 1h (got "soon")');
  });
});
