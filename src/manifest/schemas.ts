import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Ajv, ValidateFunction } from "ajv";

/*
 * Two ways in. The CLI (src/ and dist/): the schema files are read from the package's `schemas/`
 * folder, ajv is required on first use, and `npm run build`'s precompiled validators are preferred.
 * A bundle (the GitHub Action's dist-action/index.mjs): there is no `schemas/` folder nor
 * node_modules beside it, so its entry embeds both and hands them over with `provideSchemas`; the
 * validators are then compiled from those, with the same options, and nothing is read from disk.
 */

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

export type SchemaFile = (typeof SCHEMA_FILES)[number];

/** What a bundle embeds: ajv's class and every schema file's JSON, by file name. */
export interface EmbeddedSchemas {
  readonly Ajv: typeof Ajv;
  readonly schemas: { readonly [F in SchemaFile]: Record<string, unknown> };
}

let embedded: EmbeddedSchemas | undefined;

/** A bundle's entry calls this before anything validates (see the note at the top). */
export function provideSchemas(e: EmbeddedSchemas): void {
  embedded = e;
  cached = undefined;
}

export interface Validators {
  readonly manifest: ValidateFunction;
  readonly config: ValidateFunction;
}

let cached: Validators | undefined;

/** `source`: keep each validator's generated code, for `scripts/compile-schemas.mjs`. */
export function createAjv(opts: { readonly source?: boolean } = {}): Ajv {
  // Required here, not imported: with the precompiled validators the CLI never loads ajv's compiler.
  const AjvClass = embedded?.Ajv ?? (createRequire(import.meta.url)("ajv") as typeof import("ajv")).Ajv;
  const ajv = new AjvClass({ strict: true, allErrors: true, verbose: true, allowUnionTypes: true, ...(opts.source === true ? { code: { source: true } } : {}) });
  ajv.addVocabulary([...ANNOTATION_KEYWORDS]);
  return ajv;
}

export function readSchema(file: string): Record<string, unknown> {
  if (embedded !== undefined) {
    const e = embedded.schemas[file as SchemaFile] as Record<string, unknown> | undefined;
    if (e === undefined) throw new Error(`schema ${file} is not among the embedded schemas`);
    return e;
  }
  return JSON.parse(readFileSync(join(SCHEMA_DIR, file), "utf8")) as Record<string, unknown>;
}

/** Hash of the schema files the validators are compiled from (the precompiled module records it). */
export function schemaHash(): string {
  const h = createHash("sha256");
  for (const f of SCHEMA_FILES) h.update(f).update("\0").update(readFileSync(join(SCHEMA_DIR, f))).update("\0");
  return h.digest("hex");
}

/** The module `npm run build` writes next to this one: the validators as code, compiled ahead of time. */
export const PRECOMPILED_FILE = fileURLToPath(new URL("./validators.precompiled.cjs", import.meta.url));

function precompiled(): Validators | undefined {
  if (!existsSync(PRECOMPILED_FILE)) return undefined;
  const mod = createRequire(import.meta.url)(PRECOMPILED_FILE) as Partial<Validators> & { schemaHash?: string };
  // Schemas edited after the build: compile them instead of validating against stale code.
  if (mod.schemaHash !== schemaHash() || mod.manifest === undefined || mod.config === undefined) return undefined;
  return { manifest: mod.manifest, config: mod.config };
}

/**
 * Compiled once per process; the schemas ship with the package and never change at run time.
 * Compiling them costs more than the rest of `reconcile validate` together, so the build writes
 * them as code (`validators.precompiled.cjs`) and this loads that when its schema hash matches.
 */
export function validators(): Validators {
  if (cached) return cached;
  cached = embedded === undefined ? precompiled() : undefined;
  if (cached) return cached;
  const ajv = createAjv();
  for (const f of SCHEMA_FILES) ajv.addSchema(readSchema(f));
  const get = (file: string): ValidateFunction => {
    const v = ajv.getSchema(SCHEMA_BASE + file);
    if (!v) throw new Error(`schema ${file} is missing from ${embedded === undefined ? SCHEMA_DIR : "the embedded schemas"}`);
    return v;
  };
  cached = { manifest: get("manifest.schema.json"), config: get("config.schema.json") };
  return cached;
}
