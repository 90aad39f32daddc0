import { WhmcsSandboxError } from "./errors.js";

/**
 * One injected failure. `latency` delays and lets the call go on; the others replace the
 * response the way a proxy, a WAF, maintenance mode or a broken network would.
 */
export type Fault =
  | { readonly kind: "latency"; readonly ms: number }
  /** A proxy/WAF status with an HTML body (429, 502, 503, 504, …). */
  | { readonly kind: "status"; readonly status: number; readonly retryAfterSeconds?: number; readonly body?: string }
  /** An HTML page (maintenance mode, login page), HTTP 200 unless `status` says otherwise. */
  | { readonly kind: "html"; readonly status?: number; readonly body?: string }
  /** Any raw response, e.g. truncated JSON. */
  | { readonly kind: "raw"; readonly status: number; readonly contentType: string; readonly body: string }
  /** The connection is reset without a response. */
  | { readonly kind: "reset" }
  /** No response at all until the sandbox closes (client timeouts). */
  | { readonly kind: "hang" };

/**
 * `before`: the fault replaces the call (nothing is written). `after`: the action runs and
 * commits first, then the client gets the fault: the case where a retry must not duplicate.
 */
export type FaultPhase = "before" | "after";

export interface FaultScope {
  /** Action name (any case); all actions when omitted. */
  readonly action?: string;
  /** How many matching calls it affects; unlimited when omitted. */
  readonly times?: number;
  readonly phase?: FaultPhase;
}

export interface FaultRule extends FaultScope {
  readonly fault: Fault;
}

export interface FaultHandle {
  /** Calls still to be affected (Infinity when unlimited). */
  readonly remaining: number;
  remove(): void;
}

/** What the server must do for one call in one phase. */
export interface FaultDecision {
  readonly delayMs: number;
  readonly fault: Exclude<Fault, { kind: "latency" }> | undefined;
}

interface ActiveRule {
  readonly action: string | undefined;
  readonly phase: FaultPhase;
  readonly fault: Fault;
  remaining: number;
}

export const MAINTENANCE_PAGE =
  "<!DOCTYPE html>\n<html><head><title>Down for Maintenance</title></head>" +
  "<body><h1>Down for Maintenance</h1><p>We are currently performing maintenance. Please check back soon.</p></body></html>\n";

/** Programmable failures, per action or for every action, evaluated in the order added. */
export class FaultInjector {
  #rules: ActiveRule[] = [];

  add(rule: FaultRule): FaultHandle {
    const times = rule.times ?? Infinity;
    if (!(times > 0)) throw new WhmcsSandboxError("fault.invalid", "fault `times` must be a positive number");
    if (rule.fault.kind === "latency" && !(rule.fault.ms >= 0)) {
      throw new WhmcsSandboxError("fault.invalid", "latency must be a non-negative number of milliseconds");
    }
    const active: ActiveRule = {
      action: rule.action?.toLowerCase(),
      phase: rule.phase ?? "before",
      fault: rule.fault,
      remaining: times,
    };
    this.#rules.push(active);
    return {
      get remaining() {
        return active.remaining;
      },
      remove: () => {
        this.#rules = this.#rules.filter((r) => r !== active);
      },
    };
  }

  latency(ms: number, scope: FaultScope = {}): FaultHandle {
    return this.add({ ...scope, fault: { kind: "latency", ms } });
  }

  status(status: number, scope: FaultScope & { readonly retryAfterSeconds?: number } = {}): FaultHandle {
    const { retryAfterSeconds, ...rest } = scope;
    return this.add({
      ...rest,
      fault: retryAfterSeconds === undefined ? { kind: "status", status } : { kind: "status", status, retryAfterSeconds },
    });
  }

  /** HTML with HTTP 200: maintenance mode, a WAF challenge or a login page. */
  html(scope: FaultScope & { readonly body?: string; readonly status?: number } = {}): FaultHandle {
    const { body, status, ...rest } = scope;
    return this.add({ ...rest, fault: { kind: "html", ...(body === undefined ? {} : { body }), ...(status === undefined ? {} : { status }) } });
  }

  reset(scope: FaultScope = {}): FaultHandle {
    return this.add({ ...scope, fault: { kind: "reset" } });
  }

  hang(scope: FaultScope = {}): FaultHandle {
    return this.add({ ...scope, fault: { kind: "hang" } });
  }

  /** The next `n` matching calls fail with `fault` (default: HTTP 503 from a proxy). */
  failNext(n: number, scope: Omit<FaultScope, "times"> & { readonly fault?: Fault } = {}): FaultHandle {
    const { fault, ...rest } = scope;
    return this.add({ ...rest, times: n, fault: fault ?? { kind: "status", status: 503 } });
  }

  clear(): void {
    this.#rules = [];
  }

  get active(): readonly FaultRule[] {
    return this.#rules.map((r) => ({
      fault: r.fault,
      phase: r.phase,
      times: r.remaining,
      ...(r.action === undefined ? {} : { action: r.action }),
    }));
  }

  /**
   * @internal Consume the rules matching one call in one phase: every matching latency adds
   * up; the first matching other fault applies.
   */
  take(action: string, phase: FaultPhase): FaultDecision {
    const name = action.toLowerCase();
    let delayMs = 0;
    let fault: FaultDecision["fault"];
    for (const rule of this.#rules) {
      if (rule.phase !== phase || rule.remaining <= 0) continue;
      if (rule.action !== undefined && rule.action !== name) continue;
      if (rule.fault.kind === "latency") {
        delayMs += rule.fault.ms;
        rule.remaining--;
      } else if (fault === undefined) {
        fault = rule.fault;
        rule.remaining--;
      }
    }
    this.#rules = this.#rules.filter((r) => r.remaining > 0);
    return { delayMs, fault };
  }
}
