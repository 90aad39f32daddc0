import { WhmcsSandboxError } from "./errors.js";
import { PhpArray, type PhpValue } from "./php-array.js";

/** Arrays nested deeper than this are refused (PHP itself recurses without a small limit). */
const MAX_DEPTH = 64;

/**
 * PHP `unserialize` for the subset WHMCS receives in `configoptions`/`customfields`: arrays with
 * `i:`/`s:` keys; `i:`, `s:`, `b:`, `d:` and `N;` values; nesting. String lengths count UTF-8
 * bytes. Objects, references and anything malformed (wrong length, wrong count, trailing bytes)
 * are rejected with `sandbox.whmcs.php_unserialize`.
 */
export function phpUnserialize(data: string | Buffer): PhpValue {
  const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
  const reader = new Reader(bytes);
  const value = reader.value(0);
  if (reader.pos !== bytes.length) reader.fail("trailing data after the value");
  return value;
}

/** `base64_decode` then `unserialize`, as WHMCS does for `configoptions[]` items. */
export function unserializeBase64(text: string): PhpValue {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw malformed(0, "empty input");
  return phpUnserialize(Buffer.from(trimmed, "base64"));
}

function malformed(offset: number, what: string): WhmcsSandboxError {
  return new WhmcsSandboxError("php_unserialize", `malformed PHP serialized data at byte ${offset}: ${what}`, {
    details: { offset },
  });
}

class Reader {
  pos = 0;
  constructor(private readonly bytes: Buffer) {}

  fail(what: string): never {
    throw malformed(this.pos, what);
  }

  private peek(): string {
    return this.pos < this.bytes.length ? String.fromCharCode(this.bytes[this.pos] ?? 0) : "";
  }

  private expect(ch: string): void {
    if (this.peek() !== ch) this.fail(`expected "${ch}"`);
    this.pos++;
  }

  /** Bytes up to (not including) `stop`, which is consumed. */
  private until(stop: string): string {
    const end = this.bytes.indexOf(stop.charCodeAt(0), this.pos);
    if (end < 0) this.fail(`missing "${stop}"`);
    const text = this.bytes.toString("latin1", this.pos, end);
    this.pos = end + 1;
    return text;
  }

  value(depth: number): PhpValue {
    const tag = this.peek();
    switch (tag) {
      case "N":
        this.pos++;
        this.expect(";");
        return null;
      case "b": {
        this.pos++;
        this.expect(":");
        const start = this.pos;
        const text = this.until(";");
        if (text !== "0" && text !== "1") {
          this.pos = start;
          this.fail("boolean must be 0 or 1");
        }
        return text === "1";
      }
      case "i":
        this.pos++;
        this.expect(":");
        return Number(this.intText(";"));
      case "d":
        this.pos++;
        this.expect(":");
        return this.double();
      case "s":
        this.pos++;
        this.expect(":");
        return this.string();
      case "a":
        return this.array(depth);
      case "":
        return this.fail("unexpected end of input");
      default:
        return this.fail(`unsupported type "${tag}"`);
    }
  }

  private intText(stop: string): string {
    const start = this.pos;
    const text = this.until(stop);
    if (!/^[+-]?[0-9]+$/.test(text)) {
      this.pos = start;
      this.fail(`not an integer: "${text}"`);
    }
    // Canonical text: "+05" is 5, "-0" is 0.
    return BigInt(text).toString();
  }

  private double(): number {
    const start = this.pos;
    const text = this.until(";");
    if (text === "INF") return Infinity;
    if (text === "-INF") return -Infinity;
    if (text === "NAN") return NaN;
    if (!/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text)) {
      this.pos = start;
      this.fail(`not a float: "${text}"`);
    }
    return Number(text);
  }

  private string(): string {
    const start = this.pos;
    const lenText = this.until(":");
    if (!/^[0-9]+$/.test(lenText)) {
      this.pos = start;
      this.fail(`bad string length "${lenText}"`);
    }
    const len = Number(lenText);
    this.expect('"');
    if (this.pos + len > this.bytes.length) this.fail("string runs past the end of input");
    const text = this.bytes.toString("utf8", this.pos, this.pos + len);
    this.pos += len;
    if (this.peek() !== '"') this.fail(`string is not ${len} bytes long`);
    this.pos++;
    this.expect(";");
    return text;
  }

  private array(depth: number): PhpArray {
    if (depth >= MAX_DEPTH) this.fail("arrays nested too deeply");
    this.pos++;
    this.expect(":");
    const start = this.pos;
    const countText = this.until(":");
    if (!/^[0-9]+$/.test(countText)) {
      this.pos = start;
      this.fail(`bad array count "${countText}"`);
    }
    const count = Number(countText);
    this.expect("{");
    const out = new PhpArray();
    for (let i = 0; i < count; i++) {
      const key = this.key();
      out.set(key, this.value(depth + 1));
    }
    if (this.peek() !== "}") this.fail(`array has more than ${count} elements`);
    this.pos++;
    return out;
  }

  private key(): string {
    const tag = this.peek();
    if (tag === "}") this.fail("array has fewer elements than its count");
    if (tag === "i") {
      this.pos++;
      this.expect(":");
      return this.intText(";");
    }
    if (tag === "s") {
      this.pos++;
      this.expect(":");
      // Numeric string keys become integer keys in PHP; PhpArray keys are canonical text already.
      return this.string();
    }
    return this.fail(`array keys must be i: or s:, got "${tag}"`);
  }
}
