import { formatDuration } from "../../core/wait.js";

/**
 * Client-side sliding-window limiter: at most `limit` calls per `windowMs`, callers served in
 * arrival order. A call occupies its slot from the moment it starts until `windowMs` after it
 * ends, so calls still in flight always count: the server sees them arrive later than they
 * started. Zoho Mail locks a token for an undisclosed time once it passes 30 requests a minute,
 * so staying under the limit is cheaper than backing off after it.
 */
/** Pauses `ms`; `reason` says why, for wait notices and the `--max-wait` bound. */
export type LimiterSleep = (ms: number, reason: string) => Promise<void>;

interface Slot {
  at: number;
  done: boolean;
}

export class SlidingWindowLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #sleep: LimiterSleep;
  readonly #label: string;
  #slots: Slot[] = [];
  #holdUntil = 0;
  #queue: Promise<void> = Promise.resolve();
  #wake: (() => void) | undefined;
  #released: Promise<void> = this.#nextRelease();

  /** `label` names the limit in wait notices, e.g. "Zoho Mail rate limit". */
  constructor(limit: number, windowMs: number, now: () => number, sleep: LimiterSleep, label = "rate limit") {
    this.#limit = Math.max(1, Math.floor(limit));
    this.#windowMs = windowMs;
    this.#now = now;
    this.#sleep = sleep;
    this.#label = label;
  }

  /** Wait for a slot; call the returned function when the call has ended. */
  acquire(): Promise<() => void> {
    const turn = this.#queue.then(() => this.#take());
    this.#queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  /** The server said we are throttled: nobody starts before `ms` from now. */
  holdFor(ms: number): void {
    this.#holdUntil = Math.max(this.#holdUntil, this.#now() + ms);
  }

  /** Why the limiter is waiting, for notices. */
  #reason(held: boolean): string {
    if (held) return `${this.#label}: the server answered "too many requests"; pausing these calls`;
    const per = this.#windowMs === 60_000 ? "a minute" : formatDuration(this.#windowMs);
    return `${this.#label} (${this.#limit} requests ${this.#windowMs === 60_000 ? "" : "per "}${per})`;
  }

  #nextRelease(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  async #take(): Promise<() => void> {
    for (;;) {
      const now = this.#now();
      if (now < this.#holdUntil) {
        await this.#sleep(this.#holdUntil - now, this.#reason(true));
        continue;
      }
      this.#slots = this.#slots.filter((s) => !s.done || s.at > now - this.#windowMs);
      if (this.#slots.length < this.#limit) {
        const slot: Slot = { at: now, done: false };
        this.#slots.push(slot);
        let released = false;
        return () => {
          if (released) return;
          released = true;
          slot.at = Math.max(slot.at, this.#now());
          slot.done = true;
          const wake = this.#wake;
          this.#released = this.#nextRelease();
          wake?.();
        };
      }
      const finished = this.#slots.filter((s) => s.done);
      if (finished.length > 0) {
        const oldest = Math.min(...finished.map((s) => s.at));
        await this.#sleep(Math.max(1, oldest + this.#windowMs - now), this.#reason(false));
      } else {
        // Every slot is still in flight: wait for one to end, not for time to pass.
        await this.#released;
      }
    }
  }
}
