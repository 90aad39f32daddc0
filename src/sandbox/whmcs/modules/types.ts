import type { WhmcsStore } from "../store.js";
import type { WhmcsSwitches } from "../switches.js";

/** A Zoho account the `zoho_mail` module talks to (Zoho's emulator in tests and demos). */
export interface ZohoMailConnection {
  /** Base URL of Zoho Accounts, e.g. `zs.baseUrl("us", "accounts")`. */
  readonly accountsUrl: string;
  /** Base URL of Zoho Mail, e.g. `zs.baseUrl("us", "mail")`. */
  readonly mailUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly refreshToken: string;
}

/**
 * `$params` as WHMCS hands it to a server module function (docs/whmcs.md#server-module-conventions):
 * service, product
 * settings, client details, custom fields and option values keyed by the part of their name
 * before `|`, and the assigned server.
 */
export interface ModuleParams {
  readonly serviceid: number;
  readonly userid: number;
  readonly pid: number;
  readonly serverid: number;
  readonly domain: string;
  readonly username: string;
  readonly password: string;
  readonly producttype: string;
  readonly moduletype: string;
  readonly status: string;
  /** `configoption1`…`configoption24` of the product. */
  readonly productSettings: Readonly<Record<string, string>>;
  readonly clientsdetails: Readonly<Record<string, string | number>>;
  readonly customfields: Readonly<Record<string, string>>;
  readonly configoptions: Readonly<Record<string, string | number>>;
  readonly server: {
    readonly ip: string;
    readonly hostname: string;
    readonly username: string;
    readonly password: string;
    readonly accesshash: string;
    readonly secure: boolean;
    readonly port: number | null;
  } | null;
}

/** What a module call may use besides `$params`. */
export interface ModuleContext {
  readonly store: WhmcsStore;
  readonly now: Date;
  readonly switches: Readonly<WhmcsSwitches>;
  /** Undefined when the sandbox was started without a Zoho connection. */
  readonly zohoMail: ZohoMailConnection | undefined;
  /** `logModuleCall`: one `tblmodulelog` row. Never pass secrets. */
  log(action: string, request: string, response: string): Promise<void>;
}

/**
 * A module function's return: `"success"`, any other string (shown as the error), or an
 * array/map (PHP array), which WHMCS compares with `"success"` loosely.
 */
export type ModuleReturn = string | Readonly<Record<string, unknown>> | readonly unknown[];

export type ModuleFunction = (params: ModuleParams, ctx: ModuleContext) => Promise<ModuleReturn>;

/** The lifecycle functions WHMCS calls by name (`<module>_CreateAccount`, …). */
export const LIFECYCLE_FUNCTIONS = ["CreateAccount", "SuspendAccount", "UnsuspendAccount", "TerminateAccount", "ChangePackage", "ChangePassword", "Renew"] as const;
export type LifecycleFunction = (typeof LIFECYCLE_FUNCTIONS)[number];

/**
 * A server module (`modules/servers/<name>/<name>.php`): any lifecycle function it implements,
 * plus custom functions reachable through `ModuleCustom func_name=<name>`.
 */
export type ServerModule = {
  /** The system name stored in `tblproducts.servertype` and `tblservers.type`. */
  readonly name: string;
  readonly custom?: Readonly<Record<string, ModuleFunction>>;
} & { readonly [F in LifecycleFunction]?: ModuleFunction };
