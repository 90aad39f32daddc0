import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { ReconcileError } from "../../core/errors.js";
import type { StorePeriod, TrialPlanName } from "./catalog.js";

/**
 * Everything the sandbox remembers, as plain JSON so `stateFile` persistence is a single
 * `JSON.stringify`. Ids are decimal strings: several are beyond 2^53.
 */
export interface ClientRecord {
  clientId: string;
  clientSecret: string;
  /** The data centre the client is registered in. */
  dc: string;
  redirectUris: string[];
  /** Grant-code issue times, for the code throttle. */
  codeTimes: number[];
}

export interface PartnerRecord {
  id: string;
  email: string;
  /** Home data centre of the partner's Zoho account. */
  dc: string;
  zoid: string;
  /** Client ids the partner already consented to (offline refresh token issued once). */
  consented: string[];
}

export interface CodeRecord {
  code: string;
  clientId: string;
  partnerId: string;
  dc: string;
  redirectUri: string;
  scopes: string[];
  issueRefreshToken: boolean;
  expiresAt: number;
  used: boolean;
}

export interface RefreshTokenRecord {
  token: string;
  clientId: string;
  partnerId: string;
  dc: string;
  scopes: string[];
  createdAt: number;
  revoked: boolean;
  /** Mint attempts counted by the throttle. */
  mints: number[];
}

export interface AccessTokenRecord {
  token: string;
  refreshToken: string;
  dc: string;
  scopes: string[];
  issuedAt: number;
  expiresAt: number;
  revoked: boolean;
}

export type OrgPlan =
  | { type: "free" }
  | { type: "trial"; trial: TrialPlanName; expiresAt: number; extensions: number }
  | { type: "paid"; planId: number; period: StorePeriod; addons: { id: number; count: number }[]; profileId: string; since: number };

export interface DomainRecord {
  domainName: string;
  domainId: string;
  htmlCode: string;
  verified: boolean;
  verifiedBy: string | null;
  primary: boolean;
  mailHostingEnabled: boolean;
  mxstatus: boolean;
  spfstatus: boolean;
  createdTime: number;
}

export interface UserRecord {
  zuid: string;
  accountId: string;
  email: string;
  firstName: string;
  lastName: string;
  displayName: string;
  role: string;
}

export interface OrgRecord {
  zoid: string;
  zaid: string;
  encryptedZoid: string;
  stEncZoid: string;
  /** Partner that owns the org; a foreign partner's orgs are invisible to ours. */
  partnerId: string;
  orgName: string;
  superAdmin: string;
  firstName: string;
  lastName: string;
  country: string;
  createdTime: number;
  plan: OrgPlan;
  trialUsed: boolean;
  domains: DomainRecord[];
  users: UserRecord[];
}

export interface DnsRecord {
  type: "CNAME" | "TXT" | "MX";
  name: string;
  value: string;
}

export interface SandboxData {
  version: 1;
  /** Next numeric id, as a decimal string (bigint arithmetic). */
  nextId: string;
  clients: ClientRecord[];
  partners: PartnerRecord[];
  codes: CodeRecord[];
  refreshTokens: RefreshTokenRecord[];
  accessTokens: AccessTokenRecord[];
  orgs: OrgRecord[];
  dns: DnsRecord[];
  /** Domain → verification code served at the HTML verification path. */
  htmlFiles: Record<string, string>;
  tokensMinted: number;
}

export function emptyData(firstId: bigint): SandboxData {
  return {
    version: 1,
    nextId: firstId.toString(),
    clients: [],
    partners: [],
    codes: [],
    refreshTokens: [],
    accessTokens: [],
    orgs: [],
    dns: [],
    htmlFiles: {},
    tokensMinted: 0,
  };
}

/** Allocate the next numeric id (zoid, zuid, …) as a decimal string. */
export function nextId(data: SandboxData): string {
  const id = BigInt(data.nextId);
  data.nextId = (id + 1n).toString();
  return id.toString();
}

export function loadData(file: string): SandboxData | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  let parsed: Partial<SandboxData>;
  try {
    parsed = JSON.parse(text) as Partial<SandboxData>;
  } catch (cause) {
    throw new ReconcileError("sandbox.zoho.state_file", `${file} is not valid JSON`, undefined, { cause });
  }
  if (parsed.version !== 1 || !Array.isArray(parsed.orgs)) {
    throw new ReconcileError("sandbox.zoho.state_file", `${file} is not a Zoho sandbox state file (version 1)`);
  }
  return parsed as SandboxData;
}

/** Write-then-rename so a crash mid-write never leaves a truncated state file. */
export function saveData(file: string, data: SandboxData): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(data, null, 1));
  renameSync(tmp, file);
}
