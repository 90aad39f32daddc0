import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** One line of the apply journal: every call and its outcome, in order. */
export interface JournalEntry {
  readonly at: string;
  readonly planChecksum: string;
  readonly key: string;
  readonly event: "start" | "succeeded" | "failed" | "not-executed";
  readonly remoteId?: string;
  readonly created?: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

export interface Journal {
  record(entry: JournalEntry): void;
}

/**
 * JSON-lines journal, appended and flushed per entry (synchronously), so a crash leaves a
 * readable record of what was attempted. Recovery never replays it: it plans again, and the
 * idempotent upserts find what an interrupted run already created.
 */
export function fileJournal(path: string): Journal {
  mkdirSync(dirname(path), { recursive: true });
  return {
    record(entry) {
      appendFileSync(path, `${JSON.stringify(entry)}\n`, "utf8");
    },
  };
}

export function memoryJournal(): Journal & { readonly entries: JournalEntry[] } {
  const entries: JournalEntry[] = [];
  return {
    entries,
    record(entry) {
      entries.push(entry);
    },
  };
}
