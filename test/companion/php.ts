import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** `php` on PATH with the extensions the companion tests need. */
export interface PhpRuntime {
  /** False when PHP (or pdo_mysql) is missing outside CI: suites must skip. */
  readonly available: boolean;
  readonly reason: string | undefined;
  readonly version: string | undefined;
  /** Runs a PHP script with `stdin`; throws with stderr when it fails. */
  run(script: string, args: readonly string[], stdin: string): string;
}

export const PHP_DIR = join(dirname(fileURLToPath(import.meta.url)), "php");
export const COMPANION_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "companion");

/**
 * The PHP runtime for the companion tests. When `php` or a needed extension is missing, the file
 * fails under `CI=true` and otherwise skips with a warning banner, like test/support/mariadb.ts.
 */
export function usePhp(label: string, extensions: readonly string[] = []): PhpRuntime {
  const probe = spawnSync("php", ["-r", "echo PHP_VERSION, PHP_EOL, implode(',', get_loaded_extensions());"], { encoding: "utf8" });
  let reason: string | undefined;
  let version: string | undefined;
  if (probe.error !== undefined || probe.status !== 0) {
    reason = `php is not runnable (${probe.error?.message ?? probe.stderr.trim()})`;
  } else {
    const [v = "", loaded = ""] = probe.stdout.split("\n");
    version = v.trim();
    const have = new Set(loaded.split(",").map((e) => e.trim().toLowerCase()));
    const missing = extensions.filter((e) => !have.has(e.toLowerCase()));
    if (missing.length > 0) reason = `php ${version} lacks the extension(s) ${missing.join(", ")} (Debian: apt-get install php-mysql)`;
  }
  if (reason !== undefined) {
    const message = `No PHP for the companion tests (${label}): ${reason}.`;
    if (process.env["CI"] === "true") throw new Error(message);
    const line = "!".repeat(100);
    console.warn(`\n${line}\n!! SKIPPING PHP tests: ${message}\n${line}\n`);
  }
  return {
    available: reason === undefined,
    reason,
    version,
    run(script, args, stdin) {
      const result = spawnSync("php", [join(PHP_DIR, script), ...args], { input: stdin, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
      if (result.error !== undefined) throw result.error;
      if (result.status !== 0) throw new Error(`php ${script} exited with ${result.status}: ${result.stderr.trim() || result.stdout.trim()}`);
      return result.stdout;
    },
  };
}
