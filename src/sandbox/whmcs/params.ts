import { WhmcsApiError } from "./errors.js";
import type { FormArray, FormValue } from "./form.js";
import { PhpArray } from "./php-array.js";
import type { WhmcsSwitches } from "./switches.js";

/** Read access to the request variables of one API call, with PHP-like coercions. */
export class Params {
  constructor(
    readonly vars: FormArray,
    private readonly switches: Pick<WhmcsSwitches, "booleans">,
  ) {}

  has(name: string): boolean {
    return this.vars.has(name);
  }

  raw(name: string): FormValue | undefined {
    return this.vars.get(name);
  }

  /** A scalar parameter; undefined when absent or sent as an array. */
  str(name: string): string | undefined {
    const v = this.vars.get(name);
    return typeof v === "string" ? v : undefined;
  }

  /** An array parameter; undefined when absent or sent as a scalar. */
  arr(name: string): FormArray | undefined {
    const v = this.vars.get(name);
    return v instanceof PhpArray ? v : undefined;
  }

  /** PHP `(int)` of a scalar: leading integer, else 0. */
  int(name: string, fallback = 0): number {
    const s = this.str(name);
    return s === undefined ? fallback : phpInt(s);
  }

  /** Boolean per the `booleans` switch; `fallback` when absent. */
  bool(name: string, fallback = false): boolean {
    const s = this.str(name);
    if (s === undefined) return fallback;
    return parseBool(s, this.switches.booleans, name);
  }
}

/** PHP `(int)"…"`: optional whitespace and sign, leading digits; anything else gives 0. */
export function phpInt(s: string): number {
  const m = /^[ \t\n\r\v\f]*([+-]?[0-9]+)/.exec(s);
  if (!m || m[1] === undefined) return 0;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : 0;
}

const TRUE_WORDS = new Set(["1", "true", "on", "yes"]);
const FALSE_WORDS = new Set(["0", "false", "off", "no", ""]);

export function parseBool(s: string, mode: WhmcsSwitches["booleans"], name: string): boolean {
  if (mode === "php-cast") return s !== "" && s !== "0";
  const word = s.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new WhmcsApiError(`Invalid value for ${name}: expected a boolean (1/0/true/false/on/off)`);
}

/**
 * A decimal as MySQL stores a PHP value into `decimal(p, scale)`: the leading numeric part,
 * rounded half away from zero; non-numeric text stores 0. Exact: no floating point.
 */
export function phpDecimal(s: string, scale = 2): string {
  const m = /^[ \t\n\r\v\f]*([+-]?)([0-9]*)(?:\.([0-9]*))?/.exec(s);
  const sign = m?.[1] === "-" ? "-" : "";
  const whole = m?.[2] ?? "";
  const frac = m?.[3] ?? "";
  if (whole === "" && frac === "") return formatScaled(0n, scale);
  return roundDecimal(`${sign}${whole === "" ? "0" : whole}.${frac}`, scale);
}

/** Round a plain decimal string (`-12.345`) to `scale` digits, half away from zero. */
export function roundDecimal(text: string, scale: number): string {
  const neg = text.startsWith("-");
  const body = neg ? text.slice(1) : text.replace(/^\+/, "");
  const [w = "0", f = ""] = body.split(".");
  const padded = (f + "0".repeat(scale + 1)).slice(0, scale + 1);
  let units = BigInt((w === "" ? "0" : w) + padded.slice(0, scale));
  if (Number(padded[scale] ?? "0") >= 5) units += 1n;
  return formatScaled(neg ? -units : units, scale);
}

function formatScaled(units: bigint, scale: number): string {
  const neg = units < 0n;
  const abs = neg ? -units : units;
  const s = abs.toString().padStart(scale + 1, "0");
  const whole = scale === 0 ? s : s.slice(0, s.length - scale);
  const frac = scale === 0 ? "" : `.${s.slice(s.length - scale)}`;
  return `${neg && abs !== 0n ? "-" : ""}${whole}${frac}`;
}
