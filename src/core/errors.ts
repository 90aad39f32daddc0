/**
 * One error hierarchy for the whole tool. Every error carries a stable string `code`
 * and the process exit code it maps to; only the CLI entry turns them into an exit.
 */
export const ExitCode = {
  ok: 0,
  error: 1,
  changes: 2,
  invalid: 3,
  refused: 4,
  applyFailed: 5,
  /** Another apply holds the apply lock (or this run lost it). */
  locked: 6,
  /** Live state blocked some customer orgs (duplicates, a change made in Zoho); everything else was planned or applied. */
  blocked: 7,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorOptions {
  readonly cause?: unknown;
  readonly hint?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export class ReconcileError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, exitCode: ExitCode = ExitCode.error, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/** One problem found in a manifest or config file, with its position. */
export interface ManifestIssue {
  readonly code: string;
  readonly file: string;
  /** 1-based; 0 when the problem has no position (e.g. an empty glob). */
  readonly line: number;
  readonly col: number;
  /** JSON-pointer-like path inside the document, e.g. `/spec/pricing/USD/monthly`. */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

/** Invalid manifests or config: carries every issue found, not just the first. */
export class ManifestError extends ReconcileError {
  readonly issues: readonly ManifestIssue[];
  constructor(issues: readonly ManifestIssue[], options: ErrorOptions = {}) {
    const first = issues[0];
    const head = first ? `${first.file}:${first.line}:${first.col}: ${first.message}` : "invalid manifests";
    super(
      "manifest.invalid",
      issues.length > 1 ? `${head} (and ${issues.length - 1} more)` : head,
      ExitCode.invalid,
      options,
    );
    this.issues = issues;
  }
}

/** The plan was computed but a safety rule refuses to apply it. */
export class SafetyRefusal extends ReconcileError {
  readonly reasons: readonly string[];
  constructor(reasons: readonly string[], options: ErrorOptions = {}) {
    super("safety.refused", `refused by safety policy: ${reasons.join("; ")}`, ExitCode.refused, options);
    this.reasons = reasons;
  }
}
