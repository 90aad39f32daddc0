import { canonicalJson } from "../core/canonical.js";
import { toMoneyOrUndefined } from "../core/money.js";
import { isCycle } from "../core/cycles.js";
import type { Kind } from "../model/catalog.js";
import type { BillingImpact, Change, ChangeAction, FieldDiff, LicenseImpact, PendingItem, Plan, PlanSummary, RevenueImpact } from "../model/plan.js";
import { fieldDiffs, formatPath, parsePath } from "../plan/index.js";

const SIGNS: Readonly<Record<string, string>> = {
  create: "+",
  update: "~",
  adopt: "=",
  delete: "-",
  assign: ">",
  retire: "\u00d7",
  noop: " ",
};
/** One sign per action; a manual step shows `!` whatever its action. */
export const ACTION_SIGN = SIGNS as Readonly<Record<ChangeAction, string>>;

export function signOf(change: Change): string {
  return change.manual !== undefined ? "!" : ACTION_SIGN[change.action];
}

export const KIND_TITLE: Readonly<Record<Kind, string>> = {
  ProductGroup: "Product groups",
  ConfigOptionGroup: "Configurable option groups",
  Product: "Products",
  CustomerOrg: "Customer orgs",
};

export function visibleChanges(plan: Plan): Change[] {
  return plan.changes.filter((c) => c.action !== "noop");
}

export function summaryLine(s: PlanSummary): string {
  const parts = [`${s.create} to create`, `${s.update} to update`, `${s.adopt} to adopt`, `${s.delete} to delete`];
  if (s.assign > 0) parts.push(`${s.assign} to assign`);
  parts.push(`${s.noop} unchanged`);
  return `Plan: ${parts.join(", ")}. ${plural(s.manual, "manual step")}, ${plural(s.unmanaged, "unmanaged object")}.`;
}

export const NO_CHANGES = "No changes. Live state matches the manifests.";

/** "−3.00": a signed money string with a real minus sign, for people. */
function signed(m: string): string {
  return m.startsWith("-") ? `\u2212${m.slice(1)}` : m.startsWith("+") || m === "0.00" ? m : `+${m}`;
}

/**
 * The money footer: `MRR +42.00 USD/mo, −3.00 EUR/mo across 17 customers. Zoho licences +57.`
 * Undefined when the plan has no totals (no customer orgs declared).
 */
export function moneyLine(plan: Plan): string | undefined {
  const t = plan.totals;
  if (t === undefined) return undefined;
  const mrr = Object.entries(t.mrr).map(([cur, m]) => `${signed(m)} ${cur}/mo`);
  const licences = Object.values(t.licences).reduce((a, b) => a + b, 0);
  const cost = Object.entries(t.cost ?? {}).map(([cur, m]) => `${signed(m)} ${cur}/mo`);
  return (
    `MRR ${mrr.length > 0 ? mrr.join(", ") : "unchanged"} across ${plural(t.customers, "customer")}. ` +
    `Zoho licences ${licences > 0 ? `+${licences}` : licences < 0 ? `\u2212${-licences}` : "unchanged"}.` +
    (cost.length > 0 ? ` Partner cost ${cost.join(", ")}.` : "")
  );
}

/** "bills EUR 60.00 annually (was 0.00 monthly): MRR +5.00 EUR/mo; catalog price". */
export function billingLine(b: BillingImpact): string {
  const was = b.before === null ? "new service" : `was ${b.before}${b.cycleBefore !== null && b.cycleBefore !== b.cycleAfter ? ` ${b.cycleBefore}` : ""}`;
  return `bills ${b.currency} ${b.after} ${b.cycleAfter} (${was}): MRR ${signed(b.mrrDelta)} ${b.currency}/mo; ${b.basis}`;
}

/** What a new order does: "creates an invoice of EUR 60.00 and e-mails it to it@acme.example". */
export function orderLine(b: BillingImpact): string | undefined {
  const o = b.order;
  if (o === undefined) return undefined;
  if (!o.invoice) return `order: no invoice${o.emailTo !== null ? `; order confirmation e-mailed to ${o.emailTo}` : ", no e-mail"}`;
  return `order: creates an invoice of ${b.currency} ${o.amount}${o.emailTo !== null ? ` and e-mails it to ${o.emailTo}` : " (not e-mailed)"}`;
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** A value as text: strings quoted, nothing as `(none)`, objects as compact canonical JSON. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return "(none)";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "object") return canonicalJson(v);
  return String(v);
}

/**
 * On a create, price cells left at their defaults ("-1.00": cycle not offered; "0.00": no setup
 * fee, no option surcharge) say nothing a reviewer needs; renderers skip them.
 */
export function isQuietCreateField(d: FieldDiff): boolean {
  const segments = parsePath(d.path) ?? [];
  const last = segments[segments.length - 1] ?? "";
  // Inside options and choices of a new object, the key repeats the path, the order is the
  // manifest order, and `hidden: false` is the default: only noise for a reviewer.
  if (segments.length > 2 && (last === "key" || last === "order" || (last === "hidden" && d.after === false))) return true;
  if (segments[segments.length - 3] !== "pricing") return false;
  const money = toMoneyOrUndefined(d.after);
  return segments[0] === "pricing" && isCycle(last) ? money === "-1.00" : money === "0.00";
}

