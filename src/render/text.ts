import type { Change, Plan } from "../model/plan.js";
import { hasChanges } from "../model/plan.js";
import {
  cycleOf,
  formatValue,
  licenceLine,
  NO_CHANGES,
  pendingLine,
  pendingOf,
  plural,
  billingLine,
  moneyLine,
  orderLine,
  revenueWords,
  shownDiffs,
  signOf,
  summaryLine,
  targetLine,
  visibleChanges,
} from "./format.js";

export interface TextOptions {
  /** ANSI colours; off unless asked (the caller knows whether stdout is a terminal). */
  readonly color?: boolean;
}

const ANSI = {
  reset: "\x1b[0m",
  bold: "\x1b[1m",
  dim: "\x1b[2m",
  red: "\x1b[31m",
  green: "\x1b[32m",
  yellow: "\x1b[33m",
  magenta: "\x1b[35m",
  cyan: "\x1b[36m",
} as const;
type Paint = keyof typeof ANSI;

/** Terminal rendering: one block per change that does something, then what is left alone, then totals. */
export function renderText(plan: Plan, options: TextOptions = {}): string {
  const paint = (style: Paint, text: string): string => (options.color === true ? `${ANSI[style]}${text}${ANSI.reset}` : text);
  const out: string[] = [`Plan for ${targetLine(plan)}`, ""];

  for (const change of visibleChanges(plan)) out.push(...changeBlock(change, paint), "");

  if (plan.unmanaged.length > 0) {
    out.push("Left alone (not declared in any manifest):");
    for (const u of plan.unmanaged) {
      const why = u.reason === "orphaned" ? `orphaned, recorded as ${u.ownedAs ?? "?"}` : "unmanaged";
      out.push(`  ${u.kind} #${u.remoteId} ${JSON.stringify(u.name)}: ${why}`);
    }
    out.push("");
  }
  const pending = pendingOf(plan);
  if (pending.length > 0) {
    out.push("Waiting for DNS (not changes; the org stays pending until Zoho verifies the domain):");
    for (const p of pending) out.push(`  ${p.key} ${p.domain} (zoid ${p.zoid}): ${pendingLine(p)}`);
    out.push("");
  }
  if (plan.warnings.length > 0) {
    out.push(paint("yellow", "Warnings:"));
    for (const w of plan.warnings) out.push(`  - ${w}`);
    out.push("");
  }
  out.push(paint("bold", hasChanges(plan) ? summaryLine(plan.summary) : NO_CHANGES));
  const money = moneyLine(plan);
  if (money !== undefined) out.push(paint("bold", money));
  out.push(paint("dim", `Checksum: ${plan.checksum}`));
  return `${out.join("\n")}\n`;
}

const SIGN_PAINT: Readonly<Record<string, Paint>> = { "+": "green", "~": "yellow", "=": "cyan", "-": "red", "!": "magenta", ">": "cyan" };

function changeBlock(change: Change, paint: (style: Paint, text: string) => string): string[] {
  const sign = signOf(change);
  const manual = change.manual !== undefined ? "manual " : "";
  const remote = change.remoteId === undefined ? "" : ` (#${change.remoteId})`;
  const classes = change.classes.length === 0 ? "" : `  [${change.classes.join(", ")}]`;
  const lines = [paint(SIGN_PAINT[sign] ?? "bold", `${sign} ${manual}${change.action} ${change.key}${remote}`) + classes];

  const { diffs, quiet } = shownDiffs(change);
  for (const d of diffs) {
    lines.push(change.action === "create" ? `    ${d.path}: ${formatValue(d.after)}` : `    ${d.path}: ${formatValue(d.before)} → ${formatValue(d.after)}`);
  }
  if (quiet > 0) lines.push(paint("dim", `    (${plural(quiet, "default value")} not shown: cycles not offered, no charge, keys, order, not hidden)`));
  for (const r of change.impact.revenue ?? []) lines.push(`    revenue ${r.currency} ${cycleOf(r)}: ${revenueWords(r)}`);
  const billing = change.impact.billing;
  if (billing !== undefined) {
    lines.push(`    ${billingLine(billing)}`);
    const order = orderLine(billing);
    if (order !== undefined) lines.push(`    ${order}`);
  }
  if (change.impact.licenses !== undefined) lines.push(`    ${licenceLine(change.impact.licenses)}`);
  for (const note of change.impact.notes ?? []) lines.push(`    note: ${note}`);
  if (change.manual !== undefined) {
    lines.push(`    manual: ${change.manual.reason}`);
    for (const step of change.manual.instructions) lines.push(`      ${step}`);
  }
  if (change.dependsOn.length > 0) lines.push(paint("dim", `    after: ${change.dependsOn.join(", ")}`));
  return lines;
}
