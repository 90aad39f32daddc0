import type { Params } from "./params.js";

export interface Page {
  readonly start: number;
  readonly limit: number;
}

/** `limitstart` (default 0) and `limitnum` (default 25) of a list action, read like PHP `(int)`. */
export function pageOf(params: Params): Page {
  const start = params.int("limitstart", 0);
  const limit = params.int("limitnum", 25);
  return { start: start < 0 ? 0 : start, limit: limit <= 0 ? 25 : limit };
}
