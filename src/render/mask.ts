import type { SourcePosition } from "../model/catalog.js";
import type { Change, Plan } from "../model/plan.js";
import { fieldDiffs } from "../plan/diff.js";

/** What a renderer may show of a plan that leaves the machine it was made on. */
export interface PrivacyOptions {
  /** Customer e-mails, names and companies in full, and every undeclared customer object listed. Off by default. */
  readonly showPii?: boolean;
  /** Directory that source paths are shown relative to (the config's directory). */
  readonly root?: string;
}

/** Field paths of a customer org whose values are e-mail addresses of a customer. */
export const EMAIL_PATHS: ReadonlySet<string> = new Set(["client.email", "zoho.superAdmin", "records.superAdmin"]);
/** Field paths of a customer org whose values name a person or a company. */
export const NAME_PATHS: ReadonlySet<string> = new Set(["client.firstName", "client.lastName", "client.company"]);

const BULLETS = "\u2022\u2022\u2022";
const EMAIL_RE = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/** How the warnings about an existing client quote its name fields (`has firstName "Ada", the manifest "Ada"`). */
const QUOTED_NAME_RE = /\b(?:firstName|lastName|company) ("(?:[^"\\]|\\.)*"), the manifest ("(?:[^"\\]|\\.)*")/g;

/**
 * Masks customer e-mails (`a•••@acme.example`) and names (`A•••`) in everything a renderer shows.
 * Masks are stable within a plan: one value always gets the same mask, and two values that would
 * get the same mask are told apart by a number (`a•••2@acme.example`), so reviewers still see
 * which rows are the same customer. With `showPii` every method returns its input.
 */
export interface Masker {
  readonly masking: boolean;
  email(value: string): string;
  name(value: string): string;
  /** A field value at a customer-org path: masked when the path holds personal data. */
  field(path: string, value: unknown): unknown;
  /** Free text (notes, messages): every e-mail address masked. */
  text(value: string): string;
  /** Free text that may also quote a customer's name or company (warnings, refusals): both masked. */
  prose(value: string): string;
}

export const NO_MASK: Masker = {
  masking: false,
  email: (v) => v,
  name: (v) => v,
  field: (_p, v) => v,
  text: (v) => v,
  prose: (v) => v,
};

/** The masker of one plan: every personal value in it is collected first so masks are stable. */
export function maskerFor(plan: Plan, options: PrivacyOptions = {}): Masker {
  if (options.showPii === true) return NO_MASK;
  const emails = new Set<string>();
  const names = new Set<string>();
  const scan = (s: string): void => {
    for (const m of s.matchAll(EMAIL_RE)) emails.add(m[0]);
    for (const m of s.matchAll(QUOTED_NAME_RE)) for (const q of [m[1], m[2]]) addName(names, unquote(q));
  };
  for (const c of plan.changes) {
    if (c.kind === "CustomerOrg") {
      for (const state of [c.before, c.after]) collectState(state, emails, names);
      for (const d of fieldDiffs(c)) for (const v of [d.before, d.after]) collectField(d.path, v, emails, names);
      const to = c.impact.billing?.order?.emailTo;
      if (typeof to === "string") emails.add(to);
    }
    for (const n of c.impact.notes ?? []) scan(n);
    if (c.manual !== undefined) for (const s of [c.manual.reason, ...c.manual.instructions]) scan(s);
  }
  for (const w of plan.warnings) scan(w);
  for (const p of plan.pending ?? []) scan(p.message);
  for (const u of plan.unmanaged) scan(u.name);
  for (const b of blockedOf(plan)) for (const r of b.reasons) for (const s of [r.message, r.hint ?? ""]) scan(s);

  const emailMask = assign([...emails], emailBase, (base, n) => base.replace("@", `${n}@`));
  const nameMask = assign([...names], nameBase, (base, n) => `${base}${n}`);
  const email = (v: string): string => emailMask.get(v) ?? emailBase(v);
  const name = (v: string): string => nameMask.get(v.trim()) ?? nameBase(v);
  const text = (v: string): string => v.replace(EMAIL_RE, (m) => email(m));
  // Built on first use; longest first, so "Ada Lovelace Ltd" is masked whole before "Ada".
  let nameRe: RegExp | null | undefined;
  const namesRe = (): RegExp | null => {
    if (nameRe === undefined) {
      const known = [...names].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
      nameRe = known.length === 0 ? null : new RegExp(`(?<![\\p{L}\\p{N}])(?:${known.map(escapeRe).join("|")})(?![\\p{L}\\p{N}])`, "gu");
    }
    return nameRe;
  };
  const prose = (v: string): string => {
    const re = namesRe();
    const t = text(v).replace(QUOTED_NAME_RE, (_m, a: string, b: string) => _m.replace(a, JSON.stringify(name(unquote(a)))).replace(b, JSON.stringify(name(unquote(b)))));
    return re === null ? t : t.replace(re, (m) => name(m));
  };
  const field = (path: string, v: unknown): unknown => maskField(path, v, email, name);
  return { masking: true, email, name, field, text, prose };
}

/** `it@acme.example` → `i•••@acme.example`. */
function emailBase(v: string): string {
  const at = v.lastIndexOf("@");
  if (at <= 0) return nameBase(v);
  return `${firstChar(v.slice(0, at))}${BULLETS}@${v.slice(at + 1)}`;
}

/** `Lovelace` → `L•••`; empty stays empty (nothing to hide). */
function nameBase(v: string): string {
  const t = v.trim();
  return t === "" ? "" : `${firstChar(t)}${BULLETS}`;
}

function firstChar(s: string): string {
  return String.fromCodePoint(s.codePointAt(0) ?? 0x3f);
}

/** Values sorted; the first of each base keeps it, the next ones get 2, 3, … */
function assign(values: string[], base: (v: string) => string, numbered: (base: string, n: number) => string): Map<string, string> {
  const out = new Map<string, string>();
  const seen = new Map<string, number>();
  for (const v of values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const b = base(v);
    if (b === "") continue;
    const n = (seen.get(b) ?? 0) + 1;
    seen.set(b, n);
    out.set(v, n === 1 ? b : numbered(b, n));
  }
  return out;
}

function addName(names: Set<string>, v: unknown): void {
  if (typeof v === "string" && v.trim() !== "") names.add(v.trim());
}

function collectState(state: unknown, emails: Set<string>, names: Set<string>): void {
  if (!isRecord(state)) return;
  const client = state["client"];
  if (isRecord(client)) {
    if (typeof client["email"] === "string" && client["email"] !== "") emails.add(client["email"]);
    for (const k of ["firstName", "lastName", "company"]) addName(names, client[k]);
  }
  for (const part of ["zoho", "records"]) {
    const o = state[part];
    if (isRecord(o) && typeof o["superAdmin"] === "string" && o["superAdmin"] !== "") emails.add(o["superAdmin"]);
  }
}

function collectField(path: string, v: unknown, emails: Set<string>, names: Set<string>): void {
  if (isRecord(v)) {
    for (const [k, inner] of Object.entries(v)) collectField(`${path}.${k}`, inner, emails, names);
    return;
  }
  if (typeof v !== "string" || v === "") return;
  if (EMAIL_PATHS.has(path)) emails.add(v);
  else if (NAME_PATHS.has(path)) addName(names, v);
}

function maskField(path: string, v: unknown, email: (s: string) => string, name: (s: string) => string): unknown {
  if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, maskField(`${path}.${k}`, inner, email, name)]));
  if (typeof v !== "string") return v;
  if (EMAIL_PATHS.has(path)) return email(v);
  if (NAME_PATHS.has(path)) return name(v);
  return v;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function unquote(q: string | undefined): string {
  try {
    const v: unknown = JSON.parse(q ?? '""');
    return typeof v === "string" ? v : "";
  } catch {
    return "";
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A blocked customer org as the plan carries it (absent in plans without any). */
export interface BlockedLike {
  readonly key: string;
  readonly reasons: readonly { readonly code: string; readonly message: string; readonly hint?: string; readonly field?: string }[];
  readonly source?: SourcePosition;
}

/** Customer orgs live state blocks, if the plan has any. */
export function blockedOf(plan: Plan): readonly BlockedLike[] {
  return (plan as { readonly blocked?: readonly BlockedLike[] }).blocked ?? [];
}

/**
 * Where a change was declared, for people: relative to `root` (never the runner's absolute path),
 * `file:line`, and just `file` when the position is the file's start (it says nothing more).
 */
export function sourceText(source: SourcePosition, root: string | undefined): string {
  // Plain string work, no node:path: renderers stay pure. Both separators are accepted.
  let file = source.file.split("\\").join("/");
  const base = root === undefined ? undefined : root.split("\\").join("/").replace(/\/+$/, "");
  if (base !== undefined && file.startsWith(`${base}/`)) file = file.slice(base.length + 1);
  if (source.line <= 1 && source.col <= 1) return file;
  return source.col <= 1 ? `${file}:${source.line}` : `${file}:${source.line}:${source.col}`;
}

/** Masked diffs of a change (customer orgs only carry personal data). */
export function maskedValue(change: Change, mask: Masker, path: string, v: unknown): unknown {
  return change.kind === "CustomerOrg" ? mask.field(path, v) : v;
}
