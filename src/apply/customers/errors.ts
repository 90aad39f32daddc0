import { ExitCode, ReconcileError } from "../../core/errors.js";
import { scrub } from "../../core/secrets.js";

/**
 * The apply steps of one customer org, in order: `lookup` only reads WHMCS (and checks the catalog
 * ids), so a refusal there writes nothing anywhere; Zoho comes before any WHMCS write.
 */
export type CustomerStep = "lookup" | "zoho-org" | "zoho-plan" | "client" | "service" | "whmcs-service" | "records" | "status";

/** A step of a customer org failed: keeps the cause's code and hint, says which step and which org. */
export class CustomerStepError extends ReconcileError {
  readonly step: CustomerStep;
  constructor(step: CustomerStep, domain: string, cause: unknown) {
    const inner = cause instanceof ReconcileError ? cause : undefined;
    const message = cause instanceof Error ? cause.message : String(cause);
    super(inner?.code ?? "apply.customer.unexpected", scrub(`${domain}, step ${step}: ${message}`), inner?.exitCode ?? ExitCode.applyFailed, {
      cause,
      ...(inner?.hint !== undefined ? { hint: inner.hint } : {}),
      details: { step, domain },
    });
    this.step = step;
  }
}

/** Something the apply needs is missing or contradicts the plan (a catalog id, a custom field). */
export function applyError(code: string, message: string, hint?: string): ReconcileError {
  return new ReconcileError(code, message, ExitCode.applyFailed, hint === undefined ? {} : { hint });
}
