import pLimit from "p-limit";
import { ReconcileError } from "../../core/errors.js";
import { silentLogger, type Logger } from "../../core/log.js";
import { parseRetryAfter, retry, type Outcome, type RetryDecision } from "../../core/retry.js";
import { createWaiter, formatDuration, type SleepFn, type WaitNotifier } from "../../core/wait.js";
import { scrub, type Secret } from "../../core/secrets.js";
import { encodeForm, phpUrlencode, type FormParams } from "./encode.js";
import { WhmcsApiError, WhmcsTransportError, type TransportFailure } from "./errors.js";
import { paginate, type PaginateOptions } from "./paginate.js";
import { normalizeWhmcsUrl } from "./url.js";

export interface WhmcsClientOptions {
  /** WHMCS base URL or full `…/includes/api.php` endpoint. */
  readonly url: string;
  readonly identifier: Secret;
  readonly secret: Secret;
  /** `$api_access_key` from configuration.php; bypasses the IP allow-list. */
  readonly accessKey?: Secret;
  readonly fetch?: typeof fetch;
  /** Per-attempt timeout for ordinary calls (default 30 s, as WHMCS's own samples use). */
  readonly timeoutMs?: number;
  /** Per-attempt timeout for `AcceptOrder` and `Module*`, which run module code synchronously (default 60 s). */
  readonly longTimeoutMs?: number;
  /** Calls in flight at once (default 4, at most 8). */
  readonly concurrency?: number;
  /** Extra attempts for read calls after a retryable failure (default 3, at most 10). */
  readonly retries?: number;
  /** First backoff delay; doubles per attempt, capped at 8 s, with jitter (default 250 ms). */
  readonly backoffMs?: number;
  /**
   * Longest single wait (default 15 min). A `Retry-After` on a 429 or 503 is honoured up to this;
   * a longer one fails the call with `wait.too-long` instead of sleeping.
   */
  readonly maxWaitMs?: number;
  /** Told about waits over 5 s before they start (the CLI prints them on stderr). */
  readonly onWait?: WaitNotifier;
  /**
   * PHP's `max_input_vars` on the server (default 1000). PHP silently drops variables beyond it,
   * which would truncate a large write (prices of many choices), so such a request is refused here.
   */
  readonly maxInputVars?: number;
  readonly logger?: Logger;
  readonly sleep?: SleepFn;
  /** Source of jitter in [0, 1). */
  readonly random?: () => number;
  /** Clock for `Retry-After` dates. */
  readonly now?: () => number;
}

/**
 * `read` calls are retried after transport failures, 429 and 5xx (waiting as long as a 429's or
 * 503's `Retry-After` asks); `write` calls never are: a write that timed out may have happened,
 * so the caller must look the object up again instead. `idempotent` calls change state but are
 * retried like reads: sending one twice has the effect of sending it once (the apply lock's
 * acquire and renew, keyed by the run id). A retry also covers the keep-alive race, where the
 * server closes an idle connection just as a request is sent on it.
 */
export type CallKind = "read" | "write" | "idempotent";

export interface CallOptions {
  readonly kind: CallKind;
  /** Overrides the per-attempt timeout for this call. */
  readonly timeoutMs?: number;
}

/** A successful response: the JSON object with `result: "success"` and the action's fields. */
export type WhmcsResponse = Readonly<Record<string, unknown>>;

