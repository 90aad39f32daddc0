import { canonicalJson } from "../core/canonical.js";
import { KINDS } from "../model/catalog.js";
import type { CustomerOrgState } from "../model/customers.js";
import type { Change, ChangeAction, Plan } from "../model/plan.js";
import { hasChanges } from "../model/plan.js";
import { fieldDiffs } from "../plan/diff.js";
import {
  ACTION_SIGN,
  capped,
  coversCustomers,
  displayPath,
  kindCount,
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
import { blockedOf, maskedValue, maskerFor, sourceText, type Masker, type PrivacyOptions } from "./mask.js";
import { appliesTo, indexNotes, type NoteIndex } from "./notes.js";
import { isZohoOrg, unmanagedCounts } from "./unmanaged.js";

/** First line of every plan comment: the Action finds its sticky comment by it. */
export const PLAN_COMMENT_MARKER = "<!-- zoho-whmcs-reconcile:plan -->";

/** GitHub rejects comment bodies over 65,536 characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

export interface MarkdownOptions extends PrivacyOptions {
  /** Upper bound on the length of the result; defaults to GitHub's comment limit. */
  readonly maxLength?: number;
  /** Name of the plan artifact that summarised sections point at. */
  readonly artifactName?: string;
}

/**
 * One part of the body, from its most detailed form to its shortest. Every form is whole (tables
 * and `<details>` closed) and ends with a blank line, so dropping to a shorter form never cuts a
 * block in half.
 */
type Section = readonly string[];

/**
 * A pull-request comment: marker, the summary (counts, money, blocked orgs, destructive and billing
 * changes), then the changes grouped by kind and by what happens, each group collapsed, then notes
 * said once, what waits for a person, what is left alone, warnings, and the checksum last. When the
 * whole does not fit in `maxLength`, the largest sections are summarised (counts and names) until it
 * does, with a note pointing at the JSON artifact. Customer e-mails and names are masked unless
 * `showPii` is set; undeclared customer objects are counted, not listed.
 */
export function renderMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const limit = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  const artifact = options.artifactName ?? "plan.json";
  const mask = maskerFor(plan, options);
  const ctx: Ctx = { plan, mask, root: options.root, changes: visibleChanges(plan), notes: indexNotes(visibleChanges(plan), mask) };
  const head = headOf(ctx, artifact);
  const tail = `Checksum: ${code(plan.checksum)}\n`;
  const sections = bodySections(ctx);

  const level = sections.map(() => 0);
  const length = (i: number): number => (sections[i]?.[level[i] ?? 0] ?? "").length;
  let body = sections.reduce((n, _s, i) => n + length(i), 0);
  const note = summarisedNote(artifact);
  const fits = (): boolean => head.length + body + (level.some((l) => l > 0) ? note.length : 0) + tail.length <= limit;
  while (!fits()) {
    // The longest section that can still be shortened gives way first.
    let pick = -1;
    for (let i = 0; i < sections.length; i++) {
      if ((level[i] ?? 0) < (sections[i]?.length ?? 1) - 1 && (pick < 0 || length(i) > length(pick))) pick = i;
    }
    if (pick < 0) break;
    body -= length(pick);
    level[pick] = (level[pick] ?? 0) + 1;
    body += length(pick);
  }
  let text = sections.map((s, i) => s[level[i] ?? 0] ?? "").join("");
  const summarised = level.some((l) => l > 0);
  // Even the shortest forms do not fit (a limit far below GitHub's): whole sections go, from the end.
  let kept = sections.length;
  while (head.length + text.length + note.length + tail.length > limit && kept > 0) {
    kept -= 1;
    text = sections.slice(0, kept).map((s, i) => s[level[i] ?? 0] ?? "").join("");
  }
  return head + text + (summarised || kept < sections.length ? note : "") + tail;
}

