import type { WhmcsClient } from "./client.js";
import type { FormValue } from "./encode.js";
import { requireId, WhmcsRequestError } from "./request-checks.js";

/**
 * Module commands: WHMCS runs the product's server module synchronously (remote calls included),
 * so they get the client's long timeout, and they are writes: never retried. A module without the
 * function answers `Function Not Supported by Module` (a `WhmcsApiError` of category `module`).
 */
export interface ModuleCallOptions {
  /** Per-attempt timeout (default: the client's long timeout). */
  readonly timeoutMs?: number;
}

async function moduleCall(client: WhmcsClient, action: string, serviceId: string, extra: Record<string, FormValue>, options: ModuleCallOptions): Promise<void> {
  const params = { serviceid: requireId(action, "serviceId", serviceId), ...extra };
  await client.call(action, params, { kind: "write", ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
}

/** `ModuleCreate`: on success the service becomes Active. */
export async function moduleCreate(client: WhmcsClient, serviceId: string, options: ModuleCallOptions = {}): Promise<void> {
  await moduleCall(client, "ModuleCreate", serviceId, {}, options);
}

/** `ModuleSuspend`: on success the service becomes Suspended. */
export async function moduleSuspend(client: WhmcsClient, serviceId: string, reason?: string, options: ModuleCallOptions = {}): Promise<void> {
  await moduleCall(client, "ModuleSuspend", serviceId, reason === undefined ? {} : { suspendreason: reason }, options);
}

/** `ModuleUnsuspend`: on success the service becomes Active. */
export async function moduleUnsuspend(client: WhmcsClient, serviceId: string, options: ModuleCallOptions = {}): Promise<void> {
  await moduleCall(client, "ModuleUnsuspend", serviceId, {}, options);
}

/** `ModuleTerminate`: on success the service becomes Terminated. */
export async function moduleTerminate(client: WhmcsClient, serviceId: string, options: ModuleCallOptions = {}): Promise<void> {
  await moduleCall(client, "ModuleTerminate", serviceId, {}, options);
}

/** `ModuleChangePackage`: pushes the service's product and options to the module; status unchanged. */
export async function moduleChangePackage(client: WhmcsClient, serviceId: string, options: ModuleCallOptions = {}): Promise<void> {
  await moduleCall(client, "ModuleChangePackage", serviceId, {}, options);
}

/**
 * `ModuleCustom`: a custom module function by its button name without the `<module>_` prefix
 * (`buttonOneFunction` for zoho_mail).
 */
export async function moduleCustom(client: WhmcsClient, serviceId: string, functionName: string, options: ModuleCallOptions = {}): Promise<void> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(functionName)) {
    throw new WhmcsRequestError("ModuleCustom", `functionName must be a PHP function name, got ${JSON.stringify(functionName)}`);
  }
  await moduleCall(client, "ModuleCustom", serviceId, { func_name: functionName }, options);
}
