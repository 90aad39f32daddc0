import { afterEach, describe, expect, it } from "vitest";
import { loadConfig, loadProject } from "../../src/manifest/index.js";
import { CONFIG_HEAD, GROUP_DOC, issuesOf, tempProject } from "./projects.js";
import type { TempProject } from "./projects.js";

let project: TempProject | undefined;
afterEach(async () => {
  await project?.cleanup();
  project = undefined;
});

const withUrl = (url: string): string => CONFIG_HEAD.replace("url: https://billing.example.com", `url: ${url}`);

describe("config", () => {
  it.each([
    ["https://billing.example.com", "https://billing.example.com"],
    ["https://billing.example.com/", "https://billing.example.com"],
    ["https://billing.example.com/includes/api.php", "https://billing.example.com"],
    ["https://example.com/whmcs/includes/api.php", "https://example.com/whmcs"],
    ["https://example.com/whmcs//", "https://example.com/whmcs"],
    ["http://127.0.0.1:8080", "http://127.0.0.1:8080"],
  ])("normalises the WHMCS URL %s to %s", async (written, normalised) => {
    project = await tempProject({ "reconcile.yaml": withUrl(written) });
    expect((await loadConfig(project.config)).whmcs.url).toBe(normalised);
  });

  it.each([
    ["ftp://billing.example.com", "schema.pattern"],
    ["https://billing.example.com/?x=1", "config.url"],
    ["https://billing.example.com/#top", "config.url"],
    ["https://user@billing.example.com", "config.url"],
  ])("refuses the WHMCS URL %s", async (written, code) => {
    project = await tempProject({ "reconcile.yaml": withUrl(written) });
    const issues = await issuesOf(loadConfig(project.config));
    expect(issues.map((i) => [i.code, i.path, i.line])).toEqual([[code, "/whmcs/url", 5]]);
  });

  it("refuses a database section for a backend other than db", async () => {
    project = await tempProject({ "reconcile.yaml": `${CONFIG_HEAD.replace("  paymentMethod", '  database: { url: "mysql://w@db/w" }\n  paymentMethod')}` });
    const issues = await issuesOf(loadConfig(project.config));
    expect(issues.map((i) => [i.code, i.path, i.line, i.col])).toEqual([["schema.not-allowed", "/whmcs/database", 9, 3]]);
    expect(issues[0]?.hint).toBe("database applies only to catalogBackend db");
  });

  it("reports schema issues and glob issues of one project together", async () => {
    project = await tempProject({ "reconcile.yaml": CONFIG_HEAD.replace('["*.yaml"]', '["*.yaml", "missing/*.yaml"]').replace("companion", "compagnon"), "catalog.yaml": GROUP_DOC });
    const issues = await issuesOf(loadProject(project.config));
    expect(issues.map((i) => [i.code, i.line])).toEqual([
      ["file.glob-empty", 3],
      ["schema.enum", 8],
    ]);
    expect(issues[1]?.hint).toBe("did you mean 'companion'?");
  });

  it("still checks manifests when the config is invalid but its globs are readable", async () => {
    project = await tempProject({
      "reconcile.yaml": CONFIG_HEAD.replace("paymentMethod: banktransfer", "paymentMethod: 7"),
      "catalog.yaml": GROUP_DOC.replace("kind: ProductGroup", "kind: ProductGrup"),
    });
    const issues = await issuesOf(loadProject(project.config));
    expect(issues.map((i) => i.code)).toEqual(["manifest.unknown-kind", "schema.type"]);
  });

  it("refuses unknown top-level fields with a suggestion", async () => {
    project = await tempProject({ "reconcile.yaml": `${CONFIG_HEAD}polcy: {}\n` });
    const issues = await issuesOf(loadConfig(project.config));
    expect(issues.map((i) => [i.code, i.line, i.col, i.hint])).toEqual([["schema.unknown-field", 10, 1, "did you mean 'policy'?"]]);
  });

  it("takes zoho.plans as written when present, without merging the defaults", async () => {
    project = await tempProject({
      "reconcile.yaml": `${CONFIG_HEAD}zoho:
  region: in
  clientId: \${env:ZOHO_CLIENT_ID}
  clientSecret: \${env:ZOHO_CLIENT_SECRET}
  refreshToken: \${env:ZOHO_REFRESH_TOKEN}
  plans:
    custom: { planId: 1, userAddonId: 2, payPeriods: [monthly] }
`,
    });
    const config = await loadConfig(project.config);
    expect(config.zoho?.plans).toStrictEqual({ custom: { planId: 1, userAddonId: 2, payPeriods: ["monthly"] } });
  });

  it("refuses a protect entry that is not a resource key", async () => {
    project = await tempProject({ "reconcile.yaml": `${CONFIG_HEAD}policy:\n  protect: [legacy-mail]\n` });
    const issues = await issuesOf(loadConfig(project.config));
    expect(issues.map((i) => [i.code, i.path])).toEqual([["schema.pattern", "/policy/protect/0"]]);
  });
});
