import { createWaiter, type Waiter } from "./wait.js";

/**
 * The one retry loop of the tool: bounded attempts, exponential backoff with jitter, and a
 * server's `Retry-After` honoured instead of the backoff when the failure carries one. Every
 * pause goes through a `Waiter`, so the run's `--max-wait` bound and wait notices apply, and
 * tests inject the sleep instead of sleeping.
 */

/** What one attempt produced: a value or a thrown error. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** Whether to try again; `retryAfterMs` (from a `Retry-After` header) replaces the backoff delay. */
export type RetryDecision = false | { readonly retryAfterMs?: number | undefined };

export interface RetryOptions<T> {
  /** Attempts in all, the first included (at least 1). */
  readonly attempts: number;
  /** Delay before the second attempt; doubles per attempt up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs?: number;
  /** Source of jitter in [0, 1): the delay is drawn from [d/2, d). */
  readonly random?: () => number;
  readonly wait?: Waiter;
  /** Decide after each attempt; a value is returned and an error thrown unless this says retry. */
  readonly decide: (outcome: Outcome<T>, attempt: number) => RetryDecision;
  /** Why the run pauses, for notices and the too-long error. */
  readonly reason?: (outcome: Outcome<T>, attempt: number) => string;
  /** Called before each pause (logging). */
  readonly onRetry?: (info: { readonly attempt: number; readonly delayMs: number; readonly outcome: Outcome<T> }) => void;
}

/** Exponential backoff before attempt `attempt + 1`, with "equal jitter": half fixed, half random. */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number, random: () => number): number {
  const exp = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}

export async function retry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions<T>): Promise<T> {
  const attempts = Math.max(1, Math.floor(options.attempts));
  const wait = options.wait ?? createWaiter();
  const random = options.random ?? Math.random;
  const maxDelayMs = options.maxDelayMs ?? Number.POSITIVE_INFINITY;
  for (let attempt = 1; ; attempt++) {
    let outcome: Outcome<T>;
    try {
      outcome = { ok: true, value: await fn(attempt) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const decision = attempt < attempts ? options.decide(outcome, attempt) : false;
    if (decision === false) {
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    }
    const delayMs = decision.retryAfterMs ?? backoffDelay(attempt, options.baseDelayMs, maxDelayMs, random);
    options.onRetry?.({ attempt, delayMs, outcome });
    await wait(delayMs, options.reason?.(outcome, attempt) ?? `retrying after a failed attempt (${attempt} of ${attempts})`);
  }
}

/**
 * A `Retry-After` header value in milliseconds: delta-seconds (`120`) or an HTTP date, relative
 * to `now`. Undefined when absent or unreadable; a date in the past is 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) {
    const seconds = Number(v);
    return Number.isSafeInteger(seconds * 1000) ? seconds * 1000 : undefined;
  }
  if (!/[a-z]/i.test(v)) return undefined;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
