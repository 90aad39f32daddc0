/** How a call ended, as the client saw it. */
export type CallOutcome = "success" | "error" | "fault";

export interface CallRecord {
  /** 1-based, in arrival order. */
  readonly seq: number;
  /** `action` as sent (empty when missing). */
  readonly action: string;
  readonly at: string;
  readonly method: string;
  readonly status: number | undefined;
  readonly outcome: CallOutcome;
  /** The `message` of an error envelope, or the fault kind. */
  readonly detail?: string;
  /** Request variables without credentials (identifier, secret, username, password, accesskey, anything password-like). */
  readonly params: Readonly<Record<string, unknown>>;
}

/** Every request the sandbox received, for tests that assert call counts and payloads. */
export class CallLog {
  #records: CallRecord[] = [];
  #seq = 0;

  /** @internal Appends a record; used by the server. */
  record(entry: Omit<CallRecord, "seq">): CallRecord {
    const rec = { ...entry, seq: ++this.#seq };
    this.#records.push(rec);
    return rec;
  }

  /** Calls of `action` (case-insensitive), or all calls when omitted. */
  count(action?: string): number {
    return this.list(action).length;
  }

  total(): number {
    return this.#records.length;
  }

  list(action?: string): readonly CallRecord[] {
    if (action === undefined) return [...this.#records];
    const want = action.toLowerCase();
    return this.#records.filter((r) => r.action.toLowerCase() === want);
  }

  last(action?: string): CallRecord | undefined {
    const list = this.list(action);
    return list[list.length - 1];
  }

  /** Calls per lowercase action name. */
  counts(): Readonly<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const r of this.#records) {
      const k = r.action.toLowerCase();
      out[k] = (out[k] ?? 0) + 1;
    }
    return out;
  }

  reset(): void {
    this.#records = [];
  }
}
