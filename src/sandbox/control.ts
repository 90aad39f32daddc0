import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultHandle, FaultPhase, FaultRule, WhmcsSandbox } from "./whmcs/index.js";
import type { SandboxService, ZohoSandbox } from "./zoho/index.js";

/**
 * The sandboxes' run-time control endpoint, for clients outside the process: switch WHMCS and
 * Zoho faults, latency, Zoho's rate limits, Store card declines and the Zoho clock over HTTP,
 * and read what is switched on. It answers loopback callers only (by peer address and by
 * `Host`, so a web page cannot reach it through DNS rebinding), and writes take JSON bodies
 * (a cross-site form cannot send one without a CORS preflight, which it never passes).
 *
 * Routes, under the prefix it is mounted at (`/__control`):
 *   GET    /                      everything below, as JSON
 *   POST   /whmcs/faults          {kind, action?, times?, phase?, status?, retryAfterSeconds?, body?, contentType?, ms?}
 *   DELETE /whmcs/faults
 *   POST   /whmcs/latency         {ms, action?}  (every call; 0 removes it)
 *   POST   /zoho/faults           {kind, service?, endpoint?, times?, phase?, status?, retryAfterSeconds?}
 *   DELETE /zoho/faults
 *   POST   /zoho/latency          {ms}
 *   POST   /zoho/rate-limits      {mailRequestsPerMinute?, lockMs?, mintLimit?, mintWindowMs?}
 *   POST   /zoho/store            {cardDeclined}
 *   POST   /zoho/clock            {advanceMs} | {set: ISO time or epoch ms} | {reset: true}
 */
export interface ControlTargets {
  readonly whmcs: WhmcsSandbox;
  readonly zoho: ZohoSandbox;
}

export type ControlHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const PHASES: readonly FaultPhase[] = ["before", "after"];
const ZOHO_SERVICES: readonly SandboxService[] = ["accounts", "mail", "mailadmin", "store"];
const MAX_BODY = 64 * 1024;

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** `127.0.0.0/8`, `::1` and IPv4-mapped loopback. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.toLowerCase().replace(/^::ffff:/, "");
  return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** A `Host` header naming a loopback host (any port), or none at all (HTTP/1.0). */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined || host === "") return true;
  const name = /^\[([^\]]+)\](?::\d+)?$/.exec(host)?.[1] ?? host.replace(/:\d+$/, "");
  return name.toLowerCase() === "localhost" || isLoopbackAddress(name);
}

