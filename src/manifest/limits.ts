/**
 * Limits that keep hostile or accidental input (huge files, alias bombs, deep nesting) from
 * exhausting memory or the stack. One place, so tests and docs quote the same numbers.
 */

/** Largest manifest or config file read, in bytes (5 MiB). Larger files are refused unread. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Most alias resolutions per YAML document (the `yaml` package's `maxAliasCount`). */
export const MAX_ALIAS_COUNT = 100;

/**
 * Deepest collection nesting accepted in a YAML document. Manifests need fewer than ten levels;
 * very deep input makes the YAML composer recurse until the process dies, so it is refused first.
 */
export const MAX_NESTING_DEPTH = 64;

/**
 * Most issues reported per document; the rest are summarised in one issue. Keeps a hostile
 * file with a million bad keys from producing a million issues.
 */
export const MAX_ISSUES_PER_DOCUMENT = 50;

/** Once a file has this many issues, its remaining documents are not checked. */
export const MAX_ISSUES_PER_FILE = 200;
