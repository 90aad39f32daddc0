import { ReconcileError } from "../../core/errors.js";
import { Secret } from "../../core/secrets.js";

export type FormScalar = string | number | bigint | boolean | null | undefined | Secret;
export type FormValue =
  | FormScalar
  | readonly FormValue[]
  | ReadonlyMap<string | number, FormValue>
  | { readonly [key: string]: FormValue };
export type FormParams = { readonly [key: string]: FormValue };

/**
 * PHP `urlencode`: every byte except `A-Z a-z 0-9 - _ .` is percent-encoded and a space becomes
 * `+`. Stricter than `encodeURIComponent` (which leaves `!'()*~` alone), so bodies match what
 * `http_build_query` sends byte for byte.
 */
export function phpUrlencode(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    if (
      (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      byte === 0x2d ||
      byte === 0x5f ||
      byte === 0x2e
    ) {
      out += String.fromCharCode(byte);
    } else if (byte === 0x20) {
      out += "+";
    } else {
      out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    }
  }
  return out;
}

/**
 * A body as PHP `http_build_query` builds it: `a[0]=x`, `a[k][j]=y` with brackets percent-encoded,
 * `true`/`false` as `1`/`0`, `null`/`undefined` and empty arrays omitted (PHP sends nothing for
 * them, so an "empty list" must be sent explicitly as an empty string by the caller).
 */
export function encodeForm(params: FormParams): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    append(parts, phpUrlencode(key), value, key);
  }
  return parts.join("&");
}

function append(parts: string[], encodedKey: string, value: FormValue, path: string): void {
  if (value === null || value === undefined) return;
  if (value instanceof Secret) {
    parts.push(`${encodedKey}=${phpUrlencode(value.reveal())}`);
    return;
  }
  switch (typeof value) {
    case "string":
      parts.push(`${encodedKey}=${phpUrlencode(value)}`);
      return;
    case "boolean":
      parts.push(`${encodedKey}=${value ? "1" : "0"}`);
      return;
    case "bigint":
      parts.push(`${encodedKey}=${value.toString()}`);
      return;
    case "number":
      if (!Number.isFinite(value)) throw invalid(path, `is not a finite number (${String(value)})`);
      parts.push(`${encodedKey}=${phpUrlencode(String(value))}`);
      return;
    case "object":
      break;
    default:
      throw invalid(path, `has unsupported type ${typeof value}`);
  }
  for (const [childKey, child] of entriesOf(value, path)) {
    append(parts, `${encodedKey}%5B${phpUrlencode(childKey)}%5D`, child, `${path}[${childKey}]`);
  }
}

function entriesOf(value: object, path: string): readonly (readonly [string, FormValue])[] {
  if (Array.isArray(value)) return value.map((v: FormValue, i) => [String(i), v] as const);
  if (value instanceof Map) return [...(value as ReadonlyMap<string | number, FormValue>)].map(([k, v]) => [String(k), v] as const);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw invalid(path, `is a ${value.constructor.name}, not a plain object, array or Map`);
  }
  return Object.entries(value as { readonly [key: string]: FormValue });
}

function invalid(path: string, what: string): ReconcileError {
  return new ReconcileError("whmcs.encode.invalid", `WHMCS request parameter ${path} ${what}`);
}
