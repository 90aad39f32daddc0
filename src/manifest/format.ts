import { relative } from "node:path";
import type { ManifestIssue } from "../core/errors.js";

/**
 * One line per issue, `file:line:col  code  message`, with the hint indented below. Paths are
 * shown relative to `cwd`; issues without a position (line 0) show the file alone.
 */
export function formatIssues(issues: readonly ManifestIssue[], cwd: string = process.cwd()): string {
  const lines: string[] = [];
  for (const i of issues) {
    const file = relative(cwd, i.file) || i.file;
    const where = i.line > 0 ? `${file}:${i.line}:${i.col}` : file;
    lines.push(`${where}  ${i.code}  ${i.message}`);
    if (i.hint) lines.push(`    hint: ${i.hint}`);
  }
  return lines.join("\n");
}
