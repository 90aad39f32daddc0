import { join } from "node:path";
import { inspect } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { ManifestError, ReconcileError } from "../../src/core/errors.js";
import { formatIssues, loadConfig, loadProject, resolveSecret } from "../../src/manifest/index.js";
import { FIXTURES, GROUP_DOC, issuesOf, tempProject } from "./projects.js";
import type { TempProject } from "./projects.js";

const VALUE = "hunter2-Secret-Value-42";

function thrown(fn: () => unknown): ReconcileError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ReconcileError);
    return err as ReconcileError;
  }
  throw new Error("expected resolveSecret to throw");
}

/** Everything a user or a log could see of an error. */
function visible(err: unknown): string {
  const e = err as ReconcileError;
  return [e.message, e.hint ?? "", JSON.stringify(e.details ?? {}), e.stack ?? "", inspect(e)].join("\n");
}

describe("resolveSecret", () => {
  it("returns a Secret that hides its value", () => {
    const s = resolveSecret({ env: "WHMCS_API_SECRET" }, { WHMCS_API_SECRET: VALUE });
    expect(s.reveal()).toBe(VALUE);
    expect(s.source).toBe("env:WHMCS_API_SECRET");
    expect(String(s)).toBe("[redacted]");
    expect(JSON.stringify({ s })).not.toContain(VALUE);
    expect(inspect(s)).not.toContain(VALUE);
  });

  it("reads process.env by default", () => {
    process.env["RECONCILE_TEST_SECRET"] = VALUE;
    try {
      expect(resolveSecret({ env: "RECONCILE_TEST_SECRET" }).reveal()).toBe(VALUE);
    } finally {
      delete process.env["RECONCILE_TEST_SECRET"];
    }
  });

  it("names the missing variable", () => {
    const err = thrown(() => resolveSecret({ env: "ZOHO_REFRESH_TOKEN" }, {}));
    expect(err.code).toBe("secret.missing");
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain("ZOHO_REFRESH_TOKEN");
  });

  it("refuses an empty variable", () => {
    const err = thrown(() => resolveSecret({ env: "WHMCS_API_SECRET" }, { WHMCS_API_SECRET: "" }));
    expect(err.code).toBe("secret.empty");
    expect(err.message).toContain("WHMCS_API_SECRET");
  });

  it("refuses surrounding whitespace without ever showing the value", () => {
    for (const value of [`${VALUE}\n`, ` ${VALUE}`, `${VALUE}\t`]) {
      const err = thrown(() => resolveSecret({ env: "WHMCS_API_SECRET" }, { WHMCS_API_SECRET: value }));
      expect(err.code).toBe("secret.whitespace");
      expect(err.message).toContain("WHMCS_API_SECRET");
      expect(visible(err)).not.toContain(VALUE);
    }
  });
});

describe("secrets in config files are never echoed", () => {
  let project: TempProject | undefined;
  afterEach(async () => {
    await project?.cleanup();
    project = undefined;
  });

  const cases: readonly [string, string][] = [
    ["secret-literal", "s3cr3t-literal-value"],
    ["url-credentials", "hunter2"],
    ["database-url-password", "hunter2"],
  ];
  it.each(cases)("%s", async (name, value) => {
    const dir = join(FIXTURES, "invalid", name);
    let err: unknown;
    try {
      await loadProject(join(dir, "reconcile.yaml"));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ManifestError);
    const issues = (err as ManifestError).issues;
    expect(formatIssues(issues)).not.toContain(value);
    expect(JSON.stringify(issues)).not.toContain(value);
    expect(visible(err)).not.toContain(value);
  });

  it("does not quote the source line of a YAML error", async () => {
    const config = `apiVersion: reconcile.zoho-whmcs/v1
kind: Config
manifests: ["*.yaml"]
whmcs:
  url: https://billing.example.com
  identifier: \${env:WHMCS_API_IDENTIFIER}
  secret: "${VALUE}
  catalogBackend: companion
  paymentMethod: banktransfer
`;
    project = await tempProject({ "reconcile.yaml": config, "catalog.yaml": GROUP_DOC });
    const issues = await issuesOf(loadConfig(project.config));
    expect(issues[0]?.code).toBe("yaml.syntax");
    expect(JSON.stringify(issues)).not.toContain(VALUE);
  });

  it("keeps secret references as variable names only", async () => {
    const config = await loadConfig(join(FIXTURES, "valid", "realistic", "reconcile.yaml"));
    expect(config.whmcs.secret).toStrictEqual({ env: "WHMCS_API_SECRET" });
    expect(config.whmcs.database?.password).toStrictEqual({ env: "WHMCS_DB_PASSWORD" });
    expect(config.zoho?.refreshToken).toStrictEqual({ env: "ZOHO_REFRESH_TOKEN" });
  });
});
