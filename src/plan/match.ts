import { compareCodeUnits } from "../core/canonical.js";
import type { Kind, LiveObject, SourcePosition } from "../model/catalog.js";
import type { Ambiguity } from "./errors.js";

/** `owned`: recorded in the ownership ledger under the resource's name. `natural`: same natural key. */
export type MatchVia = "owned" | "natural";

export interface Matched<L> {
  readonly live: L;
  readonly via: MatchVia;
}

export interface DesiredRef {
  readonly name: string;
  readonly naturalKey: string;
  readonly source: SourcePosition;
}

export interface MatchInput<L extends LiveObject<unknown>> {
  readonly kind: Kind;
  readonly desired: readonly DesiredRef[];
  readonly live: readonly L[];
  readonly naturalKeyOf: (live: L) => string;
  readonly ownershipKnown: boolean;
  /** Live objects that may be adopted by natural key; objects owned under the name always match. */
  readonly adoptable: (live: L) => boolean;
}

export interface MatchResult<L> {
  /** By desired resource name. */
  readonly matches: ReadonlyMap<string, Matched<L>>;
  readonly ambiguities: readonly Ambiguity[];
  /** Live objects no desired resource matched, sorted by remote id. */
  readonly unmatched: readonly L[];
}

/**
 * Pairs desired resources with live objects of one kind: first by ownership, then by natural
 * key among objects nobody owns. Several candidates, or one object claimed by several
 * resources, is an ambiguity: reported, never resolved by guessing.
 */
export function matchKind<L extends LiveObject<unknown>>(input: MatchInput<L>): MatchResult<L> {
  const { kind, ownershipKnown } = input;
  const byId = (a: L, b: L): number => compareCodeUnits(a.remoteId, b.remoteId);
  const matches = new Map<string, Matched<L>>();
  const ambiguities: Ambiguity[] = [];

  // Live objects by owner name and, among those nobody owns that may be adopted, by natural key:
  // each list in live order, built once (a search of every live object per resource is quadratic).
  const ownedBy = new Map<string, L[]>();
  const adoptableBy = new Map<string, L[]>();
  for (const l of input.live) {
    if (ownershipKnown && l.ownedAs !== undefined) append(ownedBy, l.ownedAs, l);
    if ((!ownershipKnown || l.ownedAs === undefined) && input.adoptable(l)) append(adoptableBy, input.naturalKeyOf(l), l);
  }
  for (const d of [...input.desired].sort((a, b) => compareCodeUnits(a.name, b.name))) {
    const owned = ownedBy.get(d.name) ?? [];
    const candidates = owned.length > 0 ? owned : [...(adoptableBy.get(d.naturalKey) ?? [])];
    const only = candidates[0];
    if (candidates.length > 1) {
      ambiguities.push({
        kind,
        names: [d.name],
        sources: [d.source],
        remoteIds: candidates.sort(byId).map((l) => l.remoteId),
        naturalKey: d.naturalKey,
      });
    } else if (only !== undefined) {
      matches.set(d.name, { live: only, via: owned.length > 0 ? "owned" : "natural" });
    }
  }

  // Two resources with the same natural key would both adopt one object.
  const claims = new Map<string, string[]>();
  for (const [name, m] of matches) claims.set(m.live.remoteId, [...(claims.get(m.live.remoteId) ?? []), name]);
  for (const [remoteId, names] of [...claims].sort((a, b) => compareCodeUnits(a[0], b[0]))) {
    if (names.length < 2) continue;
    const sorted = names.sort(compareCodeUnits);
    const refs = sorted.map((n) => input.desired.find((d) => d.name === n)).filter((d) => d !== undefined);
    ambiguities.push({
      kind,
      names: sorted,
      sources: refs.map((r) => r.source),
      remoteIds: [remoteId],
      naturalKey: refs[0]?.naturalKey ?? "",
    });
    for (const n of sorted) matches.delete(n);
  }

  const taken = new Set([...matches.values()].map((m) => m.live.remoteId));
  const unmatched = input.live.filter((l) => !taken.has(l.remoteId)).sort(byId);
  return { matches, ambiguities, unmatched };
}

function append<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
