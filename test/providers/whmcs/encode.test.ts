import { describe, expect, it } from "vitest";
import { Secret } from "../../../src/core/secrets.js";
import { encodeForm, phpUrlencode } from "../../../src/providers/whmcs/index.js";

describe("encodeForm (PHP http_build_query)", () => {
  it("encodes scalars, indexed arrays and percent-encoded brackets", () => {
    expect(encodeForm({ action: "AddOrder", clientid: 1, pid: [5, 7] })).toBe("action=AddOrder&clientid=1&pid%5B0%5D=5&pid%5B1%5D=7");
  });

  it("encodes nested maps keyed by currency id", () => {
    expect(encodeForm({ pricing: { 1: { monthly: "4.00", msetupfee: "0.00" } } })).toBe(
      "pricing%5B1%5D%5Bmonthly%5D=4.00&pricing%5B1%5D%5Bmsetupfee%5D=0.00",
    );
  });

  it("encodes arrays of maps", () => {
    expect(encodeForm({ recommendations: [{ id: 1, order: 0 }, { id: 9, order: 1 }] })).toBe(
      "recommendations%5B0%5D%5Bid%5D=1&recommendations%5B0%5D%5Border%5D=0&recommendations%5B1%5D%5Bid%5D=9&recommendations%5B1%5D%5Border%5D=1",
    );
  });

  it("encodes booleans as 1/0 and drops null, undefined and empty arrays like PHP", () => {
    expect(encodeForm({ a: true, b: false, c: null, d: undefined, e: [], f: "" })).toBe("a=1&b=0&f=");
  });

  it("encodes UTF-8 per byte, spaces as + and the characters encodeURIComponent leaves alone", () => {
    expect(encodeForm({ name: "Zoho Mail – Lite € ü" })).toBe("name=Zoho+Mail+%E2%80%93+Lite+%E2%82%AC+%C3%BC");
    expect(phpUrlencode("a!b*c'd(e)f~g-h_i.j")).toBe("a%21b%2Ac%27d%28e%29f%7Eg-h_i.j");
  });

  it("keeps Map insertion order, encodes keys and reveals Secret values", () => {
    const m = new Map<string | number, string>([[12, "x"], ["a b", "y"]]);
    expect(encodeForm({ m, s: new Secret("s3cr3t value", "test") })).toBe("m%5B12%5D=x&m%5Ba+b%5D=y&s=s3cr3t+value");
  });

  it("round-trips through a standard form parser", () => {
    const body = encodeForm({ options: [{ key: "mailboxes", choices: [{ label: "Mail & box|x=1" }] }] });
    const parsed = new URLSearchParams(body);
    expect(parsed.get("options[0][key]")).toBe("mailboxes");
    expect(parsed.get("options[0][choices][0][label]")).toBe("Mail & box|x=1");
  });

  it("rejects values it cannot represent with a typed error", () => {
    expect(() => encodeForm({ n: Number.NaN })).toThrow(expect.objectContaining({ code: "whmcs.encode.invalid" }));
    expect(() => encodeForm({ d: new Date(0) as unknown as string })).toThrow(/d is a Date/);
  });
});
