import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { setTimeout as delay } from "node:timers/promises";
import type { SandboxContext, SandboxRequest } from "./context.js";
import { URL_RULE_MISMATCH, page, type Reply } from "./envelopes.js";
import { guard, type RateLimiter } from "./guard.js";
import { matchRoute } from "./routes.js";
import type { CallCounter, FaultAction, FaultBox } from "./faults.js";
import type { SandboxService } from "./switches.js";
import { formToRecord, parseForm, readBody, sendJson, sendText } from "./wire.js";

const SERVICES: readonly SandboxService[] = ["accounts", "mail", "mailadmin", "store"];

export interface ServerDeps {
  readonly ctx: SandboxContext;
  readonly faults: FaultBox;
  readonly calls: CallCounter;
  readonly limiter: RateLimiter;
  /** Called after any request that may have changed state. */
  readonly persist: () => void;
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.text !== undefined) {
    res.writeHead(reply.status, {
      "Content-Type": reply.contentType ?? "text/plain;charset=UTF-8",
      "Content-Length": String(Buffer.byteLength(reply.text)),
      Server: "ZGS",
      ...(reply.headers ?? {}),
    });
    res.end(reply.text);
    return;
  }
  sendJson(res, reply.status, reply.body, reply.headers);
}

/** `/<dc>/<service>/<rest>?query` → its parts, or undefined for anything else. */
function splitPath(url: string): { dc: string; service: SandboxService; path: string; query: Record<string, string> } | undefined {
  const q = url.indexOf("?");
  const pathname = q < 0 ? url : url.slice(0, q);
  const query = q < 0 ? {} : formToRecord(parseForm(url.slice(q + 1)));
  const m = /^\/([a-z]+)\/([a-z]+)(\/.*)?$/.exec(pathname);
  if (!m) return undefined;
  const service = SERVICES.find((s) => s === m[2]);
  if (!service) return undefined;
  return { dc: m[1] ?? "", service, path: m[3] ?? "/", query };
}

async function handle(deps: ServerDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { ctx, faults, calls, limiter } = deps;
  const parts = splitPath(req.url ?? "/");
  if (!parts || !ctx.dcs.includes(parts.dc)) {
    calls.hit("unmatched");
    sendText(res, 404, "Not Found");
    return;
  }
  const method = (req.method ?? "GET").toUpperCase();
  const match = matchRoute(parts.service, method, parts.path);
  if (!match) {
    calls.hit("unmatched");
    if (parts.service === "mail" || parts.service === "mailadmin") send(res, URL_RULE_MISMATCH);
    else sendText(res, 404, "Not Found");
    return;
  }
  const body = await readBody(req);
  const request: SandboxRequest = {
    method,
    dc: parts.dc,
    service: parts.service,
    path: parts.path,
    query: parts.query,
    headers: req.headers,
    body,
    contentType: req.headers["content-type"] ?? "",
    params: match.params,
  };
  const name = typeof match.route.name === "string" ? match.route.name : match.route.name(request);
  const endpoint = `${parts.service}.${name}`;
  calls.hit(endpoint);

  if (faults.latencyMs > 0) await delay(faults.latencyMs);
  if (applyFault(req, res, faults.take(parts.service, endpoint, "before"))) return;

  let reply: Reply;
  const auth = match.route.auth;
  const checked = auth ? guard(ctx, limiter, request, auth.style, auth.scopes) : undefined;
  if (checked && !checked.ok) reply = checked.reply;
  else reply = match.route.handle(ctx, request);
  if (method !== "GET" || parts.service === "accounts") deps.persist();
  // A fault after the call: the change above stands, the client never hears of it.
  if (applyFault(req, res, faults.take(parts.service, endpoint, "after"))) return;
  send(res, reply);
}

/** Answer (or not) as the fault says; true when it replaced the answer. */
function applyFault(req: IncomingMessage, res: ServerResponse, fault: FaultAction | undefined): boolean {
  if (fault === undefined) return false;
  switch (fault.kind) {
    case "hang":
      return true;
    case "reset": {
      const socket = req.socket as typeof req.socket & { resetAndDestroy?: () => void };
      if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
      else socket.destroy();
      return true;
    }
    case "html":
      send(res, page(200, "Sign in", "Please sign in to continue."));
      return true;
    case "error": {
      const reply = page(fault.status, "Service Unavailable", "The server is temporarily unable to service your request.");
      send(res, fault.retryAfterSeconds === undefined ? reply : { ...reply, headers: { "Retry-After": String(fault.retryAfterSeconds) } });
      return true;
    }
  }
}

export function createSandboxServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    handle(deps, req, res).catch(() => {
      if (!res.headersSent) sendText(res, 500, "Internal Server Error");
      else res.destroy();
    });
  });
}
