import { intOf, textOf } from "../rows.js";
import type { ActionContext, ActionDef } from "./types.js";

/**
 * `GetCurrencies` (docs/whmcs.md#getcurrencies): every field a string, `totalresults` included; the
 * shape third-party clients type, not the NVP-flattened docs example.
 */
export const getCurrencies: ActionDef = { name: "GetCurrencies", companion: false, handler };

async function handler({ store }: ActionContext): Promise<Record<string, unknown>> {
  const rows = await store.select("tblcurrencies");
  return {
    totalresults: String(rows.length),
    currencies: {
      currency: rows.map((c) => ({
        id: String(intOf(c, "id")),
        code: textOf(c, "code"),
        prefix: textOf(c, "prefix"),
        suffix: textOf(c, "suffix"),
        format: String(intOf(c, "format")),
        rate: textOf(c, "rate"),
      })),
    },
  };
}
