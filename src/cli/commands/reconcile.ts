import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ExitCode, ReconcileError } from "../../core/errors.js";
import type { Logger } from "../../core/log.js";
import { hasChanges, type Plan } from "../../model/plan.js";
import type { CatalogProvider } from "../../model/provider.js";
import type { LiveCatalog } from "../../model/catalog.js";
import type { LoadedProject } from "../../manifest/index.js";
import { loadProject } from "../../manifest/index.js";
import { checkSafety, computePlan, managedCount } from "../../plan/index.js";
import { renderJson, renderMarkdown, renderText } from "../../render/index.js";
import { applyPlan, fileJournal, renderApplyReport } from "../../apply/index.js";
import type { ReconcileArgs } from "../args.js";
import type { CliIo } from "../io.js";
import { catalogProviderFor } from "../providers.js";

export interface ReconcileRun {
  readonly project: LoadedProject;
  readonly provider: CatalogProvider;
  /** Where apply journals go; default `<config dir>/.reconcile/journal`. */
  readonly journalDir?: string;
}

export function renderPlan(plan: Plan, args: Pick<ReconcileArgs, "format" | "color">): string {
  switch (args.format) {
    case "json":
      return renderJson(plan);
    case "markdown":
      return renderMarkdown(plan);
    default:
      return renderText(plan, { color: args.color });
  }
}

/** Write a file atomically: a reader never sees half a plan. */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, "utf8");
  renameSync(tmp, path);
}

export interface PlannedRun {
  readonly project: LoadedProject;
  readonly provider: CatalogProvider;
  readonly live: LiveCatalog;
  readonly plan: Plan;
}

/** Load, read live state, plan: everything a dry run does before printing. */
export async function planRun(configPath: string, io: Pick<CliIo, "env">, logger: Logger, run?: ReconcileRun): Promise<PlannedRun> {
  const project = run?.project ?? (await loadProject(configPath));
  const provider = run?.provider ?? catalogProviderFor(project.config, io.env, logger);
  logger.info({ backend: provider.backend, url: project.config.whmcs.url }, "reading live state");
  const live = await provider.readCatalog();
  const plan = computePlan({
    desired: project.catalog,
    live,
    backend: provider.backend,
    target: { whmcs: project.config.whmcs.url, catalogBackend: provider.backend },
  });
  return { project, provider, live, plan };
}

/** `reconcile [--dry-run]`: plan, show, check safety, then (unless dry run) confirm and apply. */
export async function reconcileCommand(args: ReconcileArgs, io: CliIo, logger: Logger, run?: ReconcileRun): Promise<number> {
  const { project, provider, live, plan } = await planRun(resolve(io.cwd, args.config), io, logger, run);

  if (args.out) writeFileAtomic(resolve(io.cwd, args.out), renderJson(plan));
  io.stdout.write(renderPlan(plan, args));

  const safety = checkSafety(plan, project.config.policy, { force: args.force, managedCount: managedCount(live) });
  const changes = hasChanges(plan);
  if (!safety.ok) {
    for (const r of safety.reasons) io.stderr.write(`refused: ${r}\n`);
    io.stderr.write("The safety policy refuses this plan (see policy.thresholds and policy.protect; --force lifts threshold refusals).\n");
    return ExitCode.refused;
  }

  if (args.dryRun) return changes && args.detailedExitcode ? ExitCode.changes : ExitCode.ok;

  if (args.planChecksum !== undefined && args.planChecksum !== plan.checksum) {
    throw new ReconcileError(
      "apply.checksum-mismatch",
      `the fresh plan (${plan.checksum}) differs from the reviewed plan (${args.planChecksum}); nothing was applied`,
      ExitCode.refused,
      { hint: "live state or manifests changed since the review: plan again and review the new plan" },
    );
  }
  if (!changes) return ExitCode.ok;

  const writer = provider.writer;
  if (writer === undefined) {
    throw new ReconcileError("apply.read-only-backend", `the ${provider.backend} catalog backend is read-only; nothing was applied`, ExitCode.refused, {
      hint: "perform the manual steps listed in the plan, or use catalogBackend: companion or db",
    });
  }
  if (!args.yes) {
    if (!io.interactive) {
      throw new ReconcileError("apply.needs-confirmation", "refusing to apply without --yes when not on a terminal", ExitCode.error, {
        hint: "review the plan, then run again with --yes (in CI also pass --plan-checksum)",
      });
    }
    const answer = await io.ask(`\nApply these changes to ${project.config.whmcs.url}? Only 'yes' is accepted: `);
    if (answer.trim() !== "yes") {
      io.stderr.write("Apply cancelled; nothing was changed.\n");
      return ExitCode.ok;
    }
  }

  const journalDir = run?.journalDir ?? join(project.config.dir, ".reconcile", "journal");
  const journalPath = join(journalDir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${plan.checksum.slice(7, 19)}.jsonl`);
  const report = await applyPlan({ plan, currencies: live.currencies, writer, journal: fileJournal(journalPath), logger });
  io.stdout.write(`\n${renderApplyReport(report)}`);
  logger.info({ journal: journalPath }, "apply journal written");
  return report.ok ? ExitCode.ok : ExitCode.applyFailed;
}
