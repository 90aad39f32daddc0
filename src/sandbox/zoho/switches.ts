/**
 * Behaviour switches. Every behaviour docs/zoho.md marks as unconfirmed is one of these
 * (docs/zoho.md#emulator-switches), with the default Zoho documents (or, where it documents
 * none, the reading Zoho's own integrations rely on). Tests flip them to prove the client tolerates both readings.
 */
export type SandboxService = "accounts" | "mail" | "mailadmin" | "store";

export interface ZohoMessages {
  /** create-org HTTP 500 `data.moreInfo` when the domain or email already belongs to one of our orgs. */
  readonly orgExists: string;
  /** create-org HTTP 500 `data.moreInfo` when the customer is registered elsewhere. */
  readonly customerOfAnotherPartner: string;
  readonly trialNotAllowed: string;
  readonly trialNotActive: string;
  readonly trialExtensionUsed: string;
  readonly invalidTrialPlan: string;
  readonly orgNotFound: string;
  readonly domainExists: string;
  readonly domainNotFound: string;
  readonly primaryDomainDelete: string;
  readonly licenseExhausted: string;
  readonly storeMalformed: string;
  readonly storeUnknownService: string;
  readonly storeUnknownCustomer: string;
  readonly storeOtherPartner: string;
  readonly storeAlreadyPaid: string;
  readonly storeNotPaid: string;
  readonly storeTrialToPaid: string;
  readonly storeUnknownPlan: string;
  readonly storeUnknownAddon: string;
  readonly storePayPeriod: string;
  readonly storeYearToMonth: string;
  readonly storeMissingCustomer: string;
  readonly storeCardDeclined: string;
  readonly storeAuth: string;
}

export interface ZohoSwitches {
  // --- Accounts ---------------------------------------------------------------------------
  /** The OAuth client also serves other data centres ("Multi DC support"). */
  readonly multiDc: boolean;
  /** Grant code lifetime (doc: 2 min). */
  readonly codeTtlMs: number;
  /** Grant codes per client per window before `access_denied` (doc: 10 per 10 min). */
  readonly codeIssueLimit: number;
  readonly codeIssueWindowMs: number;
  /** `expires_in` of access tokens (doc: 3600). */
  readonly accessTokenTtlSec: number;
  /** Access tokens minted per refresh token per window (doc: 10 per 10 min). */
  readonly mintLimit: number;
  readonly mintWindowMs: number;
  /** HTTP status of the mint-throttle body (two third-party sources: 400). */
  readonly mintThrottleStatus: number;
  /** Denied mint attempts count against the window too ("retries extend the lockout"). */
  readonly throttleRetriesExtendLockout: boolean;
  /** Live access tokens per refresh token; the oldest is evicted (doc: 10; other pages 15 or 30). */
  readonly maxLiveAccessTokens: number;
  /** Refresh tokens per user (doc: 20). */
  readonly maxRefreshTokens: number;
  /** What the 21st refresh token does: evict the oldest (doc) or refuse ("Access Denied", Projects FAQ). */
  readonly refreshTokenOverflow: "evict" | "deny";
  /** Check OAuth scopes per endpoint. */
  readonly enforceScopes: boolean;

  // --- Mail -------------------------------------------------------------------------------
  /** Accept `Authorization: Bearer …` as well as `Zoho-oauthtoken …`. */
  readonly acceptBearer: boolean;
  /** HTTP status of successful creates (body `status.code` is 201 either way). */
  readonly createHttpStatus: 200 | 201;
  /** Current-doc strictness: create-org also requires `orgName` and `password`. */
  readonly createOrgStrict: boolean;
  /** create-org response carries `basePlan`. */
  readonly createOrgReturnsBasePlan: boolean;
  /** Unknown JSON keys → 400 `EXTRA_KEY_FOUND_IN_JSON`. */
  readonly rejectExtraKeys: boolean;
  /** `mode` values (getCustomerOrgDetails, verify modes) matched case-insensitively. */
  readonly modeCaseInsensitive: boolean;
  /** How `searchKey` matches a domain. */
  readonly searchKeyMatch: "exact" | "prefix" | "contains";
  /** Page size of getCustomerOrgDetails honouring `start`/`limit`; 0 = no paging, everything at once. */
  readonly customerOrgPageSize: number;
  /** getCustomerOrgDetails items also carry `licenseCount` and `usersCount`. */
  readonly customerOrgExtraFields: boolean;
  /** Verify-domain failure: HTTP 200 + `data.status:false` (current) or legacy HTTP 400 + `moreInfo`. */
  readonly verifyFailureShape: "status-false" | "legacy-400";
  readonly trialDays: number;
  /** Extensions allowed per trial. */
  readonly maxTrialExtensions: number;
  /** Users allowed on the free plan (help pages: 5; older: 25). */
  readonly freeUserCap: number;
  /** Users allowed during a trial. */
  readonly trialUserCap: number;
  /** Adding a user beyond the licence count: 400 + errorCode (default) or 500 + moreInfo. */
  readonly licenseErrorShape: "400" | "500";
  /** Requests per minute per access token; 0 disables the limit. */
  readonly rateLimitPerMinute: number;
  /** How long a token stays locked once over the limit. */
  readonly rateLimitLockMs: number;
  readonly rateLimitServices: readonly SandboxService[];
  /** Throttle response: 429 with the Mail envelope, or 400 `URL_ROLLING_THROTTLES_LIMIT_EXCEEDED`. */
  readonly throttleResponse: "429" | "400";

