import { compareCodeUnits } from "../../core/canonical.js";
import type { ManifestIssue } from "../../core/errors.js";
import { RECORD_FIELDS, type CustomerServiceStatus, type LiveCustomerClient, type LiveCustomerService, type LiveCustomers, type LiveZohoOrg } from "../../model/customers.js";
import { issueAt } from "../errors.js";
import { CustomerIssueCode } from "./codes.js";
import type { DesiredCustomerResource } from "./input.js";
import type { CatalogContext } from "./products.js";

/** The live objects one desired customer org corresponds to. */
export interface OrgMatch {
  readonly service: LiveCustomerService | undefined;
  /** The client with the desired email. */
  readonly client: LiveCustomerClient | undefined;
  /** The client the matched service belongs to (may differ from `client`: an issue). */
  readonly serviceClient: LiveCustomerClient | undefined;
  readonly zohoOrg: LiveZohoOrg | undefined;
}

export interface MatchOutput {
  readonly byName: ReadonlyMap<string, OrgMatch>;
  /** Live services on managed products no desired org matched, still in use; sorted by id. */
  readonly unmatchedServices: readonly LiveCustomerService[];
  /** Zoho orgs no desired org matched, sorted by domain. */
  readonly unmatchedZohoOrgs: readonly LiveZohoOrg[];
}

/** Services that never went live: not matched, not reported. */
const VOID_STATUSES: ReadonlySet<CustomerServiceStatus> = new Set(["cancelled", "fraud"]);
/** Services still in use: reported when no manifest declares them. */
const IN_USE: ReadonlySet<CustomerServiceStatus> = new Set(["pending", "active", "suspended"]);

/**
 * Pairs each desired org (already deduplicated by name and domain) with its WHMCS client, its
 * WHMCS service (by domain among services on managed products) and its Zoho org (by domain).
 * Several candidate services are narrowed by product, then by services in use, then by recorded
 * ZOID; what is still ambiguous is an issue, never a guess.
 */
export function matchCustomers(
  desired: readonly DesiredCustomerResource[],
  live: LiveCustomers,
  catalog: CatalogContext,
  issues: ManifestIssue[],
): MatchOutput {
  const byDomain = new Map<string, LiveCustomerService[]>();
  for (const s of live.services) {
    if (!catalog.managedPids.has(s.productId) || VOID_STATUSES.has(s.status)) continue;
    byDomain.set(s.domain, [...(byDomain.get(s.domain) ?? []), s]);
  }
  const clientsByEmail = new Map<string, LiveCustomerClient[]>();
  for (const c of live.clients) clientsByEmail.set(c.email, [...(clientsByEmail.get(c.email) ?? []), c]);
  const clientsById = new Map(live.clients.map((c) => [c.id, c]));
  const orgsByDomain = new Map(live.zohoOrgs.map((o) => [o.domain, o]));

  const byName = new Map<string, OrgMatch>();
  const taken = new Set<string>();
  for (const r of desired) {
    const spec = r.spec;
    const pid = catalog.product(spec.product).pid;
    const candidates = narrow(byDomain.get(spec.domain) ?? [], [
      (s) => s.productId === pid,
      (s) => IN_USE.has(s.status),
      (s) => (s.customFields[RECORD_FIELDS.zoid]?.value ?? "").trim() !== "",
    ]);
    let service: LiveCustomerService | undefined;
    if (candidates.length > 1) {
      const ids = candidates.map((s) => `#${s.id}`).sort(compareCodeUnits).join(", ");
      issues.push(
        issueAt(
          r.source,
          CustomerIssueCode.ambiguousService,
          "/spec/domain",
          `CustomerOrg ${r.name}: several WHMCS services for ${spec.domain} could be this org: ${ids}`,
          "the tool does not guess: cancel or terminate the duplicates in WHMCS, or record the ZOID on the right one",
        ),
      );
    } else {
      service = candidates[0];
      if (service !== undefined) taken.add(service.id);
    }

    const sameEmail = clientsByEmail.get(spec.client.email) ?? [];
    if (sameEmail.length > 1) {
      const ids = sameEmail.map((c) => `#${c.id}`).sort(compareCodeUnits).join(", ");
      issues.push(
        issueAt(
          r.source,
          CustomerIssueCode.ambiguousClient,
          "/spec/client/email",
          `CustomerOrg ${r.name}: several WHMCS clients have the email ${spec.client.email}: ${ids}`,
          "merge or change the duplicates in WHMCS: the email is the natural key of a client",
        ),
      );
    }
    byName.set(r.name, {
      service,
      client: sameEmail.length === 1 ? sameEmail[0] : undefined,
      serviceClient: service === undefined ? undefined : clientsById.get(service.clientId),
      zohoOrg: orgsByDomain.get(spec.domain),
    });
  }

  const declaredDomains = new Set(desired.map((r) => r.spec.domain));
  return {
    byName,
    unmatchedServices: live.services
      .filter((s) => catalog.managedPids.has(s.productId) && IN_USE.has(s.status) && !taken.has(s.id) && !declaredDomains.has(s.domain))
      .sort((a, b) => compareIds(a.id, b.id)),
    unmatchedZohoOrgs: live.zohoOrgs.filter((o) => !declaredDomains.has(o.domain)).sort((a, b) => compareCodeUnits(a.domain, b.domain)),
  };
}

/** Applies each preference in turn, as long as it leaves at least one candidate. */
function narrow<T>(candidates: readonly T[], preferences: readonly ((x: T) => boolean)[]): T[] {
  let out = [...candidates];
  for (const p of preferences) {
    if (out.length <= 1) break;
    const kept = out.filter(p);
    if (kept.length > 0) out = kept;
  }
  return out;
}

/** Numeric ids by value, anything else by code unit. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || compareCodeUnits(a, b);
}
