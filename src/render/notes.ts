import type { Change } from "../model/plan.js";
import { GENERAL_CLAUSES } from "../plan/customers/notes.js";
import type { Masker } from "./mask.js";

/** A note said once for every change it applies to. */
export interface SharedNote {
  /** With the org's own values (domain, client e-mail, super admin) as placeholders. */
  readonly text: string;
  readonly changes: readonly Change[];
}

export interface NoteIndex {
  /** Notes of this change that no other change has: shown with the change. */
  own(change: Change): readonly string[];
  /** Notes two or more changes have, in the order they first appear. */
  readonly shared: readonly SharedNote[];
}

interface Entry {
  readonly text: string;
  readonly key: string;
}

/**
 * Notes of a plan said once each: a note that applies to several changes (after cutting the clauses
 * every org repeats and putting placeholders for the org's own domain and e-mails) is listed once
 * with the changes it applies to; the rest stay with their change. Notes are masked first.
 */
export function indexNotes(changes: readonly Change[], mask: Masker): NoteIndex {
  const perChange = new Map<Change, Entry[]>();
  const groups = new Map<string, Change[]>();
  for (const c of changes) {
    const entries = notesOf(c, mask);
    perChange.set(c, entries);
    for (const e of entries) {
      const list = groups.get(e.key);
      if (list === undefined) groups.set(e.key, [c]);
      else if (list[list.length - 1] !== c) list.push(c);
    }
  }
  const shared: SharedNote[] = [];
  for (const [key, list] of groups) if (list.length > 1) shared.push({ text: key, changes: list });
  return {
    own: (c) => (perChange.get(c) ?? []).filter((e) => (groups.get(e.key)?.length ?? 0) <= 1).map((e) => e.text),
    shared,
  };
}

function notesOf(c: Change, mask: Masker): Entry[] {
  const out: Entry[] = [];
  const seen = new Set<string>();
  const push = (text: string, key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ text, key });
  };
  const placeholders = c.kind === "CustomerOrg" ? orgPlaceholders(c, mask) : [];
  for (const raw of c.impact.notes ?? []) {
    let note = mask.text(raw);
    const general: string[] = [];
    for (const g of GENERAL_CLAUSES) {
      const tail = `${g.joiner}${g.clause}`;
      if (note.endsWith(tail)) {
        note = note.slice(0, -tail.length);
        general.push(g.alone);
      }
    }
    let key = note;
    for (const [value, placeholder] of placeholders) key = key.split(value).join(placeholder);
    push(note, key);
    for (const g of general) push(g, g);
  }
  return out;
}

/** The org's own values in its notes (masked as shown); e-mails first, since they contain the domain. */
function orgPlaceholders(c: Change, mask: Masker): [string, string][] {
  const state = (c.after ?? c.before) as {
    domain?: unknown;
    mailboxes?: unknown;
    client?: { email?: unknown };
    zoho?: { superAdmin?: unknown; plan?: { licenses?: unknown } | null };
  } | null;
  const out: [string, string][] = [];
  const email = state?.client?.email;
  const admin = state?.zoho?.superAdmin;
  if (typeof email === "string" && email !== "") out.push([mask.email(email), "\u2039client e-mail\u203a"]);
  if (typeof admin === "string" && admin !== "" && admin !== email) out.push([mask.email(admin), "\u2039super admin\u203a"]);
  if (typeof state?.domain === "string" && state.domain !== "") out.push([state.domain, "\u2039domain\u203a"]);
  // Counts the org's row shows: "25 mailboxes" and "25 user licences" read the same for every org.
  if (typeof state?.mailboxes === "number") out.push([` ${state.mailboxes} mailboxes`, " \u2039n\u203a mailboxes"]);
  const licences = state?.zoho?.plan?.licenses;
  if (typeof licences === "number") out.push([`, ${licences} user licences through`, ", \u2039n\u203a user licences through"]);
  return out;
}

/**
 * Which changes a shared note applies to: "all 48 customer orgs in this plan" when it applies to
 * every change of its kind, otherwise their names (at most `max`, then "and N more").
 */
export function appliesTo(note: SharedNote, all: readonly Change[], max = 12): string {
  const kinds = new Set(note.changes.map((c) => c.kind));
  const [kind] = [...kinds];
  if (kinds.size === 1 && kind !== undefined) {
    const ofKind = all.filter((c) => c.kind === kind).length;
    if (ofKind === note.changes.length) return `${note.changes.length === 2 ? "both" : `all ${note.changes.length}`} ${KIND_PLURAL[kind]} in this plan`;
  }
  const names = note.changes.map((c) => (kinds.size === 1 ? c.name : c.key));
  const shown = names.length <= max ? names.join(", ") : `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
  return `${note.changes.length} ${kinds.size === 1 && kind !== undefined ? KIND_PLURAL[kind] : "changes"}: ${shown}`;
}

const KIND_PLURAL: Readonly<Record<Change["kind"], string>> = {
  ProductGroup: "product groups",
  ConfigOptionGroup: "option groups",
  Product: "products",
  CustomerOrg: "customer orgs",
};
