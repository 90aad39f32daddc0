import { join } from "node:path";
import { ExitCode, ReconcileError } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import { inShard, shardLabel, type Shard } from "../core/shard.js";
import type { LiveCatalog } from "../model/catalog.js";
import type { LiveCustomers } from "../model/customers.js";
import { hasChanges, type Plan } from "../model/plan.js";
import { loadProject, readProjectConfig, type LoadedProject } from "../manifest/index.js";
import { checkSafety, managedCount, type SafetyResult } from "../plan/index.js";
import { computeFullPlan } from "../plan/customers/index.js";
import { fileJournal, progressJournal, type ApplyReport, type Journal, type ProgressListener } from "../apply/index.js";
import { applyFullPlan, createProviderCustomerWriter, verifyPendingDomains, type VerificationOutcome } from "../apply/customers/index.js";
import { startLiveRead, type LiveRead, type LiveState } from "../live/index.js";
import type { Lease } from "../model/lock.js";
import { withApplyLock, type ApplyLockOptions } from "../providers/whmcs/lock.js";
import { updateService } from "../providers/whmcs/services.js";
import { requireZohoFor, targetsFor, type Targets } from "./targets.js";
import type { WaitPolicy } from "../core/wait.js";

/** What every run starts from: a config file, the environment its secrets come from, a logger. */
export interface PipelineRequest {
  readonly configPath: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logger: Logger;
  /** Already loaded manifests (the demo, tests); loaded from `configPath` otherwise. */
  readonly project?: LoadedProject;
  /** Already built providers (the demo, tests); built from the config otherwise. */
  readonly targets?: Targets;
  /** `--shard I/N`: this run's slice of the customer orgs. */
  readonly shard?: Shard;
  /** `--max-wait` and the notices of long waits, for the providers built here. */
  readonly waits?: WaitPolicy;
}

/** The plan stage's result: everything later stages need, and nothing they must read again. */
export interface PlannedRun {
  /** The project as this run sees it: with `--shard`, only the shard's customer orgs. */
  readonly project: LoadedProject;
  readonly targets: Targets;
  readonly live: LiveCatalog;
  readonly customers: LiveCustomers;
  readonly plan: Plan;
  readonly shard: Shard | undefined;
  readonly logger: Logger;
}

/** Load → read live state from both systems → plan. Reads only; never needs a lock. */
export async function planStage(req: PipelineRequest): Promise<PlannedRun> {
  // The remote reads that do not depend on the manifests start before they are loaded, so the two
  // overlap (docs/decisions.md, "Live reads start before the manifests are loaded").
  const configRead = req.project === undefined ? readProjectConfig(req.configPath) : undefined;
  const early = configRead !== undefined ? startEarly(req, await configRead) : undefined;
  const loaded = req.project ?? (await loadProject(req.configPath, configRead));
  const { shard } = req;
  // A shard takes the orgs of whole clients (by email): two shards never create the same client.
  const mine = shard === undefined ? loaded.customerOrgs : loaded.customerOrgs.filter((o) => inShard(o.spec.client.email, shard));
  const mineSet = new Set(mine);
  const otherShardDomains = new Set(loaded.customerOrgs.filter((o) => !mineSet.has(o)).map((o) => o.spec.domain));
  const project = { ...loaded, customerOrgs: mine };
  const config = project.config;
  requireZohoFor(config, project.customerOrgs.length);
  const targets = early?.targets ?? req.targets ?? targetsFor(config, req.env, req.logger, req.waits);
  const read =
    early?.read ?? startLiveRead({ catalog: targets.catalog, whmcs: targets.whmcs, zoho: targets.zoho, customers: project.customerOrgs.length > 0, logger: req.logger });
  const live = await read.finish({ domains: project.customerOrgs.map((o) => o.spec.domain), emails: project.customerOrgs.map((o) => o.spec.client.email) });
  const plan = planOf(project, targets, live, shard, otherShardDomains);
  return { project, targets, live: live.catalog, customers: live.customers, plan, shard, logger: req.logger };
}

