import { createHash } from "node:crypto";

/** Code-unit string order: stable across locales, unlike localeCompare. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Canonical JSON: object keys sorted by code unit, `undefined` members dropped, no whitespace
 * (or `indent` spaces per level, for artifacts people read). Used for checksums and snapshots,
 * so it must never depend on insertion order.
 */
export function canonicalJson(value: unknown, indent = 0): string {
  return indent > 0 ? serialise(value, indent, "") : compact(value);
}

const ARRAY_INDEX = /^(?:0|[1-9][0-9]{0,9})$/;

/**
 * The compact form through the engine's own JSON.stringify (checksums of large plans spend most of
 * their time here). A value whose objects are all plain, with their own keys already in code-unit
 * order (the plan's builders make them so), is written as it is: `inCanonicalOrder` checks that in
 * one walk. Otherwise the replacer puts each object's keys in order, copying those that are not.
 * An object with integer-like keys cannot be rebuilt in that order (the engine lists those keys
 * first, in numeric order), so a value holding one goes the slow way.
 */
function compact(value: unknown): string {
  if (inCanonicalOrder(value)) return JSON.stringify(value) ?? "null";
  let integerKeys = false;
  const text = JSON.stringify(value, (_key: string, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const keys = Object.keys(v);
    let sorted = true;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      const c = k.charCodeAt(0);
      if (c >= 48 && c <= 57 && ARRAY_INDEX.test(k)) integerKeys = true;
      if (i > 0 && (keys[i - 1] as string) > k) sorted = false;
    }
    if (sorted || integerKeys) return v;
    // Array.prototype.sort() without a comparator orders strings by UTF-16 code unit, as compareCodeUnits does.
    keys.sort();
    const copy: Record<string, unknown> = {};
    for (const k of keys) copy[k] = (v as Record<string, unknown>)[k];
    return copy;
  });
  if (integerKeys) return serialise(value, 0, "");
  return text ?? "null";
}

/**
 * True when JSON.stringify writes `value` exactly as canonicalJson defines it: every object a plain
 * one (no toJSON, no class) whose own keys, in the order the engine lists them, are in code-unit order.
 */
function inCanonicalOrder(value: unknown): boolean {
  if (value === null || typeof value !== "object") return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!inCanonicalOrder(value[i])) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return false;
  // for…in lists a plain object's own keys in the order JSON.stringify writes them (integer-like
  // keys first), without building an array; that order must be strictly code-unit order.
  let previous: string | undefined;
  for (const k in value) {
    if ((previous !== undefined && previous >= k) || k === "toJSON") return false;
    if (!inCanonicalOrder((value as Record<string, unknown>)[k])) return false;
    previous = k;
  }
  return true;
}

// Serialised by hand: a JS object would put integer-like keys ("10", "2") first, in numeric order.
function serialise(value: unknown, indent: number, pad: string): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const toJson = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJson === "function") return serialise(toJson.call(value), indent, pad);
  const inner = indent > 0 ? pad + " ".repeat(indent) : "";
  const open = indent > 0 ? `\n${inner}` : "";
  const sep = indent > 0 ? `,\n${inner}` : ",";
  const close = indent > 0 ? `\n${pad}` : "";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[${open}${value.map((v) => (v === undefined ? "null" : serialise(v, indent, inner))).join(sep)}${close}]`;
  }
  const parts: string[] = [];
  for (const key of Object.keys(value).sort(compareCodeUnits)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined && typeof v !== "function") {
      parts.push(`${JSON.stringify(key)}:${indent > 0 ? " " : ""}${serialise(v, indent, inner)}`);
    }
  }
  return parts.length === 0 ? "{}" : `{${open}${parts.join(sep)}${close}}`;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
