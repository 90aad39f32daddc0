import { canonicalJson } from "../core/canonical.js";
import { KINDS } from "../model/catalog.js";
import type { Change, Plan } from "../model/plan.js";
import { hasChanges } from "../model/plan.js";
import {
  coversCustomers,
  cycleOf,
  KIND_TITLE,
  licenceLine,
  billingLine,
  moneyLine,
  orderLine,
  pendingOf,
  NO_CHANGES,
  plural,
  shownDiffs,
  signOf,
  summaryLine,
  visibleChanges,
} from "./format.js";

/** First line of every plan comment: the Action finds its sticky comment by it. */
export const PLAN_COMMENT_MARKER = "<!-- zoho-whmcs-reconcile:plan -->";

/** GitHub rejects comment bodies over 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface MarkdownOptions {
  /** Upper bound on the length of the result; defaults to GitHub's comment limit. */
  readonly maxLength?: number;
  /** Name of the plan artifact the truncation note points at. */
  readonly artifactName?: string;
}

/**
 * A pull-request comment: marker, summary table, a table per kind, revenue impact, manual
 * steps as checklists, field-level details collapsed, checksum last. Sections are added in
 * order while they fit; what does not fit is replaced by a note pointing at the JSON artifact.
 */
export function renderMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const limit = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const artifact = options.artifactName ?? "plan.json";
  const s = plan.summary;
  const region = plan.target.zohoRegion === undefined ? "" : `, Zoho region ${code(plan.target.zohoRegion)}`;
  const head = [
    PLAN_COMMENT_MARKER,
    `### ${coversCustomers(plan) ? "Plan" : "Catalog plan"} for ${code(plan.target.whmcs)}`,
    "",
    `Catalog backend ${code(plan.target.catalogBackend)}${region}.`,
    "",
    `**${hasChanges(plan) ? summaryLine(plan.summary) : NO_CHANGES}**`,
    ...(moneyLine(plan) !== undefined ? ["", `**${moneyLine(plan) as string}**`] : []),
    "",
    ...summaryTable(s),
    "",
    "",
  ].join("\n");
  const tail = `Checksum: ${code(plan.checksum)}\n`;
  const blocks = bodyBlocks(plan);

  let body = "";
  let shown = 0;
  for (const block of blocks) {
    const note = truncationNote(blocks.length - shown, artifact);
    if (head.length + body.length + block.length + note.length + tail.length > limit) {
      body += note;
      break;
    }
    body += block;
    shown += 1;
  }
  return head + body + (body === "" || body.endsWith("\n\n") ? "" : "\n") + tail;
}

/** The counts table; the Assign column appears only when a plan assigns Zoho plans. */
function summaryTable(s: Plan["summary"]): string[] {
  const columns: [string, number][] = [
    ["Create", s.create],
    ["Update", s.update],
    ["Adopt", s.adopt],
    ...(s.assign > 0 ? ([["Assign", s.assign]] as [string, number][]) : []),
    ["Delete", s.delete],
    ["Unchanged", s.noop],
    ["Manual", s.manual],
    ["Unmanaged", s.unmanaged],
  ];
  return [`| ${columns.map(([h]) => h).join(" | ")} |`, `| ${columns.map(() => "---:").join(" | ")} |`, `| ${columns.map(([, n]) => n).join(" | ")} |`];
}

/** Starts with a blank line so it closes any table it follows; ends with one before the checksum. */
function truncationNote(left: number, artifact: string): string {
  return (
    `\n> [!NOTE]\n> Truncated: ${plural(left, "more block")} of this plan did not fit in a comment. ` +
    `The full plan is in the ${code(artifact)} artifact of this run.\n\n`
  );
}

