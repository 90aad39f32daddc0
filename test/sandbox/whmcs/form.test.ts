import { describe, expect, it } from "vitest";
import { parsePhpForm, phpToPlain, PhpArray } from "../../../src/sandbox/whmcs/index.js";

const plain = (body: string, maxInputVars?: number): unknown =>
  phpToPlain(parsePhpForm(body, maxInputVars === undefined ? {} : { maxInputVars }).vars);

describe("PHP $_POST parsing", () => {
  it("reads scalars, and the last repeated scalar wins", () => {
    expect(plain("action=GetProducts&pid=1&pid=2")).toEqual({ action: "GetProducts", pid: "2" });
  });

  it("treats literal and percent-encoded brackets the same", () => {
    const literal = plain("pid[0]=5&pid[1]=7");
    const encoded = plain("pid%5B0%5D=5&pid%5b1%5d=7");
    expect(literal).toEqual({ pid: ["5", "7"] });
    expect(encoded).toEqual(literal);
  });

  it("appends with [] after the highest integer key", () => {
    const vars = parsePhpForm("a[]=x&a[]=y&a[7]=z&a[]=w&a[-3]=n&a[]=v").vars;
    const a = vars.get("a");
    expect(a).toBeInstanceOf(PhpArray);
    expect((a as PhpArray).keys()).toEqual(["0", "1", "7", "8", "-3", "9"]);
  });

  it("builds nested maps keyed by id and arrays of maps", () => {
    expect(plain("pricing[1][monthly]=4.00&pricing[1][msetupfee]=0.00&pricing[2][annually]=40.00")).toEqual({
      pricing: { "1": { monthly: "4.00", msetupfee: "0.00" }, "2": { annually: "40.00" } },
    });
    expect(plain("recommendations[0][id]=1&recommendations[0][order]=0&recommendations[1][id]=2&recommendations[1][order]=1")).toEqual({
      recommendations: [
        { id: "1", order: "0" },
        { id: "2", order: "1" },
      ],
    });
    expect(plain("options[0][choices][0][pricing][1][monthly]=1.00")).toEqual({
      options: [{ choices: [{ pricing: { "1": { monthly: "1.00" } } }] }],
    });
  });

  it("decodes + and %XX as bytes, then UTF-8, and leaves bad escapes literal", () => {
    expect(plain("name=Zoho+Mail%20Lite&u=caf%C3%A9&bad=100%zz&tail=%4")).toEqual({
      name: "Zoho Mail Lite",
      u: "café",
      bad: "100%zz",
      tail: "%4",
    });
  });

  it("keeps numeric-looking keys distinct unless PHP would make them integers", () => {
    const a = parsePhpForm("a[01]=x&a[1]=y&a[-0]=z&a[1]=w").vars.get("a") as PhpArray;
    expect(a.keys()).toEqual(["01", "1", "-0"]);
    expect(a.get(1)).toBe("w");
  });

  it("turns spaces and dots in top-level names into underscores and drops leading spaces", () => {
    expect(plain("a.b=1&c d=2&%20%20lead=3&x[a.b]=4")).toEqual({ a_b: "1", c_d: "2", lead: "3", x: { "a.b": "4" } });
  });

  it("handles unmatched and trailing brackets like PHP", () => {
    expect(plain("a[b=1")).toEqual({ a_b: "1" });
    expect(plain("a[x][y=1")).toEqual({ a: { x: "1" } });
    expect(plain("a[b]c=1")).toEqual({ a: { b: "1" } });
    expect(plain("a[b[c]]=1")).toEqual({ a: { "b[c": "1" } });
  });

  it("replaces a scalar with an array and an array with a later scalar", () => {
    expect(plain("a=1&a[x]=2")).toEqual({ a: { x: "2" } });
    expect(plain("a[x]=2&a=1")).toEqual({ a: "1" });
  });

  it("ignores empty names and gives a bare name the empty string", () => {
    expect(plain("=x&&flag&[a]=1")).toEqual({ flag: "" });
  });

  it("stops at max_input_vars and reports the truncation", () => {
    const parsed = parsePhpForm("a=1&b=2&c=3", { maxInputVars: 2 });
    expect(phpToPlain(parsed.vars)).toEqual({ a: "1", b: "2" });
    expect(parsed.truncated).toBe(true);
    expect(parsePhpForm("a=1&b=2", { maxInputVars: 2 }).truncated).toBe(false);
  });

  it("drops a variable nested deeper than 64 levels", () => {
    const deep = `a${"[x]".repeat(65)}=1`;
    expect(plain(`keep=1&${deep}`)).toEqual({ keep: "1" });
    const ok = `a${"[x]".repeat(64)}=1`;
    expect(parsePhpForm(ok).vars.has("a")).toBe(true);
  });

  it("accepts a Buffer body", () => {
    expect(phpToPlain(parsePhpForm(Buffer.from("name=%E2%82%AC&raw=\u00e9", "utf8")).vars)).toEqual({ name: "€", raw: "é" });
  });
});
