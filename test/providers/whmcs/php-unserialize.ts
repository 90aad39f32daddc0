/**
 * A small PHP `unserialize` for checking the encoder in tests. Independent of the production
 * encoder on purpose: it reads byte lengths from a Buffer, so a wrong length fails here.
 */
export type PhpDecoded = string | number | boolean | null | PhpArray;
export type PhpArray = Map<string | number, PhpDecoded>;

export function phpUnserialize(text: string): PhpDecoded {
  const buf = Buffer.from(text, "utf8");
  const [value, end] = readValue(buf, 0);
  if (end !== buf.length) throw new Error(`trailing data at ${end}`);
  return value;
}

function readValue(buf: Buffer, pos: number): [PhpDecoded, number] {
  const tag = String.fromCharCode(buf[pos] ?? 0);
  if (tag === "N") {
    expect(buf, pos + 1, ";");
    return [null, pos + 2];
  }
  expect(buf, pos + 1, ":");
  switch (tag) {
    case "i": {
      const [digits, end] = readUntil(buf, pos + 2, ";");
      if (!/^-?\d+$/.test(digits)) throw new Error(`bad int ${digits}`);
      return [Number(digits), end + 1];
    }
    case "d": {
      const [digits, end] = readUntil(buf, pos + 2, ";");
      return [Number(digits), end + 1];
    }
    case "b": {
      const [digit, end] = readUntil(buf, pos + 2, ";");
      if (digit !== "0" && digit !== "1") throw new Error(`bad bool ${digit}`);
      return [digit === "1", end + 1];
    }
    case "s": {
      const [len, colon] = readUntil(buf, pos + 2, ":");
      const n = Number(len);
      expect(buf, colon + 1, '"');
      const start = colon + 2;
      const value = buf.subarray(start, start + n).toString("utf8");
      expect(buf, start + n, '"');
      expect(buf, start + n + 1, ";");
      return [value, start + n + 2];
    }
    case "a": {
      const [count, colon] = readUntil(buf, pos + 2, ":");
      expect(buf, colon + 1, "{");
      let p = colon + 2;
      const out: PhpArray = new Map();
      for (let i = 0; i < Number(count); i++) {
        const [key, afterKey] = readValue(buf, p);
        if (typeof key !== "string" && typeof key !== "number") throw new Error("bad key");
        if (out.has(key)) throw new Error(`duplicate key ${key}`);
        const [value, afterValue] = readValue(buf, afterKey);
        out.set(key, value);
        p = afterValue;
      }
      expect(buf, p, "}");
      return [out, p + 1];
    }
    default:
      throw new Error(`bad tag ${tag} at ${pos}`);
  }
}

function readUntil(buf: Buffer, pos: number, stop: string): [string, number] {
  const end = buf.indexOf(stop, pos, "utf8");
  if (end < 0) throw new Error(`missing ${stop}`);
  return [buf.subarray(pos, end).toString("utf8"), end];
}

function expect(buf: Buffer, pos: number, ch: string): void {
  if (String.fromCharCode(buf[pos] ?? 0) !== ch) throw new Error(`expected ${ch} at ${pos}`);
}
