import type { UnmanagedObject } from "../model/plan.js";
import { plural } from "./format.js";
import type { Masker } from "./mask.js";

/** How the customer side names a live Zoho org no service records (`stray.example (Zoho org)`). */
const ZOHO_ORG_SUFFIX = " (Zoho org)";

export function isZohoOrg(u: UnmanagedObject): boolean {
  return u.kind === "CustomerOrg" && u.name.endsWith(ZOHO_ORG_SUFFIX);
}

/** "Zoho org stray.example (ZOID 8000001)", "WHMCS service #190 else.example", `Product #15 "Legacy Mail"`. */
export function unmanagedLabel(u: UnmanagedObject): string {
  if (isZohoOrg(u)) return `Zoho org ${u.name.slice(0, -ZOHO_ORG_SUFFIX.length)} (ZOID ${u.remoteId})`;
  if (u.kind === "CustomerOrg") return `WHMCS service #${u.remoteId} ${u.name}`;
  return `${u.kind} #${u.remoteId} ${JSON.stringify(u.name)}`;
}

export interface CountedUnmanaged {
  readonly what: string;
  readonly reason: UnmanagedObject["reason"];
  readonly count: number;
  /** "440 customer WHMCS services that no manifest declares (unmanaged)". */
  readonly text: string;
}

/**
 * Undeclared objects as a reviewer sees them: catalog objects one by one (they name products, not
 * people); customer services and Zoho orgs as counts per kind and reason while masking, since each
 * names a customer's domain. The plan JSON lists them all.
 */
export function unmanagedCounts(all: readonly UnmanagedObject[], mask: Masker): { listed: UnmanagedObject[]; counted: CountedUnmanaged[] } {
  const listed: UnmanagedObject[] = [];
  const counts = new Map<string, { what: string; reason: UnmanagedObject["reason"]; count: number }>();
  for (const u of all) {
    if (u.kind !== "CustomerOrg" || !mask.masking) {
      listed.push(u);
      continue;
    }
    const what = isZohoOrg(u) ? "Zoho org" : "WHMCS service";
    const key = `${what}|${u.reason}`;
    const entry = counts.get(key) ?? { what, reason: u.reason, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  const counted = [...counts.values()]
    .sort((a, b) => (a.what < b.what ? -1 : a.what > b.what ? 1 : a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0))
    .map((c) => ({ ...c, text: `${plural(c.count, `customer ${c.what}`)} ${WHY[c.what]?.[c.reason] ?? c.reason}` }));
  return { listed, counted };
}

const WHY: Readonly<Record<string, Readonly<Record<UnmanagedObject["reason"], string>>>> = {
  "WHMCS service": { unmanaged: "that no manifest declares (unmanaged)", orphaned: "recorded as the tool's but no longer declared (orphaned)" },
  "Zoho org": { unmanaged: "that no WHMCS service records (unmanaged)", orphaned: "recorded as the tool's but no longer declared (orphaned)" },
};
