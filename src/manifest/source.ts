import { open } from "node:fs/promises";
import type { ManifestIssue } from "../core/errors.js";
import { IssueCode } from "./codes.js";
import { issue } from "./issues.js";
import { MAX_FILE_BYTES } from "./limits.js";
import { positionAt } from "./position.js";

export type ReadResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly issue: ManifestIssue };

/** Characters YAML allows in a stream (YAML 1.2 `c-printable`); anything else means binary or junk. */
const NOT_PRINTABLE = /[^\t\n\r\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Read a manifest or config file as UTF-8 text. Never reads more than the size cap, never
 * throws: every failure becomes one issue at the file (and at the offending character when known).
 */
export async function readSourceFile(file: string, maxBytes: number = MAX_FILE_BYTES): Promise<ReadResult> {
  let bytes: Uint8Array;
  try {
    const read = await readCapped(file, maxBytes);
    if (read === "too-large") {
      return fail(file, IssueCode.fileTooLarge, `file is larger than the ${formatBytes(maxBytes)} limit`, {
        hint: "split it into several files, or check that the glob does not match a build output or binary file",
      });
    }
    bytes = read;
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT") return fail(file, IssueCode.fileNotFound, "file not found");
    return fail(file, IssueCode.fileUnreadable, `cannot read file (${code ?? "unknown error"})`, {
      hint: code === "EACCES" || code === "EPERM" ? "check the file's permissions" : undefined,
    });
  }

  const lossy = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false }).decode(bytes);
  const bad = NOT_PRINTABLE.exec(lossy);
  if (bad) {
    const cp = bad[0].codePointAt(0) ?? 0;
    const pos = positionAt(lossy, bad.index);
    return fail(file, IssueCode.fileBinary, `contains the control character U+${cp.toString(16).toUpperCase().padStart(4, "0")}`, {
      ...pos,
      hint: "manifests are UTF-8 text; is this a binary file, or a UTF-16 file?",
    });
  }
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const pos = positionAt(lossy, Math.max(0, lossy.indexOf("\uFFFD")));
    return fail(file, IssueCode.fileEncoding, "is not valid UTF-8", { ...pos, hint: "save the file as UTF-8" });
  }
  return { ok: true, text: lossy };
}

async function readCapped(file: string, maxBytes: number): Promise<Uint8Array | "too-large"> {
  const handle = await open(file, "r");
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    if (stat.size > maxBytes) return "too-large";
    // The reported size can lie (special files, a file growing meanwhile): read to the cap + 1.
    const buffer = Buffer.alloc(Math.min(maxBytes + 1, Math.max(stat.size + 1, 64 * 1024)));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) return "too-large";
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

function fail(
  file: string,
  code: IssueCode,
  message: string,
  extra: { line?: number; col?: number; hint?: string | undefined } = {},
): ReadResult {
  return { ok: false, issue: issue({ code, file, line: extra.line ?? 0, col: extra.col ?? 0, message, hint: extra.hint }) };
}

function errnoCode(err: unknown): string | undefined {
  if (err !== null && typeof err === "object" && "code" in err && typeof err.code === "string") return err.code;
  return undefined;
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : `${n} bytes`;
}
