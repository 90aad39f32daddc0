import pLimit from "p-limit";
import { ReconcileError } from "../../core/errors.js";
import type { Logger } from "../../core/log.js";
import { scrub } from "../../core/secrets.js";
import type { ResourceKey } from "../../model/catalog.js";
import type { Plan } from "../../model/plan.js";
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
}

/**
 * Asks Zoho to check the DNS record of every pending org of the plan (`verifyDomain`, CNAME).
 * A failed check is an outcome, not an error: DNS may not have propagated yet. Run after apply;
 * the next plan records the new state in WHMCS.
 */
export async function verifyPendingDomains(opts: VerifyPendingOptions): Promise<VerificationOutcome[]> {
  const limit = pLimit(Math.max(1, opts.concurrency ?? 2));
  return Promise.all(
    (opts.plan.pending ?? []).map((p) =>
      limit(async (): Promise<VerificationOutcome> => {
        const base = { key: p.key, domain: p.domain, zoid: p.zoid };
        try {
          const result = await opts.mail.verifyDomain(p.zoid, p.domain, "CNAME");
          if (result.verified) {
            opts.logger.info({ domain: p.domain, zoid: p.zoid }, "domain verified");
            return { ...base, verified: true };
          }
          const reason = [result.error, result.message].filter((x) => x !== undefined).join(": ");
          return { ...base, verified: false, ...(reason !== "" ? { reason } : {}) };
        } catch (err) {
          if (!(err instanceof ReconcileError)) throw err;
          opts.logger.warn({ domain: p.domain, code: err.code }, "domain verification could not run");
          return { ...base, verified: false, reason: scrub(err.message) };
        }
      }),
    ),
  );
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
