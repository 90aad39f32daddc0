import { inspect } from "node:util";
import type { ServerResponse } from "node:http";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/core/log.js";
import { Secret } from "../../../src/core/secrets.js";
import {
  createWhmcsClient,
  phpUrlencode,
  WhmcsApiError,
  WhmcsTransportError,
  type WhmcsClientOptions,
} from "../../../src/providers/whmcs/index.js";
import { abortOnlyHung } from "../../support/hangs.js";
import { json, startLoopback, type Handler, type Loopback } from "./loopback.js";
import { WaitTooLongError } from "../../../src/core/wait.js";
import { startWhmcsSandbox } from "../../../src/sandbox/whmcs/index.js";

const IDENTIFIER = "IdEnT-4f9a*~x(1)";
const SECRET = "sEcReT!'9q*z~ p&=+";
const ACCESS_KEY = "aCcEsS@#$%.()*[]-_";

let servers: Loopback[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function serve(handler: Handler): Promise<Loopback> {
  const s = await startLoopback(handler);
  servers.push(s);
  return s;
}

function client(url: string, over: Partial<WhmcsClientOptions> = {}) {
  const sleeps: number[] = [];
  const c = createWhmcsClient({
    url,
    identifier: new Secret(IDENTIFIER, "test:identifier"),
    secret: new Secret(SECRET, "test:secret"),
    accessKey: new Secret(ACCESS_KEY, "test:accesskey"),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...over,
  });
  return { c, sleeps };
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail");
}

describe("WhmcsClient requests", () => {
  it("POSTs a PHP form body with action, credentials and responsetype=json to the normalised endpoint", async () => {
    const s = await serve((_req, res) => json(res, 200, { result: "success", clientid: "1" }));
    const { c } = client(`${s.url}/includes/api.php/`);
    const out = await c.call("AddClient", { firstname: "Ada", tags: ["a", "b"] }, { kind: "write" });
    expect(out).toEqual({ result: "success", clientid: "1" });
    const [req] = s.requests;
    expect(req?.method).toBe("POST");
    expect(req?.url).toBe("/includes/api.php");
    expect(req?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(req?.body).toContain("tags%5B0%5D=a&tags%5B1%5D=b");
    expect(req?.body).toContain(`secret=${phpUrlencode(SECRET)}`);
    expect(Object.fromEntries(req?.form ?? [])).toEqual({
      action: "AddClient",
      responsetype: "json",
      firstname: "Ada",
      "tags[0]": "a",
      "tags[1]": "b",
      identifier: IDENTIFIER,
      secret: SECRET,
      accesskey: ACCESS_KEY,
    });
  });

  it("rejects calls it must not make", async () => {
    const { c } = client("http://127.0.0.1:9");
    await expect(c.call("AddOrder", {}, { kind: "read" })).rejects.toThrow(/must be called with kind "write"/);
    await expect(c.call("GetClients", { secret: "x" }, { kind: "read" })).rejects.toThrow(expect.objectContaining({ code: "whmcs.call.invalid" }));
    await expect(c.call("get clients", {}, { kind: "read" })).rejects.toThrow(/not a WHMCS action name/);
    expect(() => client("http://127.0.0.1:9", { concurrency: 9 })).toThrow(/concurrency must be an integer from 1 to 8/);
    expect(() => client("http://127.0.0.1:9", { retries: -1 })).toThrow(expect.objectContaining({ code: "whmcs.options.invalid" }));
  });

  it("refuses a body PHP would truncate at max_input_vars, before sending anything", async () => {
    const s = await serve((_req, res) => json(res, 200, { result: "success" }));
    const { c } = client(s.url, { maxInputVars: 10 });
    // action, responsetype, identifier, secret, accesskey + 5 = 10 variables: still fine.
    await expect(c.call("GetClients", { a: [1, 2, 3, 4, 5] }, { kind: "read" })).resolves.toEqual({ result: "success" });
    await expect(c.call("GetClients", { a: [1, 2, 3, 4, 5, 6] }, { kind: "read" })).rejects.toThrow(
      expect.objectContaining({ code: "whmcs.call.too-large", message: expect.stringContaining("11 form variables") }),
    );
    expect(s.requests).toHaveLength(1);
  });
});

describe("WhmcsClient errors", () => {
  it("HTML with HTTP 200 is a transport error with a short excerpt", async () => {
    const page = `<!DOCTYPE html><html><head><title>Maintenance</title></head><body>${"We are down for maintenance. ".repeat(40)}</body></html>`;
    const s = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" });
      res.end(page);
    });
    const err = await failure(client(s.url, { retries: 0 }).c.call("GetClients", {}, { kind: "read" }));
    expect(err).toBeInstanceOf(WhmcsTransportError);
    const e = err as WhmcsTransportError;
    expect(e.failure).toBe("html");
    expect(e.code).toBe("whmcs.transport.html");
    expect(e.exitCode).toBe(1);
    expect(e.httpStatus).toBe(200);
    expect(e.excerpt.startsWith("<!DOCTYPE html><html><head><title>Maintenance")).toBe(true);
    expect(e.excerpt.length).toBeLessThanOrEqual(160);
    expect(e.hint).toMatch(/firewall/);
  });

  it("403 Invalid IP is an API error of category ip, read from the body, not retried", async () => {
    const s = await serve((_req, res) => json(res, 403, { result: "error", message: "Invalid IP 203.0.113.7" }));
    const err = await failure(client(s.url).c.call("GetClients", {}, { kind: "read" }));
    expect(err).toBeInstanceOf(WhmcsApiError);
    const e = err as WhmcsApiError;
    expect(e.category).toBe("ip");
    expect(e.code).toBe("whmcs.api.ip");
    expect(e.httpStatus).toBe(403);
    expect(e.action).toBe("GetClients");
    expect(e.apiMessage).toBe("Invalid IP 203.0.113.7");
    expect(e.hint).toMatch(/203\.0\.113\.7.*API IP Access Restriction.*accessKey/s);
    expect(s.requests).toHaveLength(1);
  });

  it.each([
    ['Invalid Permissions: API action "reconcilegetcatalog" is not allowed', "permission", /"reconcilegetcatalog" in the API role/],
    ["Authentication Failed", "auth", /API credential/],
    ["An admin user is required", "auth", /\/includes\/api\.php twice/],
    ["The requested API Action could not be found.", "unknown-action", /companion/],
    ["Client Not Found", "not-found", undefined],
    ["You must supply a valid Product Group ID", "validation", undefined],
    ["Function Not Supported by Module", "module", /Module Log/],
    ["No items added to cart so order cannot proceed", "other", undefined],
  ] as const)("classifies %j as %s", async (message, category, hint) => {
    const s = await serve((_req, res) => json(res, 200, { result: "error", message }));
    const e = (await failure(client(s.url).c.call("ReconcileGetCatalog", {}, { kind: "read" }))) as WhmcsApiError;
    expect(e.category).toBe(category);
    if (hint) expect(e.hint).toMatch(hint);
    else expect(e.hint).toBeUndefined();
    expect(s.requests).toHaveLength(1);
  });

  it.each([
    ["empty body", "", "empty"],
    ["plain text", "Fatal error: out of memory", "not-json"],
    ["JSON without result", '{"ok":true}', "no-envelope"],
  ])("%s is a transport error", async (_name, body, failureKind) => {
    const s = await serve((_req, res) => {
      res.writeHead(200);
      res.end(body);
    });
    const e = (await failure(client(s.url, { retries: 0 }).c.call("GetClients", {}, { kind: "read" }))) as WhmcsTransportError;
    expect(e).toBeInstanceOf(WhmcsTransportError);
    expect(e.failure).toBe(failureKind);
  });

  it("does not follow redirects (a POST would lose its body or carry credentials elsewhere)", async () => {
    const s = await serve((_req, res) => {
      res.writeHead(301, { location: "https://billing.example.com/includes/api.php" });
      res.end();
    });
    const e = (await failure(client(s.url).c.call("GetClients", {}, { kind: "read" }))) as WhmcsTransportError;
    expect(e.failure).toBe("redirect");
    expect(e.message).toContain("https://billing.example.com/includes/api.php");
    expect(s.requests).toHaveLength(1);
  });

  it("times out a hanging server after the configured timeout", async () => {
    const s = await serve(() => {
      /* never answers */
    });
    const started = Date.now();
    const e = (await failure(client(s.url, { timeoutMs: 250, retries: 0 }).c.call("GetClients", {}, { kind: "read" }))) as WhmcsTransportError;
    const elapsed = Date.now() - started;
    expect(e).toBeInstanceOf(WhmcsTransportError);
    expect(e.failure).toBe("timeout");
    expect(e.message).toMatch(/within 250 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(240);
  });

  it("gives AcceptOrder and Module* the long timeout", async () => {
    const s = await serve((_req, res) => {
      setTimeout(() => json(res, 200, { result: "success" }), 300);
    });
    const { c } = client(s.url, { timeoutMs: 100, longTimeoutMs: 3000, retries: 0 });
    await expect(c.call("ModuleCreate", { serviceid: 1 }, { kind: "write" })).resolves.toEqual({ result: "success" });
    await expect(c.call("AcceptOrder", { orderid: 1 }, { kind: "write" })).resolves.toEqual({ result: "success" });
    await expect(c.call("GetOrders", {}, { kind: "read" })).rejects.toThrow(WhmcsTransportError);
  });

  it("reports connection failures as network transport errors", async () => {
    const s = await serve(() => undefined);
    const url = s.url;
    await s.close();
    servers = [];
    const e = (await failure(client(url, { retries: 0 }).c.call("GetClients", {}, { kind: "read" }))) as WhmcsTransportError;
    expect(e.failure).toBe("network");
    expect(e.httpStatus).toBeUndefined();
  });
});

describe("WhmcsClient retries", () => {
  it("retries reads on 503 with growing, jittered backoff, then succeeds", async () => {
    const s = await serve((_req, res, i) => {
      if (i < 2) {
        res.writeHead(503, { "content-type": "text/html" });
        res.end("<html>Service Unavailable</html>");
      } else json(res, 200, { result: "success", n: i });
    });
    const { c, sleeps } = client(s.url, { backoffMs: 100 });
    await expect(c.call("GetClients", {}, { kind: "read" })).resolves.toEqual({ result: "success", n: 2 });
    expect(s.requests).toHaveLength(3);
    expect(sleeps).toEqual([75, 150]);
  });

  it("retries reads on 429 JSON errors and stops after the configured number of retries", async () => {
    const s = await serve((_req, res) => json(res, 429, { result: "error", message: "Too Many Requests" }));
    const { c, sleeps } = client(s.url, { retries: 2, backoffMs: 10 });
    const e = (await failure(c.call("GetClients", {}, { kind: "read" }))) as WhmcsApiError;
    expect(e).toBeInstanceOf(WhmcsApiError);
    expect(e.attempt).toBe(3);
    expect(s.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it("never retries writes", async () => {
    const s = await serve((_req, res) => {
      res.writeHead(503);
      res.end("");
    });
    const { c, sleeps } = client(s.url);
    await expect(c.call("ReconcileUpsertProduct", { key: "x" }, { kind: "write" })).rejects.toThrow(WhmcsTransportError);
    expect(s.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("never retries a write that timed out", async () => {
    const s = await serve(() => undefined);
    // The timeout reaches the request only once the server has it: the attempt is counted however busy the machine.
    const { c } = client(s.url, { timeoutMs: 100, fetch: abortOnlyHung(() => () => s.requests.length >= 1) });
    await expect(c.call("AddOrder", { clientid: 1 }, { kind: "write" })).rejects.toThrow(/no complete response within 100 ms/);
    expect(s.requests).toHaveLength(1);
  });

  it("does not retry business errors on HTTP 200", async () => {
    const s = await serve((_req, res) => json(res, 200, { result: "error", message: "Client Not Found" }));
    await expect(client(s.url).c.call("GetClientsDetails", { clientid: 9 }, { kind: "read" })).rejects.toThrow(WhmcsApiError);
    expect(s.requests).toHaveLength(1);
  });
});

describe("WhmcsClient Retry-After", () => {
  const busy = (times: number, retryAfter: string, status = 429) =>
    serve((_req, res, i) => {
      if (i < times) {
        res.writeHead(status, { "content-type": "text/html", "retry-after": retryAfter });
        res.end("<html>Too Many Requests</html>");
      } else json(res, 200, { result: "success", n: i });
    });

  it("waits out a 429 burst for as long as Retry-After says, instead of the shorter backoff", async () => {
    const s = await busy(3, "2");
    const { c, sleeps } = client(s.url);
    await expect(c.call("GetClients", {}, { kind: "read" })).resolves.toEqual({ result: "success", n: 3 });
    expect(sleeps).toEqual([2000, 2000, 2000]);
  });

  it("reads an HTTP date on a 503 against the injected clock", async () => {
    const s = await busy(1, "Wed, 01 Jan 2025 00:00:07 GMT", 503);
    const { c, sleeps } = client(s.url, { now: () => Date.parse("2025-01-01T00:00:00Z") });
    await c.call("GetClients", {}, { kind: "read" });
    expect(sleeps).toEqual([7000]);
  });

  it("announces a wait over 5 s with its reason", async () => {
    const s = await busy(1, "12");
    const notices: [string, number][] = [];
    const { c } = client(s.url, { onWait: (reason, ms) => void notices.push([reason, ms]) });
    await c.call("GetClients", {}, { kind: "read" });
    expect(notices).toEqual([["WHMCS GetClients answered HTTP 429 with Retry-After 12s", 12_000]]);
  });

  it("fails with wait.too-long, without sleeping, when Retry-After exceeds the bound", async () => {
    const s = await busy(5, "3600");
    const { c, sleeps } = client(s.url, { maxWaitMs: 30_000 });
    const e = (await failure(c.call("GetClients", {}, { kind: "read" }))) as WaitTooLongError;
    expect(e).toBeInstanceOf(WaitTooLongError);
    expect(e.code).toBe("wait.too-long");
    expect(e.message).toBe(
      "WHMCS GetClients answered HTTP 429 with Retry-After 1h 0m 0s: that wait (1h 0m 0s) is longer than --max-wait 30s; stopped instead of waiting",
    );
    expect(e.hint).toContain("--max-wait 1h");
    expect(s.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("ignores Retry-After on statuses other than 429 and 503", async () => {
    const s = await busy(1, "60", 502);
    const { c, sleeps } = client(s.url, { backoffMs: 100 });
    await c.call("GetClients", {}, { kind: "read" });
    expect(sleeps).toEqual([75]);
  });

  it("still never retries writes, Retry-After or not", async () => {
    const s = await busy(1, "2");
    const { c, sleeps } = client(s.url);
    await expect(c.call("AddClient", { email: "a@b.example" }, { kind: "write" })).rejects.toThrow(WhmcsTransportError);
    expect(sleeps).toEqual([]);
  });

  it("waits out the WHMCS sandbox's injected 429 burst (Retry-After: 2) and succeeds", async () => {
    const sb = await startWhmcsSandbox({});
    servers.push({ url: sb.url, requests: [], close: () => sb.close() });
    sb.faults.status(429, { action: "GetCurrencies", times: 3, retryAfterSeconds: 2 });
    const sleeps: number[] = [];
    const c = createWhmcsClient({
      url: sb.url,
      identifier: new Secret(String(sb.credentials.identifier), "sandbox:identifier"),
      secret: new Secret(String(sb.credentials.secret), "sandbox:secret"),
      sleep: async (ms) => void sleeps.push(ms),
    });
    const res = await c.call("GetCurrencies", {}, { kind: "read" });
    expect(res["result"]).toBe("success");
    expect(sleeps).toEqual([2000, 2000, 2000]);
  });
});

describe("WhmcsClient concurrency", () => {
  it("keeps at most `concurrency` calls in flight", async () => {
    // The server holds every call until a second one is in flight (or no more will come), then answers
    // the oldest after a pause in which a third one could arrive: with a limit of 2, exactly 2 meet
    // however slow the machine; with a limit of 1, the test would stall.
    const total = 7;
    const held: ServerResponse[] = [];
    let peak = 0;
    const answerOldest = () => {
      const res = held.shift();
      if (res) json(res, 200, { result: "success" });
    };
    const s = await serve((_req, res) => {
      held.push(res);
      peak = Math.max(peak, held.length);
      if (held.length >= 2 || s.requests.length === total) setTimeout(() => {
        answerOldest();
        if (s.requests.length === total) answerOldest();
      }, 40);
    });
    const { c } = client(s.url, { concurrency: 2 });
    await Promise.all(Array.from({ length: total }, () => c.call("GetClients", {}, { kind: "read" })));
    expect(peak).toBe(2);
    expect(s.requests).toHaveLength(total);
  });
});

describe("WhmcsClient never exposes secrets", () => {
  const forms = [IDENTIFIER, SECRET, ACCESS_KEY].flatMap((v) => [v, phpUrlencode(v), encodeURIComponent(v)]);

  function captureLines(): { lines: string[]; stream: Writable } {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString("utf8"));
        done();
      },
    });
    return { lines, stream };
  }

  function render(err: unknown): string {
    const e = err as Error & { cause?: unknown };
    return [String(err), JSON.stringify(err), inspect(err, { depth: 10, showHidden: true }), e.stack ?? "", String(e.cause ?? "")].join("\n");
  }

  it("in errors and trace logs, even when the server echoes the request", async () => {
    const s = await serve((req, res, i) => {
      const echo = `${req.body} ${decodeURIComponent(req.body.replace(/\+/g, " "))}`;
      if (i % 3 === 0) {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(`<html>${echo}</html>`);
      } else if (i % 3 === 1) {
        json(res, 403, { result: "error", message: `Authentication Failed for ${echo}` });
      } else {
        res.writeHead(302, { location: `http://127.0.0.1/login?${req.body}` });
        res.end();
      }
    });
    const scrubbing = captureLines();
    const raw = captureLines();
    const rendered: string[] = [];
    for (const logger of [createLogger({ destination: scrubbing.stream, level: "trace" }), pino({ level: "trace" }, raw.stream)]) {
      const { c } = client(s.url, { logger, retries: 1 });
      for (let i = 0; i < 3; i++) rendered.push(render(await failure(c.call("GetClients", { search: "x" }, { kind: "read" }))));
    }
    const closed = await startLoopback(() => undefined);
    await closed.close();
    rendered.push(render(await failure(client(closed.url, { retries: 0 }).c.call("GetClients", {}, { kind: "read" }))));

    expect(rendered.some((r) => r.includes("[redacted]"))).toBe(true);
    expect(raw.lines.length).toBeGreaterThan(0);
    expect(raw.lines.some((l) => l.includes('"action":"GetClients"'))).toBe(true);
    for (const text of [...rendered, ...scrubbing.lines, ...raw.lines]) {
      for (const form of forms) expect(text).not.toContain(form);
    }
  });
});
