import pLimit from "p-limit";
import { ReconcileError } from "../../core/errors.js";
import type { Logger } from "../../core/log.js";
import { scrub } from "../../core/secrets.js";
import type { ResourceKey } from "../../model/catalog.js";
import { RECORD_FIELDS, type LiveCustomerService } from "../../model/customers.js";
import type { PendingItem, Plan } from "../../model/plan.js";
import type { ZohoMailApi } from "../../providers/zoho/index.js";

export interface VerificationOutcome {
  readonly key: ResourceKey;
  readonly domain: string;
  readonly zoid: string;
  readonly verified: boolean;
  /** Zoho's reason when not verified (e.g. `TXT_RECORD_HOST_UNKNOWN`), or the error text. */
  readonly reason?: string;
}

export interface VerifyPendingOptions {
  readonly plan: Plan;
  readonly mail: ZohoMailApi;
  readonly logger: Logger;
  /** Checks in flight at once (default 2: each is a Mail call under Zoho's 30 a minute). */
  readonly concurrency?: number;
  /**
   * The managed services read with the plan: each pending org's last check is read from its
   * `Zoho verification checked` field. Without them every pending org is due.
   */
  readonly services?: readonly LiveCustomerService[];
  /** Writes a service's `Zoho verification checked` field after a check; absent: checks are not recorded. */
  readonly recordCheck?: (serviceId: string, fieldId: string, value: string) => Promise<void>;
  /** Checks per run (default {@link DEFAULT_CHECKS_PER_RUN}). */
  readonly maxChecks?: number;
  readonly now?: () => number;
}

/** Checks per run: each is a Mail call under Zoho's 30 a minute, and a WHMCS write to record it. */
export const DEFAULT_CHECKS_PER_RUN = 10;
const FIRST_BACKOFF_MS = 15 * 60_000;
const MAX_BACKOFF_MS = 6 * 3_600_000;

/** The pause after `checks` checks that found the record missing: 15 min, doubling, at most 6 h. */
export function verificationBackoffMs(checks: number): number {
  return checks <= 0 ? 0 : Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (checks - 1));
}

/** `2026-01-02T03:04:05.000Z, check 3` → time and count; undefined for an empty or foreign value. */
export function parseCheckRecord(value: string): { readonly at: number; readonly checks: number } | undefined {
  const m = /^\s*(\S+?),?\s*(?:check\s+(\d+))?\s*$/i.exec(value);
  const at = m?.[1] !== undefined ? Date.parse(m[1]) : Number.NaN;
  if (Number.isNaN(at)) return undefined;
  return { at, checks: Math.max(1, Number(m?.[2] ?? 1)) };
}

export function formatCheckRecord(at: number, checks: number): string {
  return `${new Date(at).toISOString()}, check ${checks}`;
}

interface Candidate {
  readonly item: PendingItem;
  readonly service: LiveCustomerService | undefined;
  readonly last: { readonly at: number; readonly checks: number } | undefined;
}

/**
 * Which pending orgs to check this run: those whose backoff has run out, never-checked first, then
 * the longest unchecked, at most `max`. The rest wait for a later run.
 */
export function dueChecks(
  pending: readonly PendingItem[],
  services: readonly LiveCustomerService[],
  now: number,
  max: number,
): { readonly due: readonly Candidate[]; readonly waiting: number } {
  const byDomain = new Map<string, LiveCustomerService>();
  for (const s of services) {
    const current = byDomain.get(s.domain);
    // Several services on one domain: the one recording a ZOID wins (the plan blocks real duplicates).
    if (current === undefined || ((current.customFields[RECORD_FIELDS.zoid]?.value.trim() ?? "") === "" && (s.customFields[RECORD_FIELDS.zoid]?.value.trim() ?? "") !== "")) byDomain.set(s.domain, s);
  }
  const candidates: Candidate[] = pending
    .filter((p) => p.reason === "domain-verification")
    .map((item) => {
      const service = byDomain.get(item.domain);
      return { item, service, last: parseCheckRecord(service?.customFields[RECORD_FIELDS.verificationChecked]?.value ?? "") };
    });
  const ready = candidates.filter((c) => c.last === undefined || now - c.last.at >= verificationBackoffMs(c.last.checks));
  ready.sort((a, b) => (a.last?.at ?? -Infinity) - (b.last?.at ?? -Infinity) || (a.item.key < b.item.key ? -1 : a.item.key > b.item.key ? 1 : 0));
  const due = ready.slice(0, Math.max(0, max));
  return { due, waiting: candidates.length - due.length };
}

