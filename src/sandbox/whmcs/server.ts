import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "../../core/log.js";
import type { CallLog, CallOutcome } from "./calls.js";
import { dispatch, type DispatchDeps } from "./dispatch.js";
import { errorEnvelope, phpJsonEncode, render, type Rendered } from "./envelope.js";
import { WhmcsSandboxError } from "./errors.js";
import { MAINTENANCE_PAGE, type FaultDecision, type FaultInjector, type FaultPhase } from "./faults.js";
import { mergeTopLevel, parsePhpForm, type FormArray, type FormValue } from "./form.js";
import { normalizeIp } from "./ip-allow.js";
import { PhpArray, phpToPlain, setOwn } from "./php-array.js";
import { DEFAULT_WHMCS_VERSION } from "./actions/whmcs-details.js";
import type { ResponseType } from "./switches.js";

export interface ApiServerOptions extends DispatchDeps {
  readonly host: string;
  readonly port: number;
  /** "" or a sub-path such as `/whmcs`. */
  readonly basePath: string;
  readonly faults: FaultInjector;
  readonly calls: CallLog;
  readonly logger: Logger;
  /** Handlers for paths outside WHMCS (by path prefix), e.g. the sandbox control endpoint; read per request. */
  readonly sideRoutes: ReadonlyMap<string, SideRoute>;
}

/** A handler for requests under a path prefix; it answers the request itself. */
export type SideRoute = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface ApiServer {
  /** `http://host:port` plus the base path. */
  readonly url: string;
  close(): Promise<void>;
}

const FORM_TYPE = "application/x-www-form-urlencoded";
/** Request variables never copied into the call log: credentials and anything password-like. */
const SECRET_PARAM = /^(identifier|username|accesskey)$|pass|secret|token/i;

