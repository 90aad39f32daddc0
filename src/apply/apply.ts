import pLimit from "p-limit";
import type { Currency, Kind, ResourceKey } from "../model/catalog.js";
import type { Change, Plan } from "../model/plan.js";
import type { CatalogWriter, UpsertResult } from "../model/provider.js";
import { ReconcileError } from "../core/errors.js";
import type { Logger } from "../core/log.js";
import { scrub } from "../core/secrets.js";
import type { Journal } from "./journal.js";
import { configOptionGroupWrite, productGroupWrite, productWrite } from "./writes.js";

export type ApplyStatus = "succeeded" | "failed" | "not-executed" | "unchanged";

export interface ApplyResult {
  readonly key: ResourceKey;
  readonly action: Change["action"];
  readonly status: ApplyStatus;
  readonly remoteId?: string;
  /** True when the backend created the object (false for adopt/update and retried creates). */
  readonly created?: boolean;
  readonly error?: { readonly code: string; readonly message: string; readonly hint?: string };
  /** For not-executed: the failed change(s) it depended on. */
  readonly blockedBy?: readonly ResourceKey[];
  readonly durationMs: number;
}

export interface ApplyReport {
  readonly planChecksum: string;
  readonly ok: boolean;
  readonly results: readonly ApplyResult[];
  readonly summary: { readonly succeeded: number; readonly failed: number; readonly notExecuted: number; readonly unchanged: number };
}

export interface ApplyOptions {
  readonly plan: Plan;
  readonly currencies: readonly Currency[];
  readonly writer: CatalogWriter;
  readonly journal: Journal;
  readonly logger: Logger;
  /** Parallel writes within one wave; WHMCS has no documented rate limit, stay gentle. */
  readonly concurrency?: number;
  /** Injected for deterministic tests. */
  readonly now?: () => Date;
}

/** Kinds in dependency order: each wave may reference ids created by earlier waves. */
const WAVES: readonly Kind[] = ["ProductGroup", "ConfigOptionGroup", "Product"];

/**
 * Execute a plan: waves in dependency order, bounded concurrency inside a wave, a journal entry
 * before and after every write. A failed change stops everything that depends on it; unrelated
 * changes still run. Manual steps are refused before anything is written.
 */
