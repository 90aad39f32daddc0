import { createHash } from "node:crypto";
import { canonicalJson, compareCodeUnits } from "../core/canonical.js";
import type { Plan } from "../model/plan.js";

/**
 * `sha256:<hex>` over the canonical JSON of every member but `checksum` itself. The text is hashed
 * as it is written, member by member and array element by element, never held whole: the same
 * bytes as `canonicalJson(body)`, but a large plan's change that is already in canonical order is
 * written directly (see canonicalJson) while one that is not does not slow down the rest.
 */
export function checksumOf(plan: Omit<Plan, "checksum"> | Plan): string {
  const hash = createHash("sha256");
  const body = plan as unknown as Readonly<Record<string, unknown>>;
  const keys = Object.keys(body)
    .filter((k) => k !== "checksum" && body[k] !== undefined && typeof body[k] !== "function")
    .sort(compareCodeUnits);
  hash.update("{");
  keys.forEach((key, i) => {
    const value = body[key];
    hash.update(`${i > 0 ? "," : ""}${JSON.stringify(key)}:`);
    if (!Array.isArray(value)) {
      hash.update(canonicalJson(value));
      return;
    }
    hash.update("[");
    value.forEach((item: unknown, j) => {
      if (j > 0) hash.update(",");
      hash.update(item === undefined || typeof item === "function" ? "null" : canonicalJson(item));
    });
    hash.update("]");
  });
  hash.update("}");
  return `sha256:${hash.digest("hex")}`;
}

/** True when a plan (e.g. read back from a JSON artifact) still carries its own checksum. */
export function verifyChecksum(plan: Plan): boolean {
  return plan.checksum === checksumOf(plan);
}