interface Ctx {
  readonly plan: Plan;
  readonly mask: Masker;
  readonly root: string | undefined;
  readonly changes: readonly Change[];
  readonly notes: NoteIndex;
}

/** The counts table; the Assign column appears only when a plan assigns Zoho plans. */
function summaryTable(s: Plan["summary"]): string[] {
  const columns: [string, number][] = [
    ["Create", s.create],
    ["Update", s.update],
    ["Adopt", s.adopt],
    ...(s.assign > 0 ? ([["Assign", s.assign]] as [string, number][]) : []),
    ...(((s as { retire?: number }).retire ?? 0) > 0 ? ([["Retire", (s as { retire?: number }).retire ?? 0]] as [string, number][]) : []),
    ["Delete", s.delete],
    ["Unchanged", s.noop],
    ["Manual", s.manual],
    ["Unmanaged", s.unmanaged],
  ];
  return [`| ${columns.map(([h]) => h).join(" | ")} |`, `| ${columns.map(() => "---:").join(" | ")} |`, `| ${columns.map(([, n]) => n).join(" | ")} |`];
}

/** How many keys the summary names before "and N more". */
const SUMMARY_KEYS = 10;

function headOf(ctx: Ctx, artifact: string): string {
  const { plan, changes, mask } = ctx;
  const region = plan.target.zohoRegion === undefined ? "" : `, Zoho region ${code(plan.target.zohoRegion)}`;
  const shard = plan.target.shard === undefined ? "" : `, customer shard ${code(plan.target.shard)}`;
  const lines = [
    PLAN_COMMENT_MARKER,
    `### ${coversCustomers(plan) ? "Plan" : "Catalog plan"} for ${code(plan.target.whmcs)}`,
    "",
    `Catalog backend ${code(plan.target.catalogBackend)}${region}${shard}.`,
    "",
    `**${hasChanges(plan) ? summaryLine(plan.summary) : NO_CHANGES}**`,
    ...(moneyLine(plan) !== undefined ? ["", `**${moneyLine(plan) as string}**`] : []),
    "",
    ...summaryTable(plan.summary),
    "",
  ];
  const blocked = blockedOf(plan);
  if (blocked.length > 0) {
    lines.push(
      "> [!WARNING]",
      `> **${plural(blocked.length, "customer org")} ${blocked.length === 1 ? "is" : "are"} blocked** by live state and left out of this plan: ${capped(blocked.map((b) => code(b.key)), SUMMARY_KEYS)}. See *Blocked* below.`,
      "",
    );
  }
  const destructive = changes.filter((c) => c.classes.includes("destructive"));
  if (destructive.length > 0) lines.push(`**Destructive** (${destructive.length}): ${capped(destructive.map((c) => `${code(c.key)} ${c.action}`), SUMMARY_KEYS)}.`, "");
  const billing = changes.filter((c) => c.classes.includes("billing"));
  if (billing.length > 0) lines.push(`**Billing** (${billing.length}): ${capped(billing.map((c) => code(c.key)), SUMMARY_KEYS)}.`, "");
  if (mask.masking && (changes.some((c) => c.kind === "CustomerOrg") || plan.unmanaged.some((u) => u.kind === "CustomerOrg"))) {
    lines.push(`<sub>Customer e-mails and names are masked and undeclared customers are counted, not listed: the ${code(artifact)} artifact of this run has them in full.</sub>`, "");
  }
  return `${lines.join("\n")}\n`;
}

function summarisedNote(artifact: string): string {
  return (
    `> [!NOTE]\n> Summarised: the whole plan does not fit in a comment, so the longest sections show counts and names only. ` +
    `The full plan is in the ${code(artifact)} artifact of this run.\n\n`
  );
}

const GROUP_ORDER = ["create", "update", "adopt", "assign", "retire", "delete"] as readonly ChangeAction[];

