import { ExitCode, ReconcileError } from "./errors.js";

/**
 * Every deliberate pause of a run (retry backoff, a server's `Retry-After`, the Zoho Mail rate
 * limiter, Zoho's access-token mint throttle) goes through one `Waiter`: a wait longer than the
 * run's bound fails at once with a typed error instead of sleeping, and a wait long enough for a
 * person to wonder whether the tool hangs is announced with its reason first.
 */
export type SleepFn = (ms: number) => Promise<void>;

/**
 * Told about a wait before it starts (only waits over `ANNOUNCE_WAITS_OVER_MS`). May return a
 * function, called when that wait has ended, e.g. to clear a countdown.
 */
export type WaitNotifier = (reason: string, ms: number) => void | (() => void);

/** What a run allows: how long one wait may be, and whom to tell about long ones. */
export interface WaitPolicy {
  /** Longest single wait; a longer one fails with `WaitTooLongError` (default 15 min). */
  readonly maxWaitMs?: number;
  readonly onWait?: WaitNotifier;
}

export interface WaiterOptions extends WaitPolicy {
  readonly sleep?: SleepFn;
}

export interface WaitDetails {
  /** Shown to the user when the wait is refused. */
  readonly hint?: string;
}

/** Pause for `ms` because of `reason` (a short phrase: "Zoho Mail rate limit, 30 requests a minute"). */
export type Waiter = (ms: number, reason: string, details?: WaitDetails) => Promise<void>;

/** Long enough to wait out Zoho's ten-minute access-token throttle once. */
export const DEFAULT_MAX_WAIT_MS = 15 * 60_000;
/** Waits longer than this are announced. */
export const ANNOUNCE_WAITS_OVER_MS = 5_000;

export const realSleep: SleepFn = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A wait longer than `--max-wait`: the run stops instead of sleeping. */
export class WaitTooLongError extends ReconcileError {
  readonly reason: string;
  readonly waitMs: number;
  readonly maxWaitMs: number;

  constructor(reason: string, waitMs: number, maxWaitMs: number, hint?: string) {
    super(
      "wait.too-long",
      `${reason}: that wait (${formatDuration(waitMs)}) is longer than --max-wait ${compactDuration(maxWaitMs)}; stopped instead of waiting`,
      ExitCode.error,
      {
        hint: `${hint === undefined ? "Run again later" : `${hint.replace(/\.?$/, ".")} Or run again later`}, or allow the wait with --max-wait ${compactDuration(roundUpToSecond(waitMs))}.`,
        details: { reason, waitMs, maxWaitMs },
      },
    );
    this.reason = reason;
    this.waitMs = waitMs;
    this.maxWaitMs = maxWaitMs;
  }
}

export function createWaiter(options: WaiterOptions = {}): Waiter {
  const sleep = options.sleep ?? realSleep;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const onWait = options.onWait;
  return async (ms, reason, details) => {
    const wait = Math.max(0, Math.ceil(ms));
    if (wait > maxWaitMs) throw new WaitTooLongError(reason, wait, maxWaitMs, details?.hint);
    const done = wait > ANNOUNCE_WAITS_OVER_MS ? onWait?.(reason, wait) : undefined;
    try {
      await sleep(wait);
    } finally {
      if (typeof done === "function") done();
    }
  };
}

/** `1h 2m 5s`, `2m 0s`, `45s`, `750 ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** `11m`, `1m30s`, `2s`: the form `--max-wait` accepts. */
export function compactDuration(ms: number): string {
  if (ms % 1000 !== 0) return `${ms}ms`;
  const total = ms / 1000;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const out = `${h > 0 ? `${h}h` : ""}${m > 0 ? `${m}m` : ""}${s > 0 ? `${s}s` : ""}`;
  return out === "" ? "0s" : out;
}

function roundUpToSecond(ms: number): number {
  return Math.ceil(ms / 1000) * 1000;
}

const DURATION_PART = /(\d+)(ms|s|m|h)/g;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `30s`, `5m`, `1h`, `1m30s`, `500ms`, `45` (seconds) → milliseconds; undefined when the text is not such a duration. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number.isSafeInteger(Number(t) * 1000) ? Number(t) * 1000 : undefined;
  if (!/^(\d+(ms|s|m|h))+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(DURATION_PART)) total += Number(m[1]) * (UNIT_MS[m[2] ?? ""] ?? 0);
  return Number.isSafeInteger(total) ? total : undefined;
}

export interface NoticeStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * Announce long waits on a stream (stderr): one line each when it is not a terminal; on a
 * terminal, one line rewritten every second with the time left (the wait ending last, when
 * several overlap), cleared when the last wait ends.
 */
export function streamWaitNotifier(stream: NoticeStream, now: () => number = Date.now): WaitNotifier {
  if (!stream.isTTY) {
    return (reason, ms) => {
      stream.write(`waiting ${formatDuration(ms)}: ${reason}\n`);
    };
  }
  const active = new Set<{ reason: string; until: number }>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const render = (): void => {
    let last: { reason: string; until: number } | undefined;
    for (const w of active) if (last === undefined || w.until >= last.until) last = w;
    if (last === undefined) return;
    stream.write(`\r\x1b[Kwaiting ${formatDuration(Math.max(0, last.until - now()))}: ${last.reason}`);
  };
  return (reason, ms) => {
    const entry = { reason, until: now() + ms };
    active.add(entry);
    render();
    if (timer === undefined) {
      timer = setInterval(render, 1000);
      timer.unref?.();
    }
    return () => {
      if (!active.delete(entry)) return;
      if (active.size > 0) return render();
      clearInterval(timer);
      timer = undefined;
      stream.write("\r\x1b[K");
    };
  };
}
