import { canonicalJson, compareCodeUnits } from "../core/canonical.js";
import { KINDS } from "../model/catalog.js";
import type { LiveCustomers } from "../model/customers.js";
import { hasChanges, type Change, type Plan } from "../model/plan.js";
import { KIND_TITLE, NO_CHANGES, billingLine, licenceLine, moneyLine, pendingLine, pendingOf, plural, shownDiffs, summaryLine, targetLine } from "./format.js";
import { blockedOf, maskerFor, maskedValue, sourceText, type Masker, type PrivacyOptions } from "./mask.js";

/** Where a customer org lives in WHMCS: the ids its admin area's service page needs. */
export interface ServiceLink {
  readonly clientId: string;
  readonly serviceId: string;
}

/** Changes the base branch's own plan already has: live state moved away from it. */
export interface HtmlDrift {
  /** What the base is, for people (`main at 0123456789ab`). */
  readonly base: string;
  /** Changes of this plan that the base plan has too, identical. */
  readonly changes: readonly Change[];
  /** Why drift could not be told apart (then `changes` is empty). */
  readonly unavailable?: string;
}

export interface HtmlOptions extends PrivacyOptions {
  readonly title?: string;
  /** When the report was made (ISO 8601); shown as given. */
  readonly generatedAt?: string;
  /** WHMCS base URL for links; default `plan.target.whmcs`. */
  readonly whmcsUrl?: string;
  /** Zoho Mail admin console base URL; default the region's `mailadmin` host. */
  readonly mailAdminUrl?: string;
  /** WHMCS client and service ids by customer-org change key (from live state). */
  readonly services?: Readonly<Record<string, ServiceLink>>;
  readonly drift?: HtmlDrift;
}

/** WHMCS ids of every customer org the plan has a service for, from the live state it was planned against. */
export function serviceLinks(plan: Plan, customers: LiveCustomers): Record<string, ServiceLink> {
  const byId = new Map(customers.services.map((s) => [s.id, s]));
  const out: Record<string, ServiceLink> = {};
  for (const c of plan.changes) {
    if (c.kind !== "CustomerOrg" || c.remoteId === undefined) continue;
    const s = byId.get(c.remoteId);
    if (s !== undefined) out[c.key] = { clientId: s.clientId, serviceId: s.id };
  }
  return out;
}

/**
 * The plan as one self-contained HTML file for auditors: inline CSS and an inline SVG chart, no
 * script, no external resource (a Content-Security-Policy says so to the browser). Summary, money
 * totals, MRR change per product and currency, customer orgs linked to WHMCS and Zoho, drift,
 * blocked orgs, catalog changes, pending DNS records and warnings. Customer e-mails and names are
 * masked unless `showPii`; every value is escaped.
 */
export function renderHtml(plan: Plan, options: HtmlOptions = {}): string {
  const mask = maskerFor(plan, options);
  const title = options.title ?? `Reconcile plan for ${plan.target.whmcs}`;
  const parts: string[] = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    `<header><h1>${esc(title)}</h1>`,
    `<p class="meta">Target ${esc(targetLine(plan))}${options.generatedAt !== undefined ? ` · generated ${esc(options.generatedAt)}` : ""}</p>`,
    `<p class="meta">Checksum <code>${esc(plan.checksum)}</code>${mask.masking ? " · customer e-mails and names are masked" : ""}</p></header>`,
    summarySection(plan),
    moneySection(plan),
    customersSection(plan, options, mask),
    driftSection(options.drift, mask),
    blockedSection(plan, mask, options.root),
    catalogSection(plan),
    pendingSection(plan, mask),
    warningsSection(plan, mask),
    "</body>",
    "</html>",
    "",
  ];
  return parts.filter((p) => p !== "").join("\n");
}

