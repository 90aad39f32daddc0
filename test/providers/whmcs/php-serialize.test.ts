import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { phpSerialize, phpSerializeBase64, type PhpValue } from "../../../src/providers/whmcs/index.js";
import { phpUnserialize, type PhpDecoded } from "./php-unserialize.js";

describe("phpSerialize (reference §2.3 vectors)", () => {
  it.each<[string, PhpValue, string, string]>([
    ["AddOrder item: option 12 = 5", { 12: 5 }, "a:1:{i:12;i:5;}", "YToxOntpOjEyO2k6NTt9"],
    ["two options", { 12: 5, 13: 44 }, "a:2:{i:12;i:5;i:13;i:44;}", "YToyOntpOjEyO2k6NTtpOjEzO2k6NDQ7fQ=="],
    ["custom field", { 1: "Yahoo" }, 'a:1:{i:1;s:5:"Yahoo";}', "YToxOntpOjE7czo1OiJZYWhvbyI7fQ=="],
    [
      "UpdateClientProduct with {optionid, qty}",
      { 5: 23, 6: { optionid: 24, qty: 10 } },
      'a:2:{i:5;i:23;i:6;a:2:{s:8:"optionid";i:24;s:3:"qty";i:10;}}',
      "YToyOntpOjU7aToyMztpOjY7YToyOntzOjg6Im9wdGlvbmlkIjtpOjI0O3M6MzoicXR5IjtpOjEwO319",
    ],
  ])("%s", (_name, value, serialized, base64) => {
    expect(phpSerialize(value)).toBe(serialized);
    expect(phpSerializeBase64(value)).toBe(base64);
  });

  it("counts string lengths in UTF-8 bytes", () => {
    expect(phpSerialize("é")).toBe('s:2:"é";');
    expect(phpSerialize({ 1: "Zoho € Mail" })).toBe('a:1:{i:1;s:13:"Zoho € Mail";}');
  });

  it("uses int keys for numeric strings and string keys otherwise", () => {
    expect(phpSerialize(new Map<string | number, PhpValue>([["12", 1], ["012", 2], ["-3", 3], ["-0", 4], ["x", 5]]))).toBe(
      'a:5:{i:12;i:1;s:3:"012";i:2;i:-3;i:3;s:2:"-0";i:4;s:1:"x";i:5;}',
    );
    expect(phpSerialize(new Map([["99999999999999999999", 1]]))).toBe('a:1:{s:20:"99999999999999999999";i:1;}');
  });

  it("serializes the other scalar forms", () => {
    expect(phpSerialize([true, false, null, 1.5, "5"])).toBe('a:5:{i:0;b:1;i:1;b:0;i:2;N;i:3;d:1.5;i:4;s:1:"5";}');
    expect(phpSerialize(1.5e-7)).toBe("d:1.5E-7;");
    expect(phpSerialize(1e-7)).toBe("d:1.0E-7;");
    expect(phpSerialize(9007199254740993n)).toBe("i:9007199254740993;");
  });

  it("rejects what PHP would read differently", () => {
    expect(() => phpSerialize(new Map<string | number, PhpValue>([[12, 1], ["12", 2]]))).toThrow(/duplicate key/);
    expect(() => phpSerialize(2 ** 60)).toThrow(/bigint/);
    expect(() => phpSerialize(Number.POSITIVE_INFINITY)).toThrow(expect.objectContaining({ code: "whmcs.serialize.invalid" }));
  });
});

describe("phpSerialize round trip (property)", () => {
  const key = fc.oneof(fc.integer({ min: -1000, max: 100000 }), fc.string({ unit: "binary", maxLength: 12 }).filter((s) => !/^(0|-?[1-9]\d*)$/.test(s)));
  const scalar = fc.oneof(fc.integer(), fc.string({ unit: "binary", maxLength: 20 }), fc.boolean(), fc.constant(null));
  const value = fc.letrec<{ v: PhpValue }>((tie) => ({
    v: fc.oneof(
      { depthSize: "small" },
      scalar,
      fc.uniqueArray(fc.tuple(key, tie("v")), { maxLength: 5, selector: ([k]) => String(k) }).map((entries) => new Map<string | number, PhpValue>(entries)),
    ),
  })).v;

  it("decodes to the same value through an independent unserializer", () => {
    fc.assert(
      fc.property(value, (v) => {
        const decoded = phpUnserialize(Buffer.from(phpSerializeBase64(v), "base64").toString("utf8"));
        expect(decoded).toEqual(expected(v));
      }),
      { numRuns: 300 },
    );
  });
});

/** What PHP would hand back: integer-like string keys as numbers. */
function expected(v: PhpValue): PhpDecoded {
  if (v instanceof Map) {
    const out = new Map<string | number, PhpDecoded>();
    for (const [k, x] of v) out.set(typeof k === "string" && /^(0|-?[1-9]\d*)$/.test(k) ? Number(k) : k, expected(x));
    return out;
  }
  return v as PhpDecoded;
}
