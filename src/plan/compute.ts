import { compareCodeUnits } from "../core/canonical.js";
import type { ManifestIssue } from "../core/errors.js";
import {
  KINDS,
  MANAGED_MODULE,
  resourceKey,
  type DesiredCatalog,
  type Kind,
  type LiveCatalog,
  type LiveObject,
  type ResourceKey,
  type SourcePosition,
} from "../model/catalog.js";
import {
  PLAN_FORMAT_VERSION,
  type Change,
  type ChangeAction,
  type ChangeImpact,
  type Plan,
  type PlanSummary,
  type PlanTarget,
  type UnmanagedObject,
} from "../model/plan.js";
import type { CatalogBackend } from "../model/provider.js";
import { checksumOf } from "./checksum.js";
import { classify, classifyCreate } from "./classify.js";
import {
  desiredConfigOptionGroupState,
  desiredProductGroupState,
  desiredProductState,
  type CompletionContext,
  type Retired,
} from "./desired-state.js";
import { diffStates, toFieldDiffs, type SegmentDiff } from "./diff.js";
import { ambiguousMatchError, issueAt, PlanErrorCode, throwIfIssues } from "./errors.js";
import { liveConfigOptionGroupState, liveProductGroupState, liveProductState } from "./live-state.js";
import { manualStep, type DisplayNames } from "./manual.js";
import { matchKind, type Matched, type MatchResult } from "./match.js";
import { changeNotes } from "./notes.js";
import { productRevenueImpact, type CycleRevenueImpact } from "./revenue.js";
import { compareUnmanaged, unmanagedObjects } from "./unmanaged.js";
import { retirements, withRetireNotes, type Prune } from "./retire.js";

export interface PlanInput {
  readonly desired: DesiredCatalog;
  readonly live: LiveCatalog;
  readonly target: PlanTarget;
  /** Decides which changes become manual steps (`api` is read-only). */
  readonly backend: CatalogBackend;
  /** `policy.prune`: owned objects no manifest declares are retired (hidden, detached), never deleted. */
  readonly prune?: Prune;
}

/** Everything known about one desired resource before it becomes a Change. */
interface Draft {
  readonly kind: Kind;
  readonly name: string;
  readonly source: SourcePosition;
  readonly matched: Matched<LiveObject<{ readonly name: string }>> | undefined;
  readonly before: unknown;
  readonly after: unknown;
  /** Empty for a create (see `diffsOf`). */
  readonly diffs: readonly SegmentDiff[];
  readonly retired?: Retired;
  readonly freePricingIgnored?: boolean;
  readonly revenue?: readonly CycleRevenueImpact[];
  /** Resources a product refers to: its group and option groups. */
  readonly refs?: readonly ResourceKey[];
}

/**
 * Computes the catalog plan: pure, synchronous and deterministic. The same inputs give a
 * byte-identical plan whatever the order of the input arrays.
 *
 * Throws `ManifestError` (unknown currencies, dangling references, duplicates) and
 * `ReconcileError` `plan.ambiguous-match` (a resource matches several live objects).
 */
export function computePlan(input: PlanInput): Plan {
  const body = computePlanBody(input);
  return { ...body, checksum: checksumOf(body) };
}

