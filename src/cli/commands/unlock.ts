import { resolve } from "node:path";
import { ExitCode, ReconcileError } from "../../core/errors.js";
import type { Logger } from "../../core/log.js";
import { loadConfig } from "../../manifest/index.js";
import { APPLY_LOCK_NAME } from "../../model/lock.js";
import { targetsFor } from "../../pipeline/index.js";
import { describeLease } from "../../providers/whmcs/lock.js";
import { usageError, type ParsedArgs } from "../args.js";
import type { CliIo } from "../io.js";

/**
 * `reconcile unlock --run-id ID`: release the apply lock a run left behind (killed before its
 * lease ran out). Only the run id that holds the lock releases it, so a live run is never
 * unlocked by a mistyped or stale id.
 */
export async function unlockCommand(parsed: ParsedArgs, io: CliIo, logger: Logger): Promise<number> {
  if (parsed.rest.length > 0) throw usageError(`unexpected argument ${JSON.stringify(parsed.rest[0])}`);
  const runId = parsed.values["run-id"]?.trim() ?? "";
  if (runId === "") throw usageError("unlock needs --run-id ID: the run id the refused apply named");
  const config = await loadConfig(resolve(io.cwd, parsed.values.config ?? "reconcile.yaml"));
  const { catalog } = targetsFor({ ...config, zoho: undefined }, io.env, logger);
  if (catalog.lock === undefined) {
    throw new ReconcileError("unlock.no-lock", `the ${catalog.backend} catalog backend holds no apply lock`, ExitCode.error, {
      hint: "only the companion and db backends hold the apply lock",
    });
  }
  const result = await catalog.lock.release(APPLY_LOCK_NAME, runId);
  if (result.released && result.lease !== undefined) {
    io.stdout.write(`Released the apply lock of ${describeLease(result.lease)}.\n`);
    return ExitCode.ok;
  }
  if (result.lease === undefined) {
    io.stdout.write("The apply lock is not held: nothing to release.\n");
    return ExitCode.ok;
  }
  throw new ReconcileError("unlock.run-id-mismatch", `the apply lock is held by ${describeLease(result.lease)}, not run ${runId}; nothing was released`, ExitCode.locked, {
    hint: `if that run is dead too: reconcile unlock --run-id ${result.lease.runId}`,
  });
}
