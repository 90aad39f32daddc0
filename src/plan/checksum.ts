import { canonicalJson, sha256Hex } from "../core/canonical.js";
import type { Plan } from "../model/plan.js";

/** `sha256:<hex>` over the canonical JSON of every member but `checksum` itself. */
export function checksumOf(plan: Omit<Plan, "checksum"> | Plan): string {
  const body: Record<string, unknown> = { ...plan };
  delete body["checksum"];
  return `sha256:${sha256Hex(canonicalJson(body))}`;
}

/** True when a plan (e.g. read back from a JSON artifact) still carries its own checksum. */
export function verifyChecksum(plan: Plan): boolean {
  return plan.checksum === checksumOf(plan);
}
