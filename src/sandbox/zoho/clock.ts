/** The sandbox's notion of now: a base clock plus an offset tests can move forward. */
export interface SandboxClock {
  now(): number;
  advance(ms: number): void;
  /** Jump so that `now()` returns `ms`. */
  set(ms: number): void;
}

export function sandboxClock(base: () => number = Date.now): SandboxClock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance(ms) {
      offset += ms;
    },
    set(ms) {
      offset = ms - base();
    },
  };
}
