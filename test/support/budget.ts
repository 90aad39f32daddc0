import fc from "fast-check";
import { expect } from "vitest";

/**
 * How many runs a property test makes: `numRuns` when there is time, never fewer than `minRuns`.
 * Past `timeLimitMs` (default 5 s) no run beyond `minRuns` starts, so a busy machine makes fewer
 * runs instead of running into the test timeout. Whether a test passes depends only on the runs
 * made, never on the clock; pick `minRuns` small enough for the slowest machine.
 */
export interface RunBudget {
  readonly numRuns: number;
  readonly minRuns: number;
  readonly timeLimitMs?: number;
}

const DEFAULT_TIME_LIMIT_MS = 5_000;

function fail<Ts>(details: fc.RunDetails<Ts>, message: string | undefined): never {
  throw new Error(message ?? `Property failed after ${details.numRuns} runs`, { cause: details.errorInstance });
}

function expectMinimum(runs: number, budget: RunBudget): void {
  expect(runs, `runs made (at least ${budget.minRuns})`).toBeGreaterThanOrEqual(budget.minRuns);
}

/**
 * `fc.assert` under a `RunBudget`, for a synchronous property: one `fc.check` interrupted between
 * runs once the time is up, then, if that made fewer than `minRuns`, the missing runs untimed.
 */
export function assertProperty<Ts>(property: fc.IProperty<Ts>, budget: RunBudget): void {
  const timed = fc.check(property, { numRuns: budget.numRuns, interruptAfterTimeLimit: budget.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS });
  // Interrupted before any run: fast-check calls that a failure, but no run has failed.
  const outOfTime = timed.interrupted && timed.counterexample === null;
  if (timed.failed && !outOfTime) fail(timed, fc.defaultReportMessage(timed));
  let runs = timed.numRuns;
  if (runs < budget.minRuns) {
    const rest = fc.check(property, { numRuns: budget.minRuns - runs });
    if (rest.failed) fail(rest, fc.defaultReportMessage(rest));
    runs += rest.numRuns;
  }
  expectMinimum(runs, budget);
}

/**
 * `fc.assert` under a `RunBudget`, for an asynchronous property. A run in flight is never cut
 * short (it may hold a sandbox or a database the next run needs): the runs are made in batches,
 * `minRuns` first, then batches of a tenth of `numRuns` while the time lasts.
 */
export async function assertAsyncProperty<Ts>(property: fc.IAsyncProperty<Ts>, budget: RunBudget): Promise<void> {
  const deadline = Date.now() + (budget.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS);
  const batch = Math.max(1, Math.ceil(budget.numRuns / 10));
  let runs = 0;
  while (runs < budget.numRuns && (runs < budget.minRuns || Date.now() < deadline)) {
    const size = Math.min(runs < budget.minRuns ? budget.minRuns - runs : batch, budget.numRuns - runs);
    const details = await fc.check(property, { numRuns: size });
    if (details.failed) fail(details, await fc.asyncDefaultReportMessage(details));
    runs += details.numRuns;
  }
  expectMinimum(runs, budget);
}