export function controlHandler(targets: ControlTargets, prefix = "/__control"): ControlHandler {
  const { whmcs, zoho } = targets;
  let whmcsLatency: { handle: FaultHandle; ms: number; action: string | undefined } | undefined;

  const state = (): Record<string, unknown> => {
    const s = zoho.switches;
    return {
      whmcs: {
        url: `${whmcs.url}/includes/api.php`,
        latency: whmcsLatency === undefined ? null : { ms: whmcsLatency.ms, action: whmcsLatency.action ?? null },
        faults: whmcs.faults.active,
      },
      zoho: {
        url: zoho.url,
        latencyMs: zoho.faults.latencyMs,
        faults: zoho.faults.pending,
        rateLimits: {
          mailRequestsPerMinute: s.rateLimitPerMinute,
          lockMs: s.rateLimitLockMs,
          mintLimit: s.mintLimit,
          mintWindowMs: s.mintWindowMs,
        },
        store: { cardDeclined: s.cardDeclined },
        clock: { now: new Date(zoho.clock.now()).toISOString(), offsetMs: zoho.clock.now() - Date.now() },
      },
    };
  };

  const routes: Record<string, Partial<Record<string, (body: Record<string, unknown>) => void>>> = {
    "": {},
    "/whmcs/faults": {
      POST: (b) => {
        whmcs.faults.add(whmcsFaultRule(b));
      },
      DELETE: () => {
        whmcs.faults.clear();
        whmcsLatency = undefined;
      },
    },
    "/whmcs/latency": {
      POST: (b) => {
        const ms = nonNegative(b, "ms");
        const action = optionalText(b, "action");
        whmcsLatency?.handle.remove();
        whmcsLatency = ms === 0 ? undefined : { handle: whmcs.faults.latency(ms, action === undefined ? {} : { action }), ms, action };
      },
    },
    "/zoho/faults": {
      POST: (b) => addZohoFault(zoho, b),
      DELETE: () => zoho.faults.clear(),
    },
    "/zoho/latency": {
      POST: (b) => {
        zoho.faults.latencyMs = nonNegative(b, "ms");
      },
    },
    "/zoho/rate-limits": {
      POST: (b) => {
        only(b, ["mailRequestsPerMinute", "lockMs", "mintLimit", "mintWindowMs"]);
        const s = zoho.switches;
        if (b["mailRequestsPerMinute"] !== undefined) s.rateLimitPerMinute = nonNegative(b, "mailRequestsPerMinute");
        if (b["lockMs"] !== undefined) s.rateLimitLockMs = nonNegative(b, "lockMs");
        if (b["mintLimit"] !== undefined) s.mintLimit = nonNegative(b, "mintLimit");
        if (b["mintWindowMs"] !== undefined) s.mintWindowMs = nonNegative(b, "mintWindowMs");
      },
    },
    "/zoho/store": {
      POST: (b) => {
        only(b, ["cardDeclined"]);
        if (typeof b["cardDeclined"] !== "boolean") throw new ControlError(400, "cardDeclined must be true or false");
        zoho.switches.cardDeclined = b["cardDeclined"];
      },
    },
    "/zoho/clock": {
      POST: (b) => {
        only(b, ["advanceMs", "set", "reset"]);
        if (b["reset"] === true) zoho.clock.set(Date.now());
        else if (b["set"] !== undefined) zoho.clock.set(instant(b["set"]));
        else if (b["advanceMs"] !== undefined) {
          const ms = b["advanceMs"];
          if (typeof ms !== "number" || !Number.isFinite(ms)) throw new ControlError(400, "advanceMs must be a number of milliseconds");
          zoho.clock.advance(ms);
        } else throw new ControlError(400, "give advanceMs, set or reset");
      },
    },
  };

  return async (req, res) => {
    try {
      if (!isLoopbackAddress(req.socket.remoteAddress) || !isLoopbackHost(req.headers.host)) {
        throw new ControlError(403, "the sandbox control endpoint answers loopback callers only");
      }
      const path = new URL(req.url ?? "/", "http://control.invalid").pathname.slice(prefix.length).replace(/\/+$/, "");
      const route = routes[path];
      if (route === undefined) throw new ControlError(404, `no control route ${JSON.stringify(prefix + path)}; GET ${prefix} lists the state`);
      const method = (req.method ?? "GET").toUpperCase();
      if (method === "GET") {
        await drain(req);
        return reply(res, 200, state());
      }
      const action = route[method];
      if (action === undefined) {
        await drain(req);
        const allowed = ["GET", ...Object.keys(route)].join(", ");
        res.setHeader("Allow", allowed);
        throw new ControlError(405, `${method} is not allowed here (allowed: ${allowed})`);
      }
      const body = await jsonBody(req, method === "DELETE");
      action(body);
      reply(res, 200, state());
    } catch (err) {
      if (err instanceof ControlError) return reply(res, err.status, { error: err.message });
      const message = err instanceof Error ? err.message : String(err);
      reply(res, 400, { error: message });
    }
  };
}

function whmcsFaultRule(b: Record<string, unknown>): FaultRule {
  only(b, ["kind", "action", "times", "phase", "status", "retryAfterSeconds", "body", "contentType", "ms"]);
  const scope = {
    ...(optionalText(b, "action") === undefined ? {} : { action: optionalText(b, "action") }),
    ...(b["times"] === undefined ? {} : { times: positiveInt(b, "times") }),
    ...(b["phase"] === undefined ? {} : { phase: phase(b) }),
  };
  const body = optionalText(b, "body");
  switch (b["kind"]) {
    case "latency":
      return { ...scope, fault: { kind: "latency", ms: nonNegative(b, "ms") } };
    case "status": {
      const retry = b["retryAfterSeconds"] === undefined ? undefined : nonNegative(b, "retryAfterSeconds");
      return {
        ...scope,
        fault: { kind: "status", status: httpStatus(b, 503), ...(retry === undefined ? {} : { retryAfterSeconds: retry }), ...(body === undefined ? {} : { body }) },
      };
    }
    case "html":
      return { ...scope, fault: { kind: "html", ...(b["status"] === undefined ? {} : { status: httpStatus(b, 200) }), ...(body === undefined ? {} : { body }) } };
    case "raw":
      if (body === undefined) throw new ControlError(400, "a raw fault needs a body");
      return { ...scope, fault: { kind: "raw", status: httpStatus(b, 200), contentType: optionalText(b, "contentType") ?? "application/json", body } };
    case "reset":
      return { ...scope, fault: { kind: "reset" } };
    case "hang":
      return { ...scope, fault: { kind: "hang" } };
    default:
      throw new ControlError(400, "kind must be one of latency, status, html, raw, reset, hang");
  }
}