/** The comment body as a list of blocks, in order; a block is the unit of truncation. */
function bodyBlocks(plan: Plan): string[] {
  const blocks: string[] = [];
  const changes = visibleChanges(plan);

  for (const kind of KINDS) {
    const ofKind = plan.changes.filter((c) => c.kind === kind);
    const visible = ofKind.filter((c) => c.action !== "noop");
    if (visible.length === 0) continue;
    const unchanged = ofKind.length - visible.length;
    blocks.push(
      `#### ${KIND_TITLE[kind]}\n\n${unchanged > 0 ? `${unchanged} unchanged, not listed.\n\n` : ""}` +
        "| | Resource | Action | WHMCS id | Fields | Classes |\n| :-: | --- | --- | --- | ---: | --- |\n",
    );
    for (const c of visible) {
      const action = `${c.action}${c.manual ? " (manual)" : ""}`;
      blocks.push(row([cell(signOf(c)), code(c.key), action, c.remoteId ?? "", String(c.diffs.length), c.classes.join(", ")]));
    }
    blocks.push("\n");
  }

  const revenue = changes.flatMap((c) => (c.impact.revenue ?? []).map((r) => ({ c, r })));
  if (revenue.length > 0) {
    blocks.push(
      "#### Catalog price changes\n\n" +
        "WHMCS keeps an existing service's amount when catalog prices change: new prices reach new orders, and existing managed services only where `policy.reprice` moves them (their customer changes carry the money).\n\n" +
        "| Product | Currency | Cycle | New orders, a month | Active services keeping their amount | MRR change now |\n| --- | --- | --- | ---: | ---: | ---: |\n",
    );
    for (const { c, r } of revenue) {
      blocks.push(row([code(c.key), r.currency, cycleOf(r), r.mrrDeltaPerService, String(r.activeServices ?? "unknown"), r.mrrDelta ?? "unknown"]));
    }
    blocks.push("\n");
  }

  const manual = changes.filter((c) => c.manual !== undefined);
  if (manual.length > 0) {
    blocks.push("#### Manual steps\n\nThe catalog backend cannot make these changes; do them in the WHMCS admin area.\n\n");
    for (const c of manual) {
      const steps = (c.manual?.instructions ?? []).map((s) => `- [ ] ${escapeText(s)}`).join("\n");
      blocks.push(`**${c.action} ${code(c.key)}**: ${escapeText(c.manual?.reason ?? "")}\n\n${steps}\n\n`);
    }
  }

  if (changes.length > 0) blocks.push("#### Details\n\n");
  for (const c of changes) blocks.push(detailsBlock(c));

  if (plan.unmanaged.length > 0) {
    blocks.push("#### Left alone (not declared in any manifest)\n\n| Kind | WHMCS id | Name | Reason |\n| --- | --- | --- | --- |\n");
    for (const u of plan.unmanaged) {
      const reason = u.reason === "orphaned" ? `orphaned (recorded as ${code(u.ownedAs ?? "")})` : "unmanaged";
      blocks.push(row([u.kind, u.remoteId, escapeText(u.name), reason]));
    }
    blocks.push("\n");
  }

  const pending = pendingOf(plan);
  if (pending.length > 0) {
    blocks.push(
      "#### Waiting for DNS\n\nNot changes: each org stays pending until Zoho verifies its domain. Publish these records at the customers' DNS hosts.\n\n" +
        "| Customer org | Domain | Zoho org | Record to publish |\n| --- | --- | --- | --- |\n",
    );
    for (const p of pending) {
      const record = p.record === null ? escapeText(p.message) : code(`${p.record.name} ${p.record.type} ${p.record.value}`);
      blocks.push(row([code(p.key), escapeText(p.domain), p.zoid, record]));
    }
    blocks.push("\n");
  }

  if (plan.warnings.length > 0) {
    blocks.push(`#### Warnings\n\n${plan.warnings.map((w) => `- ${escapeText(w)}`).join("\n")}\n\n`);
  }
  return blocks;
}

function detailsBlock(c: Change): string {
  const { diffs, quiet } = shownDiffs(c);
  // The summary line is an HTML block: only HTML escapes apply there.
  const lines = [`<details><summary>${escapeHtml(`${signOf(c)} ${c.action} ${c.key}: ${plural(c.diffs.length, "field")}`)}</summary>`, ""];
  if (diffs.length > 0 && c.action === "create") {
    lines.push("| Field | Value |", "| --- | --- |");
    for (const d of diffs) lines.push(`| ${code(d.path)} | ${value(d.after)} |`);
    lines.push("");
  } else if (diffs.length > 0) {
    lines.push("| Field | Before | After |", "| --- | --- | --- |");
    for (const d of diffs) lines.push(`| ${code(d.path)} | ${value(d.before)} | ${value(d.after)} |`);
    lines.push("");
  }
  if (quiet > 0) lines.push(`${plural(quiet, "default value")} not shown (cycles not offered, no charge, keys, order, not hidden).`, "");
  if (c.impact.licenses !== undefined) lines.push(`${licenceLine(c.impact.licenses)}.`, "");
  const billing = c.impact.billing;
  if (billing !== undefined) lines.push(`${escapeText(`Billing: ${billingLine(billing)}`)}.`, "");
  const order = billing === undefined ? undefined : orderLine(billing);
  if (order !== undefined) lines.push(`${escapeText(`Order: ${order.replace(/^order: /, "")}`)}.`, "");
  const notes = c.impact.notes ?? [];
  if (notes.length > 0) lines.push(...notes.map((n) => `- ${escapeText(n)}`), "");
  if (c.dependsOn.length > 0) lines.push(`Applied after ${c.dependsOn.map(code).join(", ")}.`, "");
  if (c.source !== undefined) lines.push(`Declared at ${code(`${c.source.file}:${c.source.line}:${c.source.col}`)}.`, "");
  lines.push("</details>", "");
  return `${lines.join("\n")}\n`;
}

function value(v: unknown): string {
  if (v === null || v === undefined) return "*(none)*";
  if (typeof v === "string") return v === "" ? '*(empty)*' : escapeText(v);
  if (typeof v === "object") return code(canonicalJson(v));
  return String(v);
}

/** One table row; cells are already escaped. */
function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |\n`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Text safe inside a table cell and outside code: no HTML, no emphasis, no cell breaks. */
function escapeText(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/([\\`*_[\]|~])/g, "\\$1")
    .replace(/\r?\n/g, "<br>");
}

function cell(s: string): string {
  return s === " " ? "" : escapeText(s);
}

/** A code span that survives backticks, pipes and newlines in its content. */
function code(s: string): string {
  const flat = s.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}
