import { describe, expect, it } from "vitest";
import { normalizeWhmcsUrl } from "../../../src/providers/whmcs/index.js";

describe("normalizeWhmcsUrl", () => {
  it.each([
    ["https://billing.example.com", "https://billing.example.com/includes/api.php"],
    ["https://billing.example.com/", "https://billing.example.com/includes/api.php"],
    ["https://billing.example.com/whmcs/", "https://billing.example.com/whmcs/includes/api.php"],
    ["https://billing.example.com/includes/api.php", "https://billing.example.com/includes/api.php"],
    ["https://billing.example.com/includes/api.php/", "https://billing.example.com/includes/api.php"],
    ["https://billing.example.com/whmcs/includes/api.php/includes/api.php", "https://billing.example.com/whmcs/includes/api.php"],
    ["  http://127.0.0.1:8080//  ", "http://127.0.0.1:8080/includes/api.php"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeWhmcsUrl(input)).toBe(expected);
  });

  it("rejects what it cannot use, without echoing credentials", () => {
    expect(() => normalizeWhmcsUrl("billing.example.com")).toThrow(expect.objectContaining({ code: "whmcs.url.invalid" }));
    expect(() => normalizeWhmcsUrl("ftp://billing.example.com")).toThrow(/http or https/);
    expect(() => normalizeWhmcsUrl("https://x/?a=1")).toThrow(/query string/);
    let message = "";
    try {
      normalizeWhmcsUrl("https://admin:hunter22@billing.example.com");
    } catch (err) {
      message = String(err);
    }
    expect(message).toMatch(/user name or password/);
    expect(message).not.toContain("hunter22");
  });
});
