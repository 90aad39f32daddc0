import { isIntKey } from "./php-array.js";

/** A value the sandbox writes in PHP `serialize` form (settings such as `APIAllowedIPs`). */
export type PhpWritable = string | number | boolean | null | readonly PhpWritable[] | { readonly [key: string]: PhpWritable };

/** PHP `serialize` for the values the sandbox stores itself; string lengths are UTF-8 bytes. */
export function phpSerialize(value: PhpWritable): string {
  if (value === null) return "N;";
  if (typeof value === "boolean") return `b:${value ? 1 : 0};`;
  if (typeof value === "number") return Number.isInteger(value) ? `i:${value};` : `d:${value};`;
  if (typeof value === "string") return `s:${Buffer.byteLength(value, "utf8")}:"${value}";`;
  const entries: [string, PhpWritable][] = Array.isArray(value)
    ? (value as readonly PhpWritable[]).map((v, i) => [String(i), v])
    : Object.entries(value as { readonly [key: string]: PhpWritable });
  const body = entries.map(([k, v]) => (isIntKey(k) ? `i:${k};` : phpSerialize(k)) + phpSerialize(v)).join("");
  return `a:${entries.length}:{${body}}`;
}
