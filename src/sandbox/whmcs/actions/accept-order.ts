import { WhmcsApiError } from "../errors.js";
import { callModule } from "../modules/index.js";
import { intOf, sqlDateTime, textOf } from "../rows.js";
import { rowById } from "../services/lookup.js";
import type { ActionContext, ActionDef } from "./types.js";

/**
 * `AcceptOrder` (docs/whmcs.md#acceptorder, #service-and-order-states): only a `Pending` order.
 * Services of a module whose
 * product sets `autosetup=on`, or all of them when `autosetup` is sent true, run the module's
 * `CreateAccount` (and become `Active` when it succeeds); a module error stops here and is the
 * answer, leaving the order `Pending`. Services without a module call take the status of the
 * `acceptOrderServiceStatus` switch. `serverid`, `serviceusername` and `servicepassword` are
 * written to the services first.
 */
export const acceptOrder: ActionDef = { name: "AcceptOrder", companion: false, handler };

export const ERR_ORDER_NOT_PENDING = "Order ID not found or Status not Pending";

async function handler(ctx: ActionContext): Promise<Record<string, unknown>> {
  const { params, store, switches, now } = ctx;
  const order = await rowById(store, "tblorders", params.str("orderid"));
  if (order === undefined || textOf(order, "status") !== "Pending") throw new WhmcsApiError(ERR_ORDER_NOT_PENDING);
  const orderId = intOf(order, "id");
  const explicit = params.has("autosetup") ? params.bool("autosetup", false) : undefined;
  const stamp = sqlDateTime(now);

  const patch: Record<string, string | number> = {};
  if (params.has("serverid")) patch["server"] = params.int("serverid");
  const username = params.str("serviceusername");
  if (username !== undefined) patch["username"] = username;
  const password = params.str("servicepassword");
  if (password !== undefined) patch["password"] = password;
  if (Object.keys(patch).length > 0) await store.update("tblhosting", { orderid: orderId }, { ...patch, updated_at: stamp });

  for (const service of await store.select("tblhosting", { orderid: orderId })) {
    if (textOf(service, "domainstatus") !== "Pending") continue;
    const product = await store.selectOne("tblproducts", { id: intOf(service, "packageid") });
    const hasModule = product !== undefined && textOf(product, "servertype") !== "";
    const runCreate = hasModule && (explicit ?? textOf(product, "autosetup") === "on");
    if (runCreate) {
      await callModule(ctx, service, { kind: "lifecycle", fn: "CreateAccount" });
      await store.update("tblhosting", { id: intOf(service, "id") }, { domainstatus: "Active", updated_at: stamp });
    } else {
      await store.update("tblhosting", { id: intOf(service, "id") }, { domainstatus: switches.acceptOrderServiceStatus, updated_at: stamp });
    }
  }
  await store.update("tblorders", { id: orderId }, { status: "Active" });
  return {};
}
