import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/core/canonical.js";

/** The definition, written out plainly: keys in UTF-16 code-unit order, undefined members dropped. */
function reference(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  const toJson = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof toJson === "function") return reference(toJson.call(value));
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === "function" ? "null" : reference(v))).join(",")}]`;
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parts: string[] = [];
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined && typeof v !== "function") parts.push(`${JSON.stringify(k)}:${reference(v)}`);
  }
  return `{${parts.join(",")}}`;
}

const key = fc.oneof(
  fc.string(),
  fc.constantFrom("0", "1", "2", "10", "01", "-1", "4294967295", "a", "B", "é", "z", "\uffff", "😀", "__proto__x"),
  fc.nat({ max: 20 }).map(String),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(fc.constant(null), fc.constant(undefined), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.string()),
    fc.array(tie("node"), { maxLength: 4 }),
    fc.dictionary(key, tie("node"), { maxKeys: 6 }),
  ),
})).node;

describe("canonicalJson", () => {
  it("matches the plain definition for any JSON-like value, integer-like and astral keys included", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalJson(v)).toBe(reference(v));
      }),
      { numRuns: 2_000 },
    );
  });

  it("writes values already in canonical order directly, with the same text", () => {
    fc.assert(
      fc.property(value, (v) => {
        // JSON.parse keeps the text's key order (integer-like keys aside, which take the slow way).
        const ordered: unknown = JSON.parse(reference(v));
        expect(canonicalJson(ordered)).toBe(reference(v));
      }),
      { numRuns: 1_000 },
    );
    class Point {
      constructor(readonly x: number) {}
      toJSON(): object {
        return { y: 2, x: this.x };
      }
    }
    const bare = Object.assign(Object.create(null) as object, { a: 1, b: [true] });
    const ownToJson = { a: 1, toJSON: () => ({ z: 0, b: 1 }) };
    expect(canonicalJson({ a: new Point(1), b: bare })).toBe(reference({ a: new Point(1), b: bare }));
    expect(canonicalJson(ownToJson)).toBe(reference(ownToJson));
  });

  it("orders keys by code unit, puts integer-like keys where their text sorts, and follows toJSON", () => {
    const v = { b: 1, a: { "10": true, "2": false, x: [undefined, new Date(0)] }, "😀": 0, "\uffff": 0, B: null, skip: undefined };
    expect(canonicalJson(v)).toBe('{"B":null,"a":{"10":true,"2":false,"x":[null,"1970-01-01T00:00:00.000Z"]},"b":1,"😀":0,"\uffff":0}');
    expect(canonicalJson(undefined)).toBe("null");
    expect(canonicalJson(v, 2)).toBe(JSON.stringify(JSON.parse(canonicalJson(v)), null, 2).replace('"a": {\n    "2": false,\n    "10": true', '"a": {\n    "10": true,\n    "2": false'));
  });
});