export async function applyPlan(options: ApplyOptions): Promise<ApplyReport> {
  const { plan, writer, journal, logger } = options;
  const now = options.now ?? (() => new Date());
  const manual = plan.changes.filter((c) => c.manual !== undefined && c.action !== "noop");
  if (manual.length > 0) {
    throw new ReconcileError(
      "apply.manual-steps",
      `the plan has ${manual.length} manual step(s) the ${writer.backend} backend cannot perform: ${manual.map((c) => c.key).join(", ")}`,
      4,
      { hint: "do them by hand in WHMCS, or switch whmcs.catalogBackend to companion or db" },
    );
  }

  const ids = new Map<ResourceKey, string>();
  for (const c of plan.changes) if (c.remoteId !== undefined) ids.set(c.key, c.remoteId);
  const failed = new Set<ResourceKey>();
  const results = new Map<ResourceKey, ApplyResult>();
  const limit = pLimit(Math.max(1, Math.min(options.concurrency ?? 4, 8)));

  const knownKinds = new Set<Kind>(WAVES);
  for (const c of plan.changes) {
    if (!knownKinds.has(c.kind) && c.action !== "noop") {
      throw new ReconcileError("apply.unsupported-kind", `apply does not support ${c.kind} changes yet (${c.key})`);
    }
  }

  for (const kind of WAVES) {
    const wave = plan.changes.filter((c) => c.kind === kind);
    await Promise.all(
      wave.map((change) =>
        limit(async () => {
          const started = Date.now();
          if (change.action === "noop") {
            results.set(change.key, { key: change.key, action: change.action, status: "unchanged", durationMs: 0, ...(change.remoteId ? { remoteId: change.remoteId } : {}) });
            return;
          }
          const blockedBy = change.dependsOn.filter((d) => failed.has(d));
          if (blockedBy.length > 0) {
            failed.add(change.key);
            journal.record({ at: now().toISOString(), planChecksum: plan.checksum, key: change.key, event: "not-executed" });
            results.set(change.key, { key: change.key, action: change.action, status: "not-executed", blockedBy, durationMs: 0 });
            return;
          }
          const log = logger.child({ change: change.key, action: change.action });
          journal.record({ at: now().toISOString(), planChecksum: plan.checksum, key: change.key, event: "start" });
          try {
            const result = await execute(change, options.currencies, writer, (k) => ids.get(k));
            ids.set(change.key, result.id);
            journal.record({
              at: now().toISOString(),
              planChecksum: plan.checksum,
              key: change.key,
              event: "succeeded",
              remoteId: result.id,
              created: result.created,
            });
            log.info({ remoteId: result.id, created: result.created, ms: Date.now() - started }, "applied");
            results.set(change.key, {
              key: change.key,
              action: change.action,
              status: "succeeded",
              remoteId: result.id,
              created: result.created,
              durationMs: Date.now() - started,
            });
          } catch (err) {
            failed.add(change.key);
            const error = describe(err);
            journal.record({ at: now().toISOString(), planChecksum: plan.checksum, key: change.key, event: "failed", error });
            log.error({ code: error.code, err: error.message }, "change failed");
            results.set(change.key, { key: change.key, action: change.action, status: "failed", error, durationMs: Date.now() - started });
          }
        }),
      ),
    );
  }

  const ordered = plan.changes.map((c) => results.get(c.key)).filter((r): r is ApplyResult => r !== undefined);
  const count = (s: ApplyStatus) => ordered.filter((r) => r.status === s).length;
  const summary = { succeeded: count("succeeded"), failed: count("failed"), notExecuted: count("not-executed"), unchanged: count("unchanged") };
  return { planChecksum: plan.checksum, ok: summary.failed === 0 && summary.notExecuted === 0, results: ordered, summary };
}

function execute(
  change: Change,
  currencies: readonly Currency[],
  writer: CatalogWriter,
  resolve: (k: ResourceKey) => string | undefined,
): Promise<UpsertResult> {
  if (change.action === "retire") return retire(change, currencies, writer, resolve);
  switch (change.kind) {
    case "ProductGroup":
      return writer.upsertProductGroup(productGroupWrite(change));
    case "ConfigOptionGroup":
      return writer.upsertConfigOptionGroup(configOptionGroupWrite(change, currencies));
    case "Product":
      return writer.upsertProduct(productWrite(change, currencies, resolve));
    default:
      throw new ReconcileError("apply.unsupported-kind", `apply does not support ${change.kind} changes yet`);
  }
}

/**
 * A retire (policy.prune) hides a product or a group with the same upsert that wrote it, under
 * the name the ledger records it as; references to objects no manifest declares (`#<id>`) are
 * their WHMCS ids. An option group is detached by the writes of the products retired with it, so
 * it has nothing of its own to write. Nothing is deleted.
 */
async function retire(change: Change, currencies: readonly Currency[], writer: CatalogWriter, resolve: (k: ResourceKey) => string | undefined): Promise<UpsertResult> {
  const byId = (k: ResourceKey): string | undefined => {
    const name = k.slice(k.indexOf("/") + 1);
    return resolve(k) ?? (name.startsWith("#") ? name.slice(1) : undefined);
  };
  switch (change.kind) {
    case "ProductGroup":
      return writer.upsertProductGroup(productGroupWrite(change));
    case "Product":
      return writer.upsertProduct(productWrite(change, currencies, byId));
    default:
      return { id: change.remoteId ?? "", created: false };
  }
}

function describe(err: unknown): { code: string; message: string; hint?: string } {
  if (err instanceof ReconcileError) {
    return { code: err.code, message: scrub(err.message), ...(err.hint ? { hint: scrub(err.hint) } : {}) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: "apply.unexpected", message: scrub(message) };
}
