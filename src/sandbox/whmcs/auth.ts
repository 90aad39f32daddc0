import { parseRoleIds, verifySecret } from "./credentials.js";
import type { Params } from "./params.js";
import { intOf, sqlDateTime, textOf } from "./rows.js";
import type { WhmcsStore } from "./store.js";

/** Who a request authenticated as. */
export type Principal =
  /** An API credential: allowed actions are the union of its roles' permissions. */
  | { readonly kind: "credential"; readonly id: number; readonly permissions: ReadonlySet<string> }
  /**
   * The legacy admin login (username + md5 of the password). API roles belong to credentials;
   * an admin with API access is modelled as allowed every action.
   */
  | { readonly kind: "admin"; readonly id: number };

/**
 * Check `identifier`/`secret`, the same pair sent as `username`/`password`, or an admin
 * `username` with the lowercase-hex md5 of its password. Undefined means
 * `Authentication Failed`. Stamps `last_access` on a credential that validates.
 */
export async function authenticate(store: WhmcsStore, params: Params, now: Date): Promise<Principal | undefined> {
  const identifier = params.str("identifier");
  if (identifier !== undefined && identifier !== "") {
    return credential(store, identifier, params.str("secret"), now);
  }
  const username = params.str("username");
  const password = params.str("password");
  if (username === undefined || username === "" || password === undefined) return undefined;
  const asCredential = await credential(store, username, password, now);
  if (asCredential !== undefined) return asCredential;
  return admin(store, username, password);
}

export function allows(principal: Principal, actionLower: string): boolean {
  return principal.kind === "admin" || principal.permissions.has(actionLower);
}

async function credential(
  store: WhmcsStore,
  identifier: string,
  secret: string | undefined,
  now: Date,
): Promise<Principal | undefined> {
  if (secret === undefined || secret === "") return undefined;
  const row = await store.selectOne("tbldeviceauth", { identifier, deleted_at: null });
  if (row === undefined || !verifySecret(textOf(row, "secret"), secret)) return undefined;
  const id = intOf(row, "id");
  await store.update("tbldeviceauth", { id }, { last_access: sqlDateTime(now) });
  const permissions = new Set<string>();
  const roleIds = parseRoleIds(textOf(row, "role_ids"));
  const roles = roleIds.length === 0 ? [] : await store.select("tblapi_roles", { id: roleIds });
  for (const role of roles) {
    for (const action of parsePermissions(textOf(role, "permissions"))) permissions.add(action);
  }
  return { kind: "credential", id, permissions };
}

async function admin(store: WhmcsStore, username: string, password: string): Promise<Principal | undefined> {
  // The legacy login sends md5(password) as lowercase hex; anything else (a plain password) fails.
  if (!/^[0-9a-f]{32}$/.test(password)) return undefined;
  const rows = await store.select("tbladmins", { username, disabled: 0 });
  for (const row of rows) {
    if (verifySecret(textOf(row, "passwordhash"), password)) return { kind: "admin", id: intOf(row, "id") };
  }
  return undefined;
}

/** `tblapi_roles.permissions`: JSON keyed by lowercase action name, truthy values allow. */
export function parsePermissions(text: string): string[] {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return [];
    return Object.entries(parsed as Record<string, unknown>)
      .filter(([, v]) => v === true || (typeof v === "number" && v !== 0) || v === "1")
      .map(([k]) => k.toLowerCase());
  } catch {
    return [];
  }
}
