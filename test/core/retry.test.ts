import { describe, expect, it } from "vitest";
import { backoffDelay, parseRetryAfter, retry, type Outcome } from "../../src/core/retry.js";
import {
  compactDuration,
  createWaiter,
  formatDuration,
  parseDuration,
  streamWaitNotifier,
  WaitTooLongError,
} from "../../src/core/wait.js";

function recorder(): { sleeps: number[]; notices: [string, number][]; sleep: (ms: number) => Promise<void> } {
  const sleeps: number[] = [];
  return {
    sleeps,
    notices: [],
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  };
}

const failing = (times: number, error: unknown = new Error("boom")) => {
  let calls = 0;
  const fn = async (): Promise<string> => {
    calls += 1;
    if (calls <= times) throw error;
    return `ok after ${calls}`;
  };
  return { fn, calls: () => calls };
};

const anyError = (o: Outcome<unknown>) => (o.ok ? false : {});

describe("retry", () => {
  it("retries up to the bound with exponential, jittered backoff", async () => {
    const r = recorder();
    const f = failing(10);
    await expect(
      retry(f.fn, { attempts: 4, baseDelayMs: 100, random: () => 0.5, wait: createWaiter({ sleep: r.sleep }), decide: anyError }),
    ).rejects.toThrow("boom");
    expect(f.calls()).toBe(4);
    // Equal jitter: half the exponential delay fixed, half drawn.
    expect(r.sleeps).toEqual([75, 150, 300]);
  });

  it("returns the first success and does not wait after it", async () => {
    const r = recorder();
    const f = failing(2);
    await expect(retry(f.fn, { attempts: 5, baseDelayMs: 10, random: () => 0, wait: createWaiter({ sleep: r.sleep }), decide: anyError })).resolves.toBe(
      "ok after 3",
    );
    expect(r.sleeps).toEqual([5, 10]);
  });

  it("stops at once when the decision says no", async () => {
    const r = recorder();
    const f = failing(3);
    await expect(retry(f.fn, { attempts: 5, baseDelayMs: 10, wait: createWaiter({ sleep: r.sleep }), decide: () => false })).rejects.toThrow("boom");
    expect(f.calls()).toBe(1);
    expect(r.sleeps).toEqual([]);
  });

  it("caps the exponential delay", () => {
    expect(backoffDelay(10, 250, 8000, () => 0.999)).toBe(7996);
    expect(backoffDelay(1, 250, 8000, () => 0)).toBe(125);
  });

  it("waits exactly as long as Retry-After asks instead of the backoff", async () => {
    const r = recorder();
    const f = failing(2);
    await retry(f.fn, { attempts: 3, baseDelayMs: 100, wait: createWaiter({ sleep: r.sleep }), decide: (o) => (o.ok ? false : { retryAfterMs: 2000 }) });
    expect(r.sleeps).toEqual([2000, 2000]);
  });

  it("retries on values too (an HTTP status the caller reads as retryable)", async () => {
    const r = recorder();
    let n = 0;
    const value = await retry(async () => ++n, { attempts: 5, baseDelayMs: 1, wait: createWaiter({ sleep: r.sleep }), decide: (o) => (o.ok && o.value < 3 ? {} : false) });
    expect(value).toBe(3);
    // The last attempt's value comes back even when the decision would retry.
    expect(await retry(async () => 1, { attempts: 2, baseDelayMs: 1, wait: createWaiter({ sleep: r.sleep }), decide: () => ({}) })).toBe(1);
  });

  it("fails with wait.too-long instead of sleeping past the bound, naming the reason", async () => {
    const r = recorder();
    const err = (await retry(failing(1).fn, {
      attempts: 3,
      baseDelayMs: 100,
      wait: createWaiter({ sleep: r.sleep, maxWaitMs: 30_000 }),
      decide: () => ({ retryAfterMs: 120_000 }),
      reason: () => "WHMCS GetClients answered HTTP 429 with Retry-After 2m 0s",
    }).catch((e: unknown) => e)) as WaitTooLongError;
    expect(err).toBeInstanceOf(WaitTooLongError);
    expect(err.code).toBe("wait.too-long");
    expect(err.exitCode).toBe(1);
    expect(err.message).toBe(
      "WHMCS GetClients answered HTTP 429 with Retry-After 2m 0s: that wait (2m 0s) is longer than --max-wait 30s; stopped instead of waiting",
    );
    expect(err.hint).toBe("Run again later, or allow the wait with --max-wait 2m.");
    expect(r.sleeps).toEqual([]);
  });
});

