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
  /** The match of each desired org, at the org's index in the `desired` array given. */
  readonly matches: readonly OrgMatch[];
  /** Live services on managed products no desired org matched, still in use; sorted by id. */
  readonly unmatchedServices: readonly LiveCustomerService[];
  /** Zoho orgs no desired org matched, sorted by domain. */
  readonly unmatchedZohoOrgs: readonly LiveZohoOrg[];
  /** Problems found while matching, per desired org name (only orgs that have some): live state decides them (duplicates, ambiguity). */
  readonly issues: ReadonlyMap<string, readonly ManifestIssue[]>;
  /** The client with a WHMCS id (GetClients lists it). */
  clientById(id: string): LiveCustomerClient | undefined;
}

/** The live objects of one domain, and whether a desired org declares it. */
interface DomainSlot {
  /** Services on managed products, cancelled and fraud ones left out. */
  readonly services: LiveCustomerService[];
  readonly orgs: LiveZohoOrg[];
  declared: boolean;
}

/** Appends `value` to the list under `key`; one list per key, grown in place. */
function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
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
  // Three hash tables whatever the number of orgs (one of 10,000 entries is a large object V8
  // allocates fresh pages for, on every plan): services and Zoho orgs by domain in one, clients by
  // email, services in use by recorded ZOID. Clients by id only when a service's client is not the
  // one with the org's email (rare: an issue, or an orphaned service).
  const byDomain = new Map<string, DomainSlot>();
  const slot = (domain: string): DomainSlot => {
    let found = byDomain.get(domain);
    if (found === undefined) {
      found = { services: [], orgs: [], declared: false };
      byDomain.set(domain, found);
    }
    return found;
  };
  const servicesByZoid = new Map<string, LiveCustomerService[]>();
  for (const s of live.services) {
    if (!catalog.managedPids.has(s.productId) || VOID_STATUSES.has(s.status)) continue;
    slot(s.domain).services.push(s);
    const zoid = (s.customFields[RECORD_FIELDS.zoid]?.value ?? "").trim();
    if (zoid !== "" && IN_USE.has(s.status)) push(servicesByZoid, zoid, s);
  }
  for (const o of live.zohoOrgs) slot(o.domain).orgs.push(o);
  const clientsByEmail = new Map<string, LiveCustomerClient[]>();
  for (const c of live.clients) push(clientsByEmail, c.email, c);
  let clientsById: Map<string, LiveCustomerClient> | undefined;
  const clientById = (id: string): LiveCustomerClient | undefined => {
    clientsById ??= new Map(live.clients.map((c) => [c.id, c]));
    return clientsById.get(id);
  };

  const NONE: readonly never[] = [];
  const matches: OrgMatch[] = [];
  const issuesByName = new Map<string, ManifestIssue[]>();
  for (const r of desired) {
    const spec = r.spec;
    const issues: ManifestIssue[] = [];
    const here = byDomain.get(spec.domain);
    if (here !== undefined) here.declared = true;
    const all = here?.services ?? NONE;
    const inUse = all.filter((s) => IN_USE.has(s.status));
    let candidates: readonly LiveCustomerService[] = inUse;
    if (inUse.length === 0 && all.length > 1) {
      const pid = catalog.product(spec.product).pid;
      candidates = narrow(all, [(s) => s.productId === pid, (s) => (s.customFields[RECORD_FIELDS.zoid]?.value ?? "").trim() !== ""]);
    } else if (inUse.length === 0) candidates = all;
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
    }

    const sameEmail = clientsByEmail.get(spec.client.email) ?? NONE;
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
    const orgs = here?.orgs ?? NONE;
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
    const sharing = zoid === "" ? NONE : (servicesByZoid.get(zoid) ?? NONE);
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
    if (issues.length > 0) issuesByName.set(r.name, issues);
    matches.push({
      service,
      client: sameEmail.length === 1 ? sameEmail[0] : undefined,
      serviceClient: service === undefined ? undefined : sameEmail.length === 1 && sameEmail[0]?.id === service.clientId ? sameEmail[0] : clientById(service.clientId),
      zohoOrg: orgs.length === 1 ? orgs[0] : undefined,
    });
  }

  // A matched service's domain is declared, so "not declared" also leaves out every matched service.
  const undeclared = (domain: string): boolean => byDomain.get(domain)?.declared !== true;
  return {
    matches,
    issues: issuesByName,
    unmatchedServices: live.services
      .filter((s) => catalog.managedPids.has(s.productId) && IN_USE.has(s.status) && undeclared(s.domain))
      .sort((a, b) => compareIds(a.id, b.id)),
    unmatchedZohoOrgs: live.zohoOrgs.filter((o) => undeclared(o.domain)).sort((a, b) => compareCodeUnits(a.domain, b.domain)),
    clientById,
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
