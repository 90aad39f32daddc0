import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Writable } from "node:stream";
import { ReconcileError } from "../../core/errors.js";
import { Secret, registerSecret } from "../../core/secrets.js";
import { ZOHO_REGION_IDS, baseUrlFor, regionFromLocation, zohoRegion, type BaseUrlResolver } from "./regions.js";
import { ZohoTokenError } from "./errors.js";
import { asString } from "./json.js";
import { requestToken, type FetchFn } from "./client.js";
import { tokenError } from "./token.js";

/**
 * `reconcile zoho auth`: one OAuth consent that yields the refresh token the tool runs on.
 * The consent asks for offline access with `prompt=consent` (otherwise Zoho issues no refresh
 * token on a second consent), and the code is exchanged at the accounts server Zoho names on the
 * callback: the user's account may live in another data centre than the one configured.
 */

/** Mail partner orgs, domains and users; Mail subscriptions; Store reseller writes and partner reads. */
export const ZOHO_AUTH_SCOPES: readonly string[] = [
  "ZohoMail.partner.organization.ALL",
  "ZohoMail.organization.domains.ALL",
  "ZohoMail.organization.accounts.READ",
  "ZohoMail.organization.subscriptions.READ",
  "ZohoPayments.partnersubscription.all",
  "ZohoPayments.subscriptions.READ",
  "ZohoPayments.leads.READ",
];

export const ZOHO_REFRESH_TOKEN_ENV = "ZOHO_REFRESH_TOKEN";
export const DEFAULT_AUTH_PORT = 8719;
export const DEFAULT_CALLBACK_PATH = "/zoho/callback";

export interface ZohoAuthOptions {
  readonly region: string;
  readonly clientId: Secret;
  readonly clientSecret: Secret;
  /** Loopback port of the callback server (default 8719; 0 = any free port). */
  readonly port?: number;
  readonly host?: string;
  readonly callbackPath?: string;
  /** Called with the consent URL (e.g. to open a browser). The URL is always printed too. */
  readonly open?: (url: string) => void | Promise<void>;
  /**
   * Asks the user to paste the code or the whole redirect URL, for when the browser cannot reach
   * this machine. The signal aborts the question once the callback arrived.
   */
  readonly prompt?: (question: string, signal: AbortSignal) => Promise<string>;
  readonly out: Writable;
  /** Print the refresh token once (the user asked for it). */
  readonly showToken?: boolean;
  readonly scopes?: readonly string[];
  readonly baseUrl?: BaseUrlResolver;
  readonly fetch?: FetchFn;
  /** How long to wait for the consent (default 5 min). */
  readonly waitMs?: number;
  /** Fixed `state` value (tests); random by default. */
  readonly state?: string;
}

export interface ZohoAuthResult {
  readonly refreshToken: Secret;
  /** The data centre of the account, from the callback's `location` (may differ from the one asked). */
  readonly region: string;
  readonly accountsServer: string;
  /** Where to keep the refresh token. */
  readonly envVar: typeof ZOHO_REFRESH_TOKEN_ENV;
}

export class ZohoAuthError extends ReconcileError {
  constructor(code: string, message: string, hint?: string) {
    super(`zoho.auth.${code}`, message, undefined, hint === undefined ? {} : { hint });
  }
}

interface Grant {
  readonly code: string;
  readonly location: string | undefined;
  readonly accountsServer: string | undefined;
}

export function buildConsentUrl(input: {
  readonly accountsUrl: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly state: string;
}): string {
  const q = new URLSearchParams({
    response_type: "code",
    client_id: input.clientId,
    scope: input.scopes.join(","),
    redirect_uri: input.redirectUri,
    access_type: "offline",
    prompt: "consent",
    state: input.state,
  });
  return `${input.accountsUrl}/oauth/v2/auth?${q.toString()}`;
}

