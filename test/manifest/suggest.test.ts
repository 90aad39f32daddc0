import { describe, expect, it } from "vitest";
import { editDistance, suggest } from "../../src/core/suggest.js";

describe("suggest", () => {
  it.each([
    ["Prodcut", ["ProductGroup", "Product", "ConfigOptionGroup", "CustomerOrg"], "Product"],
    ["pricng", ["group", "name", "pricing"], "pricing"],
    ["productgroup", ["ProductGroup", "Product"], "ProductGroup"],
    ["monthy", ["monthly", "quarterly"], "monthly"],
    ["banana", ["monthly", "quarterly"], undefined],
    ["x", ["y"], "y"],
  ])("%s among %j → %s", (input, candidates, expected) => {
    expect(suggest(input, candidates)).toBe(expected);
  });

  it("counts a transposition as one edit", () => {
    expect(editDistance("ab", "ba")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
  });
});
