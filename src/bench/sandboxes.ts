import { Worker } from "node:worker_threads";
import { startWhmcsSandbox, type FaultHandle, type WhmcsSandbox } from "../sandbox/whmcs/index.js";
import { startZohoSandbox, type ZohoSandbox } from "../sandbox/zoho/index.js";
import type { CostModel } from "./model.js";

/** Where the bench's sandboxes listen and the credentials a config needs for them. */
export interface SandboxInfo {
  readonly whmcsUrl: string;
  readonly whmcs: { readonly identifier: string; readonly secret: string };
  readonly zohoUrl: string;
  readonly zoho: { readonly dc: string; readonly clientId: string; readonly clientSecret: string; readonly refreshToken: string };
}

export function sandboxInfo(whmcs: WhmcsSandbox, zoho: ZohoSandbox): SandboxInfo {
  return {
    whmcsUrl: whmcs.url,
    whmcs: { identifier: whmcs.credentials.identifier, secret: whmcs.credentials.secret },
    zohoUrl: zoho.url,
    zoho: { dc: zoho.partner.dc, clientId: zoho.partner.clientId, clientSecret: zoho.partner.clientSecret, refreshToken: zoho.partner.refreshToken },
  };
}

export interface CallCounts {
  readonly whmcs: Readonly<Record<string, number>>;
  readonly zoho: Readonly<Record<string, number>>;
  readonly tokensMinted: number;
  /** Rows of `tblorders`. */
  readonly orders: number;
}

/** What the model scenarios do to their sandboxes, whichever thread the sandboxes run on. */
export interface BenchSandboxes {
  readonly info: SandboxInfo;
  /** Every org `org-<i>.example` with i ≥ `pendingBelow` gets its domain verified at Zoho. */
  verifyFrom(pendingBelow: number): Promise<void>;
  /** The model's latencies and Zoho limits on (a model) or off (undefined: no latency, limits lifted). */
  model(m: CostModel | undefined): Promise<void>;
  resetCalls(): Promise<void>;
  counts(): Promise<CallCounts>;
  close(): Promise<void>;
}

type Op = "verifyFrom" | "model" | "resetCalls" | "counts" | "close";

/** Both sandboxes in this thread: their work shares the event loop with the client under test. */
export async function inProcessSandboxes(): Promise<BenchSandboxes> {
  const zoho = await startZohoSandbox({ switches: { rateLimitPerMinute: 0, mintLimit: 1_000_000 } });
  const whmcs = await startWhmcsSandbox({ seedEur: true, switches: { companion: true } });
  let latency: FaultHandle | undefined;
  return {
    info: sandboxInfo(whmcs, zoho),
    async verifyFrom(pendingBelow) {
      for (const o of zoho.state.orgs()) {
        const i = Number(/^org-(\d+)\./.exec(o.domain)?.[1] ?? -1);
        if (i >= pendingBelow && !o.verified) zoho.state.verifyDomain(o.domain);
      }
    },
    async model(m) {
      latency?.remove();
      latency = m === undefined ? undefined : whmcs.faults.latency(m.whmcsLatencyMs);
      zoho.faults.latencyMs = m?.zohoLatencyMs ?? 0;
      zoho.switches.rateLimitPerMinute = m?.mailPerMinute ?? 0;
      zoho.switches.mintLimit = m?.mintsPer10Min ?? 1_000_000;
    },
    async resetCalls() {
      whmcs.calls.reset();
      zoho.calls.reset();
    },
    async counts() {
      return { whmcs: whmcs.calls.counts(), zoho: zoho.calls.byEndpoint, tokensMinted: zoho.calls.tokensMinted, orders: await whmcs.store.count("tblorders") };
    },
    async close() {
      await whmcs.close();
      await zoho.close();
    },
  };
}

/**
 * Both sandboxes in a worker thread: serving pages costs the client's thread nothing, as with real
 * servers across a network (the machine's second core runs them).
 */
export async function workerSandboxes(): Promise<BenchSandboxes> {
  const worker = new Worker(new URL("./sandbox-worker.js", import.meta.url));
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 0;
  const info = await new Promise<SandboxInfo>((resolve, reject) => {
    worker.once("message", (m: { info?: SandboxInfo; error?: string }) => (m.info ? resolve(m.info) : reject(new Error(m.error ?? "sandbox worker failed to start"))));
    worker.once("error", reject);
  });
  worker.on("message", (m: { id: number; result?: unknown; error?: string }) => {
    const w = waiting.get(m.id);
    if (w === undefined) return;
    waiting.delete(m.id);
    if (m.error !== undefined) w.reject(new Error(m.error));
    else w.resolve(m.result);
  });
  const call = <T>(op: Op, arg?: unknown): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, op, arg });
    });
  return {
    info,
    verifyFrom: (n) => call("verifyFrom", n),
    model: (m) => call("model", m),
    resetCalls: () => call("resetCalls"),
    counts: () => call("counts"),
    async close() {
      await call("close");
      await worker.terminate();
    },
  };
}