/** Shown diffs of a change, and how many were left out as defaults. */
export function shownDiffs(change: Change): { diffs: FieldDiff[]; quiet: number } {
  const all = fieldDiffs(change);
  const meaningful = all.filter((d) => meansSomething(change, d));
  const diffs = change.action === "create" ? meaningful.filter((d) => !isQuietCreateField(d)) : meaningful;
  return { diffs, quiet: all.length - diffs.length };
}

/** An option of a configurable option group, as the change's state after (or before) has it. */
function optionOf(change: Change, key: string): { type?: unknown; choices?: Record<string, { label?: unknown }> } | undefined {
  for (const state of [change.after, change.before]) {
    const options = (state as { options?: Record<string, unknown> } | null)?.options;
    const option = options?.[key];
    if (typeof option === "object" && option !== null) return option as { type?: unknown; choices?: Record<string, { label?: unknown }> };
  }
  return undefined;
}

/** The single sub-option of quantity and yes/no options has the empty key; dropdowns and radios name theirs. */
function hasSingleChoice(type: unknown): boolean {
  return type === "quantity" || type === "yesno";
}

/** `min` and `max` mean something for quantity options only (WHMCS stores 0/0 for the others). */
function meansSomething(change: Change, d: FieldDiff): boolean {
  if (change.kind !== "ConfigOptionGroup") return true;
  const s = parsePath(d.path) ?? [];
  if (s.length !== 3 || s[0] !== "options" || (s[2] !== "min" && s[2] !== "max")) return true;
  const type = optionOf(change, s[1] ?? "")?.type;
  return type === undefined || type === "quantity";
}

/**
 * A field path for people: the single sub-option of a quantity or yes/no option is shown by its
 * label (`options.mailboxes.Mailbox.pricing.EUR.monthly`), never as `choices[""]`.
 */
export function displayPath(change: Change, path: string): string {
  if (change.kind !== "ConfigOptionGroup") return path;
  const s = parsePath(path);
  if (s === undefined || s.length < 4 || s[0] !== "options" || s[2] !== "choices" || s[3] !== "") return path;
  const option = optionOf(change, s[1] ?? "");
  if (!hasSingleChoice(option?.type)) return path;
  const label = option?.choices?.[""]?.label;
  return formatPath(["options", s[1] ?? "", typeof label === "string" && label !== "" ? label : "choice", ...s.slice(4)]);
}

/** At most `max` items, then "and N more". */
export function capped(items: readonly string[], max: number): string {
  if (items.length <= max) return items.join(", ");
  return `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

/** "1 product", "3 customer orgs": a count with the kind's noun. */
export function kindCount(kind: Kind, n: number): string {
  return plural(n, KIND_NOUN[kind]);
}

const KIND_NOUN: Readonly<Record<Kind, string>> = {
  ProductGroup: "product group",
  ConfigOptionGroup: "option group",
  Product: "product",
  CustomerOrg: "customer org",
};

export function cycleOf(r: RevenueImpact): string {
  return r.cycle ?? "";
}

export function targetLine(plan: Plan): string {
  const region = plan.target.zohoRegion === undefined ? "" : `, Zoho region ${plan.target.zohoRegion}`;
  const shard = plan.target.shard === undefined ? "" : `, customer shard ${plan.target.shard}`;
  return `${plan.target.whmcs} (catalog backend ${plan.target.catalogBackend}${region}${shard})`;
}

/** "Zoho licences 20 → 25"; a side without licences (no org yet, free or trial) reads "none". */
export function licenceLine(l: LicenseImpact): string {
  const side = (n: number | null): string => (n === null ? "none" : String(n));
  return `Zoho licences ${side(l.before)} → ${side(l.after)}`;
}

/** Pending items of a plan (absent in catalog-only plans). */
export function pendingOf(plan: Plan): readonly PendingItem[] {
  return plan.pending ?? [];
}

/** What a person must publish, in one line. */
export function pendingLine(p: PendingItem): string {
  return p.record === null ? p.message : `${p.record.name} ${p.record.type} ${p.record.value}`;
}

/** True when the plan covers customer orgs (their own heading and wording). */
export function coversCustomers(plan: Plan): boolean {
  return plan.changes.some((c) => c.kind === "CustomerOrg") || pendingOf(plan).length > 0;
}

/** A product price change in words: WHMCS keeps existing services' amounts, so only new orders pay it. */
export function revenueWords(r: RevenueImpact): string {
  const services = r.activeServices === null ? "active services unknown" : plural(r.activeServices, "active service");
  return `${r.mrrDeltaPerService} a month for new orders; ${services} keep their amount unless policy.reprice moves them (MRR now ${r.mrrDelta ?? "unknown"})`;
}
