import { afterEach, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/core/errors.js";
import { Secret } from "../../src/core/secrets.js";
import type { LockStore } from "../../src/model/lock.js";
import { createWhmcsClient } from "../../src/providers/whmcs/client.js";
import { companionLockStore } from "../../src/providers/whmcs/lock.js";
import { runCli } from "../cli/harness.js";
import { duplicates, lockProject, type LockProject } from "./project.js";

let project: LockProject | undefined;
afterEach(async () => {
  await project?.close();
  project = undefined;
});

/** A WHMCS sandbox clock tests move by hand. */
function clock(start = "2026-03-01T10:00:00Z") {
  let t = new Date(start).getTime();
  return { now: () => new Date(t), advance: (seconds: number) => void (t += seconds * 1000) };
}

function storeOf(p: LockProject): LockStore {
  const client = createWhmcsClient({
    url: p.sandbox.url,
    identifier: new Secret(String(p.env["WHMCS_API_IDENTIFIER"]), "test:id"),
    secret: new Secret(String(p.env["WHMCS_API_SECRET"]), "test:secret"),
    retries: 0,
  });
  return companionLockStore(client);
}

const dead = { name: "apply", runId: "dead-run-1", holder: "ci (pid 4242)", host: "runner-7", ttlSeconds: 60 };

describe("the companion lock actions (sandbox)", () => {
  it("acquire, refuse another run, renew, release only by the holder, take over an expired lease", async () => {
    const c = clock();
    const p = (project = await lockProject({ orgs: 0, now: c.now }));
    const store = storeOf(p);
    const first = await store.acquire(dead);
    expect(first).toMatchObject({ acquired: true, tookOver: undefined, lease: { runId: "dead-run-1", holder: "ci (pid 4242)", host: "runner-7" } });
    if (!first.acquired) throw new Error("unreachable");
    expect(first.lease.acquiredAt.toISOString()).toBe("2026-03-01T10:00:00.000Z");
    expect(first.lease.expiresAt.toISOString()).toBe("2026-03-01T10:01:00.000Z");

    const other = { ...dead, runId: "other-run", holder: "me", host: "laptop" };
    c.advance(30);
    expect(await store.acquire(other)).toMatchObject({ acquired: false, heldBy: { runId: "dead-run-1" } });
    expect((await store.renew("apply", "other-run", 60)).renewed).toBe(false);
    expect(await store.release("apply", "other-run")).toMatchObject({ released: false, lease: { runId: "dead-run-1" } });
    const renewed = await store.renew("apply", "dead-run-1", 60);
    expect(renewed.renewed).toBe(true);
    expect(renewed.lease?.expiresAt.toISOString()).toBe("2026-03-01T10:01:30.000Z");
    // The same run acquiring again renews (a retried acquire is safe).
    expect(await store.acquire(dead)).toMatchObject({ acquired: true, tookOver: undefined });

    // Held up to its expiry (10:01:30), free from then on.
    c.advance(59);
    expect(await store.acquire(other)).toMatchObject({ acquired: false });
    c.advance(1);
    const taken = await store.acquire(other);
    expect(taken).toMatchObject({ acquired: true, lease: { runId: "other-run" }, tookOver: { runId: "dead-run-1", host: "runner-7" } });
    expect((await store.renew("apply", "dead-run-1", 60)).renewed).toBe(false);
    expect(await store.release("apply", "other-run")).toMatchObject({ released: true, lease: { runId: "other-run" } });
    expect(await store.release("apply", "other-run")).toEqual({ released: false, lease: undefined });
    // Free again: taken without a takeover.
    expect(await store.acquire(dead)).toMatchObject({ acquired: true, tookOver: undefined });
  });
});

describe("the companion lock store over a lossy connection", () => {
  it("acquire and renew are sent again after a lost answer (the same lease); release is not", async () => {
    const p = (project = await lockProject({ orgs: 0 }));
    // Each lease action reaches the sandbox and changes the row, then its answer is lost the first
    // time, as when a server closes a kept-alive connection: the client sees "other side closed".
    const lost = new Set<string>();
    const delivered: string[] = [];
    const losing: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const action = new URLSearchParams(String(init?.body)).get("action") ?? "";
      delivered.push(action);
      if (lost.has(action)) return res;
      lost.add(action);
      await res.arrayBuffer();
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) });
    };
    const store = companionLockStore(
      createWhmcsClient({
        url: p.sandbox.url,
        identifier: new Secret(String(p.env["WHMCS_API_IDENTIFIER"]), "test:id"),
        secret: new Secret(String(p.env["WHMCS_API_SECRET"]), "test:secret"),
        retries: 2,
        sleep: async () => undefined,
        fetch: losing,
      }),
    );
    expect(await store.acquire(dead)).toMatchObject({ acquired: true, tookOver: undefined, lease: { runId: "dead-run-1" } });
    expect((await store.renew("apply", "dead-run-1", 60)).renewed).toBe(true);
    await expect(store.release("apply", "dead-run-1")).rejects.toThrow(/other side closed/);
    expect(delivered).toEqual(["ReconcileAcquireLock", "ReconcileAcquireLock", "ReconcileRenewLock", "ReconcileRenewLock", "ReconcileReleaseLock"]);
  });
});