/** A pasted answer: the bare code, or the redirect URL Zoho sent the browser to. */
export function parsePastedGrant(text: string, expectedState: string): Grant | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  if (!/^https?:\/\//i.test(t)) return { code: t, location: undefined, accountsServer: undefined };
  const url = new URL(t);
  const error = url.searchParams.get("error");
  if (error !== null) throw new ZohoAuthError("denied", `Zoho did not grant access: ${error}`);
  const state = url.searchParams.get("state");
  if (state !== null && state !== expectedState) throw new ZohoAuthError("state_mismatch", "the pasted URL belongs to another authorization attempt (state differs)");
  const code = url.searchParams.get("code");
  if (code === null || code === "") throw new ZohoAuthError("no_code", "the pasted URL carries no code parameter");
  return { code, location: url.searchParams.get("location") ?? undefined, accountsServer: url.searchParams.get("accounts-server") ?? undefined };
}

/**
 * The accounts server to exchange the code at. Only the accounts server of a known data centre
 * is accepted: the client secret is sent there, so a forged `accounts-server` must not win.
 */
export function exchangeTarget(configuredRegion: string, grant: Grant, baseUrl?: BaseUrlResolver): { region: string; accountsServer: string } {
  const norm = (u: string): string => u.replace(/\/+$/, "");
  let region = configuredRegion;
  if (grant.location !== undefined) {
    const known = regionFromLocation(grant.location);
    if (known !== undefined) region = known;
    else if (baseUrl !== undefined) region = grant.location;
    else throw new ZohoAuthError("unknown_location", `Zoho's callback names data centre ${JSON.stringify(grant.location)}, which is not in the region table`);
  } else if (grant.accountsServer !== undefined) {
    const match = ZOHO_REGION_IDS.find((id) => {
      try {
        return norm(baseUrlFor(id, "accounts", baseUrl)) === norm(grant.accountsServer ?? "");
      } catch {
        return false;
      }
    });
    if (match === undefined) {
      throw new ZohoAuthError("unknown_accounts_server", `Zoho's callback names accounts server ${grant.accountsServer}, which is not a known Zoho accounts server`);
    }
    region = match;
  }
  const expected = norm(baseUrlFor(region, "accounts", baseUrl));
  if (grant.accountsServer !== undefined && norm(grant.accountsServer) !== expected) {
    throw new ZohoAuthError(
      "accounts_server_mismatch",
      `Zoho's callback names accounts server ${grant.accountsServer}, but data centre ${region} is served by ${expected}; refusing to send the client secret there`,
    );
  }
  return { region, accountsServer: expected };
}

