import { ExitCode, ManifestError, ReconcileError, type ManifestIssue } from "../core/errors.js";
import { compareCodeUnits } from "../core/canonical.js";
import type { Kind, SourcePosition } from "../model/catalog.js";

/** Issue and error codes raised while planning. */
export const PlanErrorCode = {
  ambiguousMatch: "plan.ambiguous-match",
  duplicateResource: "plan.duplicate-resource",
  unknownCurrency: "plan.unknown-currency",
  unknownPriceKey: "plan.unknown-price-key",
  invalidMoney: "plan.invalid-money",
  unknownReference: "plan.unknown-reference",
  duplicateOption: "plan.duplicate-option",
  invalidOption: "plan.invalid-option",
} as const;

/** One desired resource that matches several live objects, or one live object claimed twice. */
export interface Ambiguity {
  readonly kind: Kind;
  readonly names: readonly string[];
  readonly sources: readonly SourcePosition[];
  readonly remoteIds: readonly string[];
  readonly naturalKey: string;
}

export function ambiguousMatchError(ambiguities: readonly Ambiguity[]): ReconcileError {
  const lines = ambiguities.map(describeAmbiguity);
  const head = lines[0] ?? "ambiguous match";
  return new ReconcileError(
    PlanErrorCode.ambiguousMatch,
    ambiguities.length > 1 ? `${head} (and ${ambiguities.length - 1} more)` : head,
    ExitCode.invalid,
    {
      hint:
        "The tool does not guess which live object a manifest means: rename or retire the duplicates in WHMCS, " +
        "or give the resources distinct names.",
      details: { ambiguities: ambiguities.map((a) => ({ ...a, message: describeAmbiguity(a) })) },
    },
  );
}

function describeAmbiguity(a: Ambiguity): string {
  const where = a.sources.map((s) => `${s.file}:${s.line}:${s.col}`).join(", ");
  const ids = a.remoteIds.map((id) => `#${id}`).join(", ");
  const resources = a.names.map((n) => `${a.kind}/${n}`).join(", ");
  return a.names.length > 1
    ? `${where}: ${resources} all match live ${a.kind} ${ids} (${JSON.stringify(a.naturalKey)})`
    : `${where}: ${resources} matches ${a.remoteIds.length} live objects named ${JSON.stringify(a.naturalKey)} (${ids})`;
}

/** The position of a field (JSON pointer) of a resource, or of its nearest recorded parent, or the document. */
export function fieldSource(r: { readonly source: SourcePosition; readonly fields?: Readonly<Record<string, SourcePosition>> }, path: string): SourcePosition {
  for (let p = path; p !== ""; p = p.slice(0, p.lastIndexOf("/"))) {
    const f = r.fields?.[p];
    if (f !== undefined) return f;
  }
  return r.source;
}

export function issueAt(source: SourcePosition, code: string, path: string, message: string, hint?: string): ManifestIssue {
  const issue = { code, file: source.file, line: source.line, col: source.col, path, message };
  return hint === undefined ? issue : { ...issue, hint };
}

export function throwIfIssues(issues: readonly ManifestIssue[]): void {
  if (issues.length === 0) return;
  const sorted = [...issues].sort(
    (a, b) =>
      compareCodeUnits(a.file, b.file) ||
      a.line - b.line ||
      a.col - b.col ||
      compareCodeUnits(a.path, b.path) ||
      compareCodeUnits(a.code, b.code),
  );
  throw new ManifestError(sorted);
}
