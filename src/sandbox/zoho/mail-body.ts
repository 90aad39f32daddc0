import type { SandboxContext, SandboxRequest } from "./context.js";
import { JSON_PARSE_ERROR, PATTERN_NOT_MATCHED, extraKey, type Reply } from "./envelopes.js";

/** Mail accepts JSON bodies only; form bodies and malformed JSON are `JSON_PARSE_ERROR`. */
export type BodyResult = { ok: true; value: Record<string, unknown> } | { ok: false; reply: Reply };

export function mailJsonBody(ctx: SandboxContext, req: SandboxRequest, allowed: readonly string[]): BodyResult {
  const ct = req.contentType.toLowerCase();
  if (ct.startsWith("application/x-www-form-urlencoded") || ct.startsWith("multipart/")) {
    return { ok: false, reply: JSON_PARSE_ERROR };
  }
  let value: unknown;
  try {
    value = JSON.parse(req.body.toString("utf8"));
  } catch {
    return { ok: false, reply: JSON_PARSE_ERROR };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { ok: false, reply: JSON_PARSE_ERROR };
  const record = value as Record<string, unknown>;
  if (ctx.switches.rejectExtraKeys) {
    const extra = Object.keys(record).find((k) => !allowed.includes(k));
    if (extra !== undefined) return { ok: false, reply: extraKey(extra) };
  }
  return { ok: true, value: record };
}

export function nonEmptyString(v: unknown): v is string {
  return typeof v === "string" && v.trim() !== "";
}

const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isDomainName(v: unknown): v is string {
  return typeof v === "string" && DOMAIN_RE.test(v);
}

export function isEmail(v: unknown): v is string {
  return typeof v === "string" && EMAIL_RE.test(v);
}

export { PATTERN_NOT_MATCHED };

/** `mode` matching, exact or case-insensitive per switch. */
export function modeIs(ctx: SandboxContext, actual: unknown, expected: string): boolean {
  if (typeof actual !== "string") return false;
  return ctx.switches.modeCaseInsensitive ? actual.toLowerCase() === expected.toLowerCase() : actual === expected;
}

export function intParam(v: string | undefined, fallback: number): number | undefined {
  if (v === undefined || v === "") return fallback;
  if (!/^\d+$/.test(v)) return undefined;
  return Number(v);
}
