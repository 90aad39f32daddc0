import { ExitCode } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import { parse, reconcileArgs, USAGE, usageError, type ParsedArgs } from "./args.js";
import { processIo, type CliIo } from "./io.js";
import { report } from "./report.js";

/*
 * Start-up cost matters: `reconcile --help` and `reconcile validate` run in editors and pre-commit
 * hooks, and every CI step pays it. So this module imports only argument parsing; each command,
 * the logger (pino), the manifest loader and above all the sandboxes (better-sqlite3) and the db
 * backend (mysql2) are imported when the command that needs them runs.
 */

/** Errors become exit codes in one place, `report` (shared with the Action's bundle). */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let logger: Logger | undefined;
  try {
    const parsed = parse(argv);
    if (parsed.values.help || parsed.command === "help") {
      io.stdout.write(USAGE);
      return ExitCode.ok;
    }
    if (parsed.command === "validate") {
      const { validateCommand } = await import("./commands/validate.js");
      return await validateCommand({ config: parsed.values.config ?? "reconcile.yaml", logLevel: parsed.values["log-level"] }, io);
    }
    const { createLogger } = await import("../core/log.js");
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
    case "apply": {
      if (parsed.rest.length > 0) throw usageError(`unexpected argument ${JSON.stringify(parsed.rest[0])}`);
      const { reconcileCommand } = await import("./commands/reconcile.js");
      return reconcileCommand(reconcileArgs(parsed, isTty), io, logger);
    }
    case "sandbox": {
      const { sandboxCommand } = await import("./commands/sandbox.js");
      return sandboxCommand(parsed, io, logger);
    }
    case "demo": {
      const { demoCommand } = await import("./commands/demo.js");
      return demoCommand(io, logger, isTty);
    }
    case "import": {
      const { importCommand } = await import("./commands/import.js");
      return importCommand(parsed, io, logger);
    }
    case "intake": {
      const { intakeCommand } = await import("./commands/intake.js");
      return intakeCommand(parsed, io, logger);
    }
    case "unlock": {
      const { unlockCommand } = await import("./commands/unlock.js");
      return unlockCommand(parsed, io, logger);
    }
    case "zoho": {
      const { zohoAuthCommand } = await import("./commands/zoho-auth.js");
      return zohoAuthCommand(parsed, io);
    }
    case "action": {
      const { actionEnv, runAction } = await import("../action/run.js");
      return runAction(actionEnv(io.env), io, logger);
    }
    default:
      throw usageError(`unknown command ${JSON.stringify(parsed.command)}`);
  }
}
