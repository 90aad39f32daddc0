import { sqlDate } from "../../billing/dates.js";
import { WhmcsApiError } from "../../errors.js";
import { callModule, type ModuleCall, type ModuleParams } from "../../modules/index.js";
import { intOf, sqlDateTime } from "../../rows.js";
import { rowById } from "../../services/lookup.js";
import type { Row, SqlValue } from "../../store.js";
import type { ActionContext, ActionDef } from "../types.js";

export const ERR_SERVICE_REQUIRED = "Service ID is required";
export const ERR_SERVICE_NOT_FOUND = "Service ID not found";

export interface CommandSpec {
  readonly name: string;
  /** Which module function runs; a custom one comes from the request. */
  readonly call: (ctx: ActionContext) => ModuleCall;
  /** `$params` changes for this call (a new password). */
  readonly override?: (ctx: ActionContext) => Partial<ModuleParams>;
  /** The service fields written when the module answers `success` (docs/whmcs.md#service-and-order-states). */
  readonly onSuccess?: (ctx: ActionContext, service: Row) => Readonly<Record<string, SqlValue>>;
}

/**
 * A `Module*` action (docs/whmcs.md#module-commands): `serviceid`, or its pre-7.7 name `accountid`; the
 * module function runs synchronously; status changes only on success; answers `result`
 * alone, or the module's own error text.
 */
export function moduleCommand(spec: CommandSpec): ActionDef {
  return {
    name: spec.name,
    companion: false,
    handler: async (ctx) => {
      const id = nonEmpty(ctx.params.str("serviceid")) ?? nonEmpty(ctx.params.str("accountid"));
      if (id === undefined) throw new WhmcsApiError(ERR_SERVICE_REQUIRED);
      const service = await rowById(ctx.store, "tblhosting", id);
      if (service === undefined) throw new WhmcsApiError(ERR_SERVICE_NOT_FOUND);
      await callModule(ctx, service, spec.call(ctx), spec.override?.(ctx) ?? {});
      const patch = spec.onSuccess?.(ctx, service);
      if (patch !== undefined && Object.keys(patch).length > 0) {
        await ctx.store.update("tblhosting", { id: intOf(service, "id") }, { ...patch, updated_at: sqlDateTime(ctx.now) });
      }
      return {};
    },
  };
}

export function today(ctx: ActionContext): string {
  return sqlDate(ctx.now);
}

function nonEmpty(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === "" ? undefined : s;
}
