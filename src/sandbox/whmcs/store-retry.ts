import { WhmcsSandboxError } from "./errors.js";

const RETRYABLE = new Set(["sandbox.whmcs.store.constraint", "sandbox.whmcs.store.conflict"]);

/**
 * Run a look-up-then-write transaction again when a concurrent caller won the race (a unique
 * key it just committed, or an InnoDB deadlock): the next attempt sees the committed row and
 * updates it, so concurrent identical creates leave one row. SQLite serialises callers and
 * never gets here; MariaDB isolates them and does.
 */
export async function retryOnConflict<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= attempts || !(err instanceof WhmcsSandboxError) || !RETRYABLE.has(err.code)) throw err;
    }
  }
}
