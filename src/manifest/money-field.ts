import { toMoney } from "../core/money.js";
import type { Money } from "../core/money.js";
import { IssueCode } from "./codes.js";
import type { DocContext } from "./context.js";
import { scalarSource } from "./locate.js";
import type { PathSegment } from "./locate.js";
import type { WrittenMoney } from "./written.js";

/** Same rule as the schema's money pattern, applied to the source text of YAML numbers. */
const MONEY_TEXT = /^[0-9]{1,14}(\.[0-9]{1,2})?$/;

/**
 * Canonical money from a manifest field. Strings were checked by the schema pattern. Numbers
 * are judged by their source text, not their float value: `10.001` and `1e3` are refused even
 * though JavaScript would print the second as `1000`, and the digits are never rounded.
 */
export function moneyField(ctx: DocContext, value: WrittenMoney, path: readonly PathSegment[]): Money | undefined {
  if (typeof value === "string") return toMoney(value);
  const source = scalarSource(ctx.sd, path)?.trim();
  if (source === undefined || !MONEY_TEXT.test(source)) {
    const field = String(path[path.length - 1] ?? "amount");
    const hint = source !== undefined && /e/i.test(source)
      ? "exponent notation is not allowed; write the amount out, e.g. \"1000.00\""
      : "write the amount as a decimal with at most 2 decimals, e.g. \"12.00\"";
    ctx.report(IssueCode.moneyInvalid, path, `'${field}' is not an amount with at most 2 decimals`, hint);
    return undefined;
  }
  return toMoney(source);
}
