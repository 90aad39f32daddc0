import type { ManifestIssue } from "../core/errors.js";
import type { DesiredConfigOptionGroup, DesiredProduct, DesiredProductGroup, Kind, SourcePosition } from "../model/catalog.js";
import { DocContext } from "./context.js";
import { checkManifestEnvelope, ENVELOPE_PATHS, isPlainObject } from "./envelope.js";
import { documentStart, locate, pointer } from "./locate.js";
import type { PathSegment } from "./locate.js";
import { normalizeConfigOptionGroup, normalizeProduct, normalizeProductGroup } from "./normalize-catalog.js";
import { normalizeCustomerOrg } from "./normalize-customer.js";
import type { PartialCustomerOrg } from "./normalize-customer.js";
import { append, fileIsFull, uncheckedDocuments } from "./issues.js";
import { parseYamlDocuments } from "./parse-yaml.js";
import type { SourceDocument } from "./parse-yaml.js";
import { schemaIssues } from "./schema-issues.js";
import { validators } from "./schemas.js";
import { readSourceFile } from "./source.js";
import type { WrittenConfigOptionGroup, WrittenCustomerOrg, WrittenEnvelope, WrittenProduct, WrittenProductGroup } from "./written.js";

/**
 * A document whose kind and name are known, even if its spec is invalid: references may point at
 * it. It keeps positions, not the YAML tree, so the trees of thousands of documents can be freed.
 */
export interface Declared {
  readonly kind: Kind;
  readonly name: string;
  readonly source: SourcePosition;
  /** Positions of the paths cross-document checks report at (see `CROSS_PATHS`). */
  readonly positions: ReadonlyMap<string, SourcePosition>;
}

interface NormalizedBase<K extends Kind, S> extends Declared {
  readonly kind: K;
  readonly spec: S;
}

/** A product as normalised, plus its option group references in the order they were written. */
export interface NormalizedProduct extends NormalizedBase<"Product", DesiredProduct> {
  readonly writtenOptionGroups: readonly string[];
}

export type Normalized =
  | NormalizedBase<"ProductGroup", DesiredProductGroup>
  | NormalizedProduct
  | NormalizedBase<"ConfigOptionGroup", DesiredConfigOptionGroup>
  | NormalizedBase<"CustomerOrg", PartialCustomerOrg>;

export interface FileResult {
  readonly declared: readonly Declared[];
  readonly normalized: readonly Normalized[];
  readonly issues: readonly ManifestIssue[];
}

/** Longest stretch of parsing between two turns of the event loop. */
const YIELD_EVERY_MS = 5;

/** The schema's resourceName pattern: a name is recorded only when references may use it. */
const NAME_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Read one manifest file and check and normalise each of its documents on its own. */
export async function loadManifestFile(file: string): Promise<FileResult> {
  const read = await readSourceFile(file);
  if (!read.ok) return { declared: [], normalized: [], issues: [read.issue] };
  const issues: ManifestIssue[] = [];
  const declared: Declared[] = [];
  const normalized: Normalized[] = [];
  let slice = performance.now();
  for (const sd of parseYamlDocuments(file, read.text, issues)) {
    // A plan reads WHMCS and Zoho while it loads the manifests: let their answers in every few
    // milliseconds, so each paged read sends its next request without waiting for a whole file.
    if (performance.now() - slice > YIELD_EVERY_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      slice = performance.now();
    }
    if (fileIsFull(issues)) {
      issues.push(uncheckedDocuments(documentStart(sd)));
      break;
    }
    const envelope = checkManifestEnvelope(sd, issues);
    if (!envelope.ok) continue;
    const meta = envelope.value["metadata"];
    const name = isPlainObject(meta) && typeof meta["name"] === "string" && NAME_RE.test(meta["name"]) ? meta["name"] : undefined;
    const declaredAs = name === undefined ? undefined : declare(sd, envelope.kind, name);
    if (declaredAs) declared.push(declaredAs);

    const validate = validators().manifest;
    const valid = validate(sd.value);
    if (!valid) append(issues, schemaIssues(sd, validate.errors ?? [], (p) => ENVELOPE_PATHS.has(p)));
    if (!valid || !declaredAs) continue;

    const ctx = new DocContext(sd, issues);
    const n = normalizeDocument(ctx, declaredAs, (sd.value as WrittenEnvelope).spec);
    if (!ctx.failed) normalized.push(n);
  }
  return { declared, normalized, issues };
}

function normalizeDocument(ctx: DocContext, d: Declared, spec: unknown): Normalized {
  switch (d.kind) {
    case "ProductGroup":
      return { ...d, kind: d.kind, spec: normalizeProductGroup(spec as WrittenProductGroup) };
    case "Product": {
      const written = spec as WrittenProduct;
      return { ...d, kind: d.kind, spec: normalizeProduct(ctx, written), writtenOptionGroups: [...(written.configOptionGroups ?? [])] };
    }
    case "ConfigOptionGroup":
      return { ...d, kind: d.kind, spec: normalizeConfigOptionGroup(ctx, spec as WrittenConfigOptionGroup) };
    case "CustomerOrg":
      return { ...d, kind: d.kind, spec: normalizeCustomerOrg(spec as WrittenCustomerOrg) };
  }
}

/** Paths cross-document checks may report at, per kind; list items are added per document. */
const CROSS_PATHS: Readonly<Record<Kind, readonly (readonly PathSegment[])[]>> = {
  ProductGroup: [],
  ConfigOptionGroup: [],
  Product: [
    ["spec", "group"],
    ["spec", "zoho", "plan"],
  ],
  CustomerOrg: [
    ["spec", "domain"],
    ["spec", "client"],
    ["spec", "product"],
    ["spec", "billingCycle"],
    ["spec", "plan"],
    ["spec", "plan", "type"],
    ["spec", "plan", "payPeriod"],
    ["spec", "plan", "trialPlan"],
    ["spec", "mailboxes"],
    ["spec", "status"],
    ["spec", "client", "email"],
    ["spec", "client", "currency"],
  ],
};

function declare(sd: SourceDocument, kind: Kind, name: string): Declared {
  const paths: (readonly PathSegment[])[] = [["metadata", "name"], ...CROSS_PATHS[kind]];
  if (kind === "Product") {
    const spec = isPlainObject(sd.value) ? sd.value["spec"] : undefined;
    const groups = isPlainObject(spec) ? spec["configOptionGroups"] : undefined;
    if (Array.isArray(groups)) groups.forEach((_, i) => paths.push(["spec", "configOptionGroups", i]));
  }
  if (kind === "CustomerOrg") {
    const spec = isPlainObject(sd.value) ? sd.value["spec"] : undefined;
    const options = isPlainObject(spec) ? spec["options"] : undefined;
    if (isPlainObject(options)) for (const key of Object.keys(options)) paths.push(["spec", "options", key]);
  }
  const positions = new Map<string, SourcePosition>();
  for (const path of paths) positions.set(pointer(path), locate(sd, path));
  return { kind, name, source: documentStart(sd), positions };
}