/** The comment body as sections, in order. */
function bodySections(ctx: Ctx): Section[] {
  const { plan, changes, mask } = ctx;
  const sections: Section[] = [];

  for (const kind of KINDS) {
    const ofKind = plan.changes.filter((c) => c.kind === kind);
    const visible = ofKind.filter((c) => c.action !== "noop");
    if (visible.length === 0) continue;
    const unchanged = ofKind.length - visible.length;
    let heading = `#### ${KIND_TITLE[kind]}\n\n${unchanged > 0 ? `${unchanged} unchanged, not listed.\n\n` : ""}`;
    for (const action of GROUP_ORDER) {
      const group = visible.filter((c) => c.action === action);
      if (group.length === 0) continue;
      const forms = kind === "CustomerOrg" ? orgGroupForms(ctx, action, group) : catalogGroupForms(ctx, action, group);
      sections.push(forms.map((f) => heading + f));
      heading = "";
    }
  }

  const revenue = changes.flatMap((c) => (c.impact.revenue ?? []).map((r) => ({ c, r })));
  if (revenue.length > 0) {
    const title = "#### Catalog price changes\n\n";
    const rows = revenue.map(({ c, r }) => row([code(c.key), r.currency, cycleOf(r), r.mrrDeltaPerService, String(r.activeServices ?? "unknown"), r.mrrDelta ?? "unknown"]));
    sections.push([
      title +
        "WHMCS keeps an existing service's amount when catalog prices change: new prices reach new orders, and existing managed services only where `policy.reprice` moves them (their customer changes carry the money).\n\n" +
        "| Product | Currency | Cycle | New orders, a month | Active services keeping their amount | MRR change now |\n| --- | --- | --- | ---: | ---: | ---: |\n" +
        rows.join("") +
        "\n",
      `${title}${plural(revenue.length, "price change")} on ${plural(new Set(revenue.map(({ c }) => c.key)).size, "product")}.\n\n`,
    ]);
  }

  const manual = changes.filter((c) => c.manual !== undefined);
  if (manual.length > 0) {
    const title = "#### Manual steps\n\nThe catalog backend cannot make these changes; do them in the WHMCS admin area.\n\n";
    const blocks = manual.map((c) => {
      const steps = (c.manual?.instructions ?? []).map((s) => `- [ ] ${escapeText(mask.text(s))}`).join("\n");
      return `**${c.action} ${code(c.key)}**: ${escapeText(mask.text(c.manual?.reason ?? ""))}\n\n${steps}\n\n`;
    });
    sections.push([title + blocks.join(""), `${title}${plural(manual.length, "change")}: ${capped(manual.map((c) => code(c.key)), SUMMARY_KEYS)}.\n\n`]);
  }

  const shared = ctx.notes.shared;
  if (shared.length > 0) {
    const title = "#### Notes\n\nSaid once for every change they apply to.\n\n";
    sections.push([
      title + shared.map((n) => `- ${escapeText(n.text)}  \n  *${escapeText(appliesTo(n, changes))}*\n`).join("") + "\n",
      title + shared.map((n) => `- ${escapeText(n.text)} (${n.changes.length})\n`).join("") + "\n",
      `#### Notes\n\n${plural(shared.length, "note")} said for several changes.\n\n`,
    ]);
  }

  const blocked = blockedOf(plan);
  if (blocked.length > 0) {
    const title = "#### Blocked\n\nLeft out of this plan: nothing is applied to these orgs until live state or the manifest changes.\n\n";
    const lines = blocked.flatMap((b) =>
      b.reasons.map(
        (r) =>
          `- ${code(b.key)}${b.source !== undefined ? ` (${code(sourceText(b.source, ctx.root))})` : ""}: ${escapeText(mask.prose(r.message))}${r.hint !== undefined ? ` (${escapeText(mask.prose(r.hint))})` : ""}\n`,
      ),
    );
    sections.push([title + lines.join("") + "\n", `${title}${plural(blocked.length, "customer org")}: ${capped(blocked.map((b) => code(b.key)), SUMMARY_KEYS)}.\n\n`]);
  }

  const pending = pendingOf(plan);
  if (pending.length > 0) {
    const title =
      "#### Waiting for DNS\n\nNot changes: each org stays pending until Zoho verifies its domain. Publish these records at the customers' DNS hosts.\n\n";
    const rows = pending.map((p) => {
      const record = p.record === null ? escapeText(mask.text(p.message)) : code(`${p.record.name} ${p.record.type} ${p.record.value}`);
      return row([code(p.key), escapeText(p.domain), p.zoid, record]);
    });
    sections.push([
      `${title}| Customer org | Domain | ZOID | Record to publish |\n| --- | --- | --- | --- |\n${rows.join("")}\n`,
      `${title}${plural(pending.length, "customer org")}: ${capped(pending.map((p) => code(p.key)), SUMMARY_KEYS)}.\n\n`,
    ]);
  }

  if (plan.unmanaged.length > 0) {
    const title = "#### Left alone (not declared in any manifest)\n\n";
    const { listed, counted } = unmanagedCounts(plan.unmanaged, mask);
    const table =
      listed.length === 0
        ? ""
        : "| Kind | Id | Name | Reason |\n| --- | --- | --- | --- |\n" +
          listed
            .map((u) => {
              const reason = u.reason === "orphaned" ? `orphaned (recorded as ${code(u.ownedAs ?? "")})` : "unmanaged";
              const zoho = isZohoOrg(u);
              return row([zoho ? "Zoho org" : u.kind === "CustomerOrg" ? "WHMCS service" : u.kind, zoho ? `ZOID ${u.remoteId}` : u.remoteId, escapeText(u.name), reason]);
            })
            .join("") +
          "\n";
    const counts = counted.map((c) => `- ${escapeText(c.text)}\n`).join("");
    const countsBlock = counted.length === 0 ? "" : `${counts}\nEach one is listed in the plan JSON.\n\n`;
    const byKind = new Map<string, number>();
    for (const u of plan.unmanaged) byKind.set(u.kind, (byKind.get(u.kind) ?? 0) + 1);
    const short = `${[...byKind].map(([k, n]) => `${n} ${k}`).join(", ")}; each one is listed in the plan JSON.\n\n`;
    sections.push([title + table + countsBlock, title + short]);
  }

  if (plan.warnings.length > 0) {
    const title = "#### Warnings\n\n";
    const lines = plan.warnings.map((w) => `- ${escapeText(mask.prose(w))}\n`);
    sections.push([
      `${title}${lines.join("")}\n`,
      ...(lines.length > 20 ? [`${title}${lines.slice(0, 20).join("")}- and ${lines.length - 20} more in the plan JSON\n\n`] : []),
      `${title}${plural(plan.warnings.length, "warning")}; each one is in the plan JSON.\n\n`,
    ]);
  }
  return sections;
}