describe("Retry-After", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  it("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("2", now)).toBe(2000);
    expect(parseRetryAfter(" 120 ", now)).toBe(120_000);
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now)).toBe(0);
  });
  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
    expect(parseRetryAfter("1.5", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });
});

describe("waits", () => {
  it("announce only waits over 5 s, and say when they end", async () => {
    const r = recorder();
    const ended: string[] = [];
    const wait = createWaiter({
      sleep: r.sleep,
      onWait: (reason, ms) => {
        r.notices.push([reason, ms]);
        return () => ended.push(reason);
      },
    });
    await wait(5000, "short");
    await wait(5001, "long");
    expect(r.notices).toEqual([["long", 5001]]);
    expect(ended).toEqual(["long"]);
    expect(r.sleeps).toEqual([5000, 5001]);
  });

  it("carry a caller's hint into the too-long error", async () => {
    const wait = createWaiter({ sleep: async () => undefined, maxWaitMs: 30_000 });
    const err = (await wait(630_000, "Zoho Accounts is throttling", { hint: "Give this tool its own refresh token." }).catch((e: unknown) => e)) as WaitTooLongError;
    expect(err.hint).toBe("Give this tool its own refresh token. Or run again later, or allow the wait with --max-wait 10m30s.");
  });

  it("print one line per wait when stderr is not a terminal", () => {
    let out = "";
    const notify = streamWaitNotifier({ write: (c: string) => (out += c) });
    notify("Zoho Mail rate limit (30 requests a minute)", 42_000);
    expect(out).toBe("waiting 42s: Zoho Mail rate limit (30 requests a minute)\n");
  });

  it("count down on one terminal line and clear it at the end", () => {
    let out = "";
    let now = 1000;
    const notify = streamWaitNotifier({ write: (c: string) => (out += c), isTTY: true }, () => now);
    const done = notify("Retry-After", 90_000);
    now += 30_000;
    const second = notify("shorter", 10_000);
    if (typeof second === "function") second();
    if (typeof done === "function") done();
    expect(out).toBe(
      "\r\x1b[Kwaiting 1m 30s: Retry-After" + "\r\x1b[Kwaiting 1m 0s: Retry-After" + "\r\x1b[Kwaiting 1m 0s: Retry-After" + "\r\x1b[K",
    );
  });
});

describe("durations", () => {
  it("parse the --max-wait forms", () => {
    expect(parseDuration("30s")).toBe(30_000);
    expect(parseDuration("5m")).toBe(300_000);
    expect(parseDuration("1h")).toBe(3_600_000);
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("0s")).toBe(0);
    expect(parseDuration("45")).toBe(45_000);
    for (const bad of ["", "5 m", "-1s", "1.5m", "1d", "m", "30 s"]) expect(parseDuration(bad)).toBeUndefined();
  });
  it("format for people and for the flag", () => {
    expect(formatDuration(750)).toBe("750 ms");
    expect(formatDuration(2000)).toBe("2s");
    expect(formatDuration(630_000)).toBe("10m 30s");
    expect(formatDuration(3_723_000)).toBe("1h 2m 3s");
    expect(compactDuration(630_000)).toBe("10m30s");
    expect(compactDuration(900_000)).toBe("15m");
  });
});
