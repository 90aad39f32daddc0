import type { Logger } from "../../core/log.js";
import type { WaitNotifier } from "../../core/wait.js";
import type { Secret } from "../../core/secrets.js";
import type { ZohoPlanEntry } from "../../model/config.js";
import { ZohoClient, type FetchFn, type SleepFn } from "./client.js";
import { ZohoTokenManager } from "./token.js";
import { ZohoMailApi } from "./mail.js";
import { ZohoStoreApi } from "./store.js";
import { readZohoLiveState, type LiveReadOptions, type ZohoLiveState } from "./live.js";
import type { BaseUrlResolver } from "./regions.js";

export {
  ZOHO_REGIONS,
  ZOHO_REGION_IDS,
  ZOHO_SERVICES,
  baseUrlFor,
  isZohoRegion,
  regionFromLocation,
  zohoCloud,
  zohoRegion,
  type BaseUrlResolver,
  type ZohoRegion,
  type ZohoRegionId,
  type ZohoService,
} from "./regions.js";
export { ZohoApiError, ZohoInputError, ZohoTokenError, ZohoTransportError, type ZohoErrorCategory, type ZohoTokenErrorKind } from "./errors.js";
export { ZohoClient, requestToken, type FetchFn, type SleepFn, type TokenSource, type ZohoClientOptions } from "./client.js";
export { ZohoTokenManager, createTokenManager, type TokenManagerOptions } from "./token.js";
export { fileTokenStore, tokenCacheFileName, zohoTokenCacheDir, type CachedToken, type TokenStore } from "./token-cache.js";
export {
  TRIAL_PLAN_NAMES,
  ZohoMailApi,
  type CreateOrgInput,
  type CreatedOrg,
  type CustomerOrgSummary,
  type DomainInfo,
  type OrgDetails,
  type TrialPlanName,
  type VerifyMethod,
  type VerifyResult,
} from "./mail.js";
export {
  MAIL_SERVICE_ID,
  ZohoStoreApi,
  countryName,
  type AddonCount,
  type PartnerSubscription,
  type StoreCustomer,
  type SubscriptionSpec,
  type SubscriptionState,
  type SubscriptionWriteResult,
} from "./store.js";
export { DEFAULT_PLAN_NAMES, readZohoLiveState, type LiveReadOptions, type ZohoLiveOrg, type ZohoLivePlan, type ZohoLiveState } from "./live.js";
export {
  DEFAULT_AUTH_PORT,
  ZOHO_AUTH_SCOPES,
  ZOHO_REFRESH_TOKEN_ENV,
  ZohoAuthError,
  buildConsentUrl,
  runZohoAuth,
  type ZohoAuthOptions,
  type ZohoAuthResult,
} from "./auth-bootstrap.js";

export interface ZohoProviderOptions {
  readonly region: string;
  readonly clientId: Secret;
  readonly clientSecret: Secret;
  readonly refreshToken: Secret;
  /** The accounts server persisted from `reconcile zoho auth`, when it differs from the region's. */
  readonly accountsUrl?: string;
  /** Point every service somewhere else (the sandbox). */
  readonly baseUrl?: BaseUrlResolver;
  readonly plans?: Readonly<Record<string, ZohoPlanEntry>>;
  readonly fetch?: FetchFn;
  readonly now?: () => number;
  readonly sleep?: SleepFn;
  readonly logger?: Logger;
  readonly timeoutMs?: number;
  readonly concurrency?: number;
  readonly mailRateLimit?: { readonly requests: number; readonly perMs: number } | false;
  readonly live?: LiveReadOptions;
  /** Longest single wait (rate limit, `Retry-After`, token throttle); longer fails with `wait.too-long`. */
  readonly maxWaitMs?: number;
  /** Told about waits over 5 s before they start (the CLI prints them on stderr). */
  readonly onWait?: WaitNotifier;
  /** Keep access tokens on disk in this folder between runs (see `zohoTokenCacheDir`). */
  readonly tokenCacheDir?: string;
  /** Source of jitter for retry backoff, in [0, 1). */
  readonly random?: () => number;
}

export interface ZohoProvider {
  readonly region: string;
  readonly tokens: ZohoTokenManager;
  readonly client: ZohoClient;
  readonly mail: ZohoMailApi;
  readonly store: ZohoStoreApi;
  readLive(): Promise<ZohoLiveState>;
}

/** Wire token manager, client, Mail and Store together for one partner account. */
export function createZohoProvider(opts: ZohoProviderOptions): ZohoProvider {
  const common = {
    ...(opts.fetch !== undefined ? { fetch: opts.fetch } : {}),
    ...(opts.now !== undefined ? { now: opts.now } : {}),
    ...(opts.sleep !== undefined ? { sleep: opts.sleep } : {}),
    ...(opts.logger !== undefined ? { logger: opts.logger } : {}),
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.baseUrl !== undefined ? { baseUrl: opts.baseUrl } : {}),
    ...(opts.maxWaitMs !== undefined ? { maxWaitMs: opts.maxWaitMs } : {}),
    ...(opts.onWait !== undefined ? { onWait: opts.onWait } : {}),
  };
  const tokens = new ZohoTokenManager({
    region: opts.region,
    clientId: opts.clientId,
    clientSecret: opts.clientSecret,
    refreshToken: opts.refreshToken,
    ...(opts.accountsUrl !== undefined ? { accountsUrl: opts.accountsUrl } : {}),
    ...(opts.tokenCacheDir !== undefined ? { cacheDir: opts.tokenCacheDir } : {}),
    ...common,
  });
  const client = new ZohoClient({
    region: opts.region,
    tokens,
    ...common,
    ...(opts.concurrency !== undefined ? { concurrency: opts.concurrency } : {}),
    ...(opts.mailRateLimit !== undefined ? { mailRateLimit: opts.mailRateLimit } : {}),
    ...(opts.random !== undefined ? { random: opts.random } : {}),
  });
  const mail = new ZohoMailApi(client);
  const store = new ZohoStoreApi(client, opts.plans !== undefined ? { plans: opts.plans } : {});
  return {
    region: opts.region,
    tokens,
    client,
    mail,
    store,
    readLive: () => readZohoLiveState(mail, store, opts.live ?? {}),
  };
}