/**
 * Asks Zoho to check the DNS record of pending orgs of the plan (`verifyDomain`, CNAME), a bounded
 * number per run ({@link dueChecks}), and records each check in the service's `Zoho verification
 * checked` field so the next run, on any machine, knows whose turn it is. A failed check is an
 * outcome, not an error: DNS may not have propagated yet. Run after apply; the next plan records the
 * new state in WHMCS.
 */
export async function verifyPendingDomains(opts: VerifyPendingOptions): Promise<VerificationOutcome[]> {
  const limit = pLimit(Math.max(1, opts.concurrency ?? 2));
  const now = opts.now ?? Date.now;
  const { due, waiting } = dueChecks(opts.plan.pending ?? [], opts.services ?? [], now(), opts.maxChecks ?? DEFAULT_CHECKS_PER_RUN);
  if (waiting > 0) opts.logger.info({ checking: due.length, waiting }, "pending domains left for later runs (checks per run and backoff)");
  return Promise.all(
    due.map(({ item: p, service, last }) =>
      limit(async (): Promise<VerificationOutcome> => {
        const base = { key: p.key, domain: p.domain, zoid: p.zoid };
        let outcome: VerificationOutcome;
        try {
          const result = await opts.mail.verifyDomain(p.zoid, p.domain, "CNAME");
          if (result.verified) {
            opts.logger.info({ domain: p.domain, zoid: p.zoid }, "domain verified");
            outcome = { ...base, verified: true };
          } else {
            const reason = [result.error, result.message].filter((x) => x !== undefined).join(": ");
            outcome = { ...base, verified: false, ...(reason !== "" ? { reason } : {}) };
          }
        } catch (err) {
          if (!(err instanceof ReconcileError)) throw err;
          opts.logger.warn({ domain: p.domain, code: err.code }, "domain verification could not run");
          outcome = { ...base, verified: false, reason: scrub(err.message) };
        }
        await recordCheck(opts, service, formatCheckRecord(now(), (last?.checks ?? 0) + 1), p.domain);
        return outcome;
      }),
    ),
  );
}

async function recordCheck(opts: VerifyPendingOptions, service: LiveCustomerService | undefined, value: string, domain: string): Promise<void> {
  const field = service?.customFields[RECORD_FIELDS.verificationChecked];
  if (opts.recordCheck === undefined || service === undefined || field === undefined) return;
  try {
    await opts.recordCheck(service.id, field.id, value);
  } catch (err) {
    // Losing the record only makes the org due again sooner.
    if (!(err instanceof ReconcileError)) throw err;
    opts.logger.warn({ domain, code: err.code }, "the verification check could not be recorded in WHMCS");
  }
}

/** Lines for stdout after apply. */
export function renderVerification(outcomes: readonly VerificationOutcome[]): string {
  if (outcomes.length === 0) return "";
  const lines = ["Domain verification:"];
  for (const o of outcomes) lines.push(`  ${o.verified ? "✓ verified" : "· pending "} ${o.domain} (${o.key})${o.verified || o.reason === undefined ? "" : `: ${o.reason}`}`);
  const done = outcomes.filter((o) => o.verified).length;
  lines.push(`${done} of ${outcomes.length} pending domains verified; the next plan records them in WHMCS.`);
  return `${lines.join("\n")}\n`;
}
