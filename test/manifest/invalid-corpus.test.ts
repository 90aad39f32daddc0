import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { loadProject } from "../../src/manifest/index.js";
import { FIXTURES, issuesOf } from "./projects.js";

/**
 * Every case under test/fixtures/manifests/invalid/<case>/ and exactly the issues it must
 * produce: code, file (relative to the case folder), line and column. Line 0 means "no position".
 */
type Expected = readonly [code: string, file: string, line: number, col: number];

const CASES: Readonly<Record<string, readonly Expected[]>> = {
  "billing-cycle-not-offered": [["customer.billing-cycle", "customers.yaml", 14, 17]],
  "binary-nul": [["file.binary", "manifests.yaml", 4, 23]],
  "free-over-cap": [["customer.free-user-cap", "customers.yaml", 15, 14]],
  "trial-unknown": [["customer.trial-plan", "customers.yaml", 16, 35]],
  "trial-wrong-family": [["customer.trial-plan", "customers.yaml", 16, 35]],
  "boolean-yes": [["schema.type", "manifests.yaml", 5, 39]],
  "client-mismatch": [["customer.client-mismatch", "customers.yaml", 22, 3]],
  "config-empty": [["config.empty", "reconcile.yaml", 0, 0]],
  "config-in-manifests": [["manifest.config-document", "other-config.yaml", 3, 7]],
  "config-kind": [["config.kind", "reconcile.yaml", 3, 7]],
  "config-multiple-documents": [["config.multiple-documents", "reconcile.yaml", 12, 1]],
  "currency-lowercase": [["schema.pattern", "manifests.yaml", 24, 5]],
  "database-url-password": [["config.database-url", "reconcile.yaml", 10, 20]],
  "db-without-database": [["schema.required", "reconcile.yaml", 5, 1]],
  "dropdown-without-choices": [["schema.required", "manifests.yaml", 8, 7]],
  "duplicate-choice-key": [["choice.duplicate-key", "manifests.yaml", 14, 18]],
  "duplicate-domain": [["customer.duplicate-domain", "customers.yaml", 28, 11]],
  "duplicate-name": [["ref.duplicate-name", "b.yaml", 5, 19]],
  "duplicate-option-key": [["option.duplicate-key", "manifests.yaml", 9, 14]],
  "enum-typo": [["schema.enum", "manifests.yaml", 23, 12]],
  "errors-in-two-files": [
    ["schema.range", "a.yaml", 5, 38],
    ["schema.unknown-field", "b.yaml", 5, 26],
  ],
  "free-with-pricing": [["schema.not-allowed", "manifests.yaml", 24, 3]],
  "glob-empty": [["file.glob-empty", "reconcile.yaml", 4, 23]],
  "invalid-utf8": [["file.encoding", "manifests.yaml", 5, 18]],
  "metadata-name-invalid": [["schema.pattern", "manifests.yaml", 4, 19]],
  "missing-spec": [["schema.required", "manifests.yaml", 2, 1]],
  "money-exponent": [["money.invalid", "manifests.yaml", 24, 22]],
  "money-negative": [["money.invalid", "manifests.yaml", 24, 22]],
  "money-string": [["money.invalid", "manifests.yaml", 24, 22]],
  "money-three-decimals": [["money.invalid", "manifests.yaml", 24, 22]],
  "not-a-mapping": [["manifest.not-a-mapping", "manifests.yaml", 7, 1]],
  "onetime-with-cycle": [["schema.unknown-field", "manifests.yaml", 25, 12]],
  "option-key-pipe": [["schema.pattern", "manifests.yaml", 8, 14]],
  "option-min-gt-max": [["option.min-max", "manifests.yaml", 8, 64]],
  "paid-without-zoho-plan": [["customer.no-zoho-plan", "customers.yaml", 16, 17]],
  "pay-period-not-offered": [["customer.pay-period", "customers.yaml", 16, 34]],
  "quantity-with-choices": [["schema.not-allowed", "manifests.yaml", 11, 7]],
  "secret-literal": [["config.secret-literal", "reconcile.yaml", 8, 11]],
  "secret-malformed": [["config.secret-ref", "reconcile.yaml", 8, 11]],
  "trial-without-trial-plan": [["schema.required", "customers.yaml", 16, 3]],
  "unknown-field": [["schema.unknown-field", "manifests.yaml", 23, 3]],
  "unknown-group": [["ref.unknown-group", "manifests.yaml", 19, 10]],
  "unknown-kind": [["manifest.unknown-kind", "manifests.yaml", 3, 7]],
  "unknown-option-group": [["ref.unknown-config-option-group", "manifests.yaml", 22, 43]],
  "unknown-product": [["ref.unknown-product", "customers.yaml", 13, 12]],
  "unknown-zoho-plan": [["ref.unknown-zoho-plan", "manifests.yaml", 21, 17]],
  "url-credentials": [["config.url", "reconcile.yaml", 6, 8]],
  "wrong-api-version": [["manifest.api-version", "manifests.yaml", 2, 13]],
  "yaml-complex-key": [["yaml.key-not-string", "manifests.yaml", 7, 5]],
  "yaml-constructor-key": [["yaml.forbidden-key", "manifests.yaml", 4, 35]],
  "yaml-duplicate-key": [["yaml.duplicate-key", "manifests.yaml", 8, 3]],
  "yaml-proto-key": [["yaml.forbidden-key", "manifests.yaml", 7, 3]],
  "yaml-syntax": [["yaml.syntax", "manifests.yaml", 5, 1]],
  "yaml-tab-indent": [["yaml.tab", "manifests.yaml", 6, 1]],
  "yaml-too-deep": [["yaml.too-deep", "manifests.yaml", 5, 77]],
  "yaml-unknown-alias": [["yaml.unknown-alias", "manifests.yaml", 10, 7]],
  "yaml-unknown-tag": [["yaml.unknown-tag", "manifests.yaml", 5, 15]],
  "zoho-region-unknown": [["schema.enum", "reconcile.yaml", 12, 11]],
};

