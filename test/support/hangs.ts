import { setTimeout as sleep } from "node:timers/promises";

/**
 * Resolves once `ready()` holds, checking every few milliseconds. For waiting on something that is
 * certain to happen (a request reaching a loopback server) instead of sleeping and hoping it did;
 * gives up with an error after `limitMs` so a broken test fails instead of polling forever.
 */
export async function until(ready: () => boolean, what = "the condition", limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${limitMs} ms`);
    await sleep(2);
  }
}

/**
 * For each request: for one the test makes the server hang, a check that holds once the server has
 * received it; `"answered"` for one the server will answer (the client's timeout must not cut it
 * short, however slow the machine); `"untouched"` to leave its timeout as it is (a test that
 * races the server's answer against the client's timeout on purpose).
 */
export type HangPicker = (url: string, init: RequestInit | undefined) => (() => boolean) | "answered" | "untouched";

/**
 * A `fetch` for testing a client's timeout against a server that hangs on purpose. The client's
 * abort reaches only the requests `pick` marks as hung, and only once the server holds them. So a
 * short timeout ends exactly the call a test is about, on a busy machine too: never a token request
 * or an answered call that happened to be slow, and never a request still on its way to the server
 * (which would leave the hang unconsumed and the call counts short).
 */
export function abortOnlyHung(pick: HangPicker, base: typeof fetch = fetch): typeof fetch {
  return (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const held = pick(url, init);
    if (held === "untouched") return base(input, init);
    const { signal, ...rest } = init ?? {};
    if (held === "answered" || !signal) return base(input, rest);
    const forward = new AbortController();
    const abort = () => forward.abort(signal.reason);
    const pass = () => void until(held, `the server to receive ${url}`).then(abort, abort);
    if (signal.aborted) pass();
    else signal.addEventListener("abort", pass, { once: true });
    return base(input, { ...rest, signal: forward.signal });
  };
}
