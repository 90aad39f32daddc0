import { actionEnv, runAction } from "../action/run.js";
import { createLogger, type Logger } from "../core/log.js";
import { processIo, type CliIo } from "./io.js";
import { report } from "./report.js";

/**
 * `reconcile action` without the CLI's command dispatch: what the GitHub Action's bundle runs
 * (src/action/bundle.ts), so the bundle holds only what the Action needs (no sandbox, no demo).
 * The same logger, the same run and the same error-to-exit-code mapping as `main(["action"])`.
 */
export async function actionMain(io: CliIo = processIo()): Promise<number> {
  let logger: Logger | undefined;
  try {
    logger = createLogger({
      level: io.env["RECONCILE_LOG_LEVEL"] ?? "warn",
      destination: { write: (line: string) => void io.stderr.write(line) },
    });
    return await runAction(actionEnv(io.env), io, logger);
  } catch (err) {
    return report(err, io, logger);
  }
}