/** `computePlan` without the checksum, for plans that add to it and sum it up once (computeFullPlan). */
export function computePlanBody(input: PlanInput): Omit<Plan, "checksum"> {
  const { desired, live, backend } = input;
  const ownershipKnown = live.ownershipKnown;
  const issues: ManifestIssue[] = [];
  const ctx: CompletionContext = {
    currencies: [...new Set(live.currencies.map((c) => c.code))].sort(compareCodeUnits),
    issues,
  };
  const groups = byName(desired.productGroups);
  const optionGroups = byName(desired.configOptionGroups);
  const products = byName(desired.products);
  checkDuplicates([...groups, ...optionGroups, ...products], issues);
  checkReferences(desired, issues);

  const groupMatch = matchKind({
    kind: "ProductGroup",
    desired: groups.map((r) => ({ name: r.name, naturalKey: r.spec.name, source: r.source })),
    live: live.productGroups,
    naturalKeyOf: (l) => l.state.name,
    ownershipKnown,
    adoptable: () => true,
  });
  const optionGroupMatch = matchKind({
    kind: "ConfigOptionGroup",
    desired: optionGroups.map((r) => ({ name: r.name, naturalKey: r.spec.name, source: r.source })),
    live: live.configOptionGroups,
    naturalKeyOf: (l) => l.state.name,
    ownershipKnown,
    adoptable: () => true,
  });
  const productMatch = matchKind({
    kind: "Product",
    desired: products.map((r) => ({ name: r.name, naturalKey: r.spec.name, source: r.source })),
    live: live.products,
    naturalKeyOf: (l) => l.state.name,
    ownershipKnown,
    adoptable: (l) => l.state.module === MANAGED_MODULE,
  });

  const groupIdToName = remoteIdToName(groupMatch);
  const optionGroupIdToName = remoteIdToName(optionGroupMatch);
  const drafts: Draft[] = [];

  for (const r of groups) {
    const m = groupMatch.matches.get(r.name);
    const before = m === undefined ? null : liveProductGroupState(m.live.state);
    const after = desiredProductGroupState(r.spec);
    drafts.push({ kind: r.kind, name: r.name, source: r.source, matched: m, before, after, diffs: diffsOf(before, after) });
  }
  for (const r of optionGroups) {
    const m = optionGroupMatch.matches.get(r.name);
    const before = m === undefined ? null : liveConfigOptionGroupState(m.live.state);
    const { state: after, retired } = desiredConfigOptionGroupState(r.spec, before ?? undefined, ctx, r.source);
    drafts.push({ kind: r.kind, name: r.name, source: r.source, matched: m, before, after, diffs: diffsOf(before, after), retired });
  }
  for (const r of products) {
    const m = productMatch.matches.get(r.name);
    const before = m === undefined ? null : liveProductState(m.live.state, groupIdToName, optionGroupIdToName);
    const completed = desiredProductState(r.spec, ctx, r.source);
    // Free products have no price to keep in step: the live rows stay as they are.
    const ignorePricing = before !== null && completed.payType === "free";
    const after = ignorePricing ? { ...completed, pricing: before.pricing } : completed;
    drafts.push({
      kind: r.kind,
      name: r.name,
      source: r.source,
      matched: m,
      before,
      after,
      diffs: diffsOf(before, after),
      freePricingIgnored: ignorePricing && diffStates(before.pricing, completed.pricing).length > 0,
      revenue: m === undefined || before === null ? [] : productRevenueImpact(before, after, m.live.remoteId, live.serviceCounts),
      refs: [resourceKey("ProductGroup", after.group), ...after.configOptionGroups.map((g) => resourceKey("ConfigOptionGroup", g))],
    });
  }

  throwIfIssues(issues);
  const ambiguities = [...groupMatch.ambiguities, ...optionGroupMatch.ambiguities, ...productMatch.ambiguities];
  if (ambiguities.length > 0) throw ambiguousMatchError(ambiguities);

  const names = displayNames(desired, live);
  const actions = new Map<ResourceKey, ChangeAction>();
  const changes: Change[] = [];
  for (const draft of drafts) {
    const key = resourceKey(draft.kind, draft.name);
    const action = actionOf(draft, ownershipKnown);
    actions.set(key, action);
    const remoteId = draft.matched?.live.remoteId;
    const revenue = draft.revenue ?? [];
    const notes = changeNotes({
      kind: draft.kind,
      action,
      diffs: draft.diffs,
      live: draft.matched && { remoteId: draft.matched.live.remoteId, name: draft.matched.live.state.name },
      ownershipKnown,
      retired: draft.retired,
      freePricingIgnored: draft.freePricingIgnored ?? false,
    });
    const impact: ChangeImpact = {
      ...(notes.length > 0 ? { notes } : {}),
      ...(revenue.length > 0 ? { revenue } : {}),
    };
    const manual =
      backend === "api" && action !== "noop"
        ? manualStep({
            kind: draft.kind,
            action,
            remoteId,
            before: draft.before,
            after: draft.after,
            diffs: action === "create" ? diffStates(null, draft.after) : draft.diffs,
            ownershipKnown,
            names,
          })
        : undefined;
    // Members in code-unit order, as every object of a plan is built: see canonicalJson.
    changes.push({
      action,
      after: draft.after,
      before: draft.before,
      classes: action === "create" ? classifyCreate(draft.kind, draft.after) : classify(draft.kind, action, draft.diffs),
      dependsOn: dependenciesOf(draft, actions),
      diffs: toFieldDiffs(draft.diffs),
      id: key,
      impact,
      key,
      kind: draft.kind,
      ...(manual !== undefined ? { manual } : {}),
      name: draft.name,
      ...(remoteId !== undefined ? { remoteId } : {}),
      source: { col: draft.source.col, file: draft.source.file, line: draft.source.line },
    });
  }
  const retire = retirements({
    live,
    prune: ownershipKnown ? (input.prune ?? {}) : {},
    unmatched: { productGroups: groupMatch.unmatched, configOptionGroups: optionGroupMatch.unmatched, products: productMatch.unmatched },
    groupNames: groupIdToName,
    optionGroupNames: optionGroupIdToName,
    declaredProductIds: new Set([...productMatch.matches.values()].map((m) => m.live.remoteId)),
  });
  for (const c of retire.changes) {
    const manual =
      backend === "api" ? manualStep({ kind: c.kind, action: "update", remoteId: c.remoteId, before: c.before, after: c.after, diffs: [], ownershipKnown, names }) : undefined;
    changes.push(manual !== undefined ? { ...c, manual } : c);
  }
  changes.sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || compareCodeUnits(a.key, b.key));

  const unmanaged: UnmanagedObject[] = withRetireNotes([
    ...unmanagedObjects("ProductGroup", groupMatch.unmatched, ownershipKnown),
    ...unmanagedObjects("ConfigOptionGroup", optionGroupMatch.unmatched, ownershipKnown),
    ...unmanagedObjects(
      "Product",
      productMatch.unmatched.filter((l) => l.state.module === MANAGED_MODULE || (ownershipKnown && l.ownedAs !== undefined)),
      ownershipKnown,
    ),
  ], retire).sort(compareUnmanaged);

  return {
    formatVersion: PLAN_FORMAT_VERSION,
    target: planTarget(input.target),
    summary: summarize(changes, unmanaged),
    changes,
    unmanaged,
    warnings: warningsOf(input, drafts, backend).sort(compareCodeUnits),
  };
}

