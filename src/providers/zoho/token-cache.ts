import { createHash, randomBytes } from "node:crypto";
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { registerSecret } from "../../core/secrets.js";

/**
 * Access tokens kept on disk between runs. Zoho allows about ten mints per ten minutes per
 * refresh token, so a tool run many times (CI on every pull request, shards) must not mint one
 * per run. One file per OAuth client, accounts server and refresh token; the file name is a
 * SHA-256 over all three (the refresh token itself hashed first), so it reveals none of them.
 * Files are created 0600 in a 0700 folder and read only when they are regular files owned by
 * this user and closed to others; anything else is ignored, never trusted.
 */
export interface CachedToken {
  readonly token: string;
  /** When the token must no longer be used (epoch ms): shortly before Zoho's expiry. */
  readonly refreshAt: number;
}

export interface TokenStore {
  read(): CachedToken | undefined;
  write(entry: CachedToken): void;
  /** Forget the stored token if it is `token` (Zoho refused it). */
  discard(token: string): void;
}

export interface TokenCacheKey {
  readonly clientId: string;
  readonly refreshToken: string;
  readonly accountsUrl: string;
}

const APP_DIR = "zoho-whmcs-reconcile";
const FILE_PATTERN = /^zoho-token-[0-9a-f]{64}\.json$/;

/**
 * Where tokens are cached: `$RECONCILE_CACHE_DIR`, else `$XDG_CACHE_HOME/zoho-whmcs-reconcile`,
 * else `$HOME/.cache/zoho-whmcs-reconcile`; undefined (no cache) when none is set.
 */
export function zohoTokenCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const explicit = env["RECONCILE_CACHE_DIR"];
  if (explicit !== undefined && explicit !== "") return explicit;
  const xdg = env["XDG_CACHE_HOME"];
  if (xdg !== undefined && xdg.startsWith("/")) return join(xdg, APP_DIR);
  const home = env["HOME"];
  if (home !== undefined && home.startsWith("/")) return join(home, ".cache", APP_DIR);
  return undefined;
}

export function tokenCacheFileName(key: TokenCacheKey): string {
  const refreshHash = createHash("sha256").update(key.refreshToken).digest("hex");
  const id = createHash("sha256").update(`${key.clientId}\0${key.accountsUrl}\0${refreshHash}`).digest("hex");
  return `zoho-token-${id}.json`;
}

/** A store in `dir`; failures to read or write never fail a run (the token is minted instead). */
export function fileTokenStore(dir: string, key: TokenCacheKey, now: () => number, onProblem: (message: string) => void = () => undefined): TokenStore {
  const name = tokenCacheFileName(key);
  const file = join(dir, name);
  const ownUid = typeof process.getuid === "function" ? process.getuid() : undefined;
  const safeOwner = (uid: number): boolean => ownUid === undefined || uid === ownUid;

  function usableDir(create: boolean): boolean {
    try {
      if (create) mkdirSync(dir, { recursive: true, mode: 0o700 });
      const st = lstatSync(dir);
      if (!st.isDirectory() || !safeOwner(st.uid) || (st.mode & 0o022) !== 0) {
        onProblem(`token cache folder ${dir} is not a folder of this user closed to others; not using it`);
        return false;
      }
      return true;
    } catch (err) {
      if (!create && (err as { code?: unknown }).code === "ENOENT") return false;
      onProblem(`token cache folder ${dir} is not usable (${(err as { code?: unknown }).code ?? "error"})`);
      return false;
    }
  }

  function readFile(path: string): CachedToken | undefined {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    } catch {
      return undefined;
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || !safeOwner(st.uid) || (st.mode & 0o077) !== 0 || st.size > 4096) return undefined;
      const parsed: unknown = JSON.parse(readFileSync(fd, "utf8"));
      if (parsed === null || typeof parsed !== "object") return undefined;
      const { token, refreshAt } = parsed as Record<string, unknown>;
      if (typeof token !== "string" || token === "" || typeof refreshAt !== "number" || !Number.isFinite(refreshAt)) return undefined;
      return { token, refreshAt };
    } catch {
      return undefined;
    } finally {
      closeSync(fd);
    }
  }

  function prune(): void {
    for (const other of readdirSync(dir)) {
      if (other === name || !FILE_PATTERN.test(other)) continue;
      const entry = readFile(join(dir, other));
      if (entry !== undefined && entry.refreshAt <= now()) unlinkQuietly(join(dir, other));
    }
  }

  return {
    read() {
      if (!usableDir(false)) return undefined;
      const entry = readFile(file);
      if (entry === undefined || entry.refreshAt <= now()) return undefined;
      registerSecret(entry.token);
      return entry;
    },
    write(entry) {
      if (!usableDir(true)) return;
      const tmp = join(dir, `.${name}.${randomBytes(6).toString("hex")}.tmp`);
      try {
        writeFileSync(tmp, JSON.stringify({ token: entry.token, refreshAt: entry.refreshAt }), { mode: 0o600, flag: "wx" });
        renameSync(tmp, file);
        prune();
      } catch (err) {
        unlinkQuietly(tmp);
        onProblem(`could not write the token cache in ${dir} (${(err as { code?: unknown }).code ?? "error"})`);
      }
    },
    discard(token) {
      if (!usableDir(false)) return;
      if (readFile(file)?.token === token) unlinkQuietly(file);
    },
  };
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
