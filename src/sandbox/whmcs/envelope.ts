import type { ResponseType } from "./switches.js";

/** A response ready to write: status, content type and body text. */
export interface Rendered {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export type ApiFields = Readonly<Record<string, unknown>>;

export function successEnvelope(fields: ApiFields): Record<string, unknown> {
  return { result: "success", ...fields };
}

export function errorEnvelope(message: string): Record<string, unknown> {
  return { result: "error", message };
}

/**
 * PHP `json_encode` with default flags, as WHMCS answers: `/` escaped as `\/` and every
 * non-ASCII character as `\uXXXX` (UTF-16 units). Only strings contain these characters in
 * JSON text, so escaping the serialised text is safe.
 */
export function phpJsonEncode(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, "\\/")
    .replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export const XML_CONTENT_TYPE = "application/xml; charset=utf-8";

/** Render an envelope in the requested format. */
export function render(envelope: ApiFields, type: ResponseType, status = 200, version = "", xmlContentType = XML_CONTENT_TYPE): Rendered {
  switch (type) {
    case "json":
      return { status, contentType: "application/json", body: phpJsonEncode(envelope) };
    case "xml":
      return { status, contentType: xmlContentType, body: renderXml(envelope, version) };
    case "nvp":
      return { status, contentType: "text/plain", body: renderNvp(envelope) };
  }
}

function scalarText(v: unknown): string {
  if (v === null || v === undefined || v === false) return "";
  if (v === true) return "1";
  return String(v);
}

function renderXml(envelope: ApiFields, version: string): string {
  const lines: string[] = ['<?xml version="1.0" encoding="utf-8"?>', `<whmcsapi version="${xmlEscape(version)}">`];
  for (const [k, v] of Object.entries(envelope)) xmlNode(lines, k, v);
  lines.push("</whmcsapi>");
  return `${lines.join("\n")}\n`;
}

function xmlNode(lines: string[], key: string, value: unknown): void {
  // A list repeats its parent's element name, like `products.product[]` in WHMCS XML.
  if (Array.isArray(value)) {
    for (const item of value) xmlNode(lines, key, item);
    return;
  }
  const name = /^[A-Za-z_][\w.-]*$/.test(key) ? key : `key_${key.replace(/[^\w.-]/g, "_")}`;
  if (value !== null && typeof value === "object") {
    lines.push(`<${name}>`);
    for (const [k, v] of Object.entries(value)) xmlNode(lines, k, v);
    lines.push(`</${name}>`);
    return;
  }
  lines.push(`<${name}>${xmlEscape(scalarText(value))}</${name}>`);
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The deprecated `key=value;` format; nested values flattened with bracket paths. */
function renderNvp(envelope: ApiFields): string {
  const parts: string[] = [];
  const walk = (prefix: string, value: unknown): void => {
    if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(`${prefix}[${k}]`, v);
      return;
    }
    parts.push(`${prefix}=${scalarText(value)}`);
  };
  for (const [k, v] of Object.entries(envelope)) {
    if (v !== null && typeof v === "object") {
      for (const [k2, v2] of Object.entries(v)) walk(`${k}[${k2}]`, v2);
    } else {
      parts.push(`${k}=${scalarText(v)}`);
    }
  }
  return parts.map((p) => `${p};`).join("");
}
