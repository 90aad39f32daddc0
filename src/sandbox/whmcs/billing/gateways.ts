import { compareCodeUnits } from "../../../core/canonical.js";
import { WhmcsApiError } from "../errors.js";
import { intOf, textOf } from "../rows.js";
import type { WhmcsStore } from "../store.js";

export interface Gateway {
  readonly module: string;
  readonly displayName: string;
}

/** Activated gateways in display order (one `name` setting row each in `tblpaymentgateways`). */
export async function activeGateways(store: WhmcsStore): Promise<Gateway[]> {
  const rows = await store.select("tblpaymentgateways", { setting: "name" });
  return [...rows]
    .sort((a, b) => intOf(a, "order") - intOf(b, "order") || compareCodeUnits(textOf(a, "gateway"), textOf(b, "gateway")))
    .map((r) => ({ module: textOf(r, "gateway"), displayName: textOf(r, "value") }));
}

/** The gateway named `module` (case-insensitive), or WHMCS's error listing the valid ones. */
export async function requireGateway(store: WhmcsStore, module: string | undefined): Promise<Gateway> {
  const gateways = await activeGateways(store);
  const found = module === undefined ? undefined : gateways.find((g) => g.module.toLowerCase() === module.toLowerCase());
  if (found === undefined) {
    throw new WhmcsApiError(`Invalid Payment Method. Valid options include ${gateways.map((g) => g.module).join(",")}`);
  }
  return found;
}

/** Display name of a gateway module, "" when unknown. */
export async function gatewayNames(store: WhmcsStore): Promise<Map<string, string>> {
  return new Map((await activeGateways(store)).map((g) => [g.module.toLowerCase(), g.displayName]));
}
