import type { ApplyReport } from "./apply.js";

const MARK: Record<string, string> = { succeeded: "✓", failed: "✗", "not-executed": "·", unchanged: " " };

/** Human apply report for stdout. */
export function renderApplyReport(report: ApplyReport): string {
  const lines: string[] = [];
  for (const r of report.results) {
    if (r.status === "unchanged") continue;
    let line = `${MARK[r.status] ?? "?"} ${r.action.padEnd(6)} ${r.key}`;
    if (r.status === "succeeded") line += `  (id ${r.remoteId}${r.created ? ", created" : ""})`;
    if (r.status === "failed" && r.error) line += `\n    error: ${r.error.message}${r.error.hint ? `\n    hint: ${r.error.hint}` : ""}`;
    if (r.status === "not-executed") line += `  (not executed: depends on failed ${r.blockedBy?.join(", ")})`;
    lines.push(line);
  }
  const s = report.summary;
  lines.push(
    "",
    report.ok
      ? `Apply complete: ${s.succeeded} applied, ${s.unchanged} unchanged.`
      : `Apply PARTIALLY FAILED: ${s.succeeded} applied, ${s.failed} failed, ${s.notExecuted} not executed, ${s.unchanged} unchanged. Run the plan again to see what is left; nothing is lost.`,
  );
  return `${lines.join("\n")}\n`;
}
