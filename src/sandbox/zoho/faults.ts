import type { SandboxService } from "./switches.js";

/** Injected failures: latency on every call, and queued 5xx answers or hangs for matching calls. */
export interface FaultMatch {
  readonly service?: SandboxService;
  /** Endpoint id, e.g. `mail.listCustomerOrgs` (see `ZohoCalls.byEndpoint`). */
  readonly endpoint?: string;
  /** How many matching calls the fault applies to (default 1). */
  readonly count?: number;
}

export interface ZohoFaults {
  /** Added before every answer. */
  latencyMs: number;
  /** The next matching calls answer with an error status (default 503), with `Retry-After` when given. */
  failNext(match?: FaultMatch & { readonly status?: number; readonly retryAfterSeconds?: number }): void;
  /** The next matching calls never answer (until the client gives up or the sandbox closes). */
  hangNext(match?: FaultMatch): void;
  clear(): void;
}

export type FaultAction = { kind: "error"; status: number; retryAfterSeconds?: number } | { kind: "hang" };

interface Rule {
  service: SandboxService | undefined;
  endpoint: string | undefined;
  remaining: number;
  action: FaultAction;
}

export class FaultBox implements ZohoFaults {
  latencyMs = 0;
  #rules: Rule[] = [];

  failNext(match: FaultMatch & { readonly status?: number; readonly retryAfterSeconds?: number } = {}): void {
    const status = match.status ?? 503;
    this.#add(match, match.retryAfterSeconds === undefined ? { kind: "error", status } : { kind: "error", status, retryAfterSeconds: match.retryAfterSeconds });
  }

  hangNext(match: FaultMatch = {}): void {
    this.#add(match, { kind: "hang" });
  }

  clear(): void {
    this.#rules = [];
    this.latencyMs = 0;
  }

  #add(match: FaultMatch, action: FaultAction): void {
    this.#rules.push({ service: match.service, endpoint: match.endpoint, remaining: match.count ?? 1, action });
  }

  /** Consume the first rule matching this call. */
  take(service: SandboxService, endpoint: string): FaultAction | undefined {
    const rule = this.#rules.find(
      (r) => r.remaining > 0 && (r.service === undefined || r.service === service) && (r.endpoint === undefined || r.endpoint === endpoint),
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
  reset(): void;
}

export class CallCounter {
  readonly counts = new Map<string, number>();
  hit(endpoint: string): void {
    this.counts.set(endpoint, (this.counts.get(endpoint) ?? 0) + 1);
  }
}