function addZohoFault(zoho: ZohoSandbox, b: Record<string, unknown>): void {
  only(b, ["kind", "service", "endpoint", "times", "phase", "status", "retryAfterSeconds", "ms"]);
  const service = optionalText(b, "service");
  if (service !== undefined && !ZOHO_SERVICES.some((s) => s === service)) throw new ControlError(400, `service must be one of ${ZOHO_SERVICES.join(", ")}`);
  const endpoint = optionalText(b, "endpoint");
  const match = {
    ...(service === undefined ? {} : { service: service as SandboxService }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(b["times"] === undefined ? {} : { count: positiveInt(b, "times") }),
    ...(b["phase"] === undefined ? {} : { phase: phase(b) }),
  };
  switch (b["kind"]) {
    case "latency":
      zoho.faults.latencyMs = nonNegative(b, "ms");
      return;
    case "status": {
      const retry = b["retryAfterSeconds"] === undefined ? undefined : nonNegative(b, "retryAfterSeconds");
      zoho.faults.failNext({ ...match, status: httpStatus(b, 503), ...(retry === undefined ? {} : { retryAfterSeconds: retry }) });
      return;
    }
    case "html":
      zoho.faults.htmlNext(match);
      return;
    case "reset":
      zoho.faults.resetNext(match);
      return;
    case "hang":
      zoho.faults.hangNext(match);
      return;
    default:
      throw new ControlError(400, "kind must be one of latency, status, html, reset, hang");
  }
}

function only(b: Record<string, unknown>, keys: readonly string[]): void {
  const extra = Object.keys(b).filter((k) => !keys.includes(k));
  if (extra.length > 0) throw new ControlError(400, `unknown field(s) ${extra.join(", ")}; known: ${keys.join(", ")}`);
}

function optionalText(b: Record<string, unknown>, key: string): string | undefined {
  const v = b[key];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || v === "") throw new ControlError(400, `${key} must be a non-empty string`);
  return v;
}

function nonNegative(b: Record<string, unknown>, key: string): number {
  const v = b[key];
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new ControlError(400, `${key} must be a number >= 0`);
  return v;
}

function positiveInt(b: Record<string, unknown>, key: string): number {
  const v = b[key];
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new ControlError(400, `${key} must be a whole number >= 1`);
  return v;
}

function httpStatus(b: Record<string, unknown>, fallback: number): number {
  const v = b["status"];
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 200 || v > 599) throw new ControlError(400, "status must be an HTTP status 200-599");
  return v;
}

function phase(b: Record<string, unknown>): FaultPhase {
  const p = PHASES.find((x) => x === b["phase"]);
  if (p === undefined) throw new ControlError(400, 'phase must be "before" or "after" (after: the call commits, then fails)');
  return p;
}

function instant(v: unknown): number {
  const ms = typeof v === "number" ? v : typeof v === "string" ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) throw new ControlError(400, "set must be an ISO time or epoch milliseconds");
  return ms;
}

async function jsonBody(req: IncomingMessage, optional: boolean): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ControlError(413, "request body too large");
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (optional && text.trim() === "") return {};
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") throw new ControlError(415, "send a JSON body with Content-Type: application/json");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ControlError(400, "the body is not valid JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new ControlError(400, "the body must be a JSON object");
  return parsed as Record<string, unknown>;
}

function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    req.on("end", resolve);
    req.on("error", () => resolve());
    req.resume();
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text), "Cache-Control": "no-store" });
  res.end(text);
}
