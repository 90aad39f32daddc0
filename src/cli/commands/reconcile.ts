import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ExitCode, ReconcileError } from "../../core/errors.js";
import type { Logger } from "../../core/log.js";
import { progressReporter } from "../progress.js";
import type { Plan } from "../../model/plan.js";
import type { LoadedProject } from "../../manifest/index.js";
import { renderJson, renderMarkdown, renderText } from "../../render/index.js";
import { renderHtml, type HtmlOptions } from "../../render/html.js";
import { reportOptions } from "../../pipeline/report.js";
import { renderApplyReport } from "../../apply/index.js";
import { renderVerification } from "../../apply/customers/index.js";
import { runPipeline, type Targets } from "../../pipeline/index.js";
import { describeLease } from "../../providers/whmcs/lock.js";
import type { ReconcileArgs } from "../args.js";
import type { CliIo } from "../io.js";

/** Preloaded manifests and providers (the demo, tests). */
export interface ReconcileRun {
  readonly project: LoadedProject;
  readonly targets: Targets;
  /** Where apply journals go; default `<config dir>/.reconcile/journal`. */
  readonly journalDir?: string;
}

export function renderPlan(plan: Plan, args: Pick<ReconcileArgs, "format" | "color" | "showPii"> & { readonly root?: string }, html: HtmlOptions = {}): string {
  const privacy = { showPii: args.showPii === true, ...(args.root !== undefined ? { root: args.root } : {}) };
  switch (args.format) {
    case "html":
      return renderHtml(plan, html);
    case "json":
      return renderJson(plan);
    case "markdown":
      return renderMarkdown(plan, privacy);
    default:
      return renderText(plan, { color: args.color, ...privacy });
  }
}

/** Write a file atomically: a reader never sees half a plan. */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, "utf8");
  renameSync(tmp, path);
}

/** `reconcile [--dry-run]`: the pipeline, with the plan on stdout and a confirmation on a terminal. */
export async function reconcileCommand(args: ReconcileArgs, io: CliIo, logger: Logger, run?: ReconcileRun): Promise<number> {
  const progress = progressReporter(io.stderr);
  const outcome = await runPipeline(
    {
      configPath: resolve(io.cwd, args.config),
      env: io.env,
      logger,
      ...(run ? { project: run.project, targets: run.targets } : {}),
      ...(args.shard ? { shard: args.shard } : {}),
      waits: { ...(args.maxWaitMs !== undefined ? { maxWaitMs: args.maxWaitMs } : {}), onWait: progress.onWait },
    },
    {
      mode: args.dryRun ? "plan" : "apply",
      force: args.force,
      planChecksum: args.planChecksum,
      detailedExitcode: args.detailedExitcode,
      onProgress: progress.progress,
      ...(run?.journalDir !== undefined ? { journalDir: run.journalDir } : {}),
      ...(args.waitLockMs !== undefined && args.waitLockMs > 0 ? { lock: { waitMs: args.waitLockMs } } : {}),
    },
    {
      lockTakenOver(previous) {
        io.stderr.write(`Took over the apply lock of ${describeLease(previous)}: its lease had expired, so that run presumably died.\n`);
      },
      lockWaiting(heldBy, ms) {
        io.stderr.write(`The apply lock is held by ${describeLease(heldBy)}; asking again in ${Math.ceil(ms / 1000)} s.\n`);
      },
      planned(planned, safety) {
        // --format html -o FILE: the report goes to FILE and the plan, as text, to stdout.
        const report = args.format === "html" ? renderHtml(planned.plan, reportOptions(planned)) : undefined;
        if (args.out) writeFileAtomic(resolve(io.cwd, args.out), report ?? renderJson(planned.plan));
        io.stdout.write(report !== undefined && !args.out ? report : renderPlan(planned.plan, { ...args, root: dirname(resolve(io.cwd, args.config)), ...(report !== undefined ? { format: "text" as const } : {}) }));
        if (!safety.ok) {
          for (const r of safety.reasons) io.stderr.write(`refused: ${r}\n`);
          io.stderr.write("The safety policy refuses this plan (see policy.thresholds and policy.protect; --force lifts threshold refusals).\n");
        }
      },
      async confirm(planned, work) {
        if (args.yes) return true;
        if (!io.interactive) {
          throw new ReconcileError("apply.needs-confirmation", "refusing to apply without --yes when not on a terminal", ExitCode.error, {
            hint: "review the plan, then run again with --yes (in CI also pass --plan-checksum)",
          });
        }
        const question = work.changes ? `Apply these changes to ${planned.project.config.whmcs.url}?` : "Ask Zoho to verify the pending domains?";
        const answer = await io.ask(`\n${question} Only 'yes' is accepted: `);
        if (answer.trim() === "yes") return true;
        io.stderr.write("Apply cancelled; nothing was changed.\n");
        return false;
      },
      applied(report) {
        io.stdout.write(`\n${renderApplyReport(report)}`);
      },
      verified(outcomes) {
        io.stdout.write(renderVerification(outcomes));
      },
    },
  );
  return outcome.exitCode;
}
