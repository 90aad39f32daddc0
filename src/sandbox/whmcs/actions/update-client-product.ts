import { toMoneyOrUndefined } from "../../../core/money.js";
import { clientCurrency, serviceAmounts } from "../billing/amounts.js";
import { displayTerm, parseTerm } from "../billing/cycles.js";
import { isSqlDate } from "../billing/dates.js";
import { productOptions } from "../catalog/options.js";
import { WhmcsApiError } from "../errors.js";
import { intOf, sqlDateTime, textOf } from "../rows.js";
import { choicesFromUpdate, readChoices, writeChoices } from "../services/config-values.js";
import { writeCustomValues } from "../services/custom-values.js";
import { rowById } from "../services/lookup.js";
import { serializedArray } from "../services/serialized.js";
import type { SqlValue } from "../store.js";
import type { ActionContext, ActionDef } from "./types.js";

/**
 * `UpdateClientProduct` (docs/whmcs.md#updateclientproduct): edits the service record only, never calls the
 * module. `configoptions` and `customfields` are each ONE base64 serialized map; quantities are
 * `{optionid, qty}`. `billingcycle` takes display strings (API keys are read too and stored as
 * display strings); `unset[]` blanks fields; `autorecalc` recomputes the recurring amount from
 * the catalog, ignoring `recurringamount`. Answers `serviceid` as a string.
 */
export const updateClientProduct: ActionDef = { name: "UpdateClientProduct", companion: false, handler };

export const ERR_SERVICE_NOT_FOUND = "Service ID Not Found";

const STATUSES = ["Pending", "Active", "Suspended", "Terminated", "Cancelled", "Fraud", "Completed"];

/** Plain text parameters and their `tblhosting` columns. */
const TEXT_FIELDS: readonly (readonly [string, string])[] = [
  ["domain", "domain"],
  ["subscriptionid", "subscriptionid"],
  ["notes", "notes"],
  ["serviceusername", "username"],
  ["servicepassword", "password"],
  ["ns1", "ns1"],
  ["ns2", "ns2"],
  ["dedicatedip", "dedicatedip"],
  ["assignedips", "assignedips"],
  ["suspendreason", "suspendreason"],
];
const INT_FIELDS: readonly (readonly [string, string])[] = [
  ["serverid", "server"],
  ["diskusage", "diskusage"],
  ["disklimit", "disklimit"],
  ["bwusage", "bwusage"],
  ["bwlimit", "bwlimit"],
  ["promoid", "promoid"],
];
const DATE_FIELDS: readonly (readonly [string, string])[] = [
  ["regdate", "regdate"],
  ["nextduedate", "nextduedate"],
  ["terminationdate", "termination_date"],
  ["overidesuspenduntil", "overidesuspenduntil"],
];
/** What `unset[]` may blank (docs/whmcs.md#updateclientproduct). */
const UNSETTABLE: Readonly<Record<string, string>> = {
  domain: "domain",
  serviceusername: "username",
  servicepassword: "password",
  subscriptionid: "subscriptionid",
  ns1: "ns1",
  ns2: "ns2",
  dedicatedip: "dedicatedip",
  assignedips: "assignedips",
  notes: "notes",
  suspendreason: "suspendreason",
};

