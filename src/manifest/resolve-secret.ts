import { ExitCode, ReconcileError } from "../core/errors.js";
import { Secret } from "../core/secrets.js";
import type { SecretRef } from "../model/config.js";

/**
 * Resolve a `${env:NAME}` reference at the edge, where the secret is used. Errors name the
 * variable, never its value.
 */
export function resolveSecret(ref: SecretRef, env: NodeJS.ProcessEnv = process.env): Secret {
  const value = env[ref.env];
  if (value === undefined) {
    throw new ReconcileError("secret.missing", `the environment variable ${ref.env} is not set`, ExitCode.invalid, {
      hint: `export ${ref.env} before running reconcile (the config refers to it as \${env:${ref.env}})`,
      details: { env: ref.env },
    });
  }
  if (value === "") {
    throw new ReconcileError("secret.empty", `the environment variable ${ref.env} is empty`, ExitCode.invalid, {
      hint: `set ${ref.env} to the secret's value`,
      details: { env: ref.env },
    });
  }
  if (value.trim() !== value) {
    throw new ReconcileError("secret.whitespace", `the environment variable ${ref.env} starts or ends with whitespace`, ExitCode.invalid, {
      hint: "a trailing newline often comes from reading the secret from a file; strip it",
      details: { env: ref.env },
    });
  }
  return new Secret(value, `env:${ref.env}`);
}