const CSS = [
  "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2328;margin:2rem auto;max-width:72rem;padding:0 1rem}",
  "h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem;border-bottom:1px solid #d0d7de;padding-bottom:.25rem}",
  ".meta{color:#59636e;margin:.1rem 0}code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:.1em .3em;border-radius:4px}",
  "table{border-collapse:collapse;margin:.5rem 0;width:100%}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}",
  "th{background:#f6f8fa}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}",
  ".pos{color:#1a7f37}.neg{color:#cf222e}.drift{background:#fff8c5}.blocked{background:#ffebe9}",
  ".tag{display:inline-block;font-size:11px;padding:0 .4em;border-radius:1em;border:1px solid #d0d7de}",
  "svg{max-width:100%;height:auto}svg text{font:12px system-ui,sans-serif;fill:#1f2328}",
  "svg .bar.pos{fill:#2da44e}svg .bar.neg{fill:#cf222e}svg .axis{stroke:#59636e}",
  "ul{padding-left:1.25rem}details summary{cursor:pointer}",
].join("");

function summarySection(plan: Plan): string {
  const s = plan.summary;
  const columns: [string, number][] = [
    ["Create", s.create],
    ["Update", s.update],
    ["Adopt", s.adopt],
    ["Assign", s.assign],
    ["Delete", s.delete],
    ["Unchanged", s.noop],
    ["Manual", s.manual],
    ["Unmanaged", s.unmanaged],
  ];
  return section(
    "summary",
    "Summary",
    `<p><strong>${esc(hasChanges(plan) ? summaryLine(s) : NO_CHANGES)}</strong></p>` +
      table(
        columns.map(([h]) => h),
        [columns.map(([, n]) => String(n))],
        columns.map(() => true),
      ),
  );
}

function moneySection(plan: Plan): string {
  const t = plan.totals;
  if (t === undefined) return "";
  const line = moneyLine(plan);
  const mrr = Object.entries(t.mrr).sort(([a], [b]) => compareCodeUnits(a, b));
  const cost = Object.entries(t.cost ?? {}).sort(([a], [b]) => compareCodeUnits(a, b));
  const licences = Object.entries(t.licences).sort(([a], [b]) => compareCodeUnits(a, b));
  const body = [
    line !== undefined ? `<p>${esc(line)}</p>` : "",
    `<p>Customer orgs whose billing or licences change: <strong>${t.customers}</strong>.</p>`,
    mrr.length > 0 ? `<h3>MRR change per currency</h3>${table(["Currency", "MRR change a month"], mrr.map(([c, m]) => [c, signedHtml(m)]), [false, true], true)}` : "<p>MRR unchanged.</p>",
    cost.length > 0 ? `<h3>Partner cost change per currency</h3>${table(["Currency", "Cost change a month"], cost.map(([c, m]) => [c, signedHtml(m)]), [false, true], true)}` : "",
    licences.length > 0
      ? `<h3>Zoho licences</h3>${table(["Plan / pay period", "Licences bought (+) or released (−)"], licences.map(([k, n]) => [k, signedHtml(n > 0 ? `+${n}` : String(n))]), [false, true], true)}`
      : "<p>Zoho licences unchanged.</p>",
    `<h3>MRR change per product and currency</h3>${mrrChart(plan)}`,
  ];
  return section("money", "Money", body.join("\n"));
}

/** One bar of the chart: the summed MRR change of a product's customer orgs in one currency. */
export interface MrrBar {
  readonly product: string;
  readonly currency: string;
  /** Signed cents a month. */
  readonly cents: bigint;
}

/** Customer-org MRR changes summed per product (the state after) and currency; sorted. */
export function mrrBars(plan: Plan): MrrBar[] {
  const sums = new Map<string, MrrBar>();
  for (const c of plan.changes) {
    const b = c.impact.billing;
    if (c.kind !== "CustomerOrg" || b === undefined) continue;
    const cents = centsOf(b.mrrDelta);
    if (cents === undefined) continue;
    const product = productOf(c.after) ?? productOf(c.before) ?? "(unknown product)";
    const id = `${product}\u0000${b.currency}`;
    const prev = sums.get(id);
    sums.set(id, { product, currency: b.currency, cents: (prev?.cents ?? 0n) + cents });
  }
  return [...sums.values()].sort((a, b) => compareCodeUnits(a.product, b.product) || compareCodeUnits(a.currency, b.currency));
}

