import type { WhmcsClient } from "./client.js";
import { listAt } from "./paginate.js";
import { WhmcsApiError } from "./errors.js";

export interface WhmcsProbeResult {
  /** `whmcs.version` from WhmcsDetails; undefined on WHMCS before 8.0, which lacks the action. */
  readonly version: string | undefined;
  readonly canonicalVersion: string | undefined;
  /** Currencies the credential can read (the second, cheap read). */
  readonly currencies: number;
}

/**
 * Two cheap reads before any real work, so IP allow-list, credential and API-role problems
 * surface first, with their hints, instead of halfway through a plan.
 */
export async function probeWhmcs(client: WhmcsClient): Promise<WhmcsProbeResult> {
  let version: string | undefined;
  let canonicalVersion: string | undefined;
  try {
    const details = await client.call("WhmcsDetails", {}, { kind: "read" });
    const whmcs = details["whmcs"];
    if (whmcs !== null && typeof whmcs === "object") {
      const v = (whmcs as Record<string, unknown>)["version"];
      const c = (whmcs as Record<string, unknown>)["canonicalversion"];
      version = typeof v === "string" ? v : undefined;
      canonicalVersion = typeof c === "string" ? c : undefined;
    }
  } catch (err) {
    if (!(err instanceof WhmcsApiError && err.category === "unknown-action")) throw err;
  }
  const currencies = await client.call("GetCurrencies", {}, { kind: "read" });
  return { version, canonicalVersion, currencies: listAt(currencies, ["currencies", "currency"]).length };
}