/** A create lists no field diffs (its fields are its `after`; see `fieldDiffs`), so none are computed. */
function diffsOf(before: unknown, after: unknown): SegmentDiff[] {
  return before === null ? [] : diffStates(before, after);
}

function actionOf(draft: Draft, ownershipKnown: boolean): ChangeAction {
  if (draft.matched === undefined) return "create";
  if (!ownershipKnown || draft.matched.via === "natural") return "adopt";
  return draft.diffs.length > 0 ? "update" : "noop";
}

/**
 * A product depends on its group and option groups when those change in the same plan
 * (create, adopt, update); a noop dependency needs no ordering. Drafts come in kind order,
 * so the groups' actions are known when products are reached.
 */
function dependenciesOf(draft: Draft, actions: ReadonlyMap<ResourceKey, ChangeAction>): ResourceKey[] {
  return [...new Set(draft.refs ?? [])].filter((k) => (actions.get(k) ?? "noop") !== "noop").sort(compareCodeUnits);
}

function remoteIdToName<L extends LiveObject<unknown>>(result: MatchResult<L>): Map<string, string> {
  return new Map([...result.matches].map(([name, m]) => [m.live.remoteId, name]));
}

/** By name, then by position, so even duplicate names come out in one order. */
function byName<R extends { readonly name: string; readonly source: SourcePosition }>(list: readonly R[]): R[] {
  return [...list].sort(
    (a, b) =>
      compareCodeUnits(a.name, b.name) ||
      compareCodeUnits(a.source.file, b.source.file) ||
      a.source.line - b.source.line ||
      a.source.col - b.source.col,
  );
}

function checkDuplicates(
  resources: readonly { readonly kind: Kind; readonly name: string; readonly source: SourcePosition }[],
  issues: ManifestIssue[],
): void {
  const seen = new Map<string, SourcePosition>();
  for (const r of resources) {
    const key = resourceKey(r.kind, r.name);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, r.source);
      continue;
    }
    issues.push(
      issueAt(
        r.source,
        PlanErrorCode.duplicateResource,
        "/metadata/name",
        `${key} is declared more than once`,
        `also declared at ${first.file}:${first.line}:${first.col}`,
      ),
    );
  }
}