function mrrChart(plan: Plan): string {
  const bars = mrrBars(plan);
  if (bars.length === 0) return "<p>No customer org changes what it bills.</p>";
  const rowH = 26;
  const labelW = 260;
  const valueW = 110;
  const plotW = 420;
  const width = labelW + plotW + valueW;
  const height = bars.length * rowH + 24;
  const max = bars.reduce((m, b) => (abs(b.cents) > m ? abs(b.cents) : m), 1n);
  const anyNeg = bars.some((b) => b.cents < 0n);
  const anyPos = bars.some((b) => b.cents > 0n);
  // The zero line sits where the signs present need it: left, right or in the middle.
  const zeroX = labelW + (anyNeg && anyPos ? plotW / 2 : anyNeg ? plotW : 0);
  const span = anyNeg && anyPos ? plotW / 2 : plotW;
  const rows = bars.map((b, i) => {
    const y = 12 + i * rowH;
    const len = Math.max(1, Math.round((Number(abs(b.cents)) / Number(max)) * (span - 4)));
    const x = b.cents < 0n ? zeroX - len : zeroX;
    const money = centsText(b.cents);
    const cls = b.cents < 0n ? "neg" : "pos";
    return (
      `<g class="row">` +
      `<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(`${b.product} · ${b.currency}`)}</text>` +
      `<rect class="bar ${cls}" x="${x}" y="${y + 3}" width="${len}" height="${rowH - 8}" data-product="${esc(b.product)}" data-currency="${esc(b.currency)}" data-mrr="${esc(money)}">` +
      `<title>${esc(`${b.product}, ${b.currency}: ${money} a month`)}</title></rect>` +
      `<text x="${labelW + plotW + 8}" y="${y + 15}" class="${cls}">${esc(`${money.replace(/^-/, "\u2212")} ${b.currency}/mo`)}</text>` +
      `</g>`
    );
  });
  return (
    `<svg class="mrr-chart" xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" aria-labelledby="mrr-chart-title">` +
    `<title id="mrr-chart-title">MRR change a month per product and currency</title>` +
    rows.join("") +
    `<line class="axis" x1="${zeroX}" y1="6" x2="${zeroX}" y2="${height - 6}"/>` +
    `</svg>`
  );
}

function customersSection(plan: Plan, options: HtmlOptions, mask: Masker): string {
  const orgs = plan.changes.filter((c) => c.kind === "CustomerOrg");
  if (orgs.length === 0) return "";
  const whmcs = (options.whmcsUrl ?? plan.target.whmcs).replace(/\/+$/, "");
  const mailAdmin = options.mailAdminUrl?.replace(/\/+$/, "");
  const rows = orgs.map((c) => {
    const state = (c.after ?? c.before) as OrgStateLike | null;
    const before = c.before as OrgStateLike | null;
    const b = c.impact.billing;
    const ids = options.services?.[c.key];
    const whmcsLink =
      ids !== undefined
        ? link(`${whmcs}/admin/clientsservices.php?userid=${encodeURIComponent(ids.clientId)}&id=${encodeURIComponent(ids.serviceId)}`, `service #${ids.serviceId}`)
        : c.remoteId !== undefined
          ? `service #${esc(c.remoteId)}`
          : '<span class="meta">not in WHMCS yet</span>';
    const zoid = nonEmpty(before?.records?.zoid) ?? nonEmpty(state?.records?.zoid);
    const zohoLink =
      zoid !== undefined && mailAdmin !== undefined
        ? link(`${mailAdmin}/cpanel/home.do?zaaid=${encodeURIComponent(zoid)}#dashboard`, `org ${zoid}`)
        : zoid !== undefined
          ? `org ${esc(zoid)}`
          : '<span class="meta">no Zoho org yet</span>';
    const email = state?.client?.email ?? "";
    return [
      `<code>${esc(c.key)}</code>`,
      esc(state?.domain ?? ""),
      esc(email === "" ? "" : mask.email(email)),
      esc(state?.product ?? ""),
      `<span class="tag">${esc(c.action)}</span>`,
      b === undefined ? '<span class="meta">unchanged</span>' : esc(mask.text(billingLine(b))),
      b === undefined ? "" : signedHtml(b.mrrDelta),
      c.impact.licenses === undefined ? "" : esc(licenceLine(c.impact.licenses)),
      whmcsLink,
      zohoLink,
    ];
  });
  return section(
    "customers",
    "Customer orgs",
    table(["Org", "Domain", "Client", "Product", "Action", "Billing", "MRR change", "Licences", "WHMCS", "Zoho"], rows, [false, false, false, false, false, false, true, false, false, false], true),
  );
}

