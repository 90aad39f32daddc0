import { ReconcileError } from "../../core/errors.js";
import { toMoneyOrUndefined, type Money } from "../../core/money.js";

/**
 * WHMCS returns the same field as a number in one action and a string in the next, depending on
 * whether PHP cast it. These readers accept both and fail with the exact location otherwise.
 */
export class WhmcsDataError extends ReconcileError {
  readonly where: string;
  constructor(where: string, message: string) {
    super("whmcs.data.invalid", `unexpected WHMCS data at ${where}: ${message}`);
    this.where = where;
  }
}

export type Row = Readonly<Record<string, unknown>>;

export function asRow(x: unknown, where: string): Row {
  if (x === null || typeof x !== "object" || Array.isArray(x)) throw new WhmcsDataError(where, `expected an object, got ${typeName(x)}`);
  return x as Row;
}

/** A list; `null` and `""` count as empty because PHP encodes some empty lists that way. */
export function asList(x: unknown, where: string): readonly unknown[] {
  if (Array.isArray(x)) return x;
  if (x === null || x === "") return [];
  throw new WhmcsDataError(where, `expected a list, got ${typeName(x)}`);
}

/** A database id as a canonical decimal string (`7`, `"7"` and `"007"` are all `"7"`). */
export function toId(x: unknown, where: string): string {
  if (typeof x === "number" && Number.isSafeInteger(x) && x >= 0) return String(x);
  if (typeof x === "string" && /^\s*\d+\s*$/.test(x)) return x.trim().replace(/^0+(?=\d)/, "");
  throw new WhmcsDataError(where, `expected an id, got ${short(x)}`);
}

export function toInt(x: unknown, where: string): number {
  if (typeof x === "number" && Number.isSafeInteger(x)) return x;
  if (typeof x === "string" && /^\s*-?\d+\s*$/.test(x)) {
    const n = Number(x);
    if (Number.isSafeInteger(n)) return n;
  }
  throw new WhmcsDataError(where, `expected an integer, got ${short(x)}`);
}

/** Tinyint flags and PHP truthiness: `1`/`0`, `"1"`/`"0"`, booleans, `"on"`, `""`, `null`. */
export function toFlag(x: unknown, where: string): boolean {
  if (x === true || x === 1 || x === "1" || x === "on" || x === "true") return true;
  if (x === false || x === 0 || x === "0" || x === "" || x === "off" || x === "false" || x === null || x === undefined) return false;
  throw new WhmcsDataError(where, `expected a 0/1 flag, got ${short(x)}`);
}

/** Text columns; NULL reads as "" (headline and tagline are nullable). */
export function toText(x: unknown, where: string): string {
  if (typeof x === "string") return x;
  if (typeof x === "number" && Number.isFinite(x)) return String(x);
  if (x === null || x === undefined) return "";
  throw new WhmcsDataError(where, `expected text, got ${short(x)}`);
}

export function toPrice(x: unknown, where: string): Money {
  const m = toMoneyOrUndefined(x);
  if (m === undefined) throw new WhmcsDataError(where, `expected a money amount, got ${short(x)}`);
  return m;
}

/** Order for numeric id strings: by length, then by code unit (equal to numeric order for canonical ids). */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

function typeName(x: unknown): string {
  return x === null ? "null" : Array.isArray(x) ? "a list" : typeof x;
}

function short(x: unknown): string {
  const text = JSON.stringify(x) ?? String(x);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
