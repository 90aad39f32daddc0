import { ExitCode, ManifestError, ReconcileError } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import { scrub } from "../core/secrets.js";
import type { CliIo } from "./io.js";

/**
 * The one place that maps errors to exit codes, for `reconcile` (`main.ts`) and the Action's bundle
 * (`action-main.ts`) alike. Everything below throws typed errors; nothing else calls process.exit.
 */
export async function report(err: unknown, io: CliIo, logger: Logger | undefined): Promise<number> {
  if (err instanceof ManifestError) {
    const { formatIssues } = await import("../manifest/index.js");
    io.stderr.write(`${formatIssues(err.issues)}\n`);
    io.stderr.write(`${err.issues.length} problem(s) found; nothing was written to WHMCS or Zoho.\n`);
    return err.exitCode;
  }
  if (err instanceof ReconcileError) {
    io.stderr.write(`error [${err.code}]: ${scrub(err.message)}\n`);
    if (err.hint) io.stderr.write(`hint: ${scrub(err.hint)}\n`);
    logger?.debug({ code: err.code, cause: err.cause instanceof Error ? scrub(err.cause.message) : undefined }, "error details");
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`error [internal]: ${scrub(message)}\n`);
  if (err instanceof Error && err.stack && logger?.isLevelEnabled("debug")) io.stderr.write(`${scrub(err.stack)}\n`);
  io.stderr.write("hint: this is a bug in reconcile; run with --log-level debug and report it\n");
  return ExitCode.error;
}
