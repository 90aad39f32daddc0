import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import standaloneCode from "ajv/dist/standalone/index.js";
import { describe, expect, it } from "vitest";
import { createAjv, readSchema, SCHEMA_BASE, SCHEMA_FILES, schemaHash } from "../../src/manifest/schemas.js";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
const REPORT = fileURLToPath(new URL("../../src/cli/report.ts", import.meta.url));
const statics = (file: string) => [...readFileSync(file, "utf8").matchAll(/^import (?!type )[^;]*? from "([^"]+)";$/gms)].map((m) => m[1]).sort();

describe("CLI start-up", () => {
  it("main.ts imports statically only argument parsing and error handling; commands are loaded on dispatch", () => {
    expect(statics(MAIN)).toEqual(["../core/errors.js", "./args.js", "./io.js", "./report.js"]);
    // The error reporting main.ts shares with the Action's bundle loads the manifest formatter only for a manifest error.
    expect(statics(REPORT)).toEqual(["../core/errors.js", "../core/secrets.js"]);
  });

  it("the precompiled validators (ajv standalone) report what the compiled ones report", () => {
    const source = createAjv({ source: true });
    for (const f of SCHEMA_FILES) source.addSchema(readSchema(f));
    const code = standaloneCode.default(source, { manifest: `${SCHEMA_BASE}manifest.schema.json`, config: `${SCHEMA_BASE}config.schema.json` });
    // Inside the repository, so the generated code resolves ajv's runtime helpers.
    const dir = mkdtempSync(join(fileURLToPath(new URL("../../node_modules/", import.meta.url)), ".validators-"));
    try {
      const file = join(dir, "validators.cjs");
      writeFileSync(file, `${code}\nexports.schemaHash = ${JSON.stringify(schemaHash())};\n`);
      const pre = createRequire(import.meta.url)(file) as Record<string, ((x: unknown) => boolean) & { errors?: unknown }> & { schemaHash: string };
      expect(pre.schemaHash).toMatch(/^[0-9a-f]{64}$/);
      const compiled = createAjv();
      for (const f of SCHEMA_FILES) compiled.addSchema(readSchema(f));
      const manifest = compiled.getSchema(`${SCHEMA_BASE}manifest.schema.json`);
      if (manifest === undefined || pre["manifest"] === undefined) throw new Error("no manifest validator");
      const bad = { apiVersion: "reconcile.zoho-whmcs/v1", kind: "Product", metadata: { name: "Bad Name" }, spec: { pricing: { USD: { monthly: 5 } } } };
      expect(pre["manifest"](bad)).toBe(manifest(bad));
      expect(JSON.parse(JSON.stringify(pre["manifest"].errors))).toEqual(JSON.parse(JSON.stringify(manifest.errors)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