const VERBS: Readonly<Record<string, string>> = {
  create: "create",
  update: "update",
  adopt: "adopt",
  assign: "assign a Zoho plan",
  retire: "retire",
  delete: "delete",
  noop: "unchanged",
};
const GROUP_VERB = VERBS as Readonly<Record<ChangeAction, string>>;

function groupSummary(action: ChangeAction, group: readonly Change[]): string {
  const manual = group.filter((c) => c.manual !== undefined).length;
  return escapeHtml(`${ACTION_SIGN[action]} ${GROUP_VERB[action]}: ${kindCount(group[0]?.kind ?? "Product", group.length)}${manual > 0 ? ` (${manual} manual)` : ""}`);
}

/** The shortest form of a group: how many, and the first names. */
function groupLine(action: ChangeAction, group: readonly Change[]): string {
  return `**${escapeText(`${ACTION_SIGN[action]} ${GROUP_VERB[action]}`)}**: ${kindCount(group[0]?.kind ?? "Product", group.length)}: ${capped(group.map((c) => code(c.key)), SUMMARY_KEYS)}.\n\n`;
}

/** Catalog changes: a table of the group, then each change's fields and notes; or the table alone; or a line. */
function catalogGroupForms(ctx: Ctx, action: ChangeAction, group: readonly Change[]): string[] {
  const open = `<details><summary>${groupSummary(action, group)}</summary>\n\n`;
  const table =
    "| | Resource | WHMCS id | Fields | Classes |\n| :-: | --- | --- | ---: | --- |\n" +
    group.map((c) => row([cell(signOf(c)), code(c.key) + (c.manual !== undefined ? " (manual)" : ""), c.remoteId ?? "", String(shownDiffs(c).diffs.length), c.classes.join(", ")])).join("") +
    "\n";
  const details = group.map((c) => changeDetails(ctx, c)).join("");
  return [`${open}${table}${details}</details>\n\n`, `${open}${table}</details>\n\n`, ...cappedTable(open, table, group.length), groupLine(action, group)];
}