/** The plan of a loaded project against live state: pure, no I/O (the bench times it on its own). */
export function planOf(project: LoadedProject, targets: Targets, live: LiveState, shard: Shard | undefined, otherShardDomains: ReadonlySet<string> = new Set()): Plan {
  const config = project.config;
  return computeFullPlan({
    desired: project.catalog,
    live: live.catalog,
    backend: targets.catalog.backend,
    prune: config.policy.prune,
    target: {
      whmcs: config.whmcs.url,
      catalogBackend: targets.catalog.backend,
      ...(config.zoho ? { zohoRegion: config.zoho.region } : {}),
      ...(shard ? { shard: shardLabel(shard) } : {}),
    },
    customers: {
      desired: project.customerOrgs,
      live: live.customers,
      zohoPlans: config.zoho?.plans ?? {},
      otherShardDomains,
      reprice: config.policy.reprice,
      orders: config.whmcs.orders,
    },
  });
}

/**
 * Reads the config (not the manifests), builds the providers and starts the live reads. Undefined
 * when the config cannot be read or a secret is missing: loading the project then reports that the
 * way it always does, manifest problems first.
 */
function startEarly(req: PipelineRequest, read: Awaited<ReturnType<typeof readProjectConfig>>): { targets: Targets; read: LiveRead } | undefined {
  const config = read.config;
  if (config === undefined || read.issues.length > 0) return undefined;
  let targets: Targets;
  try {
    targets = req.targets ?? targetsFor(config, req.env, req.logger, req.waits);
  } catch {
    return undefined;
  }
  req.logger.info({ backend: targets.catalog.backend, url: config.whmcs.url }, "reading live state");
  // Customers are read in bulk whenever the config has a zoho section (a project that declares no
  // org after all has spent a few pages); with none, only the catalog.
  return { targets, read: startLiveRead({ catalog: targets.catalog, whmcs: targets.whmcs, zoho: targets.zoho, customers: targets.zoho !== undefined, logger: req.logger }) };
}

export interface CheckOptions {
  /** `--force`: lifts threshold refusals (never protection). */
  readonly force: boolean;
}

/** The safety policy over a plan: pure, the same for a dry run, a pull request and an apply. */
export function checkStage(run: PlannedRun, opts: CheckOptions): SafetyResult {
  return checkSafety(run.plan, run.project.config.policy, { force: opts.force, managedCount: managedCount(run.live) });
}

/** Whether an apply run has anything to do: changes, or pending domains to ask Zoho about. */
export function applyWork(run: PlannedRun): { readonly changes: boolean; readonly pending: boolean } {
  return { changes: hasChanges(run.plan), pending: run.targets.zoho !== undefined && (run.plan.pending?.length ?? 0) > 0 };
}

/**
 * Refusals that only an apply has (a dry run shows the plan regardless): the reviewed checksum,
 * and catalog changes in a shard other than 1. Throws; nothing has been written yet.
 */
export function applyGate(run: PlannedRun, opts: { readonly planChecksum?: string | undefined }): void {
  if (opts.planChecksum !== undefined && opts.planChecksum !== run.plan.checksum) {
    throw new ReconcileError(
      "apply.checksum-mismatch",
      `the fresh plan (${run.plan.checksum}) differs from the reviewed plan (${opts.planChecksum}); nothing was applied`,
      ExitCode.refused,
      { hint: "live state or manifests changed since the review: plan again and review the new plan" },
    );
  }
  const { shard } = run;
  if (shard !== undefined && shard.index !== 1 && run.plan.changes.some((c) => c.kind !== "CustomerOrg" && c.action !== "noop")) {
    throw new ReconcileError("apply.catalog-in-shard", `shard ${shardLabel(shard)} does not apply catalog changes; nothing was applied`, ExitCode.refused, {
      hint: "apply the catalog first: run shard 1 (or a run without --shard), then the other shards",
    });
  }
}

export interface ApplyStageOptions {
  /** Where apply journals go; default `<config dir>/.reconcile/journal`. */
  readonly journalDir?: string;
  /** Injected for tests; default a journal file named after the time and the plan's checksum. */
  readonly journal?: Journal;
  /** Told each time a change of the plan finishes (progress on a terminal, progress lines in logs). */
  readonly onProgress?: ProgressListener;
}

