import { ReconcileError } from "../../core/errors.js";

/**
 * Values PHP `serialize` can represent and WHMCS accepts in `configoptions` / `customfields`.
 * Maps keep insertion order; use a `Map` when order matters and keys look like integers (a plain
 * object reorders integer-like keys).
 */
export type PhpValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | readonly PhpValue[]
  | ReadonlyMap<string | number, PhpValue>
  | { readonly [key: string]: PhpValue };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** PHP turns such string keys into integer keys, so `"12"` and `12` are the same key. */
const INTEGER_KEY = /^(0|-?[1-9]\d*)$/;

/** PHP `serialize` output. String lengths are UTF-8 byte counts, as PHP reads them. */
export function phpSerialize(value: PhpValue): string {
  return serializeValue(value, "$");
}

/** `base64(serialize(value))`, the form WHMCS expects for `configoptions` and `customfields`. */
export function phpSerializeBase64(value: PhpValue): string {
  return Buffer.from(phpSerialize(value), "utf8").toString("base64");
}

function serializeValue(value: PhpValue, path: string): string {
  if (value === null) return "N;";
  switch (typeof value) {
    case "boolean":
      return value ? "b:1;" : "b:0;";
    case "string":
      return `s:${Buffer.byteLength(value, "utf8")}:"${value}";`;
    case "bigint":
      return `i:${checkInt64(value, path).toString()};`;
    case "number":
      if (Number.isInteger(value)) {
        if (!Number.isSafeInteger(value)) throw invalid(path, `integer ${value} is beyond 2^53; pass a bigint`);
        return `i:${Object.is(value, -0) ? 0 : value};`;
      }
      if (!Number.isFinite(value)) throw invalid(path, `${value} cannot be serialized`);
      return `d:${phpFloat(value)};`;
    case "object":
      return serializeArray(value, path);
    default:
      throw invalid(path, `unsupported type ${typeof value}`);
  }
}

function serializeArray(value: object, path: string): string {
  let entries: (readonly [string | number, PhpValue])[];
  if (Array.isArray(value)) entries = value.map((v: PhpValue, i) => [i, v] as const);
  else if (value instanceof Map) entries = [...(value as ReadonlyMap<string | number, PhpValue>)];
  else entries = Object.entries(value as { readonly [key: string]: PhpValue });

  const seen = new Set<string>();
  let body = "";
  for (const [key, v] of entries) {
    const k = serializeKey(key, path);
    if (seen.has(k)) throw invalid(path, `duplicate key ${String(key)} (PHP treats "12" and 12 as one key)`);
    seen.add(k);
    body += k + serializeValue(v, `${path}[${String(key)}]`);
  }
  return `a:${entries.length}:{${body}}`;
}

function serializeKey(key: string | number, path: string): string {
  if (typeof key === "number") {
    if (!Number.isSafeInteger(key)) throw invalid(path, `array key ${key} is not an integer`);
    return `i:${Object.is(key, -0) ? 0 : key};`;
  }
  if (INTEGER_KEY.test(key)) {
    const n = BigInt(key);
    if (n >= INT64_MIN && n <= INT64_MAX) return `i:${key};`;
  }
  return `s:${Buffer.byteLength(key, "utf8")}:"${key}";`;
}

function checkInt64(n: bigint, path: string): bigint {
  if (n < INT64_MIN || n > INT64_MAX) throw invalid(path, `integer ${n} is outside PHP's 64-bit range`);
  return n;
}

/** PHP's shortest round-trip float form: `1.5`, `1.0E+25`, `1.5E-7`. */
function phpFloat(n: number): string {
  const text = String(n);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-])(\d+)$/.exec(text);
  if (!m) return text;
  return `${m[1] ?? ""}${m[2] ?? ""}.${m[3] ?? "0"}E${m[4] ?? "+"}${m[5] ?? ""}`;
}

function invalid(path: string, what: string): ReconcileError {
  return new ReconcileError("whmcs.serialize.invalid", `cannot PHP-serialize ${path}: ${what}`);
}
