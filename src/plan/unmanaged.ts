import { compareCodeUnits } from "../core/canonical.js";
import { KINDS, type Kind, type LiveObject } from "../model/catalog.js";
import type { UnmanagedObject } from "../model/plan.js";

/** Live objects no resource matched: `orphaned` when the ledger records them as ours, else `unmanaged`. */
export function unmanagedObjects(
  kind: Kind,
  unmatched: readonly LiveObject<{ readonly name: string }>[],
  ownershipKnown: boolean,
): UnmanagedObject[] {
  return unmatched.map((l) =>
    ownershipKnown && l.ownedAs !== undefined
      ? { kind, remoteId: l.remoteId, name: l.state.name, reason: "orphaned", ownedAs: l.ownedAs }
      : { kind, remoteId: l.remoteId, name: l.state.name, reason: "unmanaged" },
  );
}

export function compareUnmanaged(a: UnmanagedObject, b: UnmanagedObject): number {
  return (
    KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) ||
    compareCodeUnits(a.name, b.name) ||
    compareCodeUnits(a.remoteId, b.remoteId)
  );
}
