import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { ReconcileError } from "../../core/errors.js";
import type { SandboxContext } from "./context.js";
import { emptyData, loadData, nextId, saveData, type SandboxData } from "./data.js";
import { sandboxClock, type SandboxClock } from "./clock.js";
import { CallCounter, FaultBox, type ZohoCalls, type ZohoFaults } from "./faults.js";
import { RateLimiter } from "./guard.js";
import { createSandboxServer } from "./server.js";
import { ALL_SCOPES, createState, type SeedOrg, type ZohoSandboxState } from "./state.js";
import { resolveSwitches, type MutableSwitches, type SandboxService, type ZohoSwitches } from "./switches.js";
import { issueRefreshToken } from "./tokens.js";

export type { SandboxService, ZohoSwitches, ZohoMessages, MutableSwitches } from "./switches.js";
export { DEFAULT_SWITCHES, DEFAULT_MESSAGES } from "./switches.js";
export type { ZohoFaults, ZohoCalls, FaultMatch, FaultPhase as ZohoFaultPhase, PendingFault } from "./faults.js";
export type { SandboxClock } from "./clock.js";
export type { ZohoSandboxState, SeedOrg, SeedPlan, OrgView } from "./state.js";
export type { DnsFixture } from "./dns.js";
export type { OrgPlan, SandboxData } from "./data.js";
export { SANDBOX_PLANS, MAIL_SERVICE_ID } from "./catalog.js";

export interface ZohoSeed {
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** The partner's ready refresh token (random when absent). */
  readonly refreshToken?: string;
  readonly partnerEmail?: string;
  /** Scopes granted to the ready refresh token (default: every scope the sandbox checks). */
  readonly scopes?: readonly string[];
  /** Redirect URIs registered for the client (exact match, as Zoho's API console requires). */
  readonly redirectUris?: readonly string[];
  /** First numeric id handed out (zoid, zuid, …); the default is 2^53 + 1 so ids lose precision as JS numbers. */
  readonly firstId?: string;
  readonly orgs?: readonly SeedOrg[];
  readonly foreignCustomers?: readonly { readonly domain: string; readonly email: string }[];
}

export interface ZohoSandboxOptions {
  readonly port?: number;
  readonly host?: string;
  /** Data centres served, each under `/<dc>/…` (default `["us", "eu"]`). */
  readonly dcs?: readonly string[];
  /** Where the OAuth client is registered (default: the first of `dcs`). */
  readonly clientDc?: string;
  /** Home data centre of the partner's account (default: `clientDc`). */
  readonly partnerDc?: string;
  readonly clock?: () => number;
  readonly switches?: Partial<ZohoSwitches>;
  readonly seed?: ZohoSeed;
  /** Load state from this JSON file if it exists and save every change to it. */
  readonly stateFile?: string;
}

export interface ZohoPartnerCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
  readonly clientDc: string;
  /** The data centre the refresh token belongs to. */
  readonly dc: string;
  readonly email: string;
}

export interface ZohoSandbox {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly dcs: readonly string[];
  /** Base URL to use instead of `https://<service>.zoho.<tld>` for a data centre. */
  baseUrl(dc: string, service: SandboxService): string;
  readonly partner: ZohoPartnerCredentials;
  readonly state: ZohoSandboxState;
  readonly switches: MutableSwitches;
  readonly faults: ZohoFaults;
  readonly calls: ZohoCalls;
  readonly clock: SandboxClock;
  close(): Promise<void>;
}

export const OWN_PARTNER_ID = "partner-1";
const DEFAULT_FIRST_ID = 9_007_199_254_740_993n;

function optionError(message: string): ReconcileError {
  return new ReconcileError("sandbox.zoho.options", message);
}

function initialData(opts: ZohoSandboxOptions, clientDc: string, partnerDc: string): SandboxData {
  const seed = opts.seed ?? {};
  let first = DEFAULT_FIRST_ID;
  if (seed.firstId !== undefined) {
    if (!/^[1-9]\d{0,18}$/.test(seed.firstId)) throw optionError(`seed.firstId must be a positive integer string, got ${JSON.stringify(seed.firstId)}`);
    first = BigInt(seed.firstId);
  }
  const data = emptyData(first);
  data.clients.push({
    clientId: seed.clientId ?? `1000.${randomBytes(15).toString("hex").toUpperCase()}`,
    clientSecret: seed.clientSecret ?? randomBytes(21).toString("hex"),
    dc: clientDc,
    redirectUris: [...(seed.redirectUris ?? [])],
    codeTimes: [],
  });
  data.partners.push({ id: OWN_PARTNER_ID, email: seed.partnerEmail ?? "partner@reseller.example", dc: partnerDc, zoid: "", consented: [] });
  const partner = data.partners[0];
  if (partner) partner.zoid = nextId(data);
  return data;
}

