/**
 * Client-side sliding-window limiter: at most `limit` calls per `windowMs`, callers served in
 * arrival order. A call occupies its slot from the moment it starts until `windowMs` after it
 * ends, so calls still in flight always count: the server sees them arrive later than they
 * started. Zoho Mail locks a token for an undisclosed time once it passes 30 requests a minute,
 * so staying under the limit is cheaper than backing off after it.
 */
interface Slot {
  at: number;
  done: boolean;
}

export class SlidingWindowLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #slots: Slot[] = [];
  #holdUntil = 0;
  #queue: Promise<void> = Promise.resolve();
  #wake: (() => void) | undefined;
  #released: Promise<void> = this.#nextRelease();

  constructor(limit: number, windowMs: number, now: () => number, sleep: (ms: number) => Promise<void>) {
    this.#limit = Math.max(1, Math.floor(limit));
    this.#windowMs = windowMs;
    this.#now = now;
    this.#sleep = sleep;
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

  #nextRelease(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  async #take(): Promise<() => void> {
    for (;;) {
      const now = this.#now();
      if (now < this.#holdUntil) {
        await this.#sleep(this.#holdUntil - now);
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
        await this.#sleep(Math.max(1, oldest + this.#windowMs - now));
      } else {
        // Every slot is still in flight: wait for one to end, not for time to pass.
        await this.#released;
      }
    }
  }
}