/** Hints users rely on to fix the most common mistakes. */
const HINTS: Readonly<Record<string, RegExp>> = {
  "unknown-kind": /did you mean 'Product'\?/,
  "unknown-field": /did you mean 'pricing'\?/,
  "enum-typo": /did you mean 'recurring'\?/,
  "unknown-group": /did you mean 'business-email'\?/,
  "unknown-product": /did you mean 'mail-lite'\?/,
  "unknown-zoho-plan": /known plans: .*mail-lite/,
  "onetime-with-cycle": /allowed fields: onetime, setupfee/,
  "secret-literal": /\$\{env:NAME\}/,
  "glob-empty": /relative to/,
  "boolean-yes": /true or false/,
  "yaml-tab-indent": /spaces/,
  "trial-without-trial-plan": /basicTrial/,
};

const root = join(FIXTURES, "invalid");

describe("invalid manifest corpus", () => {
  it("has a table row for every case folder and a folder for every row", () => {
    const folders = readdirSync(root).sort();
    expect(folders).toEqual(Object.keys(CASES).sort());
    expect(folders.length).toBeGreaterThanOrEqual(30);
  });

  it.each(Object.entries(CASES))("%s", async (name, expected) => {
    const dir = join(root, name);
    const issues = await issuesOf(loadProject(join(dir, "reconcile.yaml")));
    const actual = issues.map((i) => [i.code, relative(dir, i.file), i.line, i.col]);
    expect(actual).toEqual(expected);
    const hint = HINTS[name];
    if (hint) expect(issues[0]?.hint).toMatch(hint);
    for (const i of issues) {
      expect(i.message.length).toBeGreaterThan(0);
      // Never a stack trace in what users read.
      expect(`${i.message}\n${i.hint ?? ""}`).not.toMatch(/\n\s+at /);
    }
  });
});
