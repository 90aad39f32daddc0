import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { ManifestError } from "../../src/core/errors.js";
import type { ManifestIssue } from "../../src/core/errors.js";

export const FIXTURES = fileURLToPath(new URL("../fixtures/manifests/", import.meta.url));

export const CONFIG_HEAD = `apiVersion: reconcile.zoho-whmcs/v1
kind: Config
manifests: ["*.yaml"]
whmcs:
  url: https://billing.example.com
  identifier: \${env:WHMCS_API_IDENTIFIER}
  secret: \${env:WHMCS_API_SECRET}
  catalogBackend: companion
  paymentMethod: banktransfer
`;

export const GROUP_DOC = `apiVersion: reconcile.zoho-whmcs/v1
kind: ProductGroup
metadata: { name: business-email }
spec: { name: Business Email }
`;

/** A product in group business-email with the given pricing block (indented under `pricing:`). */
export function productDoc(pricing: string, extra = ""): string {
  return `apiVersion: reconcile.zoho-whmcs/v1
kind: Product
metadata: { name: mail-lite }
spec:
  group: business-email
  name: Zoho Mail Lite
${extra}  pricing:
    ${pricing}
`;
}

export interface TempProject {
  readonly dir: string;
  readonly config: string;
  cleanup(): Promise<void>;
}

/** Write a throw-away project; `reconcile.yaml` defaults to a valid config loading `*.yaml`. */
export async function tempProject(files: Readonly<Record<string, string | Uint8Array>>): Promise<TempProject> {
  const dir = await mkdtemp(join(tmpdir(), "reconcile-manifest-"));
  const all: Record<string, string | Uint8Array> = { "reconcile.yaml": CONFIG_HEAD, ...files };
  for (const [name, content] of Object.entries(all)) {
    const path = join(dir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  return { dir, config: join(dir, "reconcile.yaml"), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The issues of the ManifestError a load must fail with. */
export async function issuesOf(load: Promise<unknown>): Promise<readonly ManifestIssue[]> {
  let caught: unknown;
  try {
    await load;
  } catch (err) {
    caught = err;
  }
  expect(caught, "the load should have failed").toBeInstanceOf(ManifestError);
  const issues = (caught as ManifestError).issues;
  expect(issues.length).toBeGreaterThan(0);
  return issues;
}
