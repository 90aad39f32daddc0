import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The sandbox's own wire code: body reading, query/form/multipart parsing and a JSON writer
 * that can emit integers beyond 2^53 as bare numbers, the way Zoho does for `zoid` and `zuid`.
 * Deliberately independent of the provider's code.
 */

/** A JSON number written verbatim, e.g. a 19-digit id. */
export class RawNumber {
  constructor(readonly digits: string) {}
}

export function raw(digits: string): RawNumber {
  return new RawNumber(digits);
}

export function jsonText(value: unknown): string {
  if (value instanceof RawNumber) return value.digits;
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return `[${value.map((v) => jsonText(v)).join(",")}]`;
  if (typeof value === "object") {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      parts.push(`${JSON.stringify(k)}:${jsonText(v)}`);
    }
    return `{${parts.join(",")}}`;
  }
  return JSON.stringify(value);
}

const MAX_BODY = 5 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY) throw new Error("request body too large");
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

function decodeComponent(s: string): string {
  const spaced = s.replace(/\+/g, " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/** `a=1&b=x+y` → ordered pairs; the last value of a repeated name wins in `formToRecord`. */
export function parseForm(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const part of text.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = decodeComponent(eq < 0 ? part : part.slice(0, eq));
    const value = eq < 0 ? "" : decodeComponent(part.slice(eq + 1));
    out.push([name, value]);
  }
  return out;
}

export function formToRecord(pairs: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of pairs) out[k] = v;
  return out;
}

/** Parse `multipart/form-data` text fields (files are kept as text too; the Store sends none). */
export function parseMultipart(body: Buffer, contentType: string): Record<string, string> | undefined {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return undefined;
  const text = body.toString("latin1");
  const delimiter = `--${boundary}`;
  const fields: Record<string, string> = {};
  const sections = text.split(delimiter);
  // sections[0] is the preamble; the last one starts with "--" (the close delimiter).
  for (const section of sections.slice(1)) {
    if (section.startsWith("--")) break;
    const headerEnd = section.indexOf("\r\n\r\n");
    if (headerEnd < 0) return undefined;
    const headers = section.slice(0, headerEnd);
    let content = section.slice(headerEnd + 4);
    if (content.endsWith("\r\n")) content = content.slice(0, -2);
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(headers)?.[1];
    if (name === undefined) return undefined;
    fields[name] = Buffer.from(content, "latin1").toString("utf8");
  }
  return fields;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = jsonText(body);
  res.writeHead(status, {
    "Content-Type": "application/json;charset=UTF-8",
    "Content-Length": String(Buffer.byteLength(text)),
    Server: "ZGS",
    ...headers,
  });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = "text/plain;charset=UTF-8"): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": String(Buffer.byteLength(text)), Server: "ZGS" });
  res.end(text);
}
