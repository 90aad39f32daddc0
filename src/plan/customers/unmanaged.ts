import { RECORD_FIELDS, type LiveCustomerClient, type LiveCustomerService, type LiveZohoOrg } from "../../model/customers.js";
import type { UnmanagedObject } from "../../model/plan.js";
import { mrrMoney, scaledMrr } from "./billing.js";

/**
 * Undeclared services on managed products, and undeclared Zoho orgs: reported, never touched.
 * A service whose ZOID field is set was recorded by the tool once: `orphaned`, with what it still
 * bills in WHMCS and the licences Zoho still charges the partner for (pruning never changes a
 * customer org; docs/decisions.md).
 */
export function unmanagedCustomers(
  services: readonly LiveCustomerService[],
  orgs: readonly LiveZohoOrg[],
  clientById: (id: string) => LiveCustomerClient | undefined = () => undefined,
): UnmanagedObject[] {
  const out: UnmanagedObject[] = [];
  const orgByDomain = new Map(orgs.map((o) => [o.domain, o]));
  for (const s of services) {
    const zoid = (s.customFields[RECORD_FIELDS.zoid]?.value ?? "").trim();
    if (zoid === "") {
      out.push({ kind: "CustomerOrg", remoteId: s.id, name: s.domain, reason: "unmanaged" });
      continue;
    }
    const currency = clientById(s.clientId)?.currency ?? null;
    const mrr = mrrMoney(scaledMrr({ billingCycle: s.cycle, status: s.status, billing: { currency, recurringAmount: s.recurringAmount } })).replace(/^\+/, "");
    const org = orgByDomain.get(s.domain);
    const licences = org === undefined ? null : org.plan.type === "paid" ? org.plan.licenses : 0;
    const zoho = licences === null ? "Zoho org not found" : `Zoho charges the partner for ${licences} licence(s)`;
    out.push({
      kind: "CustomerOrg",
      remoteId: s.id,
      name: s.domain,
      reason: "orphaned",
      ownedAs: `ZOID ${zoid}`,
      billing: { currency, recurringAmount: s.recurringAmount, cycle: s.cycle, mrr },
      licences,
      note:
        `orphaned: WHMCS still bills ${s.recurringAmount} ${currency ?? "(in the client's currency)"} ${s.cycle} (${mrr} a month) and ${zoho}; ` +
        "pruning never changes a customer org: restore its manifest, or declare it with status: terminated to end it",
    });
  }
  for (const o of orgs) out.push({ kind: "CustomerOrg", remoteId: o.zoid, name: `${o.domain} (Zoho org)`, reason: "unmanaged" });
  return out;
}
