import { timingSafeEqual } from "node:crypto";
import { ACTIONS } from "./actions/index.js";
import type { RequestInfo } from "./actions/types.js";
import { allows, authenticate } from "./auth.js";
import { errorEnvelope, successEnvelope } from "./envelope.js";
import { WhmcsApiError } from "./errors.js";
import type { FormArray } from "./form.js";
import { isIpAllowed, readAllowedIps } from "./ip-allow.js";
import type { ModuleRegistry, ZohoMailConnection } from "./modules/index.js";
import { Params } from "./params.js";
import type { WhmcsStore } from "./store.js";
import type { ResponseType, WhmcsSwitches } from "./switches.js";

export interface DispatchDeps {
  readonly store: WhmcsStore;
  readonly switches: Readonly<WhmcsSwitches>;
  /** `$api_access_key` of configuration.php; undefined when none is configured. */
  readonly accessKey: string | undefined;
  readonly now: () => Date;
  readonly modules: ModuleRegistry;
  readonly zohoMail: ZohoMailConnection | undefined;
}

export interface DispatchResult {
  readonly status: number;
  readonly envelope: Record<string, unknown>;
  readonly responseType: ResponseType;
  readonly action: string;
  readonly params: Params;
}

const RESPONSE_TYPES: readonly ResponseType[] = ["json", "xml", "nvp"];

/**
 * One `api.php` call after transport: IP allow-list (unless a valid `accesskey`), credentials,
 * action lookup and API role, then the action itself. Business errors are HTTP 200.
 */
export async function dispatch(vars: FormArray, request: RequestInfo, deps: DispatchDeps): Promise<DispatchResult> {
  const { store, switches } = deps;
  const params = new Params(vars, switches);
  const action = params.str("action") ?? "";
  const lower = action.toLowerCase();
  const requested = (params.str("responsetype") ?? "").toLowerCase();
  const responseType = RESPONSE_TYPES.find((t) => t === requested) ?? switches.defaultResponseType;
  const answer = (status: number, envelope: Record<string, unknown>): DispatchResult => ({
    status,
    envelope,
    responseType,
    action,
    params,
  });

  const allowList = await readAllowedIps(store);
  if (!isIpAllowed(allowList, request.ip) && !accessKeyMatches(deps.accessKey, params.str("accesskey"))) {
    return answer(403, errorEnvelope(`${switches.ipDeniedMessage} ${request.ip}`));
  }

  const now = deps.now();
  const principal = await authenticate(store, params, now);
  if (principal === undefined) return answer(switches.authFailureStatus, errorEnvelope("Authentication Failed"));

  const def = ACTIONS.get(lower);
  const served = def !== undefined && (!def.companion || switches.companion);
  const unknown = (): DispatchResult => answer(switches.unknownActionStatus, errorEnvelope(switches.unknownActionMessage));
  if (!served && switches.unknownActionCheck === "before-permissions") return unknown();
  if (!allows(principal, lower)) {
    return answer(switches.permissionDeniedStatus, errorEnvelope(`Invalid Permissions: API action "${lower}" is not allowed`));
  }
  if (!served) return unknown();

  try {
    const fields = await def.handler({ params, store, switches, request, now, modules: deps.modules, zohoMail: deps.zohoMail });
    return answer(200, successEnvelope(fields));
  } catch (err) {
    if (err instanceof WhmcsApiError) return answer(err.status, errorEnvelope(err.message));
    throw err;
  }
}

function accessKeyMatches(configured: string | undefined, given: string | undefined): boolean {
  if (configured === undefined || configured === "" || given === undefined) return false;
  const a = Buffer.from(configured, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