export interface WhmcsClient {
  /** The normalised endpoint (`<base>/includes/api.php`). */
  readonly endpoint: string;
  call(action: string, params: FormParams, options: CallOptions): Promise<WhmcsResponse>;
  /** Items of a list action across all pages (`limitstart`/`limitnum`); always a read. */
  paginate(action: string, params: FormParams, listPath: string | readonly string[], options?: PaginateOptions): AsyncGenerator<unknown, void, undefined>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_LONG_TIMEOUT_MS = 60_000;
const MAX_BACKOFF_MS = 8_000;
const EXCERPT_CHARS = 160;
const ACTION_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const LONG_RUNNING = /^(acceptorder|module[a-z]*)$/i;
/** Actions that change state; marking them `read` would let a retry duplicate an order or a client. */
const NEVER_READ = /^(add[a-z]*|acceptorder|pendingorder|update[a-z]*|upgradeproduct|module[a-z]*|reconcileupsert[a-z]*|delete[a-z]*|cancel[a-z]*)$/i;
/** Parameter names the client sets itself; a caller supplying them would change who is calling. */
const RESERVED = new Set(["action", "identifier", "secret", "username", "password", "accesskey", "responsetype"]);

export function createWhmcsClient(options: WhmcsClientOptions): WhmcsClient {
  const endpoint = normalizeWhmcsUrl(options.url);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = intInRange(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, "timeoutMs", 1, 3_600_000);
  const longTimeoutMs = intInRange(options.longTimeoutMs ?? Math.max(DEFAULT_LONG_TIMEOUT_MS, timeoutMs), "longTimeoutMs", 1, 3_600_000);
  const concurrency = intInRange(options.concurrency ?? 4, "concurrency", 1, 8);
  const retries = intInRange(options.retries ?? 3, "retries", 0, 10);
  const backoffMs = intInRange(options.backoffMs ?? 250, "backoffMs", 0, MAX_BACKOFF_MS);
  const maxInputVars = intInRange(options.maxInputVars ?? 1000, "maxInputVars", 1, 10_000_000);
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const wait = createWaiter({
    ...(options.sleep !== undefined ? { sleep: options.sleep } : {}),
    ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
    ...(options.onWait !== undefined ? { onWait: options.onWait } : {}),
  });
  const log = (options.logger ?? silentLogger()).child({ component: "whmcs-client" });
  const limit = pLimit(concurrency);
  const redact = redactor([options.identifier, options.secret, options.accessKey]);

  const credentials: FormParams = {
    identifier: options.identifier,
    secret: options.secret,
    ...(options.accessKey === undefined ? {} : { accesskey: options.accessKey }),
  };

  async function attemptOnce(action: string, body: string, attempt: number, timeout: number): Promise<WhmcsResponse> {
    const started = performance.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeout);
    let status: number | undefined;
    try {
      let res: Response;
      let text: string;
      try {
        res = await fetchImpl(endpoint, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
          body,
          signal: controller.signal,
          // A redirected POST loses its body (301/302) or carries the credentials elsewhere (307/308).
          redirect: "manual",
        });
        status = res.status;
        text = await res.text();
      } catch (err) {
        const timedOut = controller.signal.aborted;
        throw new WhmcsTransportError({
          action,
          failure: timedOut ? "timeout" : "network",
          message: timedOut
            ? `WHMCS ${action}: no complete response within ${timeout} ms`
            : `WHMCS ${action}: request failed (${redact(describe(err))})`,
          httpStatus: status,
          excerpt: "",
          attempt,
          retryable: true,
          hint: timedOut ? undefined : `Check that ${endpoint} is reachable from this machine.`,
          cause: timedOut ? undefined : sanitizedCause(err, redact),
        });
      }
      const parsed = interpret(action, res, text, attempt, redact, endpoint, now());
      log.debug({ action, attempt, status, durationMs: Math.round(performance.now() - started) }, "whmcs call");
      return parsed;
    } catch (err) {
      log.debug(
        { action, attempt, status, durationMs: Math.round(performance.now() - started), error: err instanceof ReconcileError ? err.code : "error" },
        "whmcs call failed",
      );
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  async function call(action: string, params: FormParams, callOptions: CallOptions): Promise<WhmcsResponse> {
    if (!ACTION_NAME.test(action)) {
      throw new ReconcileError("whmcs.call.invalid", `not a WHMCS action name: ${JSON.stringify(action)}`);
    }
    if (callOptions.kind === "read" && NEVER_READ.test(action)) {
      throw new ReconcileError("whmcs.call.invalid", `${action} changes state and must be called with kind "write" (writes are never retried)`);
    }
    for (const key of Object.keys(params)) {
      if (RESERVED.has(key.toLowerCase())) {
        throw new ReconcileError("whmcs.call.invalid", `parameter "${key}" is set by the client itself and cannot be passed to ${action}`);
      }
    }
    const body = encodeForm({ action, responsetype: "json", ...params, ...credentials });
    const variables = body.split("&").length;
    if (variables > maxInputVars) {
      throw new ReconcileError("whmcs.call.too-large", `${action} would send ${variables} form variables; PHP keeps only max_input_vars (${maxInputVars})`, undefined, {
        hint: "Raise max_input_vars in the WHMCS server's PHP settings and set the same value in the client options, or split the resource.",
      });
    }
    const timeout =
      callOptions.timeoutMs !== undefined
        ? intInRange(callOptions.timeoutMs, "timeoutMs", 1, 3_600_000)
        : LONG_RUNNING.test(action)
          ? longTimeoutMs
          : timeoutMs;

    return retry((attempt) => limit(() => attemptOnce(action, body, attempt, timeout)), {
      attempts: callOptions.kind === "write" ? 1 : retries + 1,
      baseDelayMs: backoffMs,
      maxDelayMs: MAX_BACKOFF_MS,
      random,
      wait,
      decide: whmcsRetryDecision,
      reason: (outcome) => waitReason(action, outcome),
      onRetry: ({ attempt, delayMs }) => log.debug({ action, attempt, delayMs }, "whmcs retry"),
    });
  }

  return {
    endpoint,
    call,
    paginate: (action, params, listPath, paginateOptions) => paginate(call, action, params, listPath, paginateOptions),
  };
}

/**
 * Whether a failed call is worth sending again: WHMCS's and the client's retryable failures, at
 * the server's `Retry-After` when it gave one. Exported for callers that resend an idempotent write.
 */
export function whmcsRetryDecision(outcome: Outcome<unknown>): RetryDecision {
  if (outcome.ok) return false;
  const err = outcome.error;
  if (!(err instanceof WhmcsTransportError || err instanceof WhmcsApiError) || !err.retryable) return false;
  return err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs };
}

