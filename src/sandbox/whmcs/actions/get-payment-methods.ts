import { compareCodeUnits } from "../../../core/canonical.js";
import { intOf, textOf } from "../rows.js";
import type { ActionContext, ActionDef } from "./types.js";

/**
 * `GetPaymentMethods` (docs/whmcs.md#getpaymentmethods): the activated gateways of `tblpaymentgateways`
 * (one `name` setting row per gateway), in display order; `totalresults` is a number.
 */
export const getPaymentMethods: ActionDef = { name: "GetPaymentMethods", companion: false, handler };

async function handler({ store }: ActionContext): Promise<Record<string, unknown>> {
  const rows = await store.select("tblpaymentgateways", { setting: "name" });
  const sorted = [...rows].sort(
    (a, b) => intOf(a, "order") - intOf(b, "order") || compareCodeUnits(textOf(a, "gateway"), textOf(b, "gateway")),
  );
  return {
    totalresults: sorted.length,
    paymentmethods: {
      paymentmethod: sorted.map((r) => ({ module: textOf(r, "gateway"), displayname: textOf(r, "value") })),
    },
  };
}
