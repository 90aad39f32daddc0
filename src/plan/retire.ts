import { compareCodeUnits } from "../core/canonical.js";
import { resourceKey, type Kind, type LiveCatalog, type LiveObject, type LiveProductState, type ProductGroupState, type ConfigOptionGroupState } from "../model/catalog.js";
import type { Change, UnmanagedObject } from "../model/plan.js";
import { classify } from "./classify.js";
import { diffStates, toFieldDiffs } from "./diff.js";
import { liveProductGroupState, liveProductState } from "./live-state.js";

/*
 * Retiring catalog objects the tool owns and no manifest declares any more (`policy.prune`).
 * Nothing is ever deleted: WHMCS services keep referring to products, groups and options for as
 * long as they exist. A product or a group is hidden from the order form; an option group is
 * detached from the retired products that link it (the product writes drop the link). An object
 * that is already retired is no change, so a plan converges; one that cannot be retired yet says
 * why in the unmanaged list.
 */

export type Prune = Readonly<Partial<Record<Kind, boolean>>>;

export interface RetireInput {
  readonly live: LiveCatalog;
  readonly prune: Prune;
  /** Live objects no manifest matched, per kind. */
  readonly unmatched: {
    readonly productGroups: readonly LiveObject<ProductGroupState>[];
    readonly configOptionGroups: readonly LiveObject<ConfigOptionGroupState>[];
    readonly products: readonly LiveObject<LiveProductState>[];
  };
  /** Remote id → resource name of matched groups and option groups (for product states). */
  readonly groupNames: ReadonlyMap<string, string>;
  readonly optionGroupNames: ReadonlyMap<string, string>;
  /** Remote ids of live products a manifest declares: their own updates drop links to undeclared option groups. */
  readonly declaredProductIds: ReadonlySet<string>;
}

export interface RetireResult {
  /** `retire` changes, unsorted. */
  readonly changes: readonly Change[];
  /** Remote ids (per kind) whose retire is a change: they leave the unmanaged list. */
  readonly retiring: ReadonlySet<string>;
  /** Notes for owned objects that stay orphaned, by `<kind>/<remoteId>`. */
  readonly notes: ReadonlyMap<string, string>;
}

function activeServices(live: LiveCatalog, productIds: readonly string[]): number | null {
  if (live.serviceCounts === undefined) return null;
  const ids = new Set(productIds);
  return live.serviceCounts.filter((c) => ids.has(c.productId)).reduce((n, c) => n + c.active, 0);
}

function tag(kind: Kind, remoteId: string): string {
  return `${kind}/${remoteId}`;
}

function services(n: number | null): string {
  return n === null ? "active services unknown" : `${n} active service(s) still on it, untouched`;
}

