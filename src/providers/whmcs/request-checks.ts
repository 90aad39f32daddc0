import { ReconcileError } from "../../core/errors.js";
import { toMoneyOrUndefined, type Money } from "../../core/money.js";
import { SERVICE_CYCLE_TEXT } from "./read-records.js";
import type { ServiceCycle } from "./service-types.js";

/** A client, order or service request that WHMCS would reject or misread; caught before anything is sent. */
export class WhmcsRequestError extends ReconcileError {
  constructor(action: string, message: string) {
    super("whmcs.request.invalid", `${action}: ${message}`);
  }
}

const ID = /^[1-9]\d*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function requireId(action: string, name: string, id: string): string {
  if (!ID.test(id)) throw new WhmcsRequestError(action, `${name} must be a WHMCS id (a positive integer), got ${JSON.stringify(id)}`);
  return id;
}

export function requireText(action: string, name: string, text: string): string {
  if (text.trim() === "") throw new WhmcsRequestError(action, `${name} is required`);
  return text;
}

export function requireCount(action: string, name: string, n: number, min = 0): number {
  if (!Number.isSafeInteger(n) || n < min) throw new WhmcsRequestError(action, `${name} must be an integer ≥ ${min}, got ${n}`);
  return n;
}

export function requireMoney(action: string, name: string, amount: string): Money {
  const m = toMoneyOrUndefined(amount);
  if (m === undefined) throw new WhmcsRequestError(action, `${name} must be an amount with at most 2 decimals, got ${JSON.stringify(amount)}`);
  return m;
}

export function requireDate(action: string, name: string, date: string): string {
  if (!DATE.test(date)) throw new WhmcsRequestError(action, `${name} must be a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return date;
}

/** WHMCS's API keys for cycles in requests (`AddOrder billingcycle[]`, `UpgradeProduct`). */
export function cycleKey(action: string, name: string, cycle: ServiceCycle): string {
  if (!(cycle in SERVICE_CYCLE_TEXT)) throw new WhmcsRequestError(action, `${name} is not a billing cycle: ${JSON.stringify(cycle)}`);
  return cycle;
}

/**
 * Display strings that `UpdateClientProduct billingcycle` takes. Only `Monthly`, `Quarterly` and
 * `One-Time` are documented, so callers may override the others (`cycleText`).
 */
export function cycleDisplay(action: string, cycle: ServiceCycle, overrides: Readonly<Partial<Record<ServiceCycle, string>>> = {}): string {
  const text = overrides[cycle] ?? SERVICE_CYCLE_TEXT[cycle];
  if (text === undefined) throw new WhmcsRequestError(action, `billingCycle is not a billing cycle: ${JSON.stringify(cycle)}`);
  return text;
}

/** A `{fieldId: value}` or `{configId: n}` map with id keys checked; a Map keeps the given order. */
export function idKeyed<V>(action: string, name: string, map: ReadonlyMap<string, V> | Readonly<Record<string, V>>): Map<number, V> {
  const entries = map instanceof Map ? [...(map as ReadonlyMap<string, V>)] : Object.entries(map as Readonly<Record<string, V>>);
  const out = new Map<number, V>();
  for (const [key, value] of entries) {
    out.set(Number(requireId(action, `${name} key`, String(key))), value);
  }
  return out;
}