  // --- Store ------------------------------------------------------------------------------
  /** Accept `application/x-www-form-urlencoded` bodies for POST/PUT besides multipart. */
  readonly storeAcceptUrlencoded: boolean;
  /** The partner's card is declined: POST/PUT answer `result:"failure"`. */
  readonly cardDeclined: boolean;
  /** An `ERRORMSG` sent alongside `result:"success"` (the change still happens). */
  readonly errorMsgWithSuccess: string | null;
  /** POST for a customer already on a paid plan: refuse (default) or replace. */
  readonly postWhenPaid: "error" | "replace";
  readonly trialToPaidAllowed: boolean;
  /** PUT from YEAR to MONT refused. */
  readonly rejectYearToMonth: boolean;
  /** GET for a free customer: `paiduser:false` (default) or `result:"failure"`. */
  readonly storeFreeGetBody: "paiduser-false" | "failure";
  /** Partner listing as `{"subscriptions":[…]}` instead of a bare array. */
  readonly listingWrapped: boolean;
  /** Partner listing rows per page (doc: 200). */
  readonly listingPageSize: number;
  /** Paging headers on the partner listing (names are unconfirmed); null = no headers. */
  readonly listingHeaders: { readonly total: string; readonly page: string; readonly perPage: string } | null;

  readonly messages: ZohoMessages;
}

export const DEFAULT_MESSAGES: ZohoMessages = {
  orgExists: "The domain or email address is already associated with an organization",
  customerOfAnotherPartner: "The customer already exists in Zoho and is not mapped to your partner account",
  trialNotAllowed: "Trial is not allowed for this organization",
  trialNotActive: "The organization is not in a trial",
  trialExtensionUsed: "Trial has already been extended",
  invalidTrialPlan: "Invalid plan name",
  orgNotFound: "Organization not found",
  domainExists: "Domain already exists",
  domainNotFound: "Domain not found",
  primaryDomainDelete: "The primary domain cannot be deleted",
  licenseExhausted: "No free license available",
  storeMalformed: "Invalid JSONString",
  storeUnknownService: "Invalid serviceid",
  storeUnknownCustomer: "No customer found for the given email",
  storeOtherPartner: "Customer mapped to another partner",
  storeAlreadyPaid: "Customer already has a paid subscription",
  storeNotPaid: "Customer has no paid subscription",
  storeTrialToPaid: "Customer is in a trial",
  storeUnknownPlan: "Invalid plan",
  storeUnknownAddon: "Invalid addon",
  storePayPeriod: "Pay period not available for this plan",
  storeYearToMonth: "Yearly subscriptions cannot be changed to monthly",
  storeMissingCustomer: "Customer details are required",
  storeCardDeclined: "Payment failed: the card could not be charged",
  storeAuth: "Invalid OAuth token",
};

export const DEFAULT_SWITCHES: ZohoSwitches = {
  multiDc: false,
  codeTtlMs: 120_000,
  codeIssueLimit: 10,
  codeIssueWindowMs: 600_000,
  accessTokenTtlSec: 3600,
  mintLimit: 10,
  mintWindowMs: 600_000,
  mintThrottleStatus: 400,
  throttleRetriesExtendLockout: false,
  maxLiveAccessTokens: 10,
  maxRefreshTokens: 20,
  refreshTokenOverflow: "evict",
  enforceScopes: true,
  acceptBearer: false,
  createHttpStatus: 200,
  createOrgStrict: false,
  createOrgReturnsBasePlan: true,
  rejectExtraKeys: true,
  modeCaseInsensitive: false,
  searchKeyMatch: "exact",
  customerOrgPageSize: 0,
  customerOrgExtraFields: false,
  verifyFailureShape: "status-false",
  trialDays: 15,
  maxTrialExtensions: 1,
  freeUserCap: 5,
  trialUserCap: 5,
  licenseErrorShape: "400",
  rateLimitPerMinute: 30,
  rateLimitLockMs: 60_000,
  rateLimitServices: ["mail", "mailadmin"],
  throttleResponse: "429",
  storeAcceptUrlencoded: true,
  cardDeclined: false,
  errorMsgWithSuccess: null,
  postWhenPaid: "error",
  trialToPaidAllowed: true,
  rejectYearToMonth: true,
  storeFreeGetBody: "paiduser-false",
  listingWrapped: false,
  listingPageSize: 200,
  listingHeaders: { total: "X-Total-Count", page: "X-Page", perPage: "X-Per-Page" },
  messages: DEFAULT_MESSAGES,
};

/** Switches are mutable at run time so a test can flip one between two calls. */
export type MutableSwitches = { -readonly [K in keyof ZohoSwitches]: ZohoSwitches[K] };

export function resolveSwitches(overrides: Partial<ZohoSwitches> = {}): MutableSwitches {
  return {
    ...DEFAULT_SWITCHES,
    ...overrides,
    messages: { ...DEFAULT_MESSAGES, ...(overrides.messages ?? {}) },
  };
}