/** The retire changes `policy.prune` asks for, and notes on what stays orphaned. Pure. */
export function retirements(input: RetireInput): RetireResult {
  const { live, prune, unmatched } = input;
  const changes: Change[] = [];
  const retiring = new Set<string>();
  const notes = new Map<string, string>();
  const owned = <T>(list: readonly LiveObject<T>[]): LiveObject<T>[] => list.filter((l) => l.ownedAs !== undefined);

  const retiredProductIds = new Set(prune.Product === true ? owned(unmatched.products).map((p) => p.remoteId) : []);

  // Option groups first: products retired in the same plan drop their links.
  const detached = new Map<string, string>();
  for (const g of owned(unmatched.configOptionGroups)) {
    const linkers = live.products.filter((p) => p.state.configOptionGroupIds.includes(g.remoteId));
    const blockers = linkers.filter((p) => !retiredProductIds.has(p.remoteId) && !input.declaredProductIds.has(p.remoteId));
    const count = activeServices(live, linkers.map((p) => p.remoteId));
    if (prune.ConfigOptionGroup !== true) {
      notes.set(tag("ConfigOptionGroup", g.remoteId), `orphaned, still offered on ${linkers.length} product(s): declare it again, or set policy.prune.ConfigOptionGroup to detach it (never deleted)`);
      continue;
    }
    const retiredLinkers = linkers.filter((p) => retiredProductIds.has(p.remoteId));
    if (blockers.length > 0) {
      notes.set(
        tag("ConfigOptionGroup", g.remoteId),
        `not retired: still linked to product(s) no manifest declares and the tool does not retire: ${blockers.map((p) => `#${p.remoteId} ${JSON.stringify(p.state.name)}`).join(", ")}`,
      );
      continue;
    }
    if (retiredLinkers.length === 0) {
      notes.set(tag("ConfigOptionGroup", g.remoteId), "retired: linked to no product any more (kept, never deleted)");
      continue;
    }
    const name = g.ownedAs as string;
    detached.set(g.remoteId, name);
    retiring.add(tag("ConfigOptionGroup", g.remoteId));
    const key = resourceKey("ConfigOptionGroup", name);
    changes.push({
      id: key,
      action: "retire",
      kind: "ConfigOptionGroup",
      name,
      key,
      remoteId: g.remoteId,
      before: { linkedTo: retiredLinkers.map((p) => `#${p.remoteId}`).sort(compareCodeUnits) },
      after: { linkedTo: [] },
      diffs: [{ path: "linkedTo", before: retiredLinkers.map((p) => `#${p.remoteId}`).sort(compareCodeUnits), after: [] }],
      dependsOn: [],
      classes: ["customer-visible", "destructive"],
      impact: {
        retire: { activeServices: count },
        notes: [
          `detached from ${retiredLinkers.map((p) => JSON.stringify(p.state.name)).join(", ")} (retired in this plan); the option group and its options are kept, never deleted (${services(count)})`,
        ],
      },
    });
  }

  for (const p of owned(unmatched.products)) {
    const count = activeServices(live, [p.remoteId]);
    if (prune.Product !== true) {
      if (!p.state.hidden) {
        notes.set(tag("Product", p.remoteId), `orphaned, still orderable: declare it again, or set policy.prune.Product to retire it (hidden, never deleted); ${services(count)}`);
      } else notes.set(tag("Product", p.remoteId), `orphaned, hidden; ${services(count)}`);
      continue;
    }
    const optionGroupNames = new Map(input.optionGroupNames);
    for (const [id, name] of detached) optionGroupNames.set(id, name);
    const before = liveProductState(p.state, input.groupNames, optionGroupNames);
    const after = { ...before, hidden: true, retired: true, configOptionGroups: before.configOptionGroups.filter((g) => ![...detached.values()].includes(g)) };
    const diffs = diffStates(before, after);
    if (diffs.length === 0) {
      notes.set(tag("Product", p.remoteId), `retired (hidden, never deleted); ${services(count)}`);
      continue;
    }
    const name = p.ownedAs as string;
    const key = resourceKey("Product", name);
    retiring.add(tag("Product", p.remoteId));
    const dropped = before.configOptionGroups.filter((g) => !after.configOptionGroups.includes(g));
    changes.push({
      id: key,
      action: "retire",
      kind: "Product",
      name,
      key,
      remoteId: p.remoteId,
      before,
      after,
      diffs: toFieldDiffs(diffs),
      dependsOn: dropped.map((g) => resourceKey("ConfigOptionGroup", g)).sort(compareCodeUnits),
      classes: [...new Set([...classify("Product", "update", diffs), "destructive" as const])].sort(compareCodeUnits),
      impact: {
        retire: { activeServices: count },
        notes: [
          `retires ${JSON.stringify(p.state.name)}: hidden from the order form, never deleted; ${services(count)}`,
          ...(dropped.length > 0 ? [`detaches option group(s) ${dropped.join(", ")}`] : []),
          "declare it again to bring it back",
        ],
      },
    });
  }

  for (const g of owned(unmatched.productGroups)) {
    const members = live.products.filter((p) => p.state.groupId === g.remoteId);
    const count = activeServices(live, members.map((p) => p.remoteId));
    if (prune.ProductGroup !== true) {
      if (!g.state.hidden) notes.set(tag("ProductGroup", g.remoteId), `orphaned, still shown: declare it again, or set policy.prune.ProductGroup to retire it (hidden, never deleted)`);
      continue;
    }
    if (g.state.hidden) {
      notes.set(tag("ProductGroup", g.remoteId), "retired (hidden, never deleted)");
      continue;
    }
    const name = g.ownedAs as string;
    const key = resourceKey("ProductGroup", name);
    const before = liveProductGroupState(g.state);
    const after = { ...before, hidden: true };
    retiring.add(tag("ProductGroup", g.remoteId));
    changes.push({
      id: key,
      action: "retire",
      kind: "ProductGroup",
      name,
      key,
      remoteId: g.remoteId,
      before,
      after,
      diffs: toFieldDiffs(diffStates(before, after)),
      dependsOn: [],
      classes: ["customer-visible", "destructive"],
      impact: {
        retire: { activeServices: count },
        notes: [`retires group ${JSON.stringify(g.state.name)}: hidden, never deleted; its ${members.length} product(s) keep their services (${services(count)})`],
      },
    });
  }
  return { changes, retiring, notes };
}

/** The unmanaged list without what is being retired, with the notes on what stays orphaned. */
export function withRetireNotes(unmanaged: readonly UnmanagedObject[], result: RetireResult): UnmanagedObject[] {
  return unmanaged
    .filter((u) => !result.retiring.has(tag(u.kind, u.remoteId)))
    .map((u) => {
      const note = u.reason === "orphaned" ? result.notes.get(tag(u.kind, u.remoteId)) : undefined;
      return note === undefined ? u : { ...u, note };
    });
}