describe("reconcile and the apply lock", () => {
  it("a run killed while holding the lease: the next apply is refused until the lease expires, then takes over and says so", async () => {
    const c = clock();
    const p = (project = await lockProject({ orgs: 3, now: c.now }));
    // The "killed" run: acquired, never renewed or released.
    expect((await storeOf(p).acquire(dead)).acquired).toBe(true);

    const refused = await runCli(p.dir, ["--yes"], { env: p.env });
    expect(refused.code).toBe(ExitCode.locked);
    expect(refused.stderr).toContain("another apply holds the lock: run dead-run-1 (ci (pid 4242) on runner-7, since 2026-03-01T10:00:00.000Z, lease expires 2026-03-01T10:01:00.000Z)");
    expect(refused.stdout).toBe("");
    // Plans never need the lock.
    const plan = await runCli(p.dir, ["plan", "--detailed-exitcode"], { env: p.env });
    expect(plan.code).toBe(ExitCode.changes);

    c.advance(61);
    const applied = await runCli(p.dir, ["--yes", "--log-level", "warn"], { env: p.env });
    expect(applied.code, applied.stderr).toBe(ExitCode.ok);
    expect(applied.stderr).toContain("Took over the apply lock of run dead-run-1 (ci (pid 4242) on runner-7, since 2026-03-01T10:00:00.000Z, lease expires 2026-03-01T10:01:00.000Z)");
    expect(applied.stderr).toMatch(/"msg":"took over an expired apply lock"/);
    expect(applied.stderr).toMatch(/"previousRunId":"dead-run-1"/);
    expect(await duplicates(p)).toMatchObject({ clients: 3, services: 3, orders: 3, zohoOrgs: 3, duplicated: [] });
    // The plan stays a pure value: the takeover is not in it.
    const json = await runCli(p.dir, ["plan", "-f", "json"], { env: p.env });
    expect(json.stdout).not.toContain("dead-run-1");
  });

  it("reconcile unlock --run-id releases a stuck lease, and refuses another run's id", async () => {
    const p = (project = await lockProject({ orgs: 1 }));
    await storeOf(p).acquire({ ...dead, ttlSeconds: 3600 });
    const wrong = await runCli(p.dir, ["unlock", "--run-id", "not-the-holder"], { env: p.env });
    expect(wrong.code).toBe(ExitCode.locked);
    expect(wrong.stderr).toContain("error [unlock.run-id-mismatch]: the apply lock is held by run dead-run-1 (ci (pid 4242) on runner-7");
    expect(wrong.stderr).toContain("not run not-the-holder; nothing was released");
    expect((await runCli(p.dir, ["--yes"], { env: p.env })).code).toBe(ExitCode.locked);
    const ok = await runCli(p.dir, ["unlock", "--run-id", "dead-run-1"], { env: p.env });
    expect(ok.code).toBe(ExitCode.ok);
    expect(ok.stdout).toContain("Released the apply lock of run dead-run-1");
    expect((await runCli(p.dir, ["unlock", "--run-id", "dead-run-1"], { env: p.env })).stdout).toContain("not held");
    expect((await runCli(p.dir, ["unlock"], { env: p.env })).code).toBe(ExitCode.error);
    expect((await runCli(p.dir, ["--yes"], { env: p.env })).code).toBe(ExitCode.ok);
  });

  it("--wait-lock waits for the holder (polling), and gives up after the duration", async () => {
    const p = (project = await lockProject({ orgs: 1 }));
    const store = storeOf(p);
    await store.acquire({ ...dead, ttlSeconds: 3600 });
    const gaveUp = await runCli(p.dir, ["--yes", "--wait-lock", "1500ms"], { env: p.env });
    expect(gaveUp.code).toBe(ExitCode.locked);
    expect(gaveUp.stderr).toContain("The apply lock is held by run dead-run-1");
    expect(gaveUp.stderr).toMatch(/another apply holds the lock after waiting \d s: run dead-run-1/);

    const waiting = runCli(p.dir, ["--yes", "--wait-lock", "1m"], { env: p.env });
    await new Promise((r) => setTimeout(r, 1200));
    expect((await store.release("apply", "dead-run-1")).released).toBe(true);
    const done = await waiting;
    expect(done.code, done.stderr).toBe(ExitCode.ok);
    expect(done.stdout).toContain("Apply complete");
    for (const bad of ["soon", "1x", "25h"]) expect((await runCli(p.dir, ["--yes", "--wait-lock", bad], { env: p.env })).stderr).toContain("--wait-lock must be a duration");
  });

  it("the read-only api backend holds no lock, so an apply with changes is refused before any write", async () => {
    const p = (project = await lockProject({ orgs: 2, catalogBackend: "api" }));
    const r = await runCli(p.dir, ["--yes"], { env: p.env });
    expect(r.code).toBe(ExitCode.refused);
    expect(r.stderr).toContain("error [apply.no-lock]: the api catalog backend is read-only and cannot hold the apply lock; nothing was applied");
    expect(await duplicates(p)).toMatchObject({ clients: 0, services: 0, zohoOrgs: 0 });
  });
});
