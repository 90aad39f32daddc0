import { ReconcileError } from "./errors.js";

/** A money amount as a fixed-scale decimal string with exactly two decimals, e.g. "10.00", "-1.00". */
export type Money = string;

const MONEY_RE = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/** True when `input` is a number or decimal string with at most two decimals. */
export function isMoney(input: unknown): boolean {
  return toMoneyOrUndefined(input) !== undefined;
}

/**
 * Canonicalise a money value from a manifest or a remote API: `10`, `"10"`, `"10.0"` and `10.00`
 * all become `"10.00"`. Never goes through floating point arithmetic.
 */
export function toMoney(input: unknown): Money {
  const m = toMoneyOrUndefined(input);
  if (m === undefined) {
    throw new ReconcileError("money.invalid", `not a money amount with at most 2 decimals: ${JSON.stringify(input)}`);
  }
  return m;
}

export function toMoneyOrUndefined(input: unknown): Money | undefined {
  let text: string;
  if (typeof input === "number") {
    if (!Number.isFinite(input)) return undefined;
    // Numbers from YAML/JSON: accept only those whose shortest repr has ≤ 2 decimals.
    text = String(input);
    if (/e/i.test(text)) return undefined;
  } else if (typeof input === "string") {
    text = input.trim();
  } else {
    return undefined;
  }
  const m = MONEY_RE.exec(text);
  if (!m) return undefined;
  const sign = m[1] ?? "";
  const whole = (m[2] ?? "0").replace(/^0+(?=\d)/, "");
  const frac = (m[3] ?? "").padEnd(2, "0");
  if (whole === "0" && frac === "00") return "0.00";
  return `${sign}${whole}.${frac}`;
}

/** Money as integer cents, for exact sums (MRR). */
export function moneyToCents(m: Money): bigint {
  const neg = m.startsWith("-");
  const [w, f = "00"] = (neg ? m.slice(1) : m).split(".");
  const cents = BigInt(w ?? "0") * 100n + BigInt(f.padEnd(2, "0"));
  return neg ? -cents : cents;
}

export function centsToMoney(c: bigint): Money {
  const neg = c < 0n;
  const abs = neg ? -c : c;
  const whole = abs / 100n;
  const frac = (abs % 100n).toString().padStart(2, "0");
  return `${neg && abs !== 0n ? "-" : ""}${whole}.${frac}`;
}