/** Normalise a base path: "" or "/segment…", no trailing slash. */
export function normalizeBasePath(basePath: string): string {
  const trimmed = basePath.trim().replace(/\/+$/, "");
  if (trimmed === "") return "";
  if (!/^\/?[A-Za-z0-9._~\-/]+$/.test(trimmed)) {
    throw new WhmcsSandboxError("options.base_path", `invalid base path ${JSON.stringify(basePath)}`);
  }
  return trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

/** The HTTP face of the sandbox: `POST <basePath>/includes/api.php`, on loopback. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const endpoint = `${options.basePath}/includes/api.php`;
  const closing = new AbortController();
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      options.logger.error({ err: err instanceof Error ? err.message : String(err) }, "WHMCS sandbox internal error");
      if (!res.headersSent && !res.destroyed) {
        const message = err instanceof Error ? err.message : String(err);
        writeRendered(res, { status: 500, contentType: "application/json", body: phpJsonEncode(errorEnvelope(`Sandbox internal error: ${message}`)) });
      } else {
        res.destroy();
      }
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox.invalid");
    const path = url.pathname;
    const method = (req.method ?? "GET").toUpperCase();
    const started = new Date().toISOString();
    const record = (action: string, params: Readonly<Record<string, unknown>>, status: number | undefined, outcome: CallOutcome, detail?: string): void => {
      options.calls.record({ action, at: started, method, status, outcome, params, ...(detail === undefined ? {} : { detail }) });
    };

    const side = [...options.sideRoutes].find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`));
    if (side !== undefined) {
      await side[1](req, res);
      return;
    }
    if (path !== endpoint && !path.startsWith(`${endpoint}/`)) {
      await drain(req);
      writeRendered(res, { status: 404, contentType: "text/html", body: "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>\n" });
      return;
    }
    const body = await readBody(req, options.switches.postMaxSize);
    const vars = requestVars(req, url, body);
    const action = typeof vars.get("action") === "string" ? String(vars.get("action")) : "";
    const logged = redact(vars);

    if (path !== endpoint) {
      // A doubled `/includes/api.php/includes/api.php` (or any path after api.php): WHMCS
      // answers this before looking at credentials; in JSON as reported, or as asked.
      const envelope = errorEnvelope("An admin user is required");
      writeRendered(res, render(envelope, requestedType(vars, "json"), 200, whmcsVersion(), options.switches.xmlContentType));
      record(action, logged, 200, "error", "An admin user is required");
      return;
    }
    if (method !== "POST" && !(method === "GET" && options.switches.allowGet)) {
      res.setHeader("Allow", options.switches.allowGet ? "GET, POST" : "POST");
      writeRendered(res, { status: 405, contentType: "text/html", body: "<!DOCTYPE html>\n<html><head><title>405 Method Not Allowed</title></head><body><h1>Method Not Allowed</h1></body></html>\n" });
      record(action, logged, 405, "error", "method not allowed");
      return;
    }

    if (await applyFaults("before")) return;

    const result = await dispatch(
      vars,
      { ip: normalizeIp(req.socket.remoteAddress ?? ""), host: req.headers.host ?? `${options.host}:${options.port}`, basePath: options.basePath },
      options,
    );
    const rendered = render(result.envelope, result.responseType, result.status, whmcsVersion(), options.switches.xmlContentType);
    if (await applyFaults("after")) return;
    writeRendered(res, rendered);
    const ok = result.envelope["result"] === "success";
    record(action, logged, rendered.status, ok ? "success" : "error", ok ? undefined : String(result.envelope["message"] ?? ""));
    options.logger.debug({ action, status: rendered.status, result: result.envelope["result"] }, "WHMCS sandbox call");

    /** Apply the faults of one phase; true when the fault replaced the response. */
    async function applyFaults(phase: FaultPhase): Promise<boolean> {
      const decision: FaultDecision = options.faults.take(action, phase);
      if (decision.delayMs > 0) {
        try {
          await sleep(decision.delayMs, undefined, { signal: closing.signal });
        } catch {
          res.destroy();
          record(action, logged, undefined, "fault", "closed during latency");
          return true;
        }
      }
      const fault = decision.fault;
      if (fault === undefined) return false;
      switch (fault.kind) {
        case "status": {
          if (fault.retryAfterSeconds !== undefined) res.setHeader("Retry-After", String(fault.retryAfterSeconds));
          writeRendered(res, { status: fault.status, contentType: "text/html", body: fault.body ?? proxyPage(fault.status) });
          record(action, logged, fault.status, "fault", `status ${fault.status}`);
          return true;
        }
        case "html":
          writeRendered(res, { status: fault.status ?? 200, contentType: "text/html; charset=utf-8", body: fault.body ?? MAINTENANCE_PAGE });
          record(action, logged, fault.status ?? 200, "fault", "html");
          return true;
        case "raw":
          writeRendered(res, { status: fault.status, contentType: fault.contentType, body: fault.body });
          record(action, logged, fault.status, "fault", "raw");
          return true;
        case "reset":
          record(action, logged, undefined, "fault", "reset");
          resetSocket(req);
          return true;
        case "hang":
          record(action, logged, undefined, "fault", "hang");
          return true;
      }
    }
  }

  function requestVars(req: IncomingMessage, url: URL, body: Buffer | undefined): FormArray {
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    const max = options.switches.maxInputVars;
    // Like PHP, only a form-encoded body fills $_POST; an oversized one leaves it empty.
    const post = body !== undefined && contentType === FORM_TYPE ? parsePhpForm(body, { maxInputVars: max }).vars : new PhpArray<FormValue>();
    if (!options.switches.readQueryString || url.search.length <= 1) return post;
    return mergeTopLevel(parsePhpForm(url.search.slice(1), { maxInputVars: max }).vars, post);
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}${options.basePath}`,
    close: async () => {
      closing.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function whmcsVersion(): string {
  return DEFAULT_WHMCS_VERSION.split("-")[0] ?? "";
}

/** The `responsetype` asked for (json, xml or nvp), else `fallback`. */
function requestedType(vars: FormArray, fallback: ResponseType): ResponseType {
  const asked = vars.get("responsetype");
  const lower = typeof asked === "string" ? asked.trim().toLowerCase() : "";
  return lower === "json" || lower === "xml" || lower === "nvp" ? lower : fallback;
}

function writeRendered(res: ServerResponse, r: Rendered): void {
  if (res.destroyed) return;
  res.writeHead(r.status, { "Content-Type": r.contentType, "Content-Length": Buffer.byteLength(r.body, "utf8") });
  res.end(r.body);
}

function proxyPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? "Error"}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function resetSocket(req: IncomingMessage): void {
  const socket = req.socket as typeof req.socket & { resetAndDestroy?: () => void };
  if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy();
  else socket.destroy();
}

/** The body, or undefined when it exceeds `limit` (the rest is read and dropped). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) over = true;
    if (!over) chunks.push(buf);
  }
  return over ? undefined : Buffer.concat(chunks);
}

function drain(req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    req.on("end", resolve);
    req.on("error", () => resolve());
    req.resume();
  });
}

function redact(vars: FormArray): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of vars.entries()) {
    if (!SECRET_PARAM.test(k)) setOwn(out, k, phpToPlain(v));
  }
  return out;
}