/** Catalog waves, then customer orgs; one report. Call only after `applyGate`. */
export async function applyStage(run: PlannedRun, opts: ApplyStageOptions = {}): Promise<{ report: ApplyReport; journalPath: string | undefined }> {
  const { project, targets, plan } = run;
  const { catalog, whmcs, zoho } = targets;
  let journalPath: string | undefined;
  let journal = opts.journal;
  if (journal === undefined) {
    const dir = opts.journalDir ?? join(project.config.dir, ".reconcile", "journal");
    journalPath = join(dir, `${new Date().toISOString().replace(/[:.]/g, "-")}-${plan.checksum.slice(7, 19)}.jsonl`);
    journal = fileJournal(journalPath);
  }
  if (opts.onProgress !== undefined) journal = progressJournal(journal, plan.changes.filter((c) => c.action !== "noop").length, opts.onProgress);
  const report = await applyFullPlan({
    plan,
    currencies: run.live.currencies,
    writer: catalog.writer,
    liveCatalog: run.live,
    readCatalog: () => catalog.readCatalog(),
    journal,
    logger: run.logger,
    ...(zoho !== undefined && project.config.zoho !== undefined
      ? {
          customers: {
            desired: project.customerOrgs,
            writer: createProviderCustomerWriter({
              whmcs,
              mail: zoho.mail,
              store: zoho.store,
              mailAdminUrl: zoho.client.url("mailadmin", ""),
              ...(catalog.moduleTable ? { moduleTable: catalog.moduleTable } : {}),
              logger: run.logger,
            }),
            zohoPlans: project.config.zoho.plans,
            paymentMethod: project.config.whmcs.paymentMethod,
            orders: project.config.whmcs.orders,
          },
        }
      : {}),
  });
  return { report, journalPath };
}

/** Asks Zoho to check the pending domains whose turn it is (a few per run); nothing when Zoho is not configured. */
export async function verifyStage(run: PlannedRun): Promise<readonly VerificationOutcome[]> {
  const { zoho } = run.targets;
  if (zoho === undefined || (run.plan.pending?.length ?? 0) === 0) return [];
  return verifyPendingDomains({
    plan: run.plan,
    mail: zoho.mail,
    logger: run.logger,
    services: run.customers.services,
    recordCheck: (serviceId, fieldId, value) => updateService(run.targets.whmcs, { serviceId, customFields: { [fieldId]: value } }).then(() => undefined),
  });
}

/** How a run ended, and the exit code that says so. */
export type PipelineStatus = "planned" | "refused" | "nothing-to-do" | "cancelled" | "verified" | "applied" | "partially-applied";

export interface PipelineOutcome {
  readonly status: PipelineStatus;
  readonly exitCode: number;
  readonly run: PlannedRun;
  readonly safety: SafetyResult;
  readonly report?: ApplyReport;
  readonly verification: readonly VerificationOutcome[];
}

export interface RunOptions extends CheckOptions, ApplyStageOptions {
  /** `plan` stops after the check; `apply` goes on through the gate, confirmation, apply and verify. */
  readonly mode: "plan" | "apply";
  /** `--plan-checksum`: apply only a fresh plan with exactly this checksum. */
  readonly planChecksum?: string | undefined;
  /** `--detailed-exitcode`: a plan with changes exits 2. */
  readonly detailedExitcode?: boolean;
  /** The apply lock: `--wait-lock`, and clocks and ids for tests. */
  readonly lock?: Omit<ApplyLockOptions, "logger" | "onTakeover" | "onWait">;
}

