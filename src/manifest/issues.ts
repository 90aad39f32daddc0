import type { ManifestIssue } from "../core/errors.js";
import { compareCodeUnits } from "../core/canonical.js";
import { IssueCode } from "./codes.js";
import { MAX_ISSUES_PER_DOCUMENT, MAX_ISSUES_PER_FILE } from "./limits.js";

export interface IssueInput {
  readonly code: IssueCode;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly path?: string;
  readonly message: string;
  readonly hint?: string | undefined;
}

export function issue(input: IssueInput): ManifestIssue {
  const base = { code: input.code, file: input.file, line: input.line, col: input.col, path: input.path ?? "", message: input.message };
  return input.hint === undefined ? base : { ...base, hint: input.hint };
}

/** Push every item; unlike `push(...items)` it cannot overflow the stack on huge lists. */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** File, then line, then column, then code: the order a reader walks through a project. */
export function compareIssues(a: ManifestIssue, b: ManifestIssue): number {
  return (
    compareCodeUnits(a.file, b.file) ||
    a.line - b.line ||
    a.col - b.col ||
    compareCodeUnits(a.code, b.code) ||
    compareCodeUnits(a.path, b.path) ||
    compareCodeUnits(a.message, b.message)
  );
}

/** Sorted, with exact duplicates removed (ajv can report one fault through two schema routes). */
export function sortIssues(issues: readonly ManifestIssue[]): ManifestIssue[] {
  const seen = new Set<string>();
  const out: ManifestIssue[] = [];
  for (const i of [...issues].sort(compareIssues)) {
    const k = `${i.file}\0${i.line}\0${i.col}\0${i.code}\0${i.path}\0${i.message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(i);
  }
  return out;
}

/** The issue standing in for `more` issues of a document that are not shown. */
export function moreIssues(more: number, at: { file: string; line: number; col: number }): ManifestIssue {
  return issue({
    code: IssueCode.tooManyIssues,
    ...at,
    message: `${more} more issue${more === 1 ? "" : "s"} in this document not shown`,
    hint: "fix the issues above and run again",
  });
}

/** At most `MAX_ISSUES_PER_DOCUMENT` issues of one document, then one that counts the rest. */
export function capIssues(issues: readonly ManifestIssue[], at: { file: string; line: number; col: number }): ManifestIssue[] {
  if (issues.length <= MAX_ISSUES_PER_DOCUMENT) return [...issues];
  const kept = [...issues].sort(compareIssues).slice(0, MAX_ISSUES_PER_DOCUMENT);
  return [...kept, moreIssues(issues.length - kept.length, at)];
}

/** True once a file has enough issues that checking its later documents would only add noise. */
export function fileIsFull(issues: readonly ManifestIssue[]): boolean {
  return issues.length >= MAX_ISSUES_PER_FILE;
}

/** The issue that says the rest of a file was left unchecked. */
export function uncheckedDocuments(at: { file: string; line: number; col: number }): ManifestIssue {
  return issue({
    code: IssueCode.tooManyIssues,
    ...at,
    message: "too many issues in this file: the documents from here on were not checked",
    hint: "fix the issues above and run again",
  });
}