function changeDetails(ctx: Ctx, c: Change): string {
  const { diffs, quiet } = shownDiffs(c);
  const v = (path: string, x: unknown): string => value(maskedValue(c, ctx.mask, path, x));
  const lines = [`**${escapeText(`${signOf(c)} ${c.action}`)} ${code(c.key)}**${c.source !== undefined ? ` · ${code(sourceText(c.source, ctx.root))}` : ""}`, ""];
  if (diffs.length > 0 && c.action === "create") {
    lines.push("| Field | Value |", "| --- | --- |");
    for (const d of diffs) lines.push(`| ${code(displayPath(c, d.path))} | ${v(d.path, d.after)} |`);
    lines.push("");
  } else if (diffs.length > 0) {
    lines.push("| Field | Before | After |", "| --- | --- | --- |");
    for (const d of diffs) lines.push(`| ${code(displayPath(c, d.path))} | ${v(d.path, d.before)} | ${v(d.path, d.after)} |`);
    lines.push("");
  }
  if (quiet > 0) lines.push(`${plural(quiet, "default value")} not shown (cycles not offered, no charge, keys, order, not hidden, no quantity range).`, "");
  const notes = ctx.notes.own(c);
  if (notes.length > 0) lines.push(...notes.map((n) => `- ${escapeText(n)}`), "");
  if (c.dependsOn.length > 0) lines.push(`Applied after ${capped(c.dependsOn.map(code), SUMMARY_KEYS)}.`, "");
  return `${lines.join("\n")}\n`;
}

/** Rows a long group shows before the rest is only counted. */
const CAPPED_ROWS = 100;

/** A long group's table cut after whole rows, with how many more the artifact has. */
function cappedTable(open: string, table: string, rows: number): string[] {
  if (rows <= CAPPED_ROWS) return [];
  const lines = table.trimEnd().split("\n");
  const kept = lines.slice(0, 2 + CAPPED_ROWS).join("\n");
  return [`${open}${kept}\n\n${rows - CAPPED_ROWS} more rows are in the plan JSON.\n\n</details>\n\n`];
}

