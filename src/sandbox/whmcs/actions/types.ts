import type { ModuleRegistry, ZohoMailConnection } from "../modules/index.js";
import type { Params } from "../params.js";
import type { WhmcsStore } from "../store.js";
import type { WhmcsSwitches } from "../switches.js";

/** What one API call knows about its request. */
export interface RequestInfo {
  /** Peer address as REMOTE_ADDR shows it. */
  readonly ip: string;
  /** `Host` header, for URLs WHMCS builds from its own address. */
  readonly host: string;
  /** Sub-path WHMCS is installed under (`""` or e.g. `/whmcs`). */
  readonly basePath: string;
}

export interface ActionContext {
  readonly params: Params;
  readonly store: WhmcsStore;
  readonly switches: Readonly<WhmcsSwitches>;
  readonly request: RequestInfo;
  readonly now: Date;
  /** Installed server modules (`zoho_mail`, `reconcile_test`, any extra ones). */
  readonly modules: ModuleRegistry;
  /** The Zoho account `zoho_mail` talks to; undefined when none was given. */
  readonly zohoMail: ZohoMailConnection | undefined;
}

/**
 * One API action: returns the fields after `"result":"success"`, or throws `WhmcsApiError`
 * with WHMCS's exact message. One file per action under `actions/`.
 */
export type ActionHandler = (ctx: ActionContext) => Promise<Record<string, unknown>>;

export interface ActionDef {
  /** Canonical PascalCase name, as the docs spell it. */
  readonly name: string;
  /** Non-core companion action, served only with the `companion` switch on. */
  readonly companion: boolean;
  readonly handler: ActionHandler;
}
