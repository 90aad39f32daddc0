import { ReconcileError } from "../../core/errors.js";
import type { FormParams } from "./encode.js";
import type { CallOptions, WhmcsResponse } from "./client.js";

export interface PaginateOptions {
  /** `limitnum` per page (default 100; WHMCS's own default is 25 and it documents no maximum). */
  readonly pageSize?: number;
}

type Call = (action: string, params: FormParams, options: CallOptions) => Promise<WhmcsResponse>;

/**
 * Pages through a list action. WHMCS types `totalresults`/`startnumber`/`numreturned` differently
 * per action (numbers or strings), so all three are coerced; an empty page always ends the walk.
 */
export async function* paginate(
  call: Call,
  action: string,
  params: FormParams,
  listPath: string | readonly string[],
  options: PaginateOptions = {},
): AsyncGenerator<unknown, void, undefined> {
  const pageSize = options.pageSize ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new ReconcileError("whmcs.options.invalid", `pageSize must be a positive integer, got ${pageSize}`);
  }
  const path = typeof listPath === "string" ? listPath.split(".") : listPath;
  let start = 0;
  for (;;) {
    const page = await call(action, { ...params, limitstart: start, limitnum: pageSize }, { kind: "read" });
    const items = listAt(page, path);
    if (items.length === 0) return;
    yield* items;
    const total = count(page["totalresults"]);
    const startnumber = count(page["startnumber"]) ?? start;
    const returned = count(page["numreturned"]) ?? items.length;
    if (total !== undefined ? startnumber + returned >= total : items.length < pageSize) return;
    start += items.length;
  }
}

/** The list at `path`; WHMCS sends `""` or omits the member when a list is empty. */
export function listAt(response: unknown, path: readonly string[]): readonly unknown[] {
  let node: unknown = response;
  for (const key of path) {
    if (node === null || typeof node !== "object") return [];
    node = (node as Record<string, unknown>)[key];
  }
  if (Array.isArray(node)) return node;
  if (node === null || node === undefined || node === "") return [];
  if (typeof node === "object") {
    // A PHP array with gaps in its keys arrives as a JSON object keyed by index.
    const keys = Object.keys(node);
    if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
      return keys.sort((a, b) => Number(a) - Number(b)).map((k) => (node as Record<string, unknown>)[k]);
    }
    return [node];
  }
  return [];
}

function count(x: unknown): number | undefined {
  if (typeof x === "number" && Number.isFinite(x)) return x;
  if (typeof x === "string" && /^\s*\d+\s*$/.test(x)) return Number(x);
  return undefined;
}
