import { spawn } from "node:child_process";
import { join } from "node:path";
import type { RowDataPacket } from "mysql2/promise";
import { afterEach, describe, expect, it } from "vitest";
import { startWhmcsSandbox, type WhmcsSandbox } from "../../src/sandbox/whmcs/index.js";
import { useTestDatabase, type TestDatabase } from "../support/mariadb.js";
import { sideConnection } from "../providers/whmcs/db-support.js";
import { request, runPhp, runSandbox, type CompanionRequest } from "./companion.js";
import { COMPANION_ROOT, PHP_DIR, usePhp } from "./php.js";

/**
 * The apply lock's companion actions: the shipped PHP and the sandbox answer the same requests
 * the same way and leave the same row; concurrent PHP requests never both take the lease.
 */
const php = usePhp("companion lock", ["pdo_mysql"]);
const phpDb = await useTestDatabase("companion-lock-php");
const sandboxDb = await useTestDatabase("companion-lock-sandbox");

const A = "ReconcileAcquireLock" as const;
const R = "ReconcileRenewLock" as const;
const X = "ReconcileReleaseLock" as const;

function scenario(): CompanionRequest[] {
  const first = "name=apply&runid=run-1&ttl=600&holder=ci%20(pid%201)&host=runner-1";
  return [
    request(R, "name=apply&runid=run-1&ttl=60"),
    request(X, "name=apply&runid=run-1"),
    request(A, first),
    request(A, "name=apply&runid=run-2&ttl=600&holder=me&host=laptop"),
    request(A, first),
    request(R, "name=apply&runid=run-2&ttl=60"),
    request(R, "name=apply&runid=run-1&ttl=900"),
    request(X, "name=apply&runid=run-2"),
    request(X, "name=apply&runid=run-1"),
    request(X, "name=apply&runid=run-1"),
    request(A, "name=apply&runid=run-2&ttl=60&holder=Zoë%20%E2%82%AC&host="),
    request(A, "name=apply%3Ashard-1%2F2&runid=run-3&ttl=60"),
    // Errors, in the order the contract checks them.
    request(A, ""),
    request(A, "name[]=x&runid=r&ttl=1"),
    request(A, "name=has%20space&runid=r&ttl=1"),
    request(A, `name=${"n".repeat(65)}&runid=r&ttl=1`),
    request(A, "name=apply"),
    request(A, "name=apply&runid=bad%2Fid&ttl=1"),
    request(A, "name=apply&runid=r"),
    request(A, "name=apply&runid=r&ttl=1.5"),
    request(A, "name=apply&runid=r&ttl=0"),
    request(A, "name=apply&runid=r&ttl=86401"),
    request(A, `name=apply&runid=r&ttl=1&holder=${"h".repeat(256)}`),
    request(A, "name=apply&runid=r&ttl=1&host[]=x"),
    request(R, "name=apply&runid=r"),
    request(X, "name=apply"),
  ];
}

/** Times are each server's clock: compared as present, and checked for ttl arithmetic separately. */
function timeless(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(timeless);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ["now", "acquired", "renewed", "expires"].includes(k) ? (typeof v === "number" ? "<time>" : v) : timeless(v)]));
}

async function lockRows(db: TestDatabase): Promise<Record<string, unknown>[]> {
  const conn = await sideConnection(db);
  try {
    const [rows] = await conn.query<RowDataPacket[]>("SELECT `name`, `runid`, `holder`, `host`, `version`, `expires` - `renewed` AS `ttl`, `acquired` > 0 AS `held` FROM `mod_zoho_reconcile_lock` ORDER BY `name`");
    return rows.map((r) => ({ ...r }));
  } finally {
    await conn.end();
  }
}

