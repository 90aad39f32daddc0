import type { ManifestIssue } from "../core/errors.js";
import { KINDS } from "../model/catalog.js";
import type { Kind } from "../model/catalog.js";
import { IssueCode } from "./codes.js";
import { issue } from "./issues.js";
import { locate } from "./locate.js";
import type { PathSegment } from "./locate.js";
import type { SourceDocument } from "./parse-yaml.js";
import { didYouMean } from "../core/suggest.js";

export const API_VERSION = "reconcile.zoho-whmcs/v1";

/** Paths the envelope check reports itself; the schema's errors for them are dropped. */
export const ENVELOPE_PATHS: ReadonlySet<string> = new Set(["/apiVersion", "/kind"]);

export type EnvelopeResult<K extends string> =
  | { readonly ok: true; readonly kind: K; readonly value: Readonly<Record<string, unknown>> }
  | { readonly ok: false };

function at(sd: SourceDocument, path: readonly PathSegment[]): { file: string; line: number; col: number } {
  return locate(sd, path);
}

export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}

function describe(x: unknown): string {
  if (Array.isArray(x)) return "a list";
  if (x === null) return "null";
  return `a ${typeof x}`;
}

/** A document must be a mapping with a supported apiVersion; returns its fields when it is. */
function checkMappingAndVersion(sd: SourceDocument, issues: ManifestIssue[], what: string): Record<string, unknown> | undefined {
  if (!isPlainObject(sd.value)) {
    issues.push(
      issue({
        code: IssueCode.notAMapping,
        ...at(sd, []),
        message: `${what} must be a mapping, not ${describe(sd.value)}`,
        hint: "start the document with apiVersion, kind, metadata and spec",
      }),
    );
    return undefined;
  }
  const v = sd.value;
  const apiVersion = v["apiVersion"];
  if (apiVersion === undefined) {
    issues.push(issue({ code: IssueCode.apiVersion, ...at(sd, []), path: "/apiVersion", message: "missing apiVersion", hint: `add apiVersion: ${API_VERSION}` }));
  } else if (apiVersion !== API_VERSION) {
    issues.push(
      issue({
        code: IssueCode.apiVersion,
        ...at(sd, ["apiVersion"]),
        path: "/apiVersion",
        message: typeof apiVersion === "string" ? `unsupported apiVersion '${apiVersion}'` : "apiVersion must be a string",
        hint: `use apiVersion: ${API_VERSION}`,
      }),
    );
  }
  return v;
}

/** Envelope of a manifest document: mapping, apiVersion, one of the four manifest kinds. */
export function checkManifestEnvelope(sd: SourceDocument, issues: ManifestIssue[]): EnvelopeResult<Kind> {
  const v = checkMappingAndVersion(sd, issues, "a manifest document");
  if (!v) return { ok: false };
  const kind = v["kind"];
  if (kind === "Config") {
    issues.push(
      issue({
        code: IssueCode.configDocument,
        ...at(sd, ["kind"]),
        path: "/kind",
        message: "a Config document was found among the manifests",
        hint: "the config file is the one passed to reconcile; remove this document or exclude its file from the manifests globs",
      }),
    );
    return { ok: false };
  }
  if (typeof kind !== "string" || !(KINDS as readonly string[]).includes(kind)) {
    const known = KINDS.join(", ");
    issues.push(
      issue({
        code: IssueCode.unknownKind,
        ...at(sd, kind === undefined ? [] : ["kind"]),
        path: "/kind",
        message: kind === undefined ? "missing kind" : typeof kind === "string" ? `unknown kind '${kind}'` : "kind must be a string",
        hint: (typeof kind === "string" ? didYouMean(kind, KINDS) : undefined) ?? `kind is one of: ${known}`,
      }),
    );
    return { ok: false };
  }
  return { ok: true, kind: kind as Kind, value: v };
}

/** Envelope of the config document: mapping, apiVersion, kind Config. */
export function checkConfigEnvelope(sd: SourceDocument, issues: ManifestIssue[]): EnvelopeResult<"Config"> {
  const v = checkMappingAndVersion(sd, issues, "the config document");
  if (!v) return { ok: false };
  const kind = v["kind"];
  if (kind !== "Config") {
    const isManifest = typeof kind === "string" && (KINDS as readonly string[]).includes(kind);
    issues.push(
      issue({
        code: IssueCode.configKind,
        ...at(sd, kind === undefined ? [] : ["kind"]),
        path: "/kind",
        message: kind === undefined ? "missing kind: the config document has kind Config" : `the config document has kind Config, not ${typeof kind === "string" ? `'${kind}'` : describe(kind)}`,
        hint: isManifest
          ? "manifests go in the files matched by the config's manifests globs; pass the config file (reconcile.yaml) instead"
          : (typeof kind === "string" ? didYouMean(kind, ["Config"]) : undefined) ?? "write kind: Config",
      }),
    );
    return { ok: false };
  }
  return { ok: true, kind: "Config", value: v };
}
