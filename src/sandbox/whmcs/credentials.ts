import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { registerSecret } from "../../core/secrets.js";
import { WhmcsSandboxError } from "./errors.js";
import { completeRow, intOf, sqlDateTime } from "./rows.js";
import type { WhmcsStore } from "./store.js";

/**
 * How WHMCS hashes API secrets is [unconfirmed]; the sandbox uses its own salted SHA-256:
 * `sha256$<salt hex>$<hex digest of salt + secret>`. Admin passwords are stored the same way
 * over the lowercase MD5 hex the legacy login sends, so the plain password is never kept.
 */
export function hashSecret(secret: string, salt: string = randomBytes(16).toString("hex")): string {
  return `sha256$${salt}$${createHash("sha256").update(salt + secret, "utf8").digest("hex")}`;
}

export function verifySecret(stored: string, given: string): boolean {
  const [scheme, salt, digest] = stored.split("$");
  if (scheme !== "sha256" || salt === undefined || digest === undefined) return false;
  const expected = Buffer.from(digest, "hex");
  const actual = createHash("sha256").update(salt + given, "utf8").digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export function md5Hex(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex");
}

/** A random token of letters and digits. */
export function randomToken(length = 32): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const bytes = randomBytes(length);
  let out = "";
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

export interface CredentialSpec {
  readonly identifier: string;
  readonly secret: string;
  /** Lowercase-insensitive action names the credential's role allows, or every known action. */
  readonly actions?: readonly string[] | "all";
}

/**
 * Create or refresh an API credential (`tbldeviceauth`) with its own API role (`tblapi_roles`,
 * permissions as JSON keyed by lowercase action). An existing identifier gets the new secret
 * and permissions, so a fixed credential survives restarts on a file store.
 */
export async function ensureCredential(
  store: WhmcsStore,
  spec: CredentialSpec,
  allActions: readonly string[],
  adminId: number,
  now: Date,
): Promise<void> {
  if (spec.identifier.length === 0 || spec.secret.length === 0) {
    throw new WhmcsSandboxError("credentials.invalid", "API credentials need a non-empty identifier and secret");
  }
  registerSecret(spec.identifier);
  registerSecret(spec.secret);
  const actions = spec.actions === undefined || spec.actions === "all" ? allActions : spec.actions;
  const permissions = JSON.stringify(Object.fromEntries(actions.map((a) => [a.toLowerCase(), 1])));
  const stamp = sqlDateTime(now);
  await store.transaction(async (tx) => {
    const existing = await tx.selectOne("tbldeviceauth", { identifier: spec.identifier });
    if (existing !== undefined) {
      const roleIds = parseRoleIds(String(existing["role_ids"] ?? ""));
      const roleId = roleIds[0];
      if (roleId !== undefined && (await tx.count("tblapi_roles", { id: roleId })) > 0) {
        await tx.update("tblapi_roles", { id: roleId }, { permissions, updated_at: stamp });
      } else {
        const newRole = await insertRole(tx, permissions, stamp);
        await tx.update("tbldeviceauth", { id: intOf(existing, "id") }, { role_ids: JSON.stringify([newRole]) });
      }
      await tx.update(
        "tbldeviceauth",
        { id: intOf(existing, "id") },
        { secret: hashSecret(spec.secret), deleted_at: null, updated_at: stamp },
      );
      return;
    }
    const roleId = await insertRole(tx, permissions, stamp);
    await tx.insert(
      "tbldeviceauth",
      completeRow("tbldeviceauth", {
        identifier: spec.identifier,
        secret: hashSecret(spec.secret),
        user_id: adminId,
        is_admin: 1,
        role_ids: JSON.stringify([roleId]),
        description: "Sandbox API credential",
        created_at: stamp,
        updated_at: stamp,
      }),
    );
  });
}

async function insertRole(tx: WhmcsStore, permissions: string, stamp: string): Promise<number> {
  return tx.insert(
    "tblapi_roles",
    completeRow("tblapi_roles", {
      role: "Sandbox API role",
      description: "Created by the WHMCS sandbox",
      permissions,
      created_at: stamp,
      updated_at: stamp,
    }),
  );
}

/** `role_ids` as the sandbox writes it (a JSON array); a comma list is read too. */
export function parseRoleIds(text: string): number[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];
  if (trimmed.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map(Number).filter((n) => Number.isInteger(n));
    } catch {
      return [];
    }
  }
  return trimmed
    .split(",")
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n));
}

export interface AdminSpec {
  readonly username: string;
  readonly password: string;
}

/** Create or refresh an admin user (`tbladmins`) for the legacy username + md5(password) login. */
export async function ensureAdmin(store: WhmcsStore, spec: AdminSpec, now: Date): Promise<number> {
  if (spec.username.length === 0) throw new WhmcsSandboxError("credentials.invalid", "the admin username must not be empty");
  registerSecret(spec.password);
  const stamp = sqlDateTime(now);
  const passwordhash = hashSecret(md5Hex(spec.password));
  const existing = await store.selectOne("tbladmins", { username: spec.username });
  if (existing !== undefined) {
    await store.update("tbladmins", { id: intOf(existing, "id") }, { passwordhash, disabled: 0, updated_at: stamp });
    return intOf(existing, "id");
  }
  return store.insert(
    "tbladmins",
    completeRow("tbladmins", {
      roleid: 1,
      username: spec.username,
      passwordhash,
      firstname: "Sandbox",
      lastname: "Admin",
      email: "admin@sandbox.invalid",
      template: "blend",
      language: "english",
      disabled: 0,
      created_at: stamp,
      updated_at: stamp,
    }),
  );
}