describe.skipIf(!php.available || !phpDb.available || !sandboxDb.available)(`the apply lock actions: shipped PHP (PHP ${php.version ?? "missing"}) and the sandbox`, () => {
  let sandbox: WhmcsSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it("give the same responses and leave the same rows; the PHP creates its table on first use", async () => {
    await phpDb.freshStore();
    const conn = await sideConnection(phpDb);
    await conn.query("DROP TABLE IF EXISTS `mod_zoho_reconcile_lock`");
    await conn.end();
    const store = await sandboxDb.freshStore();
    sandbox = await startWhmcsSandbox({ store, seed: false, switches: { companion: true } });

    const requests = scenario();
    const fromPhp = runPhp(php, phpDb, requests);
    const fromSandbox = await runSandbox(sandbox, requests);
    requests.forEach((r, i) => {
      expect(timeless(fromPhp[i]), `request ${i}: ${r.action} ${decodeURIComponent(r.body).slice(0, 120)}`).toEqual(timeless(fromSandbox[i]));
    });
    expect(fromSandbox.filter((x) => (x as { result?: string }).result === "error")).toHaveLength(14);
    expect(fromPhp[2]).toMatchObject({ result: "success", acquired: true, tookover: null, lock: { runid: "run-1", holder: "ci (pid 1)", host: "runner-1" } });
    expect(fromPhp[3]).toMatchObject({ result: "success", acquired: false, lock: { runid: "run-1" } });
    const renewed = fromPhp[6] as { now: number; lock: { expires: number; renewed: number } };
    expect(renewed.lock.expires - renewed.lock.renewed).toBe(900);
    expect(renewed.lock.renewed).toBe(renewed.now);
    expect(await lockRows(phpDb)).toEqual(await lockRows(sandboxDb));
    expect(await lockRows(phpDb)).toEqual([
      { name: "apply", runid: "run-2", holder: "Zoë €", host: "", version: 5, ttl: 60, held: 1 },
      { name: "apply:shard-1/2", runid: "run-3", holder: "", host: "", version: 1, ttl: 60, held: 1 },
    ]);
  });

  it("takes over a lease past its expiry and says whose it was", async () => {
    await phpDb.freshStore();
    const [taken] = runPhp(php, phpDb, [request(A, "name=apply&runid=dead-run&ttl=1&holder=ci&host=runner-9")]);
    expect(taken).toMatchObject({ acquired: true });
    await new Promise((r) => setTimeout(r, 2100));
    const [next] = runPhp(php, phpDb, [request(A, "name=apply&runid=next-run&ttl=60&holder=me&host=laptop")]);
    expect(next).toMatchObject({ acquired: true, lock: { runid: "next-run" }, tookover: { runid: "dead-run", holder: "ci", host: "runner-9" } });
  });

  it("never lets two concurrent PHP requests both take the lease (20 rounds)", async () => {
    const url = new URL(phpDb.url);
    const database = { host: url.hostname, port: url.port === "" ? 3306 : Number(url.port), user: decodeURIComponent(url.username || "root"), password: phpDb.password ?? "", name: phpDb.database };
    const runOne = (body: string): Promise<{ acquired?: boolean; lock?: { runid?: string } }> =>
      new Promise((resolve, reject) => {
        const child = spawn("php", [join(PHP_DIR, "run.php")], { stdio: ["pipe", "pipe", "pipe"] });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("close", (code) => {
          if (code !== 0) return reject(new Error(`php exited ${code}: ${err || out}`));
          resolve((JSON.parse(out) as { results: [{ acquired?: boolean; lock?: { runid?: string } }] }).results[0]);
        });
        child.stdin.end(JSON.stringify({ root: COMPANION_ROOT, database, requests: [{ file: "api/reconcileacquirelock.php", body: `action=ReconcileAcquireLock&responsetype=json&${body}` }] }));
      });
    for (let round = 0; round < 20; round++) {
      await phpDb.freshStore();
      if (round % 2 === 0) {
        // Half the rounds race for a row that does not exist yet (two inserts), half for a released one.
        const conn = await sideConnection(phpDb);
        await conn.query("INSERT INTO `mod_zoho_reconcile_lock` (`name`, `version`) VALUES ('apply', 3)");
        await conn.end();
      }
      const results = await Promise.all([runOne("name=apply&runid=a&ttl=60"), runOne("name=apply&runid=b&ttl=60"), runOne("name=apply&runid=c&ttl=60")]);
      const winners = results.filter((r) => r.acquired === true);
      expect(winners, `round ${round}: ${JSON.stringify(results)}`).toHaveLength(1);
      const holder = winners[0]?.lock?.runid;
      for (const r of results) expect(r.lock?.runid).toBe(holder);
    }
  });
});
