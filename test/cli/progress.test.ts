import { afterEach, describe, expect, it } from "vitest";
import { lockProject, type LockProject } from "../lock/project.js";
import { runCli } from "./harness.js";
import { memoryJournal, progressJournal, type ApplyProgress } from "../../src/apply/index.js";
import { describeProgress, progressReporter } from "../../src/cli/progress.js";

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const entry = (key: string, event: "start" | "succeeded" | "failed" | "not-executed") => ({ at: "2026-01-01T00:00:00.000Z", planChecksum: "sha256:x", key, event });

describe("apply progress", () => {
  it("counts each change once, from the journal's final events, and keeps writing the journal", () => {
    const c = clock();
    const inner = memoryJournal();
    const seen: ApplyProgress[] = [];
    const j = progressJournal(inner, 4, (p) => seen.push(p), c.now);
    j.record(entry("CustomerOrg/a", "start"));
    j.record(entry("CustomerOrg/a#client", "succeeded")); // a step, not a change
    c.advance(30_000);
    j.record(entry("CustomerOrg/a", "succeeded"));
    c.advance(30_000);
    j.record(entry("CustomerOrg/b", "failed"));
    j.record(entry("CustomerOrg/b", "failed")); // a second final event for one change counts once
    c.advance(30_000);
    j.record(entry("CustomerOrg/c", "not-executed"));
    expect(inner.entries).toHaveLength(6);
    expect(seen.map((p) => [p.done, p.failed, p.total])).toEqual([
      [1, 0, 4],
      [2, 1, 4],
      [3, 2, 4],
    ]);
    const last = seen.at(-1) as ApplyProgress;
    // Three finished 30 s apart: two a minute, one left, so half a minute to go.
    expect(last.perMinute).toBeCloseTo(2, 6);
    expect(last.etaMs).toBeCloseTo(30_000, 0);
    expect(last.elapsedMs).toBe(90_000);
    expect(seen[0]?.perMinute).toBeUndefined();
  });

  it("measures the pace over the last 50 changes, so a slow start does not skew the time left", () => {
    const c = clock();
    const seen: ApplyProgress[] = [];
    const j = progressJournal(memoryJournal(), 200, (p) => seen.push(p), c.now);
    // Ten changes a minute apart, then sixty 6 s apart (ten a minute).
    for (let i = 0; i < 10; i++) {
      c.advance(60_000);
      j.record(entry(`CustomerOrg/slow-${i}`, "succeeded"));
    }
    for (let i = 0; i < 60; i++) {
      c.advance(6_000);
      j.record(entry(`CustomerOrg/fast-${i}`, "succeeded"));
    }
    const last = seen.at(-1) as ApplyProgress;
    expect(last.done).toBe(70);
    expect(last.perMinute).toBeCloseTo(10, 6);
    expect(last.etaMs).toBeCloseTo(13 * 60_000, 0);
  });

  it("says done/total, the pace and the time left in one line", () => {
    expect(describeProgress({ done: 120, failed: 2, total: 1000, elapsedMs: 1, perMinute: 4, etaMs: 220 * 60_000 })).toBe(
      "120/1000 changes applied (12 %, 2 failed) · 4.0 a minute · about 3h 40m 0s left",
    );
    expect(describeProgress({ done: 10, failed: 0, total: 10, elapsedMs: 1, perMinute: 30, etaMs: 0 })).toBe("10/10 changes applied (100 %) · 30 a minute");
  });

  it("in logs: a line at most every 30 s and one at the end; short applies say nothing", () => {
    const c = clock();
    const out: string[] = [];
    const r = progressReporter({ write: (s: string) => out.push(s) }, c.now);
    const p = (done: number, total = 100): ApplyProgress => ({ done, failed: 0, total, elapsedMs: 0, perMinute: 10, etaMs: ((total - done) / 10) * 60_000 });
    r.progress(p(1)); // the first line comes at once
    c.advance(10_000);
    r.progress(p(2));
    c.advance(25_000);
    r.progress(p(3));
    c.advance(1_000);
    r.progress({ ...p(100), elapsedMs: 125_000 });
    expect(out).toEqual([
      "progress: 1/100 changes applied (1 %) · 10 a minute · about 9m 50s left\n",
      "progress: 3/100 changes applied (3 %) · 10 a minute · about 9m 40s left\n",
      "progress: 100/100 changes applied (100 %) · 10 a minute in 2m 5s\n",
    ]);
    const quiet: string[] = [];
    const q = progressReporter({ write: (s: string) => quiet.push(s) }, c.now);
    for (let i = 1; i <= 9; i++) q.progress(p(i, 9));
    expect(quiet).toEqual([]);
  });

  it("on a terminal: one status line redrawn in place, the current wait beside the progress, cleared at the end", () => {
    const c = clock();
    const out: string[] = [];
    const r = progressReporter({ write: (s: string) => out.push(s), isTTY: true }, c.now);
    const p = (done: number): ApplyProgress => ({ done, failed: 0, total: 20, elapsedMs: 0, perMinute: 2, etaMs: ((20 - done) / 2) * 60_000 });
    r.progress(p(1));
    const done = r.onWait("Zoho Mail rate limit (30 requests a minute)", 40_000);
    c.advance(300);
    r.progress(p(2));
    if (typeof done === "function") done();
    r.progress(p(20));
    expect(out[0]).toBe("\r\x1b[K1/20 changes applied (5 %) · 2.0 a minute · about 9m 30s left");
    expect(out[1]).toBe("\r\x1b[K1/20 changes applied (5 %) · 2.0 a minute · about 9m 30s left · waiting 40s: Zoho Mail rate limit (30 requests a minute)");
    expect(out[2]).toBe("\r\x1b[K2/20 changes applied (10 %) · 2.0 a minute · about 9m 0s left · waiting 40s: Zoho Mail rate limit (30 requests a minute)");
    expect(out.at(-1)).toBe("\r\x1b[K");
    expect(out.every((s) => !s.includes("\n"))).toBe(true);
  });
});

describe("reconcile apply says how far it is", () => {
  let project: LockProject | undefined;
  afterEach(async () => {
    await project?.close();
    project = undefined;
  });

  it("in a log (not a terminal): progress lines on stderr, the last one all done with the time taken; the report on stdout", async () => {
    const p = (project = await lockProject({ orgs: 12 }));
    const r = await runCli(p.dir, ["--yes", "--force"], { env: p.env });
    expect(r.code).toBe(0);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("progress: "));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    // The 12 new orgs and the catalog changes the examples make to the sandbox's seeded catalog.
    const total = Number(/^progress: 1\/(\d+) changes applied \(\d+ %\)$/.exec(lines[0] ?? "")?.[1]);
    expect(total).toBeGreaterThanOrEqual(12);
    expect(lines.at(-1)).toMatch(new RegExp(`^progress: ${total}/${total} changes applied \\(100 %\\) · [0-9.]+ a minute in \\S+`));
    expect(r.stdout).not.toContain("progress:");
    // Zoho Mail requests (the ones under the 30-a-minute limit): the plan's one org listing, then two
    // per new org (create it, read its verification code to record it): no lookup before a create.
    expect(p.zoho.calls.rateLimited.admitted).toHaveLength(1 + 2 * 12);
    expect(p.zoho.calls.count("mail.createOrg")).toBe(12);
    expect(p.zoho.calls.count("mail.getDomain")).toBe(12);
  });
});