interface OrgStateLike {
  readonly client?: { readonly email?: string };
  readonly domain?: string;
  readonly product?: string;
  readonly records?: { readonly zoid?: string | null };
}

function driftSection(drift: HtmlDrift | undefined, mask: Masker): string {
  if (drift === undefined) return "";
  if (drift.unavailable !== undefined) {
    return section("drift", "Drift", `<p>Drift against ${esc(drift.base)} was not told apart: ${esc(drift.unavailable)}.</p>`);
  }
  if (drift.changes.length === 0) return section("drift", "Drift", `<p>No drift: live state matches ${esc(drift.base)} wherever this plan changes it.</p>`);
  const rows = drift.changes.map((c) => [`<code>${esc(c.key)}</code>`, `<span class="tag">${esc(c.action)}</span>`, diffList(c, mask)]);
  return section(
    "drift",
    "Drift",
    `<p>Live state moved away from ${esc(drift.base)}: its own plan has ${drift.changes.length === 1 ? "this change" : `these ${drift.changes.length} changes`} too. They are not this change's doing; applying puts live state back.</p>` +
      table(["Resource", "Action", "Fields"], rows, [false, false, false], true, "drift"),
  );
}

function blockedSection(plan: Plan, mask: Masker, root: string | undefined): string {
  const blocked = blockedOf(plan);
  if (blocked.length === 0) return "";
  const rows = blocked.map((b) => [
    `<code>${esc(b.key)}</code>`,
    `<ul>${b.reasons
      .map((r) => {
        const at = reasonSource(r);
        return (
          `<li><code>${esc(r.code)}</code> ${esc(mask.prose(r.message))}` +
          `${at !== undefined ? ` <span class="meta">at <code>${esc(sourceText(at, root))}</code></span>` : ""}` +
          `${r.hint !== undefined ? `<br><span class="meta">${esc(mask.prose(r.hint))}</span>` : ""}</li>`
        );
      })
      .join("")}</ul>`,
    b.source !== undefined ? `<code>${esc(sourceText(b.source, root))}</code>` : "",
  ]);
  return section("blocked", "Blocked customer orgs", `<p>Nothing is applied to these orgs until they are settled.</p>${table(["Org", "Reasons", "Declared at"], rows, [false, false, false], true, "blocked")}`);
}

/** Where the manifest field a blocking reason concerns is written, when the reason says. */
function reasonSource(r: object): { file: string; line: number; col: number } | undefined {
  const { file, line, col } = r as { file?: unknown; line?: unknown; col?: unknown };
  return typeof file === "string" && typeof line === "number" && typeof col === "number" ? { file, line, col } : undefined;
}

function catalogSection(plan: Plan): string {
  const out: string[] = [];
  for (const kind of KINDS) {
    if (kind === "CustomerOrg") continue;
    const visible = plan.changes.filter((c) => c.kind === kind && c.action !== "noop");
    if (visible.length === 0) continue;
    const rows = visible.map((c) => [
      `<code>${esc(c.key)}</code>`,
      `<span class="tag">${esc(c.action)}${c.manual !== undefined ? " (manual)" : ""}</span>`,
      esc(c.remoteId ?? ""),
      esc(c.classes.join(", ")),
      diffList(c, undefined),
    ]);
    out.push(`<h3>${esc(KIND_TITLE[kind])}</h3>${table(["Resource", "Action", "WHMCS id", "Classes", "Fields"], rows, [false, false, true, false, false], true)}`);
  }
  if (out.length === 0) return "";
  return section("catalog", "Catalog changes", out.join("\n"));
}

function pendingSection(plan: Plan, mask: Masker): string {
  const pending = pendingOf(plan);
  if (pending.length === 0) return "";
  const rows = pending.map((p) => [`<code>${esc(p.key)}</code>`, esc(p.domain), esc(p.zoid), p.record === null ? esc(mask.text(p.message)) : `<code>${esc(pendingLine(p))}</code>`]);
  return section(
    "pending",
    "Waiting for DNS",
    `<p>Not changes: each org stays pending until Zoho verifies its domain. These records must be published at the customers' DNS hosts.</p>${table(["Customer org", "Domain", "Zoho org", "Record to publish"], rows, [false, false, false, false], true)}`,
  );
}