async function handler({ params, store, switches, now }: ActionContext): Promise<Record<string, unknown>> {
  const service = await rowById(store, "tblhosting", params.str("serviceid"));
  if (service === undefined) throw new WhmcsApiError(ERR_SERVICE_NOT_FOUND);
  const serviceId = intOf(service, "id");
  const patch: Record<string, SqlValue> = {};

  let pid = intOf(service, "packageid");
  if (params.has("pid")) {
    const product = await rowById(store, "tblproducts", params.str("pid"));
    if (product === undefined) throw new WhmcsApiError(`Invalid Product ID ${params.str("pid") ?? ""}`);
    pid = intOf(product, "id");
    patch["packageid"] = pid;
  }
  for (const [param, column] of TEXT_FIELDS) {
    const v = params.str(param);
    if (v !== undefined) patch[column] = v;
  }
  for (const [param, column] of INT_FIELDS) {
    const v = params.str(param);
    if (v === undefined) continue;
    if (!/^\s*\d+\s*$/.test(v)) throw new WhmcsApiError(`Invalid value for ${param}: expected a whole number`);
    patch[column] = params.int(param);
  }
  for (const [param, column] of DATE_FIELDS) {
    const v = params.str(param)?.trim();
    if (v === undefined) continue;
    if (!isSqlDate(v) && v !== "0000-00-00") throw new WhmcsApiError(`Invalid date for ${param}: expected Y-m-d`);
    patch[column] = v;
  }
  for (const [param, column] of [
    ["firstpaymentamount", "firstpaymentamount"],
    ["recurringamount", "amount"],
  ] as const) {
    const v = params.str(param);
    if (v === undefined) continue;
    const money = toMoneyOrUndefined(v);
    if (money === undefined) throw new WhmcsApiError(`Invalid value for ${param}: expected an amount`);
    patch[column] = money;
  }
  const paymentmethod = params.str("paymentmethod");
  if (paymentmethod !== undefined) patch["paymentmethod"] = paymentmethod;
  const cycle = params.str("billingcycle");
  if (cycle !== undefined) {
    const term = parseTerm(cycle, switches);
    if (term === undefined) throw new WhmcsApiError(`Invalid billing cycle ${JSON.stringify(cycle)}`);
    patch["billingcycle"] = displayTerm(term, switches);
  }
  const status = params.str("status");
  if (status !== undefined) {
    const match = STATUSES.find((s) => s.toLowerCase() === status.trim().toLowerCase());
    if (match === undefined) throw new WhmcsApiError(`Invalid status ${JSON.stringify(status)}: expected one of ${STATUSES.join(", ")}`);
    patch["domainstatus"] = match;
  }
  const override = params.str("overideautosuspend");
  if (override !== undefined) patch["overideautosuspend"] = params.bool("overideautosuspend", false) ? "on" : "";
  const unset = params.arr("unset");
  for (const field of unset?.values() ?? []) {
    const column = typeof field === "string" ? UNSETTABLE[field] : undefined;
    if (column === undefined) throw new WhmcsApiError(`Invalid unset field ${JSON.stringify(field)}: expected one of ${Object.keys(UNSETTABLE).join(", ")}`);
    patch[column] = "";
  }

  const options = await productOptions(store, pid);
  const configoptions = serializedArray(params.raw("configoptions"), "configoptions");
  const choices = configoptions === undefined ? [] : choicesFromUpdate(options, configoptions, pid, switches);
  const customfields = serializedArray(params.raw("customfields"), "customfields");
  const autorecalc = params.bool("autorecalc", false);

  await store.transaction(async (tx) => {
    if (choices.length > 0) await writeChoices(tx, serviceId, choices);
    if (customfields !== undefined) await writeCustomValues(tx, serviceId, { type: "product", pid }, customfields, now);
    if (autorecalc) {
      const client = await tx.selectOne("tblclients", { id: intOf(service, "userid") });
      const term = parseTerm(String(patch["billingcycle"] ?? textOf(service, "billingcycle")), switches);
      const amounts =
        client === undefined || term === undefined
          ? undefined
          : await serviceAmounts(
              tx,
              { pid, term, currency: await clientCurrency(tx, client), qty: intOf(service, "qty"), options, choices: await readChoices(tx, serviceId) },
              switches,
            );
      if (amounts === undefined) throw new WhmcsApiError("Unable to recalculate the recurring amount: the billing cycle is not offered in the client's currency");
      patch["amount"] = amounts.recurring;
    }
    await tx.update("tblhosting", { id: serviceId }, { ...patch, updated_at: sqlDateTime(now) });
  });
  return { serviceid: String(serviceId) };
}