function page(title: string, message: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${message}</p></body></html>`;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function runZohoAuth(opts: ZohoAuthOptions): Promise<ZohoAuthResult> {
  if (opts.baseUrl === undefined) zohoRegion(opts.region);
  const host = opts.host ?? "127.0.0.1";
  const path = opts.callbackPath ?? DEFAULT_CALLBACK_PATH;
  const state = opts.state ?? randomBytes(16).toString("hex");
  const out = opts.out;
  const done = new AbortController();

  let settle: { resolve: (g: Grant) => void; reject: (e: unknown) => void } | undefined;
  const fromCallback = new Promise<Grant>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A late or unused rejection must not surface as an unhandled one; the race still sees it.
  fromCallback.catch(() => undefined);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const reply = (status: number, title: string, message: string): void => {
      res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", Connection: "close" });
      res.end(page(title, message));
    };
    if (url.pathname !== path) return reply(404, "Not found", "This is the callback of reconcile zoho auth.");
    const q = url.searchParams;
    if (q.get("state") !== state) {
      reply(400, "Authorization failed", "The state parameter does not match this authorization attempt.");
      settle?.reject(new ZohoAuthError("state_mismatch", "the callback belongs to another authorization attempt (state differs)"));
      return;
    }
    const error = q.get("error");
    const code = q.get("code");
    if (error !== null || code === null || code === "") {
      reply(400, "Authorization failed", "Zoho did not grant access. You can close this window.");
      settle?.reject(new ZohoAuthError("denied", `Zoho did not grant access: ${error ?? "no code in the callback"}`));
      return;
    }
    reply(200, "Authorized", "zoho-whmcs-reconcile received the authorization. You can close this window.");
    settle?.resolve({ code, location: q.get("location") ?? undefined, accountsServer: q.get("accounts-server") ?? undefined });
  });

  try {
    const port = await listen(server, opts.port ?? DEFAULT_AUTH_PORT, host);
    const redirectUri = `http://${host}:${port}${path}`;
    const consentUrl = buildConsentUrl({
      accountsUrl: baseUrlFor(opts.region, "accounts", opts.baseUrl),
      clientId: opts.clientId.reveal(),
      redirectUri,
      scopes: opts.scopes ?? ZOHO_AUTH_SCOPES,
      state,
    });
    out.write(
      `Authorize zoho-whmcs-reconcile in a browser (the OAuth client must list ${redirectUri} as an authorized redirect URI):\n\n  ${consentUrl}\n\n`,
    );
    const waiters: Promise<Grant>[] = [fromCallback];
    if (opts.prompt) {
      const ask = opts.prompt;
      waiters.push(
        (async () => {
          for (;;) {
            const answer = await ask("Or paste the code, or the full URL the browser was sent to: ", done.signal);
            const grant = parsePastedGrant(answer, state);
            if (grant) return grant;
          }
        })(),
      );
    }
    for (const w of waiters) w.catch(() => undefined);
    const waitMs = opts.waitMs ?? 300_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ZohoAuthError("timeout", `no authorization received within ${Math.round(waitMs / 1000)} s`)), waitMs);
    });
    if (opts.open) await opts.open(consentUrl);
    let grant: Grant;
    try {
      grant = await Promise.race([...waiters, timeout]);
    } finally {
      clearTimeout(timer);
      done.abort();
    }

    const target = exchangeTarget(opts.region, grant, opts.baseUrl);
    const res = await requestToken(opts.fetch ?? fetch, target.accountsServer, {
      grant_type: "authorization_code",
      client_id: opts.clientId.reveal(),
      client_secret: opts.clientSecret.reveal(),
      redirect_uri: redirectUri,
      code: grant.code,
    });
    const error = res.body ? asString(res.body["error"]) : undefined;
    if (error === "invalid_code") {
      throw new ZohoTokenError("failed", "Zoho refused the authorization code (invalid_code): it expires after 2 minutes and works once", {
        hint: "Run `reconcile zoho auth` again and complete the consent promptly.",
      });
    }
    if (error !== undefined) throw tokenError(error, target.region, target.accountsServer);
    const refresh = res.body ? asString(res.body["refresh_token"]) : undefined;
    const access = res.body ? asString(res.body["access_token"]) : undefined;
    if (access !== undefined) registerSecret(access);
    if (refresh === undefined || refresh === "") {
      throw new ZohoTokenError("failed", "Zoho returned no refresh token", {
        hint: "Zoho issues one only for access_type=offline with prompt=consent; revoke the app's earlier grant in your Zoho account and run again.",
      });
    }
    const refreshToken = new Secret(refresh, "zoho-auth");
    if (target.region !== opts.region) {
      out.write(`Note: the Zoho account lives in data centre "${target.region}", not "${opts.region}"; set zoho.region: ${target.region} in reconcile.yaml.\n`);
    }
    out.write(`Authorized for data centre "${target.region}" (accounts server ${target.accountsServer}).\n`);
    if (opts.showToken) {
      out.write(`${ZOHO_REFRESH_TOKEN_ENV}=${refresh}\n`);
    } else {
      out.write(`Store the refresh token in the secret ${ZOHO_REFRESH_TOKEN_ENV}; it is not shown (ask for it with --show-token).\n`);
    }
    return { refreshToken, region: target.region, accountsServer: target.accountsServer, envVar: ZOHO_REFRESH_TOKEN_ENV };
  } finally {
    done.abort();
    settle = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
