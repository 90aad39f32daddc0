import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/errors.js";
import { runCli, type CliResult } from "../cli/harness.js";
import { duplicates, lockProject, org, type LockProject } from "./project.js";

let project: LockProject | undefined;
afterEach(async () => {
  await project?.close();
  project = undefined;
});

const ORGS = 30;
const ROUNDS = Number(process.env["LOCK_ROUNDS"] ?? 20);
/** New orgs declared before each round after the first (which has all 30). */
const MORE = 2;

/** The run id the winner logged when it took the lock (`--log-level info` logs go to stderr). */
function acquiredRunId(r: CliResult): string | undefined {
  for (const line of r.stderr.split("\n")) {
    if (!line.startsWith("{")) continue;
    const entry = JSON.parse(line) as { msg?: string; runId?: string };
    if (entry.msg === "apply lock acquired") return entry.runId;
  }
  return undefined;
}

/**
 * Two `reconcile --yes` started together on one config, over new customer orgs: the incident
 * this lock exists for left 6 of 30 domains with a second service, order and invoice.
 */
describe("two applies started together", () => {
  it(`exactly one runs and the other is refused with exit ${ExitCode.locked}, naming the holder; ${ROUNDS} rounds over ${ORGS} new orgs (then ${MORE} more each), no duplicates`, { timeout: 300_000 }, async () => {
    const p = (project = await lockProject({ orgs: ORGS }));
    let declared = ORGS;
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0) {
        writeFileSync(join(p.dir, "customers", `round-${round}.yaml`), Array.from({ length: MORE }, (_, i) => org(`round${round}`, i)).join("---\n"));
        declared += MORE;
      }
      const [a, b] = await Promise.all([
        runCli(p.dir, ["--yes", "--log-level", "info"], { env: p.env }),
        runCli(p.dir, ["--yes", "--log-level", "info"], { env: p.env }),
      ]);
      const codes = [a.code, b.code].sort();
      expect(codes, `round ${round}: ${a.stderr.slice(-400)}\n${b.stderr.slice(-400)}`).toEqual([ExitCode.ok, ExitCode.locked]);
      const [winner, loser] = a.code === ExitCode.ok ? [a, b] : [b, a];
      const holder = acquiredRunId(winner);
      expect(holder, `round ${round}`).toMatch(/^[0-9a-f-]{36}$/);
      expect(loser.stderr).toContain(`error [apply.locked]: another apply holds the lock: run ${holder} (`);
      expect(loser.stderr).toMatch(/ on \S+, since \d{4}-\d\d-\d\dT[^)]*lease expires \d{4}-/);
      expect(loser.stderr).toContain(`reconcile unlock --run-id ${holder}`);
      // Refused before reading anything: no plan printed, no lock acquired.
      expect(loser.stdout).toBe("");
      expect(acquiredRunId(loser)).toBeUndefined();
      expect(winner.stdout).toContain("Apply complete");

      const seen = await duplicates(p);
      expect(seen.duplicated, `round ${round}`).toEqual([]);
      expect({ clients: seen.clients, services: seen.services, orders: seen.orders, zohoOrgs: seen.zohoOrgs }, `round ${round}`).toEqual({
        clients: declared,
        services: declared,
        orders: declared,
        zohoOrgs: declared,
      });
      // Released at the end: the row stays, empty.
      expect(await p.sandbox.store.select("mod_zoho_reconcile_lock", {}, { columns: ["name", "runid", "expires"] })).toEqual([{ name: "apply", runid: "", expires: 0 }]);
    }
  });
});
