import { registerSecret, type Secret } from "../../core/secrets.js";
import { silentLogger, type Logger } from "../../core/log.js";
import { createWaiter, type WaitNotifier, type Waiter } from "../../core/wait.js";
import { baseUrlFor, type BaseUrlResolver } from "./regions.js";
import { ZohoTokenError } from "./errors.js";
import { asString } from "./json.js";
import { realSleep, requestToken, type FetchFn, type SleepFn, type TokenSource } from "./client.js";
import { fileTokenStore, type TokenStore } from "./token-cache.js";

/**
 * Access tokens from a refresh token: minted once, cached until shortly before expiry (in memory,
 * and on disk across runs when a cache folder is given), shared by every concurrent caller (single
 * flight). Zoho allows about ten mints per ten minutes per refresh token and extends the lockout
 * on retries, so a throttle answer means a long wait, announced and bounded by `maxWaitMs`, a
 * bounded number of times, never a loop.
 */
export interface TokenManagerOptions {
  readonly region: string;
  readonly clientId: Secret;
  readonly clientSecret: Secret;
  readonly refreshToken: Secret;
  /** The `accounts-server` returned on the OAuth callback; defaults to the region's accounts URL. */
  readonly accountsUrl?: string;
  readonly baseUrl?: BaseUrlResolver;
  readonly fetch?: FetchFn;
  readonly now?: () => number;
  readonly sleep?: SleepFn;
  readonly logger?: Logger;
  /** Refresh this long before expiry (default 5 min). */
  readonly marginMs?: number;
  /** Wait after a mint-throttle answer (default 10.5 min: the window is 10 min). */
  readonly throttleWaitMs?: number;
  /** Waits before giving up on a throttle (default 2). */
  readonly maxThrottleWaits?: number;
  readonly timeoutMs?: number;
  /** Longest single wait; a throttle wait longer than this fails with `wait.too-long` at once (default 15 min). */
  readonly maxWaitMs?: number;
  /** Told about waits over 5 s before they start. */
  readonly onWait?: WaitNotifier;
  /** Folder for the on-disk token cache (see `zohoTokenCacheDir`); no disk cache when absent. */
  readonly cacheDir?: string;
  /** Or a store of one's own (tests). */
  readonly store?: TokenStore;
}

interface Cached {
  readonly token: string;
  readonly refreshAt: number;
}

type MintOutcome = { kind: "ok"; token: string; expiresInSec: number } | { kind: "throttled" };

export class ZohoTokenManager implements TokenSource {
  readonly region: string;
  readonly accountsUrl: string;
  readonly #o: TokenManagerOptions;
  readonly #now: () => number;
  readonly #wait: Waiter;
  readonly #log: Logger;
  readonly #store: TokenStore | undefined;
  #cached: Cached | undefined;
  #inflight: Promise<string> | undefined;
  #mints = 0;

