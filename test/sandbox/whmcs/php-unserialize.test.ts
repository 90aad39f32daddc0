import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PhpArray, phpSerialize, phpToPlain, phpUnserialize, unserializeBase64, WhmcsSandboxError } from "../../../src/sandbox/whmcs/index.js";

const plain = (s: string): unknown => phpToPlain(phpUnserialize(s));

describe("PHP unserialize", () => {
  it("decodes the documented configoptions/customfields examples (whmcs-api.md §2.3)", () => {
    expect(phpToPlain(unserializeBase64("YToxOntpOjEyO2k6NTt9"))).toEqual({ "12": 5 });
    expect(phpToPlain(unserializeBase64("YToyOntpOjEyO2k6NTtpOjEzO2k6NDQ7fQ=="))).toEqual({ "12": 5, "13": 44 });
    expect(phpToPlain(unserializeBase64("YToxOntpOjE7czo1OiJZYWhvbyI7fQ=="))).toEqual({ "1": "Yahoo" });
    expect(phpToPlain(unserializeBase64("YToyOntpOjU7aToyMztpOjY7YToyOntzOjg6Im9wdGlvbmlkIjtpOjI0O3M6MzoicXR5IjtpOjEwO319"))).toEqual({
      "5": 23,
      "6": { optionid: 24, qty: 10 },
    });
  });

  it("treats i: keys and numeric s: keys as the same key, other strings as strings", () => {
    const a = phpUnserialize('a:3:{i:12;i:5;s:2:"13";s:2:"44";s:3:"012";i:1;}') as PhpArray;
    expect(a.keys()).toEqual(["12", "13", "012"]);
    expect(a.get(13)).toBe("44");
    const dup = phpUnserialize('a:2:{i:7;i:1;s:1:"7";i:2;}') as PhpArray;
    expect(dup.size).toBe(1);
    expect(dup.get(7)).toBe(2);
  });

  it("accepts bool, float, null and signed int values", () => {
    expect(plain('a:6:{i:0;b:1;i:1;b:0;i:2;d:1.5;i:3;N;i:4;i:-7;i:5;d:-2.5E+3;}')).toEqual([true, false, 1.5, null, -7, -2500]);
    expect(phpUnserialize("d:INF;")).toBe(Infinity);
    expect(Number.isNaN(phpUnserialize("d:NAN;"))).toBe(true);
    expect(phpUnserialize("i:+5;")).toBe(5);
  });

  it("counts string lengths in UTF-8 bytes", () => {
    expect(phpUnserialize('s:6:"héllo";')).toBe("héllo");
    expect(phpUnserialize('s:4:"€1";')).toBe("€1");
    expect(() => phpUnserialize('s:5:"héllo";')).toThrow(/not 5 bytes long/);
    expect(phpUnserialize('s:5:"a";b"";')).toBe('a";b"');
  });

  it.each([
    ["", "unexpected end"],
    ["a:2:{i:0;i:1;}", "fewer elements"],
    ["a:1:{i:0;i:1;i:1;i:2;}", "more than 1"],
    ["i:5", 'missing ";"'],
    ["i:5;x", "trailing data"],
    ['O:8:"stdClass":0:{}', 'unsupported type "O"'],
    ["a:1:{i:0;r:1;}", 'unsupported type "r"'],
    ["a:1:{b:1;i:1;}", "keys must be i: or s:"],
    ['s:10:"abc";', "past the end"],
    ["b:2;", "boolean must be 0 or 1"],
    ["i:1.5;", "not an integer"],
    ["d:abc;", "not a float"],
    ["a:x:{}", "bad array count"],
    ['s:-1:"";', "bad string length"],
  ])("rejects malformed input %j", (input, why) => {
    let caught: unknown;
    try {
      phpUnserialize(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WhmcsSandboxError);
    expect((caught as WhmcsSandboxError).code).toBe("sandbox.whmcs.php_unserialize");
    expect((caught as Error).message).toContain(why);
  });

  it("rejects empty base64 input", () => {
    expect(() => unserializeBase64("  ")).toThrow(WhmcsSandboxError);
  });

  it("round-trips values written by the sandbox's own serializer", () => {
    const key = fc.oneof(fc.integer({ min: -1000, max: 100000 }).map(String), fc.string({ maxLength: 6 }).filter((s) => !/^(0|-?[1-9]\d*)$/.test(s)));
    const leaf = fc.oneof(fc.integer({ min: -1e9, max: 1e9 }), fc.string({ maxLength: 12 }), fc.constant(null), fc.boolean());
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ maxDepth: 3 }, leaf, fc.dictionary(key, tie("node"), { maxKeys: 4 })),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(key, tree, { maxKeys: 5 }), (value) => {
        const back = phpToPlain(phpUnserialize(phpSerialize(value as never)));
        expect(normalise(back)).toEqual(normalise(value));
      }),
      { numRuns: 200 },
    );
  });
});

/** Lists come back as arrays and maps as objects: compare both as key → value maps. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return normalise(Object.fromEntries(v.map((x, i) => [String(i), x])));
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, normalise(x)] as const);
    return Object.fromEntries(entries);
  }
  return v;
}
