/**
 * Secret values resolved from `${env:NAME}` references. The wrapper keeps the raw value out of
 * `String()`, `JSON.stringify()` and `util.inspect()`, so a secret printed by mistake shows as
 * `[redacted]`. Code that needs the value calls `reveal()` at the edge (an HTTP body).
 */
const registry = new Set<string>();

export class Secret {
  readonly #value: string;
  /** Where the value came from, e.g. `env:WHMCS_API_SECRET`; safe to print. */
  readonly source: string;

  constructor(value: string, source: string) {
    this.#value = value;
    this.source = source;
    if (value.length >= 4) registry.add(value);
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return "[redacted]";
  }
  toJSON(): string {
    return "[redacted]";
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Secret(${this.source})`;
  }
}

/** Register a value that must never be printed, even if it did not come through a Secret. */
export function registerSecret(value: string): void {
  if (value.length >= 4) registry.add(value);
}

/** Replace every known secret value (raw, URL-encoded or base64) in a text with `[redacted]`. */
export function scrub(text: string): string {
  let out = text;
  for (const s of registry) {
    for (const form of new Set([s, encodeURIComponent(s), new URLSearchParams({ x: s }).toString().slice(2)])) {
      if (form.length > 0 && out.includes(form)) out = out.split(form).join("[redacted]");
    }
  }
  return out;
}
