import { ReconcileError, type ErrorOptions } from "../../core/errors.js";

/**
 * Misuse of the sandbox itself (bad seed file, bad option, store misuse, malformed serialized
 * data). Codes start with `sandbox.whmcs.`.
 */
export class WhmcsSandboxError extends ReconcileError {
  constructor(code: string, message: string, options: ErrorOptions = {}) {
    super(`sandbox.whmcs.${code}`, message, undefined, options);
  }
}

/**
 * A WHMCS-level failure answered as `{"result":"error","message":…}`. The message is the exact
 * text WHMCS sends; `status` is the HTTP status (WHMCS answers business errors with 200).
 */
export class WhmcsApiError extends ReconcileError {
  readonly status: number;
  constructor(message: string, status = 200) {
    super("sandbox.whmcs.api_error", message);
    this.status = status;
  }
}
