import type { ManifestIssue } from "../core/errors.js";
import type { IssueCode } from "./codes.js";
import { issue } from "./issues.js";
import { locate, pointer } from "./locate.js";
import type { PathSegment, Target } from "./locate.js";
import type { SourceDocument } from "./parse-yaml.js";

/** Reporting for checks that run on one document after the schema accepted it. */
export class DocContext {
  readonly sd: SourceDocument;
  readonly #issues: ManifestIssue[];
  #failed = false;

  constructor(sd: SourceDocument, issues: ManifestIssue[]) {
    this.sd = sd;
    this.#issues = issues;
  }

  report(code: IssueCode, path: readonly PathSegment[], message: string, hint?: string, target: Target = "value"): void {
    const pos = locate(this.sd, path, target);
    this.#issues.push(issue({ code, file: pos.file, line: pos.line, col: pos.col, path: pointer(path), message, hint }));
    this.#failed = true;
  }

  /** True once any issue was reported through this context. */
  get failed(): boolean {
    return this.#failed;
  }
}
