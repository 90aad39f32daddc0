import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CYCLES, SETUP_FEES } from "../../src/core/cycles.js";
import { KINDS } from "../../src/model/catalog.js";
import { createAjv, readSchema, SCHEMA_BASE, SCHEMA_DIR, SCHEMA_FILES } from "../../src/manifest/schemas.js";
import { loadProject } from "../../src/manifest/index.js";
import { FIXTURES, tempProject } from "./projects.js";

type Json = Record<string, unknown>;
const isObject = (x: unknown): x is Json => x !== null && typeof x === "object" && !Array.isArray(x);
const schemas = SCHEMA_FILES.map((f) => [f, readSchema(f)] as const);

/** Every subschema with the path to it and whether it sits under an `if` (a condition, not a shape). */
function* walk(node: unknown, path: string, inIf = false): Generator<{ node: Json; path: string; inIf: boolean }> {
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* walk(item, `${path}/${i}`, inIf);
    return;
  }
  if (!isObject(node)) return;
  yield { node, path, inIf };
  for (const [key, value] of Object.entries(node)) {
    if (key === "enum" || key === "const" || key === "default" || key === "required") continue;
    yield* walk(value, `${path}/${key}`, inIf || key === "if");
  }
}

describe("JSON Schemas", () => {
  it("ships exactly the schema files the loader knows, besides the plan schema", () => {
    const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith(".schema.json") && f !== "plan.schema.json");
    expect(files.sort()).toEqual([...SCHEMA_FILES].sort());
  });

  it("compile together in ajv strict mode", () => {
    const ajv = createAjv();
    for (const [, s] of schemas) ajv.addSchema(s);
    for (const [file] of schemas) expect(() => ajv.getSchema(SCHEMA_BASE + file)).not.toThrow();
  });

  it.each(schemas)("%s has draft-07, $id, title and description", (file, s) => {
    expect(s["$schema"]).toBe("http://json-schema.org/draft-07/schema#");
    expect(s["$id"]).toBe(SCHEMA_BASE + file);
    expect(typeof s["title"]).toBe("string");
    expect(typeof s["description"]).toBe("string");
  });

  it.each(schemas)("%s describes every property and closes every object", (_, s) => {
    for (const { node, path, inIf } of walk(s, "#")) {
      if (typeof node["pattern"] === "string") expect(() => new RegExp(node["pattern"] as string, "u"), path).not.toThrow();
      if (inIf || !isObject(node["properties"])) continue;
      for (const [name, prop] of Object.entries(node["properties"])) {
        expect(isObject(prop), `${path}/properties/${name}`).toBe(true);
        const p = prop as Json;
        // A field forbidden by a condition carries the reason instead.
        if ("not" in p) expect(typeof p["errorMessage"], `${path}/properties/${name}`).toBe("string");
        else expect(typeof p["description"], `${path}/properties/${name}`).toBe("string");
      }
      const conditional = /\/(then|else)$/.test(path);
      if (!conditional) expect(node["additionalProperties"], `${path} must set additionalProperties: false`).toBe(false);
    }
  });

  it("manifest kinds and price keys match the model", () => {
    const manifest = readSchema("manifest.schema.json") as { properties: { kind: { enum: string[] } } };
    expect([...manifest.properties.kind.enum].sort()).toEqual([...KINDS].sort());
    const common = readSchema("common.schema.json") as { definitions: Record<string, { properties: Json }> };
    for (const def of ["recurringPrices", "surcharges"]) {
      expect(Object.keys(common.definitions[def]?.properties ?? {}).sort()).toEqual([...CYCLES, ...SETUP_FEES].sort());
    }
  });

  it("documents the defaults the loader applies", async () => {
    const product = readSchema("product.schema.json") as { properties: Record<string, { default?: unknown }> };
    const group = readSchema("product-group.schema.json") as { properties: Record<string, { default?: unknown }> };
    const project = await tempProject({
      "catalog.yaml": `apiVersion: reconcile.zoho-whmcs/v1
kind: ProductGroup
metadata: { name: g }
spec: { name: G }
---
apiVersion: reconcile.zoho-whmcs/v1
kind: Product
metadata: { name: p }
spec: { group: g, name: P }
`,
    });
    try {
      const loaded = await loadProject(project.config);
      const p = loaded.catalog.products[0]?.spec as unknown as Json;
      const g = loaded.catalog.productGroups[0]?.spec as unknown as Json;
      for (const [name, prop] of Object.entries(product.properties)) if ("default" in prop) expect(p[name], `Product ${name}`).toStrictEqual(prop.default);
      for (const [name, prop] of Object.entries(group.properties)) if ("default" in prop) expect(g[name], `ProductGroup ${name}`).toStrictEqual(prop.default);
    } finally {
      await project.cleanup();
    }
  });
});

describe("editor support in fixtures", () => {
  function yamlFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? yamlFiles(path) : name.endsWith(".yaml") ? [path] : [];
    });
  }

  it("every fixture names an existing schema for yaml-language-server", () => {
    const files = yamlFiles(FIXTURES);
    expect(files.length).toBeGreaterThan(60);
    for (const file of files) {
      const first = readFileSync(file, "latin1").split("\n")[0] ?? "";
      const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(m, file).not.toBeNull();
      const target = resolve(dirname(file), m?.[1] ?? "");
      expect(existsSync(target), `${file} → ${target}`).toBe(true);
      expect(target.startsWith(resolve(SCHEMA_DIR))).toBe(true);
    }
  });
});