function warningsSection(plan: Plan, mask: Masker): string {
  if (plan.warnings.length === 0) return "";
  return section("warnings", "Warnings", `<ul>${plan.warnings.map((w) => `<li>${esc(mask.prose(w))}</li>`).join("")}</ul>`);
}

/** Field changes as a list, customer data masked; collapsed when long. */
function diffList(c: Change, mask: Masker | undefined): string {
  const { diffs, quiet } = shownDiffs(c);
  const show = (path: string, v: unknown): string => {
    const shown = mask === undefined ? v : maskedValue(c, mask, path, v);
    if (shown === null || shown === undefined) return "(none)";
    return typeof shown === "string" ? JSON.stringify(shown) : canonicalJson(shown);
  };
  const items = diffs.map((d) =>
    c.action === "create" ? `<li><code>${esc(d.path)}</code> = <code>${esc(show(d.path, d.after))}</code></li>` : `<li><code>${esc(d.path)}</code>: <code>${esc(show(d.path, d.before))}</code> → <code>${esc(show(d.path, d.after))}</code></li>`,
  );
  if (quiet > 0) items.push(`<li class="meta">${esc(plural(quiet, "default value"))} not shown</li>`);
  if (items.length === 0) return '<span class="meta">no field changes</span>';
  const list = `<ul>${items.join("")}</ul>`;
  return items.length > 6 ? `<details><summary>${esc(plural(diffs.length, "field"))}</summary>${list}</details>` : list;
}


function section(id: string, heading: string, body: string): string {
  return `<section id="${esc(id)}"><h2>${esc(heading)}</h2>\n${body}\n</section>`;
}

/** A table; cells are HTML already escaped. `numeric` right-aligns a column. */
function table(headers: readonly string[], rows: readonly (readonly string[])[], numeric: readonly boolean[], head = true, rowClass?: string): string {
  const th = head ? `<thead><tr>${headers.map((h, i) => `<th${numeric[i] ? ' class="num"' : ""}>${esc(h)}</th>`).join("")}</tr></thead>` : "";
  const tr = rows.map((r) => `<tr${rowClass !== undefined ? ` class="${esc(rowClass)}"` : ""}>${r.map((cell, i) => `<td${numeric[i] ? ' class="num"' : ""}>${cell}</td>`).join("")}</tr>`).join("");
  return `<table>${th}<tbody>${tr}</tbody></table>`;
}

/** A link to an http(s) URL; anything else is shown as text, never as a link. */
function link(url: string, text: string): string {
  let ok = false;
  try {
    const u = new URL(url);
    ok = u.protocol === "https:" || u.protocol === "http:";
  } catch {
    ok = false;
  }
  return ok ? `<a href="${esc(url)}" rel="noopener noreferrer">${esc(text)}</a>` : esc(text);
}

/** Text and attribute values: every character that could end a text run or an attribute escaped. */
export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function signedHtml(m: string): string {
  const cls = m.startsWith("-") ? "neg" : m === "0" || /^[+]?0(?:\.0+)?$/.test(m) ? "" : "pos";
  const text = m.startsWith("-") ? `\u2212${m.slice(1)}` : m.startsWith("+") || /^0(?:\.0+)?$/.test(m) ? m : `+${m}`;
  return cls === "" ? esc(text) : `<span class="${cls}">${esc(text)}</span>`;
}

function centsOf(m: string): bigint | undefined {
  const match = /^([+-]?)(\d+)\.(\d{2})$/.exec(m);
  if (match === null) return undefined;
  const cents = BigInt(match[2] ?? "0") * 100n + BigInt(match[3] ?? "0");
  return match[1] === "-" ? -cents : cents;
}

function centsText(c: bigint): string {
  const a = abs(c);
  const text = `${a / 100n}.${String(a % 100n).padStart(2, "0")}`;
  return c < 0n ? `-${text}` : `+${text}`;
}

function abs(c: bigint): bigint {
  return c < 0n ? -c : c;
}

function productOf(state: unknown): string | undefined {
  const p = (state as { product?: unknown } | null)?.product;
  return typeof p === "string" && p !== "" ? p : undefined;
}

function nonEmpty(v: string | null | undefined): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}
