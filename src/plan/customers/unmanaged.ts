import { RECORD_FIELDS, type LiveCustomerService, type LiveZohoOrg } from "../../model/customers.js";
import type { UnmanagedObject } from "../../model/plan.js";

/**
 * Undeclared services on managed products, and undeclared Zoho orgs: reported, never touched.
 * A service whose ZOID field is set was recorded by the tool once: `orphaned`.
 */
export function unmanagedCustomers(services: readonly LiveCustomerService[], orgs: readonly LiveZohoOrg[]): UnmanagedObject[] {
  const out: UnmanagedObject[] = [];
  for (const s of services) {
    const zoid = (s.customFields[RECORD_FIELDS.zoid]?.value ?? "").trim();
    out.push(
      zoid === ""
        ? { kind: "CustomerOrg", remoteId: s.id, name: s.domain, reason: "unmanaged" }
        : { kind: "CustomerOrg", remoteId: s.id, name: s.domain, reason: "orphaned", ownedAs: `ZOID ${zoid}` },
    );
  }
  for (const o of orgs) out.push({ kind: "CustomerOrg", remoteId: o.zoid, name: `${o.domain} (Zoho org)`, reason: "unmanaged" });
  return out;
}
