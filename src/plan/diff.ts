import { canonicalJson, compareCodeUnits } from "../core/canonical.js";
import { toMoneyOrUndefined } from "../core/money.js";
import type { Change, FieldDiff } from "../model/plan.js";
import { formatPath } from "./path.js";

/** A leaf difference with its path still split into segments (classification reads them). */
export interface SegmentDiff {
  readonly segments: readonly string[];
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * Deep difference of two canonical states. Objects are walked over the sorted union of their
 * keys; a side that lacks a key counts as `null`, and the walk goes on into the side that has
 * an object, so every diff is a leaf or a whole array (arrays are compared as values). Inputs
 * are only read. The result is sorted by path.
 */
export function diffStates(before: unknown, after: unknown): SegmentDiff[] {
  const out: SegmentDiff[] = [];
  walk([], before, after, out);
  return out.length > 1 ? out.sort((a, b) => compareCodeUnits(a.path, b.path)) : out;
}

/** Members in code-unit order, as the plan's canonical JSON lists them: the checksum need not reorder them. */
export function toFieldDiffs(diffs: readonly SegmentDiff[]): FieldDiff[] {
  return diffs.map((d) => ({ after: d.after, before: d.before, path: d.path }));
}

/**
 * The field differences of a change as reviewers read them. A plan lists them for every action but
 * create: a create's fields are its `after` (a second copy of each as a diff from nothing made
 * plans of new catalogs three times their size), so they are derived here, once per change.
 */
export function fieldDiffs(change: Pick<Change, "action" | "after" | "diffs">): readonly FieldDiff[] {
  if (change.action !== "create" || change.diffs.length > 0) return change.diffs;
  let derived = derivedCreates.get(change);
  if (derived === undefined) {
    derived = toFieldDiffs(diffStates(null, change.after));
    derivedCreates.set(change, derived);
  }
  return derived;
}

const derivedCreates = new WeakMap<object, readonly FieldDiff[]>();

/**
 * Every leaf of a new state, as `diffStates(null, after)` would list it but unsorted, without
 * paths, and through one view object reused for each leaf: for readers that look at each leaf once
 * (classification). Arrays are leaves, as in the diff.
 */
export function forEachCreatedLeaf(after: unknown, visit: (leaf: SegmentDiff) => void): void {
  const segments: string[] = [];
  const view = { segments, path: "", before: null, after: null as unknown };
  const go = (value: unknown): void => {
    if (value === null || value === undefined) return;
    if (isPlainObject(value)) {
      for (const key of Object.keys(value)) {
        segments.push(key);
        go(value[key]);
        segments.pop();
      }
      return;
    }
    view.after = value;
    visit(view);
  };
  go(after);
}

/** `segments` is one stack shared by the whole walk; a diff takes a copy. */
function walk(segments: string[], before: unknown, after: unknown, out: SegmentDiff[]): void {
  const b = before ?? null;
  const a = after ?? null;
  if (b === a) return;
  const bObj = isPlainObject(b);
  const aObj = isPlainObject(a);
  if ((bObj || aObj) && (bObj || b === null) && (aObj || a === null)) {
    const keys = bObj && aObj ? unionOfKeys(b, a) : Object.keys(bObj ? b : (a as object));
    for (const key of keys) {
      segments.push(key);
      walk(segments, bObj ? b[key] : null, aObj ? a[key] : null, out);
      segments.pop();
    }
    return;
  }
  if (leafEqual(segments, b, a)) return;
  const copy = [...segments];
  out.push({ segments: copy, path: formatPath(copy), before: b, after: a });
}

function unionOfKeys(b: object, a: object): string[] {
  const keys = Object.keys(b);
  for (const k of Object.keys(a)) if (!Object.hasOwn(b, k)) keys.push(k);
  return keys;
}

/**
 * Equality of two leaves. Amounts (`pricing.<currency>.<key>`) compare as money so a loose live
 * value (`"10"`, `10`) equals its canonical form (`"10.00"`); WHMCS is loose about types there.
 */
function leafEqual(segments: readonly string[], b: unknown, a: unknown): boolean {
  if (b === a) return true;
  if (Array.isArray(b) || Array.isArray(a)) return canonicalJson(b) === canonicalJson(a);
  if (segments[segments.length - 3] === "pricing") {
    const mb = toMoneyOrUndefined(b);
    const ma = toMoneyOrUndefined(a);
    return mb !== undefined && mb === ma;
  }
  return false;
}

function isPlainObject(x: unknown): x is Readonly<Record<string, unknown>> {
  return x !== null && typeof x === "object" && !Array.isArray(x);
}