/** Customer orgs: one row per org (what it becomes or what changes, billing, licences), its own notes; or names only. */
function orgGroupForms(ctx: Ctx, action: ChangeAction, group: readonly Change[]): string[] {
  const { mask } = ctx;
  const open = `<details><summary>${groupSummary(action, group)}</summary>\n\n`;
  const rows = group.map((c) => {
    const org = `${code(c.name)}${c.remoteId !== undefined ? ` (service #${c.remoteId})` : ""}${c.source !== undefined ? `<br>${code(sourceText(c.source, ctx.root))}` : ""}`;
    const what = c.action === "create" ? escapeText(orgSummary(c.after, mask)) : orgDiffs(c, mask);
    const b = c.impact.billing;
    const order = b === undefined ? undefined : orderLine(b);
    const billing = b === undefined ? "" : escapeText(billingLine(b)) + (order !== undefined ? `<br>${escapeText(mask.text(order))}` : "");
    const licences = c.impact.licenses === undefined ? "" : licenceLine(c.impact.licenses).replace(/^Zoho licences /, "");
    const classes = c.classes.join(", ");
    return row([`${cell(signOf(c))} ${org}`, what, billing, licences, classes]);
  });
  const table = `| Org | ${action === "create" ? "New org" : "Changes"} | Billing | Zoho licences | Classes |\n| --- | --- | --- | --- | --- |\n${rows.join("")}\n`;
  const own = group.flatMap((c) => ctx.notes.own(c).map((n) => `- ${code(c.name)}: ${escapeText(n)}\n`));
  const notes = own.length > 0 ? `${own.join("")}\n` : "";
  const compact =
    "| Org | Fields | Classes |\n| --- | ---: | --- |\n" + group.map((c) => row([`${cell(signOf(c))} ${code(c.name)}`, String(fieldDiffs(c).length), c.classes.join(", ")])).join("") + "\n";
  return [`${open}${table}${notes}</details>\n\n`, `${open}${compact}</details>\n\n`, ...cappedTable(open, compact, group.length), groupLine(action, group)];
}

/** "acme.example · mail-lite annually, 25 mailboxes · client i•••@acme.example (A••• L•••, A•••) · Zoho mail-lite yearly, 25 licences". */
function orgSummary(after: unknown, mask: Masker): string {
  const s = after as Partial<CustomerOrgState> | null;
  if (s === null || typeof s !== "object") return "";
  const parts: string[] = [];
  if (s.domain !== undefined) parts.push(s.domain);
  parts.push(`${s.product ?? "?"} ${s.billingCycle ?? ""}${s.mailboxes !== null && s.mailboxes !== undefined ? `, ${s.mailboxes} mailboxes` : ""}`.trim());
  const c = s.client;
  if (c !== undefined) {
    const who = [`${mask.name(c.firstName)} ${mask.name(c.lastName)}`.trim(), mask.name(c.company)].filter((x) => x !== "").join(", ");
    parts.push(`client ${mask.email(c.email)}${who !== "" ? ` (${who})` : ""}`);
  }
  const z = s.zoho;
  if (z !== undefined) {
    if (!z.org) parts.push("no Zoho org");
    else {
      const p = z.plan;
      parts.push(
        p === null
          ? "Zoho org"
          : p.type === "paid"
            ? `Zoho ${p.plan ?? "?"} ${p.payPeriod ?? ""}, ${plural(p.licenses, "licence")}`
            : p.type === "trial"
              ? `Zoho ${p.trialPlan ?? "?"} trial`
              : "Zoho free plan",
      );
      if (z.superAdmin !== null && c !== undefined && z.superAdmin !== c.email) parts.push(`super admin ${mask.email(z.superAdmin)}`);
    }
  }
  if (s.status !== undefined && s.status !== "active") parts.push(s.status);
  for (const [k, v] of Object.entries(s.options ?? {})) parts.push(`${k} ${v}`);
  return parts.join(" · ");
}

/** An update's fields in one cell: `path before → after`, one a line. */
function orgDiffs(c: Change, mask: Masker): string {
  const { diffs } = shownDiffs(c);
  const show = (v: unknown): string => (v === null || v === undefined ? "(none)" : typeof v === "object" ? canonicalJson(v) : String(v));
  return diffs.map((d) => `${code(d.path)} ${escapeText(`${show(mask.field(d.path, d.before))} → ${show(mask.field(d.path, d.after))}`)}`).join("<br>");
}

function value(v: unknown): string {
  if (v === null || v === undefined) return "*(none)*";
  if (typeof v === "string") return v === "" ? "*(empty)*" : escapeText(v);
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