function waitReason(action: string, outcome: Outcome<unknown>): string {
  const err = outcome.ok ? undefined : outcome.error;
  const status = err instanceof WhmcsTransportError || err instanceof WhmcsApiError ? err.httpStatus : undefined;
  const after = err instanceof WhmcsTransportError || err instanceof WhmcsApiError ? err.retryAfterMs : undefined;
  if (status !== undefined && after !== undefined) {
    return `WHMCS ${action} answered HTTP ${status} with Retry-After ${formatDuration(after)}`;
  }
  return `WHMCS ${action} failed${status === undefined ? "" : ` (HTTP ${status})`}; retrying`;
}

function interpret(
  action: string,
  res: Response,
  text: string,
  attempt: number,
  redact: (s: string) => string,
  endpoint: string,
  now: number,
): WhmcsResponse {
  const status = res.status;
  const body = text.replace(/^\uFEFF/, "").trim();
  const excerpt = redact(body.replace(/\s+/g, " ").slice(0, EXCERPT_CHARS));
  // Proxies and WAFs answer 408/429/5xx; other 4xx pages (404, 401 from a login wall) will not change on retry.
  const retryable = status < 300 || status === 408 || status === 429 || status >= 500;
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(res.headers.get("retry-after"), now) : undefined;
  const fail = (failure: TransportFailure, message: string, hint?: string): WhmcsTransportError =>
    new WhmcsTransportError({ action, failure, message, httpStatus: status, excerpt, attempt, retryable, hint, retryAfterMs });

  if (status >= 300 && status < 400) {
    const location = redact(res.headers.get("location") ?? "");
    throw new WhmcsTransportError({
      action,
      failure: "redirect",
      message: `WHMCS ${action}: HTTP ${status} redirect${location === "" ? "" : ` to ${location}`}`,
      httpStatus: status,
      excerpt,
      attempt,
      retryable: false,
      hint: "Set whmcs.url to the final address (for example https:// instead of http://, or the canonical host name).",
    });
  }
  if (body === "") throw fail("empty", `WHMCS ${action}: empty response body (HTTP ${status})`, `Check the PHP error log of ${endpoint}.`);

  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    const html = body.startsWith("<") || /html/i.test(res.headers.get("content-type") ?? "");
    throw html
      ? fail(
          "html",
          `WHMCS ${action}: got an HTML page instead of JSON (HTTP ${status}): ${excerpt}`,
          "Maintenance mode, a web application firewall, a login page or a wrong base URL answer with HTML; open the URL in a browser.",
        )
      : fail("not-json", `WHMCS ${action}: response is not JSON (HTTP ${status}): ${excerpt}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed) || !("result" in parsed)) {
    throw fail("no-envelope", `WHMCS ${action}: JSON without a "result" member (HTTP ${status}): ${excerpt}`);
  }
  const envelope = parsed as Record<string, unknown>;
  if (envelope["result"] === "success") {
    if (status >= 200 && status < 300) return envelope;
    throw fail("http-status", `WHMCS ${action}: success envelope with HTTP ${status}`);
  }
  const raw = envelope["message"];
  const message = typeof raw === "string" ? raw : raw === undefined ? `result ${JSON.stringify(envelope["result"])}` : JSON.stringify(raw);
  throw new WhmcsApiError(action, redact(message), status, attempt, retryAfterMs);
}

/** Removes every form in which the credentials travel (raw, PHP-urlencoded) plus all registered secrets. */
function redactor(secrets: readonly (Secret | undefined)[]): (text: string) => string {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s === undefined) continue;
    const v = s.reveal();
    if (v.length < 4) continue;
    forms.add(v);
    forms.add(phpUrlencode(v));
    forms.add(encodeURIComponent(v));
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = scrub(text);
    for (const f of ordered) if (out.includes(f)) out = out.split(f).join("[redacted]");
    return out;
  };
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const inner = err.cause instanceof Error ? `: ${err.cause.message}` : "";
  return `${err.message}${inner}`;
}

/** The network error without anything that could carry request data: name, code and scrubbed text only. */
function sanitizedCause(err: unknown, redact: (s: string) => string): Error {
  const out = new Error(redact(describe(err)));
  if (err instanceof Error) {
    out.name = err.name;
    const code = (err.cause as { code?: unknown } | undefined)?.code ?? (err as { code?: unknown }).code;
    if (typeof code === "string") Object.assign(out, { code });
  }
  return out;
}

function intInRange(value: number, name: string, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ReconcileError("whmcs.options.invalid", `WHMCS client option ${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}
