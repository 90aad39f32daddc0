import type { SandboxService } from "./switches.js";

/** Injected failures: latency on every call, and queued failures for matching calls. */
export interface FaultMatch {
  readonly service?: SandboxService;
  /** Endpoint id, e.g. `mail.listCustomerOrgs` (see `ZohoCalls.byEndpoint`). */
  readonly endpoint?: string;
  /** How many matching calls the fault applies to (default 1). */
  readonly count?: number;
  /**
   * `before` (default): the fault replaces the call, nothing changes. `after`: the call runs
   * and its change is kept, then the client gets the fault (a retry must not duplicate it).
   */
  readonly phase?: FaultPhase;
}

export type FaultPhase = "before" | "after";

export interface ZohoFaults {
  /** Added before every answer. */
  latencyMs: number;
  /** The next matching calls answer with an HTML error page and this status (default 503; 429 too). */
  failNext(match?: FaultMatch & { readonly status?: number; readonly retryAfterSeconds?: number }): void;
  /** The next matching calls never answer (until the client gives up or the sandbox closes). */
  hangNext(match?: FaultMatch): void;
  /** The next matching calls get an HTML page with HTTP 200 (a proxy or login page in front of Zoho). */
  htmlNext(match?: FaultMatch): void;
  /** The next matching calls have their connection reset without an answer. */
  resetNext(match?: FaultMatch): void;
  /** Queued faults, in the order they apply. */
  readonly pending: readonly PendingFault[];
  clear(): void;
}

export type FaultAction =
  | { kind: "error"; status: number; retryAfterSeconds?: number }
  | { kind: "hang" }
  | { kind: "html" }
  | { kind: "reset" };

export type PendingFault = FaultAction & { readonly service?: SandboxService; readonly endpoint?: string; readonly remaining: number; readonly phase: FaultPhase };

interface Rule {
  service: SandboxService | undefined;
  endpoint: string | undefined;
  remaining: number;
  phase: FaultPhase;
  action: FaultAction;
}

export class FaultBox implements ZohoFaults {
  latencyMs = 0;
  #rules: Rule[] = [];

  failNext(match: FaultMatch & { readonly status?: number; readonly retryAfterSeconds?: number } = {}): void {
    const status = match.status ?? 503;
    const action: FaultAction = match.retryAfterSeconds === undefined ? { kind: "error", status } : { kind: "error", status, retryAfterSeconds: match.retryAfterSeconds };
    this.#add(match, action);
  }

  hangNext(match: FaultMatch = {}): void {
    this.#add(match, { kind: "hang" });
  }

  htmlNext(match: FaultMatch = {}): void {
    this.#add(match, { kind: "html" });
  }

  resetNext(match: FaultMatch = {}): void {
    this.#add(match, { kind: "reset" });
  }

  get pending(): readonly PendingFault[] {
    return this.#rules.map((r) => ({
      ...r.action,
      ...(r.service === undefined ? {} : { service: r.service }),
      ...(r.endpoint === undefined ? {} : { endpoint: r.endpoint }),
      remaining: r.remaining,
      phase: r.phase,
    }));
  }

  clear(): void {
    this.#rules = [];
    this.latencyMs = 0;
  }

  #add(match: FaultMatch, action: FaultAction): void {
    const count = match.count ?? 1;
    if (!(Number.isInteger(count) && count > 0)) throw new RangeError("fault count must be a positive integer");
    this.#rules.push({ service: match.service, endpoint: match.endpoint, remaining: count, phase: match.phase ?? "before", action });
  }

  /** Consume the first rule matching this call in this phase. */
  take(service: SandboxService, endpoint: string, phase: FaultPhase = "before"): FaultAction | undefined {
    const rule = this.#rules.find(
      (r) =>
        r.remaining > 0 &&
        r.phase === phase &&
        (r.service === undefined || r.service === service) &&
        (r.endpoint === undefined || r.endpoint === endpoint),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.#rules = this.#rules.filter((r) => r.remaining > 0);
    return rule.action;
  }
}

/** Calls received per endpoint id, whatever the outcome. */
export interface ZohoCalls {
  readonly byEndpoint: Readonly<Record<string, number>>;
  count(endpoint: string): number;
  readonly total: number;
  /** Access tokens minted (both grants) since start or the last reset. */
  readonly tokensMinted: number;
  /**
   * Requests under the Mail rate limit (`rateLimitServices`) since the last reset: the arrival
   * times (ms of the sandbox clock) of those let through, and how many were refused as throttled.
   */
  readonly rateLimited: { readonly admitted: readonly number[]; readonly refused: number };
  reset(): void;
}

export class CallCounter {
  readonly counts = new Map<string, number>();
  hit(endpoint: string): void {
    this.counts.set(endpoint, (this.counts.get(endpoint) ?? 0) + 1);
  }
}
