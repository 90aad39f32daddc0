import { getConfiguration } from "../configuration.js";
import type { ActionContext, ActionDef } from "./types.js";

/** The version the sandbox reports unless `tblconfiguration.Version` says otherwise. */
export const DEFAULT_WHMCS_VERSION = "8.13.1-release.1";

/** `WhmcsDetails` (docs/whmcs.md#whmcsdetails): version from `tblconfiguration` setting `Version`. */
export const whmcsDetails: ActionDef = { name: "WhmcsDetails", companion: false, handler };

async function handler({ store }: ActionContext): Promise<Record<string, unknown>> {
  const canonical = (await getConfiguration(store, "Version")) || DEFAULT_WHMCS_VERSION;
  return { whmcs: { version: canonical.split("-")[0] ?? canonical, canonicalversion: canonical } };
}
