import type { ApplyProgress } from "../apply/index.js";
import { formatDuration, streamWaitNotifier, type NoticeStream, type WaitNotifier } from "../core/wait.js";

/** Applies shorter than this say nothing about progress: their report follows at once. */
const QUIET_TOTAL = 10;
/** A progress line in logs (not a terminal) at most this often. */
const LOG_PROGRESS_EVERY_MS = 30_000;
/** The terminal's status line is redrawn at most this often. */
const REDRAW_EVERY_MS = 250;

export interface ProgressReporter {
  /** Listener for `onProgress`. */
  readonly progress: (p: ApplyProgress) => void;
  /** Wait notices: on a terminal they share the status line with the progress. */
  readonly onWait: WaitNotifier;
}

/** `120/1000 changes applied (12 %, 2 failed) · 4.0 a minute · about 3h 40m left`. */
export function describeProgress(p: ApplyProgress): string {
  const pct = p.total === 0 ? 100 : Math.floor((p.done / p.total) * 100);
  const failed = p.failed > 0 ? `, ${p.failed} failed` : "";
  const pace = p.perMinute === undefined ? "" : ` · ${p.perMinute >= 10 ? Math.round(p.perMinute) : p.perMinute.toFixed(1)} a minute`;
  const eta = p.etaMs === undefined || p.done >= p.total ? "" : ` · about ${formatDuration(roundEta(p.etaMs))} left`;
  return `${p.done}/${p.total} changes applied (${pct} %${failed})${pace}${eta}`;
}

/** Estimates to the second mean nothing over minutes: whole minutes past ten minutes, 10 s steps below. */
function roundEta(ms: number): number {
  if (ms >= 600_000) return Math.round(ms / 60_000) * 60_000;
  if (ms >= 60_000) return Math.round(ms / 10_000) * 10_000;
  return Math.max(1000, Math.round(ms / 1000) * 1000);
}

/**
 * Progress of a long apply on stderr. On a terminal: one status line, redrawn in place (done/total,
 * pace, time left, and the current wait when a limit holds the apply back), cleared at the end.
 * Otherwise (CI logs, files): a line every 30 s, and one when the apply is done; wait notices stay
 * lines of their own. Applies of fewer than 10 changes show nothing.
 */
export function progressReporter(stream: NoticeStream, now: () => number = Date.now): ProgressReporter {
  const lines = streamWaitNotifier(stream, now);
  if (!stream.isTTY) {
    let lastLine = -Infinity;
    return {
      onWait: lines,
      progress(p) {
        if (p.total < QUIET_TOTAL) return;
        const t = now();
        const finished = p.done >= p.total;
        if (!finished && t - lastLine < LOG_PROGRESS_EVERY_MS) return;
        lastLine = t;
        stream.write(`progress: ${describeProgress(p)}${finished ? ` in ${formatDuration(p.elapsedMs)}` : ""}\n`);
      },
    };
  }
  let latest: ApplyProgress | undefined;
  const waits = new Set<{ reason: string; until: number }>();
  let lastDraw = -Infinity;
  let timer: ReturnType<typeof setInterval> | undefined;
  const draw = (): void => {
    lastDraw = now();
    let wait: { reason: string; until: number } | undefined;
    for (const w of waits) if (wait === undefined || w.until >= wait.until) wait = w;
    const parts = [latest !== undefined ? describeProgress(latest) : undefined, wait !== undefined ? `waiting ${formatDuration(Math.max(0, wait.until - now()))}: ${wait.reason}` : undefined];
    stream.write(`\r\x1b[K${parts.filter((x) => x !== undefined).join(" · ")}`);
  };
  const tick = (): void => {
    if (timer !== undefined) return;
    timer = setInterval(draw, 1000);
    timer.unref?.();
  };
  const stop = (): void => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    stream.write("\r\x1b[K");
  };
  return {
    onWait(reason, ms) {
      // Before the apply (the plan's reads), waits keep their own line.
      if (latest === undefined) return lines(reason, ms);
      const entry = { reason, until: now() + ms };
      waits.add(entry);
      draw();
      return () => {
        waits.delete(entry);
        draw();
      };
    },
    progress(p) {
      if (p.total < QUIET_TOTAL) return;
      latest = p;
      if (p.done >= p.total) {
        latest = undefined;
        return stop();
      }
      tick();
      if (now() - lastDraw >= REDRAW_EVERY_MS) draw();
    },
  };
}
