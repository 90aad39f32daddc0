import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idString, parseJsonExact, quoteLongIntegers } from "../../../src/providers/zoho/json.js";

describe("exact JSON parsing", () => {
  it("keeps 64-bit ids exact and leaves strings and small numbers alone", () => {
    const text = '{"zoid":9007199254740993,"n":-12345678901234567,"small":42,"f":1.5e3,"s":"9007199254740993 \\"x\\" 1234567890123456","a":[1003505000081813009]}';
    expect(parseJsonExact(text)).toEqual({
      zoid: "9007199254740993",
      n: "-12345678901234567",
      small: 42,
      f: 1500,
      s: '9007199254740993 "x" 1234567890123456',
      a: ["1003505000081813009"],
    });
    expect(String((JSON.parse(text) as { zoid: number }).zoid)).not.toBe("9007199254740993");
  });

  it("turns ids into strings whatever their wire type", () => {
    expect(idString(76006415)).toBe("76006415");
    expect(idString("76006415")).toBe("76006415");
    expect(idString(2 ** 60)).toBeUndefined();
    expect(idString(null)).toBeUndefined();
  });

  it("round-trips any JSON value without long integers", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        expect(quoteLongIntegers(text).length).toBeGreaterThanOrEqual(text.length);
        if (!/\d{16,}/.test(text)) expect(parseJsonExact(text)).toEqual(JSON.parse(text));
      }),
    );
  });

  it("keeps every big integer exact", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 10n ** 15n, max: 2n ** 63n }), (n) => {
        expect(parseJsonExact(`{"id":${n}}`)).toEqual({ id: n.toString() });
      }),
    );
  });
});
