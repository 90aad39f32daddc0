import { resourceKey } from "../../model/catalog.js";
import type { LiveZohoOrg } from "../../model/customers.js";
import type { PendingItem } from "../../model/plan.js";

/**
 * An org whose domain Zoho has not verified: the DNS record a person must publish. The code comes
 * from Zoho's domain details (`CNAMEVerificationCode`, `zb` + the HTML code).
 */
export function pendingVerification(name: string, org: LiveZohoOrg, cnameTarget: string): PendingItem {
  const code = org.cnameCode?.trim();
  const record = code ? { type: "CNAME" as const, name: `${code}.${org.domain}`, value: cnameTarget } : null;
  return {
    key: resourceKey("CustomerOrg", name),
    reason: "domain-verification",
    domain: org.domain,
    zoid: org.zoid,
    record,
    message:
      record !== null
        ? `publish ${record.name} CNAME ${record.value} at the DNS host of ${org.domain}; ` +
          "the org stays pending until Zoho verifies it (reconcile asks Zoho to check after each apply)"
        : `the verification code of ${org.domain} could not be read; the Zoho Mail admin console shows the record to publish`,
  };
}
