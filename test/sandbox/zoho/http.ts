import type { ZohoSandbox } from "../../../src/sandbox/zoho/index.js";

export interface WireResponse {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
  readonly json: unknown;
}

export async function call(url: string, init: RequestInit = {}): Promise<WireResponse> {
  const res = await fetch(url, { redirect: "manual", ...init });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, headers: res.headers, json };
}

export function form(params: Record<string, string>): RequestInit {
  return {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  };
}

/** Mint an access token for the sandbox partner with the refresh-token grant. */
export async function accessToken(sb: ZohoSandbox, dc = sb.partner.dc): Promise<string> {
  const r = await call(
    `${sb.baseUrl(dc, "accounts")}/oauth/v2/token`,
    form({
      grant_type: "refresh_token",
      refresh_token: sb.partner.refreshToken,
      client_id: sb.partner.clientId,
      client_secret: sb.partner.clientSecret,
    }),
  );
  const token = (r.json as { access_token?: string } | undefined)?.access_token;
  if (!token) throw new Error(`no access token: ${r.text}`);
  return token;
}

export function auth(token: string): Record<string, string> {
  return { Authorization: `Zoho-oauthtoken ${token}` };
}

export function jsonInit(method: string, token: string, body: unknown): RequestInit {
  return { method, headers: { ...auth(token), "Content-Type": "application/json" }, body: JSON.stringify(body) };
}

export function storeMultipart(method: "POST" | "PUT", token: string, payload: unknown): RequestInit {
  const fd = new FormData();
  fd.append("JSONString", JSON.stringify(payload));
  return { method, headers: auth(token), body: fd };
}

export function storeQuery(url: string, payload: unknown): string {
  return `${url}?JSONString=${encodeURIComponent(JSON.stringify(payload))}`;
}

export const INVALID_OAUTHTOKEN_BODY = '{"data":{"errorCode":"INVALID_OAUTHTOKEN"},"status":{"code":401,"description":"Invalid Access"}}';
export const INVALID_TICKET_BODY =
  '{"data":{"errorCode":"INVALID_TICKET","moreInfo":"Invalid ticket"},"status":{"code":400,"description":"Invalid Input"}}';
export const THROTTLE_BODY =
  '{"error":"Access Denied","error_description":"You have made too many requests continuously. Please try again after some time.","status":"failure"}';
