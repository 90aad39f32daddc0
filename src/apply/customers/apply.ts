import pLimit from "p-limit";
import { compareCodeUnits } from "../../core/canonical.js";
import { ReconcileError } from "../../core/errors.js";
import { scrub } from "../../core/secrets.js";
import type { ResourceKey } from "../../model/catalog.js";
import type { CustomerOrgState } from "../../model/customers.js";
import type { Change } from "../../model/plan.js";
import { MANAGED_MODULE } from "../../model/catalog.js";
import { applyOrg } from "./apply-org.js";
import { productIdOf } from "./catalog-ids.js";
import { applyError } from "./errors.js";
import type { OrgContext } from "./org-context.js";
import type { CustomerApplyOptions, CustomerApplyResult } from "./types.js";

/**
 * Applies the CustomerOrg changes of a plan: several orgs at once (bounded), each org's steps in
 * order. A failed org stops nothing else; an org whose product or option group failed in the
 * catalog phase does not run. Noops are reported unchanged.
 */
export async function applyCustomerChanges(opts: CustomerApplyOptions): Promise<CustomerApplyResult[]> {
  const now = opts.now ?? (() => new Date());
  const changes = opts.plan.changes.filter((c) => c.kind === "CustomerOrg");
  const desired = new Map(opts.desired.map((r) => [r.name, r.spec]));
  const managedPids = new Set(opts.catalog.products.filter((p) => p.state.module === MANAGED_MODULE).map((p) => p.remoteId));
  const failed = opts.failed ?? new Set<ResourceKey>();
  const limit = pLimit(Math.max(1, opts.concurrency ?? 4));
  const checksum = opts.plan.checksum;
  const clientLock = keyedLock();

  const results = await Promise.all(
    changes.map((change) =>
      limit(async (): Promise<CustomerApplyResult> => {
        const base = { key: change.key, action: change.action, ...(change.remoteId !== undefined ? { remoteId: change.remoteId } : {}) };
        if (change.action === "noop") return { ...base, status: "unchanged", durationMs: 0, steps: [] };
        const blockedBy = change.dependsOn.filter((d) => failed.has(d));
        if (blockedBy.length > 0) {
          opts.journal.record({ at: now().toISOString(), planChecksum: checksum, key: change.key, event: "not-executed" });
          return { key: change.key, action: change.action, status: "not-executed", blockedBy, durationMs: 0, steps: [] };
        }
        const started = Date.now();
        const steps: string[] = [];
        const log = opts.logger.child({ change: change.key, action: change.action });
        opts.journal.record({ at: now().toISOString(), planChecksum: checksum, key: change.key, event: "start" });
        try {
          const ctx = contextFor(change, desired, managedPids, opts, steps, log, now, clientLock);
          const serviceId = await applyOrg(ctx);
          opts.journal.record({
            at: now().toISOString(),
            planChecksum: checksum,
            key: change.key,
            event: "succeeded",
            ...(serviceId !== undefined ? { remoteId: serviceId } : {}),
            created: change.action === "create",
          });
          log.info({ serviceId, steps: steps.length, ms: Date.now() - started }, "customer org applied");
          return {
            key: change.key,
            action: change.action,
            status: "succeeded",
            ...(serviceId !== undefined ? { remoteId: serviceId } : {}),
            created: change.action === "create",
            durationMs: Date.now() - started,
            steps,
          };
        } catch (err) {
          const error = describe(err);
          opts.journal.record({ at: now().toISOString(), planChecksum: checksum, key: change.key, event: "failed", error });
          log.error({ code: error.code, err: error.message }, "customer org failed");
          return { ...base, status: "failed", error, durationMs: Date.now() - started, steps };
        }
      }),
    ),
  );
  return results.sort((a, b) => compareCodeUnits(a.key, b.key));
}

function contextFor(
  change: Change,
  desired: ReadonlyMap<string, CustomerApplyOptions["desired"][number]["spec"]>,
  managedPids: ReadonlySet<string>,
  opts: CustomerApplyOptions,
  steps: string[],
  log: OrgContext["log"],
  now: () => Date,
  clientLock: OrgContext["clientLock"],
): OrgContext {
  const spec = desired.get(change.name);
  if (spec === undefined) {
    throw applyError("apply.customer.not-declared", `${change.key} is in the plan but not in the manifests given to apply`, "plan and apply from the same manifests");
  }
  const after = change.after as CustomerOrgState;
  return {
    change,
    after,
    spec,
    opts,
    writer: opts.writer,
    log,
    managedPids,
    productId: productIdOf(opts.catalog, opts.plan, spec.product),
    clientLock,
    wrote(step, what, remoteId) {
      steps.push(`${step}: ${what}`);
      opts.journal.record({
        at: now().toISOString(),
        planChecksum: opts.plan.checksum,
        key: `${change.key}#${step}`,
        event: "succeeded",
        ...(remoteId !== undefined ? { remoteId } : {}),
      });
      log.info({ step, remoteId }, what);
    },
  };
}

/** One queue per key: calls with the same key run one after another, others in parallel. */
function keyedLock(): OrgContext["clientLock"] {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

function describe(err: unknown): { code: string; message: string; hint?: string } {
  if (err instanceof ReconcileError) {
    return { code: err.code, message: scrub(err.message), ...(err.hint ? { hint: scrub(err.hint) } : {}) };
  }
  return { code: "apply.unexpected", message: scrub(err instanceof Error ? err.message : String(err)) };
}
