import { startWhmcsSandbox, type WhmcsSandbox, type WhmcsSandboxOptions } from "../../../src/sandbox/whmcs/index.js";

export const IDENTIFIER = "test-identifier-1234";
export const SECRET = "test-secret-abcd!&=+";

/** A sandbox with a known credential; closed by the caller. */
export function sandbox(options: WhmcsSandboxOptions = {}): Promise<WhmcsSandbox> {
  return startWhmcsSandbox({ credentials: { identifier: IDENTIFIER, secret: SECRET }, ...options });
}

/** The credential part of a hand-written form body. */
export const AUTH = `identifier=${encodeURIComponent(IDENTIFIER)}&secret=${encodeURIComponent(SECRET)}`;

export interface ApiReply {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

/** POST a hand-written form body to `<url>/includes/api.php` (or `path` under the server root). */
export async function post(sb: WhmcsSandbox, body: string, options: { path?: string; contentType?: string } = {}): Promise<ApiReply> {
  const root = new URL(sb.url);
  const url = options.path === undefined ? `${sb.url}/includes/api.php` : `${root.origin}${options.path}`;
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": options.contentType ?? "application/x-www-form-urlencoded" },
    body,
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = {};
  }
  return { status: res.status, contentType: res.headers.get("content-type") ?? "", text, json };
}

/** An authenticated JSON call: `action=<action>&responsetype=json&<credentials>&<rest>`. */
export function call(sb: WhmcsSandbox, action: string, rest = ""): Promise<ApiReply> {
  return post(sb, `action=${action}&responsetype=json&${AUTH}${rest === "" ? "" : `&${rest}`}`);
}

/** `pricing`-style fields for all twelve keys: `prefix[key]=value`. */
export function twelve(prefix: string, values: Partial<Record<string, string>> = {}, fallback = "0.00"): string {
  const keys = ["msetupfee", "qsetupfee", "ssetupfee", "asetupfee", "bsetupfee", "tsetupfee", "monthly", "quarterly", "semiannually", "annually", "biennially", "triennially"];
  return keys.map((k) => `${prefix}[${k}]=${values[k] ?? fallback}`).join("&");
}
