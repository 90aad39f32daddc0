import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import type { ValidateFunction } from "ajv";

/** The package's `schemas/` folder: two levels up from both `src/manifest/` and `dist/manifest/`. */
export const SCHEMA_DIR = fileURLToPath(new URL("../../schemas/", import.meta.url));

export const SCHEMA_BASE = "https://reconcile.zoho-whmcs.example/schemas/v1/";

/** Every schema file this folder owns, by file name. */
export const SCHEMA_FILES = [
  "common.schema.json",
  "product-group.schema.json",
  "product.schema.json",
  "config-option-group.schema.json",
  "customer-org.schema.json",
  "manifest.schema.json",
  "config.schema.json",
] as const;

/**
 * Annotation keywords the schemas carry for people: editors show `patternErrorMessage` and
 * `errorMessage`; `issueCode` names the issue code the loader reports. Ajv must know them in strict mode.
 */
export const ANNOTATION_KEYWORDS = ["patternErrorMessage", "errorMessage", "issueCode"] as const;

export interface Validators {
  readonly manifest: ValidateFunction;
  readonly config: ValidateFunction;
}

let cached: Validators | undefined;

export function createAjv(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true, verbose: true, allowUnionTypes: true });
  ajv.addVocabulary([...ANNOTATION_KEYWORDS]);
  return ajv;
}

export function readSchema(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, file), "utf8")) as Record<string, unknown>;
}

/** Compiled once per process; the schemas ship with the package and never change at run time. */
export function validators(): Validators {
  if (cached) return cached;
  const ajv = createAjv();
  for (const f of SCHEMA_FILES) ajv.addSchema(readSchema(f));
  const get = (file: string): ValidateFunction => {
    const v = ajv.getSchema(SCHEMA_BASE + file);
    if (!v) throw new Error(`schema ${file} is missing from ${SCHEMA_DIR}`);
    return v;
  };
  cached = { manifest: get("manifest.schema.json"), config: get("config.schema.json") };
  return cached;
}