export async function startZohoSandbox(opts: ZohoSandboxOptions = {}): Promise<ZohoSandbox> {
  const dcs = [...(opts.dcs ?? ["us", "eu"])];
  if (dcs.length === 0 || dcs.some((d) => !/^[a-z]+$/.test(d))) throw optionError(`dcs must be lowercase data-centre names, got ${JSON.stringify(dcs)}`);
  const clientDc = opts.clientDc ?? dcs[0] ?? "us";
  const partnerDc = opts.partnerDc ?? clientDc;
  for (const [label, dc] of [["clientDc", clientDc], ["partnerDc", partnerDc]] as const) {
    if (!dcs.includes(dc)) throw optionError(`${label} ${JSON.stringify(dc)} is not one of the served dcs ${JSON.stringify(dcs)}`);
  }

  const clock = sandboxClock(opts.clock);
  const switches = resolveSwitches(opts.switches);
  const loaded = opts.stateFile !== undefined ? loadData(opts.stateFile) : undefined;
  const data = loaded ?? initialData(opts, clientDc, partnerDc);
  let url = "";
  const baseUrl = (dc: string, service: SandboxService): string => {
    if (!dcs.includes(dc)) throw optionError(`the sandbox does not serve data centre ${JSON.stringify(dc)}`);
    return `${url}/${dc}/${service}`;
  };
  const ctx: SandboxContext = {
    data,
    switches,
    dcs,
    now: () => clock.now(),
    baseUrl,
    partner() {
      const p = data.partners.find((x) => x.id === OWN_PARTNER_ID);
      if (!p) throw optionError("sandbox state has no partner");
      return p;
    },
  };
  const persist = (): void => {
    if (opts.stateFile !== undefined) saveData(opts.stateFile, data);
  };
  const state = createState(ctx, persist);

  let refreshToken = data.refreshTokens.find((r) => r.partnerId === OWN_PARTNER_ID && !r.revoked)?.token;
  if (!loaded) {
    const client = data.clients[0];
    if (!client) throw optionError("no OAuth client");
    const issued = issueRefreshToken(ctx, {
      clientId: client.clientId,
      partnerId: OWN_PARTNER_ID,
      dc: ctx.partner().dc,
      scopes: opts.seed?.scopes ?? ALL_SCOPES,
      ...(opts.seed?.refreshToken !== undefined ? { token: opts.seed.refreshToken } : {}),
    });
    if (issued.ok) refreshToken = issued.record.token;
    for (const o of opts.seed?.orgs ?? []) state.addOrg(o);
    for (const f of opts.seed?.foreignCustomers ?? []) state.addForeignCustomer(f);
  }

  const faults = new FaultBox();
  const counter = new CallCounter();
  const limiter = new RateLimiter();
  const server = createSandboxServer({ ctx, faults, calls: counter, limiter, persist });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  persist();

  const client = data.clients[0];
  const calls: ZohoCalls = {
    get byEndpoint() {
      return Object.fromEntries(counter.counts);
    },
    count: (endpoint) => counter.counts.get(endpoint) ?? 0,
    get total() {
      let n = 0;
      for (const v of counter.counts.values()) n += v;
      return n;
    },
    get tokensMinted() {
      return data.tokensMinted;
    },
    get rateLimited() {
      return { admitted: [...limiter.tally.admitted], refused: limiter.tally.refused };
    },
    reset() {
      counter.counts.clear();
      data.tokensMinted = 0;
      limiter.reset();
    },
  };

  return {
    url,
    port,
    dcs,
    baseUrl,
    partner: {
      clientId: client?.clientId ?? "",
      clientSecret: client?.clientSecret ?? "",
      refreshToken: refreshToken ?? "",
      clientDc: client?.dc ?? clientDc,
      dc: ctx.partner().dc,
      email: ctx.partner().email,
    },
    state,
    switches,
    faults,
    calls,
    clock,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
