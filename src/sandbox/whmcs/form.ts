import { PhpArray } from "./php-array.js";

/** A request variable as PHP registers it: a string, or an (ordered, nested) array. */
export type FormValue = string | PhpArray<FormValue>;
export type FormArray = PhpArray<FormValue>;

export interface ParsedForm {
  readonly vars: FormArray;
  /** Variables counted, including empty ones PHP ignores. */
  readonly count: number;
  /** True when `max_input_vars` cut the input short (PHP only warns). */
  readonly truncated: boolean;
}

export interface FormParseOptions {
  /** PHP `max_input_vars`; default 1000. */
  readonly maxInputVars?: number;
}

/** PHP `max_input_nesting_level` default. */
const MAX_NESTING = 64;

/**
 * Parse an `application/x-www-form-urlencoded` body (or a query string) the way PHP fills
 * `$_POST`/`$_GET`: `&`-separated pairs, `+` and `%XX` decoding (bytes, then UTF-8), brackets
 * literal or percent-encoded, `a[]` appends, `a[x][y]` nests, the last value for a name wins,
 * spaces and dots in the top-level name become `_`, and variables past `max_input_vars` are dropped.
 */
export function parsePhpForm(body: string | Buffer, options: FormParseOptions = {}): ParsedForm {
  const maxVars = options.maxInputVars ?? 1000;
  // latin1 keeps one char per byte, so percent-decoding works on bytes like PHP does.
  const text = typeof body === "string" ? Buffer.from(body, "utf8").toString("latin1") : body.toString("latin1");
  const vars: FormArray = new PhpArray<FormValue>();
  let count = 0;
  let truncated = false;
  if (text.length > 0) {
    for (const pair of text.split("&")) {
      if (count >= maxVars) {
        truncated = true;
        break;
      }
      count++;
      const eq = pair.indexOf("=");
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      const rawValue = eq < 0 ? "" : pair.slice(eq + 1);
      registerVariable(vars, urlDecode(rawName), urlDecode(rawValue));
    }
  }
  return { vars, count, truncated };
}

/** PHP `urldecode`: `+` is a space, valid `%XX` is a byte, anything else stays literal. */
export function urlDecode(latin1: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < latin1.length; i++) {
    const c = latin1.charCodeAt(i);
    if (c === 0x2b) {
      bytes.push(0x20);
    } else if (c === 0x25 && i + 2 < latin1.length && isHex(latin1.charCodeAt(i + 1)) && isHex(latin1.charCodeAt(i + 2))) {
      bytes.push(parseInt(latin1.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(c & 0xff);
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Register one decoded `name=value` pair into `track`, following PHP's bracket rules. */
export function registerVariable(track: FormArray, rawName: string, value: string): void {
  const name = rawName.replace(/^ +/, "");
  let base = "";
  let pos = 0;
  let isArray = false;
  for (; pos < name.length; pos++) {
    const ch = name[pos];
    if (ch === "[") {
      isArray = true;
      break;
    }
    base += ch === " " || ch === "." ? "_" : ch;
  }
  if (base.length === 0) return;
  if (!isArray) {
    track.set(base, value);
    return;
  }

  let table: FormArray = track;
  // null means "append" (`[]`).
  let index: string | null = base;
  let nest = 0;
  for (;;) {
    if (++nest > MAX_NESTING) {
      // Too deep: PHP drops the whole variable.
      track.delete(base);
      return;
    }
    const start = pos + 1;
    let segment: string | null;
    if (name[start] === "]") {
      segment = null;
      pos = start;
    } else {
      const close = name.indexOf("]", start);
      if (close < 0) {
        // An unmatched `[`: at the top level it is not an index but part of the name.
        if (table === track) index = `${base}_${name.slice(start).replace(/[ .[]/g, "_")}`;
        break;
      }
      segment = name.slice(start, close);
      pos = close;
    }
    let child: FormValue | undefined;
    if (index === null) {
      child = new PhpArray<FormValue>();
      table.push(child);
    } else {
      child = table.get(index);
      if (!(child instanceof PhpArray)) {
        child = new PhpArray<FormValue>();
        table.set(index, child);
      }
    }
    table = child;
    index = segment;
    pos++;
    // Anything after `]` that does not open another bracket is ignored.
    if (name[pos] !== "[") break;
  }
  if (index === null) table.push(value);
  else table.set(index, value);
}

/** `$_REQUEST`-style merge: top-level names of `over` replace those of `under`. */
export function mergeTopLevel(under: FormArray, over: FormArray): FormArray {
  const out: FormArray = new PhpArray<FormValue>();
  for (const [k, v] of under.entries()) out.set(k, v);
  for (const [k, v] of over.entries()) out.set(k, v);
  return out;
}