  constructor(opts: TokenManagerOptions) {
    this.#o = opts;
    this.region = opts.region;
    this.accountsUrl = (opts.accountsUrl ?? baseUrlFor(opts.region, "accounts", opts.baseUrl)).replace(/\/+$/, "");
    this.#now = opts.now ?? Date.now;
    const sleep: SleepFn = opts.sleep ?? realSleep;
    this.#wait = createWaiter({
      sleep,
      ...(opts.maxWaitMs !== undefined ? { maxWaitMs: opts.maxWaitMs } : {}),
      ...(opts.onWait !== undefined ? { onWait: opts.onWait } : {}),
    });
    this.#log = opts.logger ?? silentLogger();
    this.#store =
      opts.store ??
      (opts.cacheDir === undefined
        ? undefined
        : fileTokenStore(
            opts.cacheDir,
            { clientId: opts.clientId.reveal(), refreshToken: opts.refreshToken.reveal(), accountsUrl: this.accountsUrl },
            this.#now,
            (message) => this.#log.warn({ region: this.region }, message),
          ));
  }

  /** Access tokens obtained from Zoho by this manager. */
  get mints(): number {
    return this.#mints;
  }

  getToken(): Promise<string> {
    const c = this.#cached;
    if (c && this.#now() < c.refreshAt) return Promise.resolve(c.token);
    if (!this.#inflight) {
      this.#inflight = this.#obtain().finally(() => {
        this.#inflight = undefined;
      });
    }
    return this.#inflight;
  }

  invalidate(token: string): void {
    if (this.#cached?.token === token) this.#cached = undefined;
    this.#store?.discard(token);
  }

  /** A token another run left on disk, while it is still good. */
  #fromStore(): string | undefined {
    const stored = this.#store?.read();
    if (stored === undefined || this.#now() >= stored.refreshAt) return undefined;
    this.#log.debug({ region: this.region }, "reusing the cached Zoho access token");
    this.#cached = stored;
    return stored.token;
  }

  async #obtain(): Promise<string> {
    return this.#fromStore() ?? this.#mintWithPatience();
  }

  async #mintWithPatience(): Promise<string> {
    const maxWaits = this.#o.maxThrottleWaits ?? 2;
    const wait = this.#o.throttleWaitMs ?? 630_000;
    for (let waits = 0; ; waits++) {
      const outcome = await this.#mintOnce();
      if (outcome.kind === "ok") {
        const lifetime = outcome.expiresInSec * 1000;
        const margin = Math.min(this.#o.marginMs ?? 300_000, lifetime / 2);
        this.#cached = { token: outcome.token, refreshAt: this.#now() + lifetime - margin };
        this.#store?.write(this.#cached);
        return outcome.token;
      }
      if (waits >= maxWaits) {
        throw new ZohoTokenError(
          "throttled",
          `Zoho Accounts is throttling access-token requests for this refresh token (region "${this.region}"); ` +
            `still refused after waiting ${waits} × ${Math.round(wait / 60_000)} min`,
          { hint: THROTTLE_HINT },
        );
      }
      this.#log.warn({ region: this.region, waitMs: wait, attempt: waits + 1 }, "Zoho access-token minting is throttled; waiting before one more try");
      await this.#wait(wait, "Zoho Accounts is throttling access-token requests for this refresh token (about 10 per 10 minutes)", {
        hint: THROTTLE_HINT,
      });
      // Another run may have minted meanwhile and left its token on disk.
      const stored = this.#fromStore();
      if (stored !== undefined) return stored;
    }
  }

  async #mintOnce(): Promise<MintOutcome> {
    this.#log.debug({ region: this.region, accountsUrl: this.accountsUrl }, "minting a Zoho access token");
    const res = await requestToken(
      this.#o.fetch ?? fetch,
      this.accountsUrl,
      {
        refresh_token: this.#o.refreshToken.reveal(),
        grant_type: "refresh_token",
        client_id: this.#o.clientId.reveal(),
        client_secret: this.#o.clientSecret.reveal(),
      },
      this.#o.timeoutMs,
    );
    const body = res.body;
    const error = body ? asString(body["error"]) : undefined;
    if (error !== undefined) {
      if (isThrottle(error, body ? asString(body["error_description"]) : undefined)) return { kind: "throttled" };
      throw tokenError(error, this.region, this.accountsUrl);
    }
    const token = body ? asString(body["access_token"]) : undefined;
    if (res.httpStatus !== 200 || token === undefined || token === "") {
      throw new ZohoTokenError("failed", `Zoho Accounts token request answered HTTP ${res.httpStatus} without an access token`, {
        details: { httpStatus: res.httpStatus, accountsUrl: this.accountsUrl },
      });
    }
    registerSecret(token);
    this.#mints += 1;
    const expires = body?.["expires_in"];
    return { kind: "ok", token, expiresInSec: typeof expires === "number" && expires > 0 ? expires : 3600 };
  }
}

const THROTTLE_HINT =
  "Zoho allows about 10 access tokens per 10 minutes per refresh token and extends the lockout on every retry. " +
  "Another process may be minting with the same refresh token (Zoho's WHMCS module mints one per call): " +
  "give this tool its own refresh token (reconcile zoho auth), or wait 10 minutes without retrying.";

export function isThrottle(error: string, description: string | undefined): boolean {
  return error.toLowerCase() === "access denied" || /too many requests/i.test(description ?? "");
}

/** Map an Accounts `error` value to the error the user needs to act on. */
export function tokenError(error: string, region: string, accountsUrl: string): ZohoTokenError {
  if (error === "invalid_client") {
    return new ZohoTokenError(
      "wrong_dc_or_credentials",
      `Zoho Accounts at ${accountsUrl} answered invalid_client: wrong data centre or credentials (configured region "${region}")`,
      {
        hint:
          `The OAuth client and the Zoho account live in one data centre. Check that zoho.region "${region}" is that data centre ` +
          `(Canada is "ca", served from zohocloud.ca) and that ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET belong to the client ` +
          "registered there, or enable multi-DC support for the client in Zoho's API console.",
        details: { region, accountsUrl, error },
      },
    );
  }
  if (error === "invalid_code") {
    return new ZohoTokenError(
      "reauthorize",
      `Zoho Accounts at ${accountsUrl} refused the refresh token (invalid_code): re-authorize (run reconcile zoho auth)`,
      {
        hint:
          "A refresh token stops working when it is revoked, replaced by a new consent, or evicted when the user holds more than 20. " +
          "Run `reconcile zoho auth` and store the new value in ZOHO_REFRESH_TOKEN.",
        details: { region, accountsUrl, error },
      },
    );
  }
  return new ZohoTokenError("failed", `Zoho Accounts at ${accountsUrl} refused the token request: ${error}`, {
    details: { region, accountsUrl, error },
  });
}

export function createTokenManager(opts: TokenManagerOptions): ZohoTokenManager {
  return new ZohoTokenManager(opts);
}
