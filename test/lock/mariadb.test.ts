import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/errors.js";
import { silentLogger } from "../../src/core/log.js";
import { Secret } from "../../src/core/secrets.js";
import { createDbCatalogBackend } from "../../src/providers/whmcs/db/index.js";
import { runCli } from "../cli/harness.js";
import { useTestDatabase } from "../support/mariadb.js";
import { duplicates, lockProject, org } from "./project.js";

const db = await useTestDatabase("apply_lock");

/**
 * The apply lock on MariaDB: the `db` backend's lock table (compare-and-set in InnoDB
 * transactions), and whole applies against a sandbox whose WHMCS tables live in MariaDB.
 */
describe.skipIf(!db.available)("the apply lock on MariaDB", () => {
  const backend = (now?: () => Date) =>
    createDbCatalogBackend({ url: db.url, ...(db.password ? { password: new Secret(db.password, "test:db") } : {}), logger: silentLogger(), ...(now ? { lockClock: now } : {}) });

  it("db backend: of three concurrent acquires exactly one wins, 20 rounds, racing for a missing row and for a free one", async () => {
    for (let round = 0; round < 20; round++) {
      const store = await db.freshStore();
      if (round % 2 === 1) await store.insert("mod_zoho_reconcile_lock", { name: "apply", version: 2 });
      else await store.delete("mod_zoho_reconcile_lock", {});
      const stores = [backend().lock, backend().lock, backend().lock];
      const results = await Promise.all(stores.map((s, i) => s.acquire({ name: "apply", runId: `run-${i}`, holder: "t", host: "h", ttlSeconds: 60 })));
      const winners = results.filter((r) => r.acquired);
      expect(winners, `round ${round}`).toHaveLength(1);
      const holder = winners[0]?.acquired ? winners[0].lease.runId : undefined;
      for (const r of results) expect(r.acquired ? r.lease.runId : r.heldBy.runId).toBe(holder);
    }
  });

  it("db backend: a killed holder's lease is taken over after it expires (injected clock); release only by the holder", async () => {
    await db.freshStore();
    let t = Date.parse("2026-04-01T08:00:00Z");
    const lock = backend(() => new Date(t)).lock;
    expect(await lock.acquire({ name: "apply", runId: "dead", holder: "ci", host: "runner", ttlSeconds: 30 })).toMatchObject({ acquired: true });
    t += 29_000;
    expect(await lock.acquire({ name: "apply", runId: "next", holder: "me", host: "laptop", ttlSeconds: 30 })).toMatchObject({ acquired: false, heldBy: { runId: "dead", host: "runner" } });
    expect(await lock.release("apply", "next")).toMatchObject({ released: false, lease: { runId: "dead" } });
    t += 1_000;
    expect(await lock.acquire({ name: "apply", runId: "next", holder: "me", host: "laptop", ttlSeconds: 30 })).toMatchObject({ acquired: true, tookOver: { runId: "dead" } });
    expect((await lock.renew("apply", "dead", 30)).renewed).toBe(false);
    expect((await lock.renew("apply", "next", 30)).renewed).toBe(true);
    expect(await lock.release("apply", "next")).toMatchObject({ released: true });
    // The database's own clock by default.
    expect(await backend().lock.acquire({ name: "apply", runId: "db-clock", holder: "", host: "", ttlSeconds: 60 })).toMatchObject({ acquired: true, tookOver: undefined });
  });

  for (const mode of ["companion", "db"] as const) {
    it(`two applies started together (${mode} backend, sandbox on MariaDB): one runs, the other exits ${ExitCode.locked}; 5 rounds, no duplicates`, { timeout: 180_000 }, async () => {
      const store = await db.freshStore();
      const database = `db\n  database: { url: "${db.url}"${db.password ? ', password: "${env:WHMCS_DB_PASSWORD}"' : ""} }`;
      // One new org per run with db: parallel org applies in one run can deadlock on the zoho_mail table (not the lock's concern).
      const first = mode === "db" ? 1 : 6;
      const p = await lockProject({ orgs: first, store, tag: mode, ...(mode === "db" ? { catalogBackend: database } : {}) });
      const env = { ...p.env, ...(db.password ? { WHMCS_DB_PASSWORD: db.password } : {}) };
      try {
        for (let round = 0; round < 5; round++) {
          if (round > 0) {
            writeFileSync(join(p.dir, "customers", `more-${round}.yaml`), org(`${mode}-more${round}`, 0));
          }
          const [a, b] = await Promise.all([runCli(p.dir, ["--yes"], { env }), runCli(p.dir, ["--yes"], { env })]);
          expect([a.code, b.code].sort(), `${a.stderr}\n${b.stderr}`).toEqual([ExitCode.ok, ExitCode.locked]);
          const loser = a.code === ExitCode.locked ? a : b;
          expect(loser.stderr).toMatch(/error \[apply\.locked\]: another apply holds the lock: run [0-9a-f-]{36} \(/);
          const seen = await duplicates(p);
          expect(seen.duplicated).toEqual([]);
          expect(seen.services).toBe(first + round);
          expect(seen.zohoOrgs).toBe(first + round);
        }
      } finally {
        await p.close();
      }
    });
  }
});
