import { WhmcsApiError } from "../errors.js";
import { completeRow, intOf, sqlDateTime, textOf } from "../rows.js";
import type { Row, WhmcsStore } from "../store.js";
import type { WhmcsSwitches } from "../switches.js";
import { loggableParams, moduleParams } from "./params.js";
import type { ModuleRegistry } from "./registry.js";
import type { LifecycleFunction, ModuleContext, ModuleFunction, ModuleParams, ModuleReturn, ZohoMailConnection } from "./types.js";

export const ERR_NOT_ASSIGNED = "Service not assigned to a module";

/** What running a module command needs from the sandbox. */
export interface ModuleDeps {
  readonly store: WhmcsStore;
  readonly switches: Readonly<WhmcsSwitches>;
  readonly now: Date;
  readonly modules: ModuleRegistry;
  readonly zohoMail: ZohoMailConnection | undefined;
}

export type ModuleCall = { readonly kind: "lifecycle"; readonly fn: LifecycleFunction } | { readonly kind: "custom"; readonly fn: string };

/**
 * Call one module function for a service, synchronously like WHMCS (remote HTTP included), and
 * record it in `tblmodulelog`. Resolves on `success`; otherwise throws `WhmcsApiError` with the
 * module's own text, or WHMCS's when the service has no module or the module lacks the function.
 * `override` changes `$params` for this call only (a new password, say).
 */
export async function callModule(deps: ModuleDeps, service: Row, call: ModuleCall, override: Partial<ModuleParams> = {}): Promise<void> {
  const { store, switches } = deps;
  const product = await store.selectOne("tblproducts", { id: intOf(service, "packageid") });
  const moduleName = product === undefined ? "" : textOf(product, "servertype");
  if (product === undefined || moduleName === "") throw new WhmcsApiError(ERR_NOT_ASSIGNED);
  const module = deps.modules.get(moduleName);
  const fn: ModuleFunction | undefined = call.kind === "lifecycle" ? module?.[call.fn] : module?.custom?.[call.fn];
  if (fn === undefined) {
    throw new WhmcsApiError(call.kind === "lifecycle" ? switches.unsupportedFunctionMessage : switches.customFunctionMissingMessage);
  }

  const params: ModuleParams = { ...(await moduleParams(store, service, product)), ...override };
  const log = async (action: string, request: string, response: string): Promise<void> => {
    await store.insert("tblmodulelog", completeRow("tblmodulelog", { date: sqlDateTime(deps.now), module: moduleName, action, request, response, arrdata: "" }));
  };
  const ctx: ModuleContext = { store, now: deps.now, switches, zohoMail: deps.zohoMail, log };
  let result: ModuleReturn;
  try {
    result = await fn(params, ctx);
  } catch (err) {
    // A PHP module that throws shows its exception message as the error.
    result = err instanceof Error ? err.message : String(err);
  }
  const outcome = interpret(result, switches);
  await log(call.fn, loggableParams(params), typeof result === "string" ? result : JSON.stringify(result));
  if (outcome !== "success") throw new WhmcsApiError(outcome);
}

/** `"success"`, or the error text WHMCS would show (PHP prints an array as `Array`). */
function interpret(result: ModuleReturn, switches: Readonly<WhmcsSwitches>): string {
  if (typeof result === "string") return result === "success" ? "success" : result;
  return switches.moduleArrayResult === "success" ? "success" : "Array";
}
