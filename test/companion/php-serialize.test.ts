import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { phpSerializeBase64, type PhpValue } from "../../src/providers/whmcs/index.js";
import { usePhp } from "./php.js";

const php = usePhp("PHP unserialize");

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The tagged form test/companion/php/unserialize.php prints: PHP's own view of the value. */
type Tagged = readonly unknown[];

const INT_KEY = /^(0|-?[1-9]\d*)$/;
/** PHP turns decimal-integer string keys within its 64-bit range into int keys. */
const isIntKey = (k: string): boolean => INT_KEY.test(k) && BigInt(k) >= INT64_MIN && BigInt(k) <= INT64_MAX;

/** What PHP's unserialize must hand back for `v`: integer-like string keys become int keys. */
function expected(v: PhpValue): Tagged {
  if (v === null) return ["n"];
  if (typeof v === "boolean") return ["b", v];
  if (typeof v === "bigint") return ["i", v.toString()];
  if (typeof v === "number") return Number.isInteger(v) ? ["i", String(v === 0 ? 0 : v)] : ["d", v];
  if (typeof v === "string") return ["s", Buffer.from(v, "utf8").toString("base64")];
  const entries: [string | number, PhpValue][] = Array.isArray(v)
    ? v.map((x: PhpValue, i) => [i, x])
    : v instanceof Map
      ? [...(v as ReadonlyMap<string | number, PhpValue>)]
      : Object.entries(v as Record<string, PhpValue>);
  return [
    "a",
    entries.map(([k, x]) => [
      typeof k === "number" || isIntKey(k) ? ["i", String(k)] : ["s", Buffer.from(k, "utf8").toString("base64")],
      expected(x),
    ]),
  ];
}

const text = fc.oneof(fc.string({ unit: "binary", maxLength: 16 }), fc.string({ unit: "grapheme", maxLength: 8 }), fc.constantFrom("", "Zoho € Mail", "日本語", "😀", 'a"b;c}', "s:3:\"x\";"));
const key = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.integer({ min: 0, max: 99_999 }).map(String),
  fc.constantFrom("012", "-0", "1.5", " 7", "99999999999999999999", "9223372036854775807", "optionid", "qty"),
  text,
);
const scalar = fc.oneof(
  fc.integer(),
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
  text,
  fc.boolean(),
  fc.constant(null),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
);
/** `{configid: subid}` and `{configid: {optionid, qty}}`, as UpdateClientProduct sends them. */
const serviceOptions = fc
  .uniqueArray(
    fc.tuple(
      fc.integer({ min: 1, max: 100_000 }),
      fc.oneof(
        fc.integer({ min: 1, max: 100_000 }),
        fc.record({ optionid: fc.integer({ min: 1, max: 100_000 }), qty: fc.integer({ min: 0, max: 10_000 }) }).map(
          (r) => new Map<string, PhpValue>([["optionid", r.optionid], ["qty", r.qty]]),
        ),
      ),
    ),
    { maxLength: 6, selector: ([id]) => id },
  )
  .map((entries) => new Map<number, PhpValue>(entries));
const value: fc.Arbitrary<PhpValue> = fc.letrec<{ v: PhpValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    scalar,
    serviceOptions,
    fc
      .uniqueArray(fc.tuple(key, tie("v")), { maxLength: 5, selector: ([k]) => (typeof k === "number" || isIntKey(k) ? `i${String(BigInt(k))}` : `s${k}`) })
      .map((entries) => new Map<string | number, PhpValue>(entries)),
  ),
})).v;

describe.skipIf(!php.available)(`PHP ${php.version ?? "missing"} reads what phpSerialize writes`, () => {
  it("the reference vectors and hundreds of fast-check values, in one php process", () => {
    const seed = Date.now() ^ (process.pid << 8);
    const vectors: PhpValue[] = [
      { 12: 5 },
      { 12: 5, 13: 44 },
      { 1: "Yahoo" },
      new Map<number, PhpValue>([
        [5, 23],
        [6, new Map<string, PhpValue>([["optionid", 24], ["qty", 10]])],
      ]),
      { 1: "Zoho € Mail", 2: "日本語 😀" },
      new Map<string, PhpValue>([["99999999999999999999", 1], ["9223372036854775807", 2], ["-9223372036854775808", 3]]),
    ];
    const cases = [...vectors, ...fc.sample(value, { numRuns: 600, seed })];
    const out = JSON.parse(php.run("unserialize.php", [], JSON.stringify(cases.map((c) => phpSerializeBase64(c))))) as Tagged[];
    expect(out).toHaveLength(cases.length);
    cases.forEach((c, i) => {
      expect(out[i], `case ${i} (fast-check seed ${seed})`).toEqual(expected(c));
    });
  });

  it("the harness itself tells values apart (a wrong byte length is rejected by PHP)", () => {
    const wrong = Buffer.from('a:1:{i:1;s:4:"é";}', "utf8").toString("base64");
    const right = phpSerializeBase64({ 1: "é" });
    const out = JSON.parse(php.run("unserialize.php", [], JSON.stringify([wrong, right]))) as Tagged[];
    expect(out[0]?.[0]).toBe("error");
    expect(out[1]).toEqual(["a", [[["i", "1"], ["s", Buffer.from("é").toString("base64")]]]]);
  });
});
