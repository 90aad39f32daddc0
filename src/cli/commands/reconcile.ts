import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { ExitCode, ReconcileError } from "../../core/errors.js";
import type { Logger } from "../../core/log.js";
import { hasChanges, type Plan } from "../../model/plan.js";
import type { LiveCatalog } from "../../model/catalog.js";
import type { LiveCustomers } from "../../model/customers.js";
import type { LoadedProject } from "../../manifest/index.js";
import { loadProject } from "../../manifest/index.js";
import { checkSafety, managedCount } from "../../plan/index.js";
import { computeFullPlan } from "../../plan/customers/index.js";
import { renderJson, renderMarkdown, renderText } from "../../render/index.js";
import { fileJournal, renderApplyReport } from "../../apply/index.js";
import { applyFullPlan, renderVerification, verifyPendingDomains } from "../../apply/customers/index.js";
import { readCustomerLiveState } from "../../customers/index.js";
import type { ReconcileArgs } from "../args.js";
import type { CliIo } from "../io.js";
import { requireZohoFor, targetsFor, type Targets } from "../providers.js";
import { inShard, shardLabel, type Shard } from "../../core/shard.js";

export interface ReconcileRun {
  readonly project: LoadedProject;
  readonly targets: Targets;
  /** Where apply journals go; default `<config dir>/.reconcile/journal`. */
  readonly journalDir?: string;
}

const NO_CUSTOMERS: LiveCustomers = { clients: [], services: [], zohoOrgs: [], warnings: [] };

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
  readonly targets: Targets;
  readonly live: LiveCatalog;
  readonly customers: LiveCustomers;
  readonly plan: Plan;
}

/** Load, read live state from WHMCS (and Zoho when orgs are declared), plan: what a dry run does before printing. */
export async function planRun(
  configPath: string,
  io: Pick<CliIo, "env">,
  logger: Logger,
  run?: Omit<ReconcileRun, "journalDir">,
  shard?: Shard,
): Promise<PlannedRun> {
  const loaded = run?.project ?? (await loadProject(configPath));
  // A shard takes the orgs of whole clients (by email): two shards never create the same client.
  const mine = shard === undefined ? loaded.customerOrgs : loaded.customerOrgs.filter((o) => inShard(o.spec.client.email, shard));
  const otherShardDomains = new Set(loaded.customerOrgs.filter((o) => !mine.includes(o)).map((o) => o.spec.domain));
  const project = { ...loaded, customerOrgs: mine };
  const config = project.config;
  requireZohoFor(config, project.customerOrgs.length);
  const targets = run?.targets ?? targetsFor(config, io.env, logger);
  const { catalog, zoho } = targets;
  logger.info({ backend: catalog.backend, url: config.whmcs.url }, "reading live state");
  const live = await catalog.readCatalog();
  const customers =
    zoho !== undefined && project.customerOrgs.length > 0
      ? await readCustomerLiveState({
          whmcs: targets.whmcs,
          zoho,
          catalog: live,
          declaredDomains: project.customerOrgs.map((o) => o.spec.domain),
          logger,
        })
      : NO_CUSTOMERS;
  const plan = computeFullPlan({
    desired: project.catalog,
    live,
    backend: catalog.backend,
    target: {
      whmcs: config.whmcs.url,
      catalogBackend: catalog.backend,
      ...(config.zoho ? { zohoRegion: config.zoho.region } : {}),
      ...(shard ? { shard: shardLabel(shard) } : {}),
    },
    customers: { desired: project.customerOrgs, live: customers, zohoPlans: config.zoho?.plans ?? {}, otherShardDomains },
  });
  return { project, targets, live, customers, plan };
}

/** `reconcile [--dry-run]`: plan, show, check safety, then (unless dry run) confirm and apply. */
export async function reconcileCommand(args: ReconcileArgs, io: CliIo, logger: Logger, run?: ReconcileRun): Promise<number> {
  const { project, targets, live, plan } = await planRun(resolve(io.cwd, args.config), io, logger, run, args.shard);

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
  // Pending DNS verifications are no change, but an apply run asks Zoho to check them.
  const pending = targets.zoho !== undefined && (plan.pending?.length ?? 0) > 0;
  if (!changes && !pending) return ExitCode.ok;
  if (args.shard !== undefined && args.shard.index !== 1 && plan.changes.some((c) => c.kind !== "CustomerOrg" && c.action !== "noop")) {
    throw new ReconcileError("apply.catalog-in-shard", `shard ${shardLabel(args.shard)} does not apply catalog changes; nothing was applied`, ExitCode.refused, {
      hint: "apply the catalog first: run shard 1 (or a run without --shard), then the other shards",
    });
  }

  if (!args.yes) {
    if (!io.interactive) {
      throw new ReconcileError("apply.needs-confirmation", "refusing to apply without --yes when not on a terminal", ExitCode.error, {
        hint: "review the plan, then run again with --yes (in CI also pass --plan-checksum)",
      });
    }
    const question = changes ? `Apply these changes to ${project.config.whmcs.url}?` : "Ask Zoho to verify the pending domains?";
    const answer = await io.ask(`\n${question} Only 'yes' is accepted: `);
    if (answer.trim() !== "yes") {
      io.stderr.write("Apply cancelled; nothing was changed.\n");
      return ExitCode.ok;
    }
  }

  const { zoho } = targets;
  const verify = async (): Promise<void> => {
    if (zoho !== undefined && (plan.pending?.length ?? 0) > 0) io.stdout.write(renderVerification(await verifyPendingDomains({ plan, mail: zoho.mail, logger })));
  };
  if (!changes) {
    await verify();
    return ExitCode.ok;
  }

  const journalDir = run?.journalDir ?? join(project.config.dir, ".reconcile", "journal");
  const journalPath = join(journalDir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${plan.checksum.slice(7, 19)}.jsonl`);
  const { catalog, whmcs } = targets;
  const report = await applyFullPlan({
    plan,
    currencies: live.currencies,
    writer: catalog.writer,
    liveCatalog: live,
    readCatalog: () => catalog.readCatalog(),
    journal: fileJournal(journalPath),
    logger,
    ...(zoho !== undefined && project.config.zoho !== undefined
      ? {
          customers: {
            desired: project.customerOrgs,
            whmcs,
            zoho: { mail: zoho.mail, store: zoho.store, mailAdminUrl: zoho.client.url("mailadmin", "") },
            zohoPlans: project.config.zoho.plans,
            paymentMethod: project.config.whmcs.paymentMethod,
            ...(catalog.moduleTable ? { moduleTable: catalog.moduleTable } : {}),
          },
        }
      : {}),
  });
  io.stdout.write(`\n${renderApplyReport(report)}`);
  await verify();
  logger.info({ journal: journalPath }, "apply journal written");
  return report.ok ? ExitCode.ok : ExitCode.applyFailed;
}
