import type { Change, Plan } from "../model/plan.js";
import { hasChanges } from "../model/plan.js";
import {
  capped,
  cycleOf,
  displayPath,
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
import { blockedOf, maskedValue, maskerFor, type Masker, type PrivacyOptions } from "./mask.js";
import { appliesTo, indexNotes, type NoteIndex } from "./notes.js";
import { unmanagedCounts, unmanagedLabel } from "./unmanaged.js";

export interface TextOptions extends PrivacyOptions {
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

/**
 * Terminal rendering: one block per change that does something, notes said once, what is left
 * alone, then totals. Customer e-mails and names are masked unless `showPii` is set.
 */
export function renderText(plan: Plan, options: TextOptions = {}): string {
  const paint = (style: Paint, text: string): string => (options.color === true ? `${ANSI[style]}${text}${ANSI.reset}` : text);
  const mask = maskerFor(plan, options);
  const out: string[] = [`Plan for ${targetLine(plan)}`, ""];
  const changes = visibleChanges(plan);
  const notes = indexNotes(changes, mask);

  for (const change of changes) out.push(...changeBlock(change, paint, mask, notes), "");

  if (notes.shared.length > 0) {
    out.push("Notes (each said once, for every change it applies to):");
    for (const n of notes.shared) out.push(`  - ${n.text}`, paint("dim", `    (${appliesTo(n, changes)})`));
    out.push("");
  }
  const blocked = blockedOf(plan);
  if (blocked.length > 0) {
    out.push(paint("red", "Blocked (left out of this plan; nothing is applied to them):"));
    for (const b of blocked) for (const r of b.reasons) out.push(`  ${b.key}: ${mask.prose(r.message)}${r.hint !== undefined ? ` (${mask.prose(r.hint)})` : ""}`);
    out.push("");
  }
  if (plan.unmanaged.length > 0) {
    out.push("Left alone (not declared in any manifest):");
    const { listed, counted } = unmanagedCounts(plan.unmanaged, mask);
    for (const u of listed) out.push(`  ${unmanagedLabel(u)}: ${u.reason === "orphaned" ? `orphaned, recorded as ${u.ownedAs ?? "?"}` : "unmanaged"}`);
    for (const c of counted) out.push(`  ${c.text}`);
    if (counted.length > 0) out.push(paint("dim", "  (listed one by one in the plan JSON, or here with --show-pii)"));
    out.push("");
  }
  const pending = pendingOf(plan);
  if (pending.length > 0) {
    out.push("Waiting for DNS (not changes; the org stays pending until Zoho verifies the domain):");
    for (const p of pending) out.push(`  ${p.key} ${p.domain} (zoid ${p.zoid}): ${mask.text(pendingLine(p))}`);
    out.push("");
  }
  if (plan.warnings.length > 0) {
    out.push(paint("yellow", "Warnings:"));
    for (const w of plan.warnings) out.push(`  - ${mask.prose(w)}`);
    out.push("");
  }
  out.push(paint("bold", hasChanges(plan) ? summaryLine(plan.summary) : NO_CHANGES));
  const money = moneyLine(plan);
  if (money !== undefined) out.push(paint("bold", money));
  if (mask.masking && maskedAnything(plan)) out.push(paint("dim", "Customer e-mails and names are masked (--show-pii shows them; the plan JSON has them in full)."));
  out.push(paint("dim", `Checksum: ${plan.checksum}`));
  return `${out.join("\n")}\n`;
}

/** True when the plan carries customer data a masked rendering hides. */
function maskedAnything(plan: Plan): boolean {
  return plan.changes.some((c) => c.kind === "CustomerOrg" && c.action !== "noop") || plan.unmanaged.some((u) => u.kind === "CustomerOrg");
}

const SIGN_PAINT: Readonly<Record<string, Paint>> = { "+": "green", "~": "yellow", "=": "cyan", "-": "red", "!": "magenta", ">": "cyan" };

function changeBlock(change: Change, paint: (style: Paint, text: string) => string, mask: Masker, notes: NoteIndex): string[] {
  const sign = signOf(change);
  const manual = change.manual !== undefined ? "manual " : "";
  const remote = change.remoteId === undefined ? "" : change.kind === "CustomerOrg" ? ` (WHMCS service #${change.remoteId})` : ` (#${change.remoteId})`;
  const classes = change.classes.length === 0 ? "" : `  [${change.classes.join(", ")}]`;
  const lines = [paint(SIGN_PAINT[sign] ?? "bold", `${sign} ${manual}${change.action} ${change.key}${remote}`) + classes];

  const { diffs, quiet } = shownDiffs(change);
  const v = (path: string, x: unknown): string => formatValue(maskedValue(change, mask, path, x));
  for (const d of diffs) {
    const path = displayPath(change, d.path);
    lines.push(change.action === "create" ? `    ${path}: ${v(d.path, d.after)}` : `    ${path}: ${v(d.path, d.before)} → ${v(d.path, d.after)}`);
  }
  if (quiet > 0) lines.push(paint("dim", `    (${plural(quiet, "default value")} not shown: cycles not offered, no charge, keys, order, not hidden, no quantity range)`));
  for (const r of change.impact.revenue ?? []) lines.push(`    revenue ${r.currency} ${cycleOf(r)}: ${revenueWords(r)}`);
  const billing = change.impact.billing;
  if (billing !== undefined) {
    lines.push(`    ${billingLine(billing)}`);
    const order = orderLine(billing);
    if (order !== undefined) lines.push(`    ${mask.text(order)}`);
  }
  if (change.impact.licenses !== undefined) lines.push(`    ${licenceLine(change.impact.licenses)}`);
  for (const note of notes.own(change)) lines.push(`    note: ${note}`);
  if (change.manual !== undefined) {
    lines.push(`    manual: ${mask.text(change.manual.reason)}`);
    for (const step of change.manual.instructions) lines.push(`      ${mask.text(step)}`);
  }
  if (change.dependsOn.length > 0) lines.push(paint("dim", `    after: ${capped(change.dependsOn, 10)}`));
  return lines;
}
