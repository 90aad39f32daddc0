import pLimit, { type LimitFunction } from "p-limit";
import { silentLogger, type Logger } from "../../core/log.js";
import { parseRetryAfter, retry, type Outcome, type RetryDecision } from "../../core/retry.js";
import { createWaiter, formatDuration, realSleep as coreSleep, type SleepFn as CoreSleepFn, type WaitNotifier, type Waiter } from "../../core/wait.js";
import { baseUrlFor, type BaseUrlResolver, type ZohoService } from "./regions.js";
import { ZohoApiError, ZohoTransportError, type ZohoErrorCategory } from "./errors.js";
import { asString, isRecord, parseJsonExact } from "./json.js";
import { SlidingWindowLimiter } from "./rate-limit.js";

/**
 * The only HTTP code of the Zoho provider: Accounts token requests, Mail calls and Store calls,
 * with timeouts, bounded concurrency, a client-side rate limit for Mail, one token refresh on an
 * auth failure, and retries with backoff for reads only (at the server's `Retry-After` on a 429
 * or 503, within the run's `maxWaitMs`).
 */

export type FetchFn = typeof fetch;
export type SleepFn = CoreSleepFn;

export const realSleep: SleepFn = coreSleep;

/** Where access tokens come from (the token manager). */
export interface TokenSource {
  getToken(): Promise<string>;
  /** Forget `token` if it is the cached one, so the next `getToken` mints a fresh one. */
  invalidate(token: string): void;
}