/** Where a caller (the CLI, the Action, the demo) sees each stage's result; only `confirm` can stop a run. */
export interface PipelineHooks {
  /** The plan and the policy's verdict, before anything is written (print it, comment it). */
  planned?(run: PlannedRun, safety: SafetyResult): void | Promise<void>;
  /** Asked once before the first write; false cancels with nothing written. Absent means yes. */
  confirm?(run: PlannedRun, work: { readonly changes: boolean }): Promise<boolean>;
  applied?(report: ApplyReport, journalPath: string | undefined): void | Promise<void>;
  verified?(outcomes: readonly VerificationOutcome[]): void | Promise<void>;
  /** The apply lock was taken over from a run whose lease had expired (it presumably died). */
  lockTakenOver?(previous: Lease): void;
  /** Another run holds the apply lock; `--wait-lock` waits `ms` before asking again. */
  lockWaiting?(heldBy: Lease, ms: number): void;
}

/**
 * The one pipeline the CLI and the Action share: plan → check → (apply mode) gate → confirm →
 * apply → verify. It alone knows the order of the stages. Typed errors (invalid manifests, a
 * checksum mismatch, a remote failure) are thrown for the caller's one error handler.
 */
export async function runPipeline(req: PipelineRequest, opts: RunOptions, hooks: PipelineHooks = {}): Promise<PipelineOutcome> {
  if (opts.mode === "plan") return stages(req, opts, hooks, false);
  // An apply holds the apply lock in WHMCS from before it reads live state until it is done, so
  // the plan it shows, confirms and applies is one no other apply changes underneath it.
  const project = req.project ?? (await loadProject(req.configPath));
  const targets = req.targets ?? targetsFor(project.config, req.env, req.logger, req.waits);
  const lock = targets.catalog.lock;
  const prepared = { ...req, project, targets };
  if (lock === undefined) return stages(prepared, opts, hooks, false);
  return withApplyLock(
    lock,
    {
      ...opts.lock,
      logger: req.logger,
      onTakeover: (previous) => hooks.lockTakenOver?.(previous),
      onWait: (heldBy, ms) => hooks.lockWaiting?.(heldBy, ms),
    },
    () => stages(prepared, opts, hooks, true),
  );
}

async function stages(req: PipelineRequest, opts: RunOptions, hooks: PipelineHooks, locked: boolean): Promise<PipelineOutcome> {
  const run = await planStage(req);
  const safety = checkStage(run, opts);
  await hooks.planned?.(run, safety);
  // Blocked orgs keep a run that otherwise went well from exiting 0: CI stays red until they are settled.
  const blocked = (run.plan.blocked?.length ?? 0) > 0;
  const outcome = (status: PipelineStatus, exitCode: number, extra: Partial<Pick<PipelineOutcome, "report" | "verification">> = {}): PipelineOutcome => ({
    status,
    exitCode: blocked && (exitCode === ExitCode.ok || exitCode === ExitCode.changes) ? ExitCode.blocked : exitCode,
    run,
    safety,
    verification: [],
    ...extra,
  });
  if (!safety.ok) return outcome("refused", ExitCode.refused);
  const work = applyWork(run);
  if (opts.mode === "plan") return outcome("planned", work.changes && opts.detailedExitcode === true ? ExitCode.changes : ExitCode.ok);

  applyGate(run, opts);
  if (!work.changes && !work.pending) return outcome("nothing-to-do", ExitCode.ok);
  if (work.changes && !locked) {
    throw new ReconcileError("apply.no-lock", `the ${run.targets.catalog.backend} catalog backend is read-only and cannot hold the apply lock; nothing was applied`, ExitCode.refused, {
      hint: "install the companion actions (catalogBackend: companion) or use catalogBackend: db; both hold the apply lock that keeps two applies from writing at once",
    });
  }
  if (hooks.confirm !== undefined && !(await hooks.confirm(run, { changes: work.changes }))) return outcome("cancelled", ExitCode.ok);

  if (!work.changes) {
    const verification = await verifyStage(run);
    await hooks.verified?.(verification);
    return outcome("verified", ExitCode.ok, { verification });
  }
  const { report, journalPath } = await applyStage(run, opts);
  await hooks.applied?.(report, journalPath);
  const verification = await verifyStage(run);
  await hooks.verified?.(verification);
  if (journalPath !== undefined) run.logger.info({ journal: journalPath }, "apply journal written");
  return report.ok
    ? outcome("applied", ExitCode.ok, { report, verification })
    : outcome("partially-applied", ExitCode.applyFailed, { report, verification });
}
