import type { Journal } from "./journal.js";

/** How far an apply has got: changes finished of the plan's changes, and the pace so far. */
export interface ApplyProgress {
  /** Changes finished (succeeded, failed or not run) of `total`. */
  readonly done: number;
  readonly failed: number;
  /** Changes of the plan that write something (noops excluded). */
  readonly total: number;
  readonly elapsedMs: number;
  /** Changes finished a minute over the recent window; undefined until two have finished. */
  readonly perMinute: number | undefined;
  /** Time left at that pace; undefined while the pace is unknown. */
  readonly etaMs: number | undefined;
}

export type ProgressListener = (progress: ApplyProgress) => void;

/** The pace is measured over the last changes finished, so a slow start does not skew the estimate. */
const PACE_WINDOW = 50;

/**
 * A journal that also counts: every change's last event (`succeeded`, `failed`, `not-executed`)
 * for a top-level key (a plan change, not one of its steps, `key#step`) moves the progress on.
 * The apply code already writes these events before and after every change, so progress needs
 * no hooks of its own in the apply paths and cannot disagree with the journal.
 */
export function progressJournal(inner: Journal, total: number, listener: ProgressListener, now: () => number = Date.now): Journal {
  const started = now();
  const finishedAt: number[] = [];
  const finished = new Set<string>();
  let failed = 0;
  return {
    record(entry) {
      inner.record(entry);
      if (entry.event === "start" || entry.key.includes("#") || finished.has(entry.key)) return;
      finished.add(entry.key);
      if (entry.event !== "succeeded") failed++;
      const t = now();
      finishedAt.push(t);
      listener(progressAt(finishedAt, finished.size, failed, total, started, t));
    },
  };
}

function progressAt(finishedAt: readonly number[], done: number, failed: number, total: number, started: number, t: number): ApplyProgress {
  const n = Math.min(finishedAt.length, PACE_WINDOW + 1);
  let perMinute: number | undefined;
  if (n >= 2) {
    const first = finishedAt[finishedAt.length - n] as number;
    // Over the window, the time from its first finish to now: n - 1 changes took that long.
    const span = Math.max(1, t - first);
    perMinute = ((n - 1) / span) * 60_000;
  }
  const left = Math.max(0, total - done);
  return {
    done,
    failed,
    total,
    elapsedMs: t - started,
    perMinute,
    etaMs: perMinute === undefined || perMinute <= 0 ? undefined : left === 0 ? 0 : (left / perMinute) * 60_000,
  };
}
