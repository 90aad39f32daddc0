/**
 * An ordered PHP array. PHP turns decimal-integer string keys ("12", "-3", not "012" or "-0")
 * into integer keys, so `"12"` and `12` are one key: keys are kept as their canonical text.
 * Appending (`$a[] = …`) uses the next free integer index, which only integer keys move.
 */
export type PhpValue = string | number | boolean | null | PhpArray;

const INT_KEY = /^(0|-?[1-9][0-9]*)$/;
const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;

/** True when PHP would store `key` as an integer key. */
export function isIntKey(key: string): boolean {
  if (!INT_KEY.test(key)) return false;
  const n = BigInt(key);
  return n <= LONG_MAX && n >= LONG_MIN;
}

export class PhpArray<V = PhpValue> {
  readonly #map = new Map<string, V>();
  #next = 0n;

  get size(): number {
    return this.#map.size;
  }

  get(key: string | number): V | undefined {
    return this.#map.get(String(key));
  }

  has(key: string | number): boolean {
    return this.#map.has(String(key));
  }

  set(key: string | number, value: V): void {
    const k = String(key);
    this.#map.set(k, value);
    if (isIntKey(k)) {
      const n = BigInt(k);
      if (n >= this.#next && n < LONG_MAX) this.#next = n + 1n;
    }
  }

  /** `$a[] = value`; returns the key used. */
  push(value: V): string {
    const k = this.#next.toString();
    this.set(k, value);
    return k;
  }

  delete(key: string | number): boolean {
    return this.#map.delete(String(key));
  }

  keys(): string[] {
    return [...this.#map.keys()];
  }

  values(): V[] {
    return [...this.#map.values()];
  }

  entries(): [string, V][] {
    return [...this.#map.entries()];
  }

  /** True for a list: keys exactly 0..n-1 in order. */
  isList(): boolean {
    let i = 0;
    for (const k of this.#map.keys()) {
      if (k !== String(i)) return false;
      i++;
    }
    return true;
  }
}

/** Plain JSON view (lists as arrays, maps as objects), for logs and assertions. */
export function phpToPlain(value: PhpValue): unknown {
  if (!(value instanceof PhpArray)) return value;
  if (value.size > 0 && value.isList()) return value.values().map(phpToPlain);
  const out: Record<string, unknown> = {};
  for (const [k, v] of value.entries()) setOwn(out, k, phpToPlain(v));
  return out;
}

/** Assign an own enumerable property, even for keys such as `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