function checkReferences(desired: DesiredCatalog, issues: ManifestIssue[]): void {
  const groups = new Set(desired.productGroups.map((r) => r.name));
  const optionGroups = new Set(desired.configOptionGroups.map((r) => r.name));
  for (const p of desired.products) {
    if (!groups.has(p.spec.group)) {
      issues.push(
        issueAt(
          p.source,
          PlanErrorCode.unknownReference,
          "/spec/group",
          `ProductGroup/${p.spec.group} is not declared in any manifest`,
          hintFrom("ProductGroup", groups),
        ),
      );
    }
    p.spec.configOptionGroups.forEach((g, i) => {
      if (optionGroups.has(g)) return;
      issues.push(
        issueAt(
          p.source,
          PlanErrorCode.unknownReference,
          `/spec/configOptionGroups/${i}`,
          `ConfigOptionGroup/${g} is not declared in any manifest`,
          hintFrom("ConfigOptionGroup", optionGroups),
        ),
      );
    });
  }
}

function hintFrom(kind: Kind, names: ReadonlySet<string>): string {
  return names.size === 0 ? `no ${kind} is declared` : `declared: ${[...names].sort(compareCodeUnits).join(", ")}`;
}

/** The names WHMCS shows, for admin-area instructions. */
function displayNames(desired: DesiredCatalog, live: LiveCatalog): DisplayNames {
  const lookup = (
    declared: readonly { readonly name: string; readonly spec: { readonly name: string } }[],
    liveObjects: readonly LiveObject<{ readonly name: string }>[],
  ) => {
    return (ref: string): string => {
      const d = declared.find((r) => r.name === ref);
      if (d !== undefined) return d.spec.name;
      const l = ref.startsWith("#") ? liveObjects.find((o) => `#${o.remoteId}` === ref) : undefined;
      return l?.state.name ?? ref;
    };
  };
  return {
    group: lookup(desired.productGroups, live.productGroups),
    optionGroup: lookup(desired.configOptionGroups, live.configOptionGroups),
  };
}

function planTarget(t: PlanTarget): PlanTarget {
  return {
    whmcs: t.whmcs,
    catalogBackend: t.catalogBackend,
    ...(t.zohoRegion !== undefined ? { zohoRegion: t.zohoRegion } : {}),
    ...(t.shard !== undefined ? { shard: t.shard } : {}),
  };
}

/** Counts per action, manual steps and unmanaged objects. */
export function summarize(changes: readonly Change[], unmanaged: readonly UnmanagedObject[]): PlanSummary {
  const count = (a: ChangeAction): number => changes.filter((c) => c.action === a).length;
  return {
    create: count("create"),
    update: count("update"),
    delete: count("delete"),
    adopt: count("adopt"),
    assign: count("assign"),
    ...(count("retire") > 0 ? { retire: count("retire") } : {}),
    noop: count("noop"),
    manual: changes.filter((c) => c.manual !== undefined).length,
    unmanaged: unmanaged.length,
  };
}

function warningsOf(input: PlanInput, drafts: readonly Draft[], backend: CatalogBackend): string[] {
  const { live } = input;
  const warnings: string[] = [];
  if (!live.ownershipKnown) {
    warnings.push(
      `ownership is unknown with the ${backend} catalog backend: live objects are matched by name and always planned as adopt`,
    );
  }
  for (const d of drafts) {
    if (d.matched !== undefined) continue;
    const naturalKey = (d.after as { readonly name: string }).name;
    const key = resourceKey(d.kind, d.name);
    const liveOfKind: readonly LiveObject<{ readonly name: string; readonly module?: string }>[] =
      d.kind === "ProductGroup" ? live.productGroups : d.kind === "ConfigOptionGroup" ? live.configOptionGroups : live.products;
    for (const l of liveOfKind) {
      if (l.state.name !== naturalKey) continue;
      if (live.ownershipKnown && l.ownedAs !== undefined && l.ownedAs !== d.name) {
        warnings.push(
          `${key}: live ${d.kind} #${l.remoteId} ${JSON.stringify(naturalKey)} is recorded as ${l.ownedAs}, ` +
            "so a new one will be created (renames are never inferred)",
        );
      } else if (d.kind === "Product" && l.state.module !== MANAGED_MODULE) {
        warnings.push(
          `${key}: live product #${l.remoteId} ${JSON.stringify(naturalKey)} uses module ${JSON.stringify(l.state.module ?? "")}, ` +
            `not ${MANAGED_MODULE}: it is left alone and a new product will be created`,
        );
      }
    }
  }
  return warnings;
}
