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
  return serialise(value, indent, "");
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
