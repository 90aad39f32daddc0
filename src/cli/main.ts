import { ExitCode, ManifestError, ReconcileError } from "../core/errors.js";
import { createLogger, type Logger } from "../core/log.js";
import { scrub } from "../core/secrets.js";
import { formatIssues } from "../manifest/index.js";
import { parse, reconcileArgs, USAGE, usageError, type ParsedArgs } from "./args.js";
import { processIo, type CliIo } from "./io.js";
import { reconcileCommand } from "./commands/reconcile.js";
import { validateCommand } from "./commands/validate.js";
import { sandboxCommand } from "./commands/sandbox.js";
import { demoCommand } from "./commands/demo.js";
import { zohoAuthCommand } from "./commands/zoho-auth.js";
import { importCommand } from "./commands/import.js";
import { unlockCommand } from "./commands/unlock.js";

/**
 * The one place that maps errors to exit codes. Everything below throws typed errors; nothing
 * else calls process.exit.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let logger: Logger | undefined;
  try {
    const parsed = parse(argv);
    if (parsed.values.help || parsed.command === "help") {
      io.stdout.write(USAGE);
      return ExitCode.ok;
    }
    logger = createLogger({
      level: parsed.values["log-level"] ?? io.env["RECONCILE_LOG_LEVEL"] ?? "warn",
      destination: { write: (line: string) => void io.stderr.write(line) },
    });
    return await dispatch(parsed, io, logger);
  } catch (err) {
    return report(err, io, logger);
  }
}

async function dispatch(parsed: ParsedArgs, io: CliIo, logger: Logger): Promise<number> {
  const isTty = Boolean((io.stdout as { isTTY?: boolean }).isTTY);
  switch (parsed.command) {
    case "":
    case "plan":
    case "apply":
      if (parsed.rest.length > 0) throw usageError(`unexpected argument ${JSON.stringify(parsed.rest[0])}`);
      return reconcileCommand(reconcileArgs(parsed, isTty), io, logger);
    case "validate":
      return validateCommand({ config: parsed.values.config ?? "reconcile.yaml", logLevel: parsed.values["log-level"] }, io);
    case "sandbox":
      return sandboxCommand(parsed, io, logger);
    case "demo":
      return demoCommand(io, logger, isTty);
    case "import":
      return importCommand(parsed, io, logger);
    case "unlock":
      return unlockCommand(parsed, io, logger);
    case "zoho":
      return zohoAuthCommand(parsed, io);
    case "action": {
      // Loaded on demand: only the GitHub Action needs the GitHub client.
      const { actionEnv, runAction } = await import("../action/run.js");
      return runAction(actionEnv(io.env), io, logger);
    }
    default:
      throw usageError(`unknown command ${JSON.stringify(parsed.command)}`);
  }
}

function report(err: unknown, io: CliIo, logger: Logger | undefined): number {
  if (err instanceof ManifestError) {
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
