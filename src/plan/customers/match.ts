import { compareCodeUnits } from "../../core/canonical.js";
import type { ManifestIssue } from "../../core/errors.js";
import { RECORD_FIELDS, type CustomerServiceStatus, type LiveCustomerClient, type LiveCustomerService, type LiveCustomers, type LiveZohoOrg } from "../../model/customers.js";
import { fieldSource, issueAt } from "../errors.js";
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
  /** Problems found while matching, per desired org name: live state decides them (duplicates, ambiguity). */
  readonly issues: ReadonlyMap<string, readonly ManifestIssue[]>;
}

/** Services that never went live: not matched, not reported. */
const VOID_STATUSES: ReadonlySet<CustomerServiceStatus> = new Set(["cancelled", "fraud"]);
/** Services still in use: reported when no manifest declares them. */
const IN_USE: ReadonlySet<CustomerServiceStatus> = new Set(["pending", "active", "suspended"]);

/**
 * Pairs each desired org (already deduplicated by name and domain) with its WHMCS client, its
 * WHMCS service (by domain among services on managed products) and its Zoho org (by domain).
 * Duplicates are findings, never picked from: two services in use for one domain, two Zoho orgs
 * for one domain, one ZOID recorded on two services in use. Among services no longer in use
 * (terminated, completed) the candidates are narrowed by product, then by recorded ZOID; what is
 * still ambiguous is an issue, never a guess.
 */
export function matchCustomers(desired: readonly DesiredCustomerResource[], live: LiveCustomers, catalog: CatalogContext): MatchOutput {
  const issuesByName = new Map<string, ManifestIssue[]>();
  const byDomain = new Map<string, LiveCustomerService[]>();
  for (const s of live.services) {
    if (!catalog.managedPids.has(s.productId) || VOID_STATUSES.has(s.status)) continue;
    byDomain.set(s.domain, [...(byDomain.get(s.domain) ?? []), s]);
  }
  const clientsByEmail = new Map<string, LiveCustomerClient[]>();
  for (const c of live.clients) clientsByEmail.set(c.email, [...(clientsByEmail.get(c.email) ?? []), c]);
  const clientsById = new Map(live.clients.map((c) => [c.id, c]));
  const orgsByDomain = new Map<string, LiveZohoOrg[]>();
  for (const o of live.zohoOrgs) orgsByDomain.set(o.domain, [...(orgsByDomain.get(o.domain) ?? []), o]);
  const servicesByZoid = new Map<string, LiveCustomerService[]>();
  for (const s of live.services) {
    const zoid = (s.customFields[RECORD_FIELDS.zoid]?.value ?? "").trim();
    if (zoid === "" || !catalog.managedPids.has(s.productId) || !IN_USE.has(s.status)) continue;
    servicesByZoid.set(zoid, [...(servicesByZoid.get(zoid) ?? []), s]);
  }

  const byName = new Map<string, OrgMatch>();
  const taken = new Set<string>();
  for (const r of desired) {
    const spec = r.spec;
    const issues: ManifestIssue[] = [];
    issuesByName.set(r.name, issues);
    const pid = catalog.product(spec.product).pid;
    const all = byDomain.get(spec.domain) ?? [];
    const inUse = all.filter((s) => IN_USE.has(s.status));
    const candidates =
      inUse.length > 0
        ? inUse
        : narrow(all, [(s) => s.productId === pid, (s) => (s.customFields[RECORD_FIELDS.zoid]?.value ?? "").trim() !== ""]);
    let service: LiveCustomerService | undefined;
    if (candidates.length > 1) {
      const ids = [...candidates].sort((a, b) => compareIds(a.id, b.id)).map(describeService).join("; ");
      issues.push(
        issueAt(
          fieldSource(r, "/spec/domain"),
          inUse.length > 1 ? CustomerIssueCode.duplicateService : CustomerIssueCode.ambiguousService,
          "/spec/domain",
          `CustomerOrg ${r.name}: ${inUse.length > 1 ? `${candidates.length} WHMCS services in use` : "several WHMCS services"} for ${spec.domain}: ${ids}`,
          "the tool never picks one: cancel or terminate the extra services in WHMCS (keep the one the customer pays for), then plan again",
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
          fieldSource(r, "/spec/client/email"),
          CustomerIssueCode.ambiguousClient,
          "/spec/client/email",
          `CustomerOrg ${r.name}: several WHMCS clients have the email ${spec.client.email}: ${ids}`,
          "merge or change the duplicates in WHMCS: the email is the natural key of a client",
        ),
      );
    }
    const orgs = orgsByDomain.get(spec.domain) ?? [];
    if (orgs.length > 1) {
      issues.push(
        issueAt(
          fieldSource(r, "/spec/domain"),
          CustomerIssueCode.duplicateZohoOrg,
          "/spec/domain",
          `CustomerOrg ${r.name}: Zoho lists ${orgs.length} orgs for ${spec.domain}: ${orgs.map((o) => `ZOID ${o.zoid} (super admin ${o.superAdmin})`).join("; ")}`,
          "the tool never picks one: ask Zoho partner support which org is the customer's, and have the other removed",
        ),
      );
    }
    const zoid = (service?.customFields[RECORD_FIELDS.zoid]?.value ?? "").trim();
    const sharing = zoid === "" ? [] : (servicesByZoid.get(zoid) ?? []);
    if (sharing.length > 1) {
      issues.push(
        issueAt(
          fieldSource(r, "/spec/domain"),
          CustomerIssueCode.duplicateZoid,
          "/spec/domain",
          `CustomerOrg ${r.name}: ZOID ${zoid} is recorded on ${sharing.length} WHMCS services in use: ${[...sharing].sort((a, b) => compareIds(a.id, b.id)).map(describeService).join("; ")}`,
          "one Zoho org is billed by one service: clear the ZOID field on the service that is not this org's, then plan again",
        ),
      );
    }
    byName.set(r.name, {
      service,
      client: sameEmail.length === 1 ? sameEmail[0] : undefined,
      serviceClient: service === undefined ? undefined : clientsById.get(service.clientId),
      zohoOrg: orgs.length === 1 ? orgs[0] : undefined,
    });
  }

  const declaredDomains = new Set(desired.map((r) => r.spec.domain));
  return {
    byName,
    issues: issuesByName,
    unmatchedServices: live.services
      .filter((s) => catalog.managedPids.has(s.productId) && IN_USE.has(s.status) && !taken.has(s.id) && !declaredDomains.has(s.domain))
      .sort((a, b) => compareIds(a.id, b.id)),
    unmatchedZohoOrgs: live.zohoOrgs.filter((o) => !declaredDomains.has(o.domain)).sort((a, b) => compareCodeUnits(a.domain, b.domain)),
  };
}

function describeService(s: LiveCustomerService): string {
  const zoid = (s.customFields[RECORD_FIELDS.zoid]?.value ?? "").trim();
  return `service #${s.id} (client #${s.clientId}, product #${s.productId}, ${s.status}${zoid !== "" ? `, ZOID ${zoid}` : ""})`;
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