export interface ZohoClientOptions {
  readonly region: string;
  readonly baseUrl?: BaseUrlResolver;
  readonly tokens: TokenSource;
  readonly fetch?: FetchFn;
  readonly now?: () => number;
  readonly sleep?: SleepFn;
  readonly logger?: Logger;
  /** Per attempt, headers and body included (default 30 s). */
  readonly timeoutMs?: number;
  /** Calls in flight at once (default 4). */
  readonly concurrency?: number;
  /** Mail and Mail-admin starts per window (default 30 per minute, Zoho's documented limit); false = none. */
  readonly mailRateLimit?: { readonly requests: number; readonly perMs: number } | false;
  /** Extra attempts for reads after 429/5xx/transport errors (default 3). */
  readonly readRetries?: number;
  /** First backoff delay; doubles per attempt up to 30 s, with jitter (default 1 s). */
  readonly backoffMs?: number;
  /** Source of jitter in [0, 1). */
  readonly random?: () => number;
  /** How long to stop all Mail calls after a throttle answer without `Retry-After` (default 60 s). */
  readonly throttlePauseMs?: number;
  /** Longest single wait (rate limit, `Retry-After`, backoff); longer fails with `wait.too-long` (default 15 min). */
  readonly maxWaitMs?: number;
  /** Told about waits over 5 s before they start. */
  readonly onWait?: WaitNotifier;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";
type Query = Readonly<Record<string, string | number | undefined>>;

export interface MailCall {
  readonly service: "mail" | "mailadmin";
  readonly method: HttpMethod;
  readonly path: string;
  readonly query?: Query;
  /** JSON body. */
  readonly body?: unknown;
  /** Name used in errors and logs, e.g. `createOrg`. */
  readonly operation: string;
  /** Category for an HTTP 500 carrying `data.moreInfo` (Zoho's business errors). */
  readonly businessError?: ZohoErrorCategory;
}

export interface MailResult {
  readonly httpStatus: number;
  readonly statusCode: number;
  readonly description: string;
  readonly data: unknown;
}

export interface StoreResult {
  readonly body: Record<string, unknown>;
}

export interface StoreListResult {
  readonly json: unknown;
  readonly headers: Headers;
}

interface RawResponse {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
}

type AuthFailure = (r: RawResponse) => boolean;

const DEFAULT_TIMEOUT = 30_000;
const MAX_BACKOFF_MS = 30_000;

/** POST to the Accounts token endpoint (form body: secrets never go in the URL). */
export async function requestToken(
  fetchFn: FetchFn,
  accountsUrl: string,
  params: Readonly<Record<string, string>>,
  timeoutMs: number = DEFAULT_TIMEOUT,
): Promise<{ readonly httpStatus: number; readonly body: Record<string, unknown> | undefined }> {
  const raw = await fetchText(fetchFn, `${accountsUrl}/oauth/v2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  }, timeoutMs, "Zoho Accounts token request");
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(raw.text);
    body = isRecord(parsed) ? parsed : undefined;
  } catch {
    body = undefined;
  }
  return { httpStatus: raw.status, body };
}

async function fetchText(fetchFn: FetchFn, url: string, init: RequestInit, timeoutMs: number, what: string): Promise<RawResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetchFn(url, { ...init, signal: controller.signal });
    const text = await res.text();
    return { status: res.status, text, headers: res.headers };
  } catch (cause) {
    const timedOut = controller.signal.aborted;
    const reason = timedOut ? `no answer within ${timeoutMs} ms` : describeCause(cause);
    throw new ZohoTransportError(`${what} failed: ${reason}`, timedOut, { cause: stripCause(cause) });
  } finally {
    clearTimeout(timer);
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: unknown }).cause;
    const code = isRecord(inner) ? asString(inner["code"]) : undefined;
    return code ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}

/** Keep only name and message of a network error: request objects can carry headers. */
function stripCause(cause: unknown): Error | undefined {
  return cause instanceof Error ? new Error(`${cause.name}: ${describeCause(cause)}`) : undefined;
}

function withQuery(url: string, query: Query | undefined): string {
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, String(v));
  const qs = params.toString();
  return qs === "" ? url : `${url}?${qs}`;
}

function parseOrUndefined(text: string): unknown {
  try {
    return parseJsonExact(text);
  } catch {
    return undefined;
  }
}

export class ZohoClient {
  readonly region: string;
  readonly #opts: ZohoClientOptions;
  readonly #fetch: FetchFn;
  readonly #wait: Waiter;
  readonly #now: () => number;
  readonly #log: Logger;
  readonly #limit: LimitFunction;
  readonly #mailLimiter: SlidingWindowLimiter | undefined;

  constructor(opts: ZohoClientOptions) {
    this.region = opts.region;
    this.#opts = opts;
    this.#fetch = opts.fetch ?? fetch;
    this.#now = opts.now ?? Date.now;
    this.#wait = createWaiter({
      sleep: opts.sleep ?? realSleep,
      ...(opts.maxWaitMs !== undefined ? { maxWaitMs: opts.maxWaitMs } : {}),
      ...(opts.onWait !== undefined ? { onWait: opts.onWait } : {}),
    });
    this.#log = opts.logger ?? silentLogger();
    this.#limit = pLimit(opts.concurrency ?? 4);
    const rate = opts.mailRateLimit ?? { requests: 30, perMs: 60_000 };
    this.#mailLimiter =
      rate === false ? undefined : new SlidingWindowLimiter(rate.requests, rate.perMs, this.#now, (ms, reason) => this.#wait(ms, reason), "Zoho Mail rate limit");
  }

  url(service: ZohoService, path: string): string {
    return `${baseUrlFor(this.region, service, this.#opts.baseUrl)}${path}`;
  }

  /** A Mail or Mail-admin call; resolves only on success (HTTP 2xx and `status.code` < 400). */
  async mail(call: MailCall): Promise<MailResult> {
    const url = withQuery(this.url(call.service, call.path), call.query);
    const init: RequestInit = { method: call.method };
    if (call.body !== undefined) {
      init.body = JSON.stringify(call.body);
      init.headers = { "Content-Type": "application/json" };
    }
    const isAuthFailure: AuthFailure = (r) => {
      if (r.status !== 401) return false;
      const parsed = parseOrUndefined(r.text);
      const code = isRecord(parsed) && isRecord(parsed["data"]) ? asString(parsed["data"]["errorCode"]) : undefined;
      return code === undefined || code === "INVALID_OAUTHTOKEN";
    };
    const raw = await this.#send(call.service, call.operation, call.method, url, init, isAuthFailure);
    return this.#mailResult(call, raw);
  }

  /** A Store reseller write-API call: `JSONString` as multipart (POST/PUT) or in the query (GET/DELETE). */
  async store(method: HttpMethod, payload: unknown, operation: string): Promise<StoreResult> {
    const json = JSON.stringify(payload);
    const base = this.url("store", "/restapi/partner/v1/json/subscription");
    let url = base;
    const init: RequestInit = { method };
    if (method === "POST" || method === "PUT") {
      const form = new FormData();
      form.append("JSONString", json);
      init.body = form;
    } else {
      url = withQuery(base, { JSONString: json });
    }
    // Zoho's own modules read HTTP 400 from this API as an invalid or expired token.
    const raw = await this.#send("store", operation, method, url, init, (r) => r.status === 400);
    return this.#storeResult(operation, raw);
  }

  /** A Store partner read-API call (`/api/v1/partner/...`). */
  async storeList(path: string, query: Query, operation: string): Promise<StoreListResult> {
    const url = withQuery(this.url("store", path), query);
    const raw = await this.#send("store", operation, "GET", url, { method: "GET" }, (r) => r.status === 401);
    if (raw.status !== 200) throw this.#httpError("store", operation, raw);
    const json = parseOrUndefined(raw.text);
    if (json === undefined) {
      throw new ZohoApiError("protocol", `Zoho Store ${operation}: the answer is not JSON`, { service: "store", operation, httpStatus: raw.status });
    }
    return { json, headers: raw.headers };
  }

  async #send(service: ZohoService, operation: string, method: HttpMethod, url: string, init: RequestInit, isAuthFailure: AuthFailure): Promise<RawResponse> {
    const timeout = this.#opts.timeoutMs ?? DEFAULT_TIMEOUT;
    const logPath = url.replace(/\?.*$/, "");
    let refreshed = false;
    const attemptOnce = async (attempt: number): Promise<RawResponse> => {
      for (;;) {
        const started = Date.now();
        let raw: RawResponse;
        let token: string;
        try {
          // Slot, then rate limit, then token: a call that waited long for its turn still sends a fresh token.
          ({ raw, token } = await this.#limit(async () => {
            const release = service !== "store" && this.#mailLimiter ? await this.#mailLimiter.acquire() : undefined;
            try {
              const t = await this.#opts.tokens.getToken();
              const headers = { ...(init.headers as Record<string, string> | undefined), Authorization: `Zoho-oauthtoken ${t}` };
              return { raw: await fetchText(this.#fetch, url, { ...init, headers }, timeout, `Zoho ${service} ${operation}`), token: t };
            } finally {
              release?.();
            }
          }));
        } catch (err) {
          if (err instanceof ZohoTransportError) {
            this.#log.debug({ service, operation, method, path: logPath, attempt, error: err.message }, "zoho call failed");
          }
          throw err;
        }
        this.#log.debug({ service, operation, method, path: logPath, status: raw.status, ms: Date.now() - started, attempt }, "zoho call");
        if (isAuthFailure(raw) && !refreshed) {
          this.#log.debug({ service, operation }, "zoho access token rejected; refreshing once");
          this.#opts.tokens.invalidate(token);
          refreshed = true;
          continue;
        }
        if (this.#isThrottle(raw) && service !== "store") {
          this.#mailLimiter?.holdFor(this.#retryAfter(raw) ?? this.#opts.throttlePauseMs ?? 60_000);
        }
        return raw;
      }
    };
    return retry(attemptOnce, {
      attempts: method === "GET" ? (this.#opts.readRetries ?? 3) + 1 : 1,
      baseDelayMs: this.#opts.backoffMs ?? 1000,
      maxDelayMs: MAX_BACKOFF_MS,
      ...(this.#opts.random !== undefined ? { random: this.#opts.random } : {}),
      wait: this.#wait,
      decide: (outcome) => this.#retryDecision(outcome),
      reason: (outcome) => this.#waitReason(service, operation, outcome),
    });
  }

  /** Reads are sent again after a transport failure, a throttle answer or a 5xx. */
  #retryDecision(outcome: Outcome<RawResponse>): RetryDecision {
    if (!outcome.ok) return outcome.error instanceof ZohoTransportError ? {} : false;
    const raw = outcome.value;
    if (!this.#isThrottle(raw) && raw.status < 500) return false;
    const after = this.#retryAfter(raw);
    return after === undefined ? {} : { retryAfterMs: after };
  }

  /** `Retry-After` of a 429 or 503 answer, in milliseconds. */
  #retryAfter(raw: RawResponse): number | undefined {
    return raw.status === 429 || raw.status === 503 ? parseRetryAfter(raw.headers.get("retry-after"), this.#now()) : undefined;
  }

  #waitReason(service: ZohoService, operation: string, outcome: Outcome<RawResponse>): string {
    if (!outcome.ok) return `Zoho ${service} ${operation} failed; retrying`;
    const after = this.#retryAfter(outcome.value);
    return after === undefined
      ? `Zoho ${service} ${operation} answered HTTP ${outcome.value.status}; retrying`
      : `Zoho ${service} ${operation} answered HTTP ${outcome.value.status} with Retry-After ${formatDuration(after)}`;
  }

  #isThrottle(raw: RawResponse): boolean {
    if (raw.status === 429) return true;
    if (raw.status !== 400) return false;
    return raw.text.includes("URL_ROLLING_THROTTLES_LIMIT_EXCEEDED");
  }

  #mailResult(call: MailCall, raw: RawResponse): MailResult {
    const parsed = parseOrUndefined(raw.text);
    const status = isRecord(parsed) && isRecord(parsed["status"]) ? parsed["status"] : undefined;
    const statusCode = typeof status?.["code"] === "number" ? status["code"] : raw.status;
    const description = asString(status?.["description"]) ?? "";
    if (raw.status >= 200 && raw.status < 300 && isRecord(parsed) && statusCode < 400) {
      return { httpStatus: raw.status, statusCode, description, data: parsed["data"] };
    }
    if (!isRecord(parsed)) {
      if (raw.status >= 200 && raw.status < 300) {
        throw new ZohoApiError("protocol", `Zoho ${call.service} ${call.operation}: the answer is not a JSON envelope`, {
          service: call.service,
          operation: call.operation,
          httpStatus: raw.status,
        });
      }
      throw this.#httpError(call.service, call.operation, raw);
    }
    const data = isRecord(parsed["data"]) ? parsed["data"] : {};
    const errorCode = asString(data["errorCode"]);
    const moreInfo = asString(data["moreInfo"]);
    const http = raw.status >= 400 ? raw.status : statusCode;
    let category: ZohoErrorCategory;
    let hint: string | undefined;
    if (http === 401 || errorCode === "INVALID_OAUTHTOKEN" || errorCode === "INVALID_OAUTHSCOPE") {
      category = "auth";
      hint =
        errorCode === "INVALID_OAUTHSCOPE"
          ? "The refresh token lacks a scope this call needs; run `reconcile zoho auth` again to grant the current scope list."
          : "Zoho rejected the access token even after a refresh; check that zoho.region matches the account's data centre.";
    } else if (errorCode === "INVALID_TICKET") {
      category = "auth";
      hint = "No Authorization header reached Zoho; a proxy may be stripping it.";
    } else if (http === 429 || errorCode === "URL_ROLLING_THROTTLES_LIMIT_EXCEEDED") {
      category = "throttled";
      hint = "Zoho Mail allows about 30 requests a minute; lower the concurrency or wait before running again.";
    } else if (http === 404) {
      category = "not_found";
    } else if (http >= 500 && moreInfo !== undefined && call.businessError !== undefined) {
      category = call.businessError;
      if (category === "conflict") {
        hint =
          "The customer or domain already exists in Zoho and is not mapped to this partner account. Ask the customer to tag you as " +
          "their partner (https://store.zoho.com/html/store/tagyourpartner.html) or contact Zoho partner support; this is not retried.";
      }
    } else if (http >= 500) {
      category = "server";
    } else {
      category = "invalid_request";
    }
    const what = [errorCode, moreInfo ?? (description || undefined)].filter((x) => x !== undefined).join(": ");
    throw new ZohoApiError(
      category,
      `Zoho ${call.service} ${call.operation} failed (HTTP ${raw.status}${what ? `, ${what}` : ""})`,
      {
        service: call.service,
        operation: call.operation,
        httpStatus: raw.status,
        ...(errorCode !== undefined ? { errorCode } : {}),
        ...(moreInfo !== undefined ? { moreInfo } : {}),
        ...(description !== "" ? { description } : {}),
      },
      hint === undefined ? {} : { hint },
    );
  }

  #storeResult(operation: string, raw: RawResponse): StoreResult {
    const parsed = parseOrUndefined(raw.text);
    if (raw.status !== 200 || !isRecord(parsed)) {
      if (raw.status === 200) {
        throw new ZohoApiError("protocol", `Zoho Store ${operation}: the answer is not JSON`, { service: "store", operation, httpStatus: 200 });
      }
      throw this.#httpError("store", operation, raw, isRecord(parsed) ? parsed : undefined);
    }
    const result = asString(parsed["result"]);
    const errorMsg = asString(parsed["ERRORMSG"]) ?? asString(parsed["ERROR_MSG"]);
    if (result === "success" && errorMsg === undefined) return { body: parsed };
    const details = { service: "store", operation, httpStatus: 200, ...(errorMsg !== undefined ? { moreInfo: errorMsg } : {}) };
    if (result === "success") {
      throw new ZohoApiError("store_failure", `Zoho Store ${operation} reported an error alongside success: ${errorMsg}`, details, {
        hint: "Read the subscription back to see what Zoho applied before retrying.",
      });
    }
    throw new ZohoApiError(
      "store_failure",
      `Zoho Store ${operation} failed${errorMsg !== undefined ? `: ${errorMsg}` : ` (result ${JSON.stringify(result ?? null)})`}`,
      details,
      {
        hint: "For a purchase or change, Zoho could not charge the partner's card; contact Zoho's payments team. Not retried automatically.",
      },
    );
  }

  #httpError(service: ZohoService, operation: string, raw: RawResponse, body?: Record<string, unknown>): ZohoApiError {
    const errorMsg = body ? (asString(body["ERRORMSG"]) ?? asString(body["ERROR_MSG"])) : undefined;
    const category: ZohoErrorCategory =
      raw.status === 401 || (service === "store" && raw.status === 400)
        ? "auth"
        : raw.status === 429
          ? "throttled"
          : raw.status === 404
            ? "not_found"
            : raw.status >= 500
              ? "server"
              : "invalid_request";
    return new ZohoApiError(
      category,
      `Zoho ${service} ${operation} failed (HTTP ${raw.status}${errorMsg !== undefined ? `, ${errorMsg}` : ""})`,
      { service, operation, httpStatus: raw.status, ...(errorMsg !== undefined ? { moreInfo: errorMsg } : {}) },
      category === "auth" ? { hint: "Zoho rejected the access token even after a refresh; check zoho.region and the token's scopes." } : {},
    );
  }
}
