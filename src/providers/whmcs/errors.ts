import { ReconcileError } from "../../core/errors.js";

/** Why a response could not be read as a WHMCS API answer. */
export type TransportFailure =
  | "network"
  | "timeout"
  | "redirect"
  | "empty"
  | "html"
  | "not-json"
  | "no-envelope"
  | "http-status";

export interface WhmcsTransportErrorInit {
  readonly action: string;
  readonly failure: TransportFailure;
  readonly message: string;
  readonly httpStatus: number | undefined;
  /** Short, scrubbed start of the body; never the request. */
  readonly excerpt: string;
  readonly attempt: number;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly cause?: unknown;
  /** The server's `Retry-After` on a 429 or 503, in milliseconds. */
  readonly retryAfterMs?: number | undefined;
}

/** The endpoint did not answer with a WHMCS JSON envelope: network, timeout, HTML page, empty body. */
export class WhmcsTransportError extends ReconcileError {
  readonly action: string;
  readonly failure: TransportFailure;
  readonly httpStatus: number | undefined;
  readonly excerpt: string;
  readonly attempt: number;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(init: WhmcsTransportErrorInit) {
    super(`whmcs.transport.${init.failure}`, init.message, undefined, {
      cause: init.cause,
      hint: init.hint,
      details: { action: init.action, httpStatus: init.httpStatus, excerpt: init.excerpt, attempt: init.attempt },
    });
    this.action = init.action;
    this.failure = init.failure;
    this.httpStatus = init.httpStatus;
    this.excerpt = init.excerpt;
    this.attempt = init.attempt;
    this.retryable = init.retryable;
    this.retryAfterMs = init.retryAfterMs;
  }
}

export type WhmcsErrorCategory =
  | "auth"
  | "ip"
  | "permission"
  | "unknown-action"
  | "not-found"
  | "validation"
  | "module"
  | "other";

/** WHMCS answered `{"result":"error",…}` (or any result other than `success`). */
export class WhmcsApiError extends ReconcileError {
  readonly action: string;
  /** WHMCS's own `message`, scrubbed. */
  readonly apiMessage: string;
  readonly httpStatus: number;
  readonly category: WhmcsErrorCategory;
  readonly attempt: number;
  readonly retryable: boolean;
  /** The server's `Retry-After` on a 429 or 503, in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(action: string, apiMessage: string, httpStatus: number, attempt: number, retryAfterMs?: number) {
    const category = classifyApiMessage(apiMessage);
    super(`whmcs.api.${category}`, `WHMCS ${action} failed (HTTP ${httpStatus}): ${apiMessage}`, undefined, {
      hint: hintFor(category, apiMessage, action),
      details: { action, httpStatus, category, attempt },
    });
    this.action = action;
    this.apiMessage = apiMessage;
    this.httpStatus = httpStatus;
    this.category = category;
    this.attempt = attempt;
    // Gateways put JSON error pages on 429/5xx too; only those are worth another attempt.
    this.retryable = httpStatus === 429 || httpStatus >= 500;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Map WHMCS's free-text error (there is no error code field) onto a category. */
export function classifyApiMessage(message: string): WhmcsErrorCategory {
  const m = message.trim();
  if (/^(invalid|forbidden) ip\b/i.test(m)) return "ip";
  if (/^invalid permissions\b/i.test(m)) return "permission";
  if (/authentication failed|an admin user is required/i.test(m)) return "auth";
  if (/api action could not be found|action not found|command not found/i.test(m)) return "unknown-action";
  if (/function not supported by module|function not found|not assigned to a module|\bmodule\b/i.test(m)) return "module";
  if (/not found/i.test(m)) return "not-found";
  if (
    /^you must supply|^invalid |is required|are required|expecting parameter|must be|already (owned|recorded|exists)|need exactly|unable to /i.test(
      m,
    )
  ) {
    return "validation";
  }
  return "other";
}

function hintFor(category: WhmcsErrorCategory, message: string, action: string): string | undefined {
  switch (category) {
    case "ip": {
      const ip = /ip\s+(\S+)/i.exec(message)?.[1];
      return (
        `Add ${ip === undefined ? "this machine's egress IP" : `the IP ${ip}`} under WHMCS Setup → System Settings → ` +
        "General Settings → Security → API IP Access Restriction, or set whmcs.accessKey to the $api_access_key " +
        "from configuration.php (an access key bypasses the IP allow-list). A switch from IPv4 to IPv6 egress is a common cause."
      );
    }
    case "permission": {
      const named = /"([^"]+)"/.exec(message)?.[1] ?? action.toLowerCase();
      return `Allow the API action "${named.toLowerCase()}" in the API role of this credential (System Settings → Manage API Credentials → API Roles).`;
    }
    case "auth":
      if (/admin user is required/i.test(message)) {
        return (
          "WHMCS says this before checking credentials when the request path is wrong: the URL probably ends in " +
          "/includes/api.php twice (a proxy or rewrite adding it again). Set whmcs.url to the WHMCS base address."
        );
      }
      return (
        "Check whmcs.identifier and whmcs.secret: they must be an API credential (System Settings → Manage API " +
        "Credentials), not an admin login, and the linked admin's role needs the 'API Access' permission."
      );
    case "unknown-action":
      if (/^reconcile/i.test(action)) {
        return (
          "The companion actions are not installed: copy companion/includes/api/*.php into WHMCS's includes/api/ and " +
          "allow them in the API role, or use catalogBackend: db or api."
        );
      }
      return `This WHMCS does not know the action ${action}; check the WHMCS version.`;
    case "module":
      return "The product's server module rejected or lacks this function; see the module log (Utilities → Logs → Module Log).";
    default:
      return undefined;
  }
}
