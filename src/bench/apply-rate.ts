import { main } from "../cli/main.js";
import { startWhmcsSandbox } from "../sandbox/whmcs/index.js";
import { startZohoSandbox } from "../sandbox/zoho/index.js";
import { orgProject, quietIo } from "./customers.js";
import { sandboxInfo } from "./sandboxes.js";
import type { CostModel } from "./model.js";

export interface ApplyRateFigures {
  readonly orgs: number;
  /** The model run faster by this factor: latencies ÷ scale, the Mail limit × scale (its window stays a minute). */
  readonly timeScale: number;
  /** The Mail limit the client and the sandbox enforced, requests a minute (scaled). */
  readonly limitPerMinute: number;
  readonly mailRequests: number;
  readonly mailPerOrg: number;
  /** Mail requests a minute over the whole minutes from the first Mail request on. */
  readonly achievedPerMinute: number;
  readonly achievedShare: number;
  /** Requests the sandbox refused as over the limit (throttle errors). */
  readonly throttled: number;
  readonly tokensMinted: number;
  readonly wallMs: number;
  /** The same apply at the model's real latencies and limit: wall time × scale. */
  readonly modelMinutes: number;
  readonly progressLines: number;
  /** Zoho requests per endpoint, for reading the figures. */
  readonly zohoCalls: string;
}

/**
 * New orgs applied under Zoho's Mail limit, time-scaled so that a 1,000-org apply runs in minutes:
 * WHMCS and Zoho latencies divided by `scale`, the Mail limit (client and sandbox alike) multiplied
 * by it. The achieved Mail rate is counted at the sandbox, over whole minutes from the first Mail
 * request, against the limit; the sandbox counts every request it refuses as throttled.
 */
export async function benchApplyRate(work: string, examples: string, orgs: number, m: CostModel, scale: number): Promise<ApplyRateFigures> {
  const limit = m.mailPerMinute * scale;
  const zoho = await startZohoSandbox({ switches: { rateLimitPerMinute: limit, mintLimit: m.mintsPer10Min } });
  const whmcs = await startWhmcsSandbox({ seedEur: true, switches: { companion: true } });
  try {
    const { dir, env, writeConfig } = orgProject(work, examples, `apply-rate-${orgs}`, orgs, sandboxInfo(whmcs, zoho));
    writeConfig("reconcile.yaml", limit);
    const latency = whmcs.faults.latency(Math.round(m.whmcsLatencyMs / scale));
    zoho.faults.latencyMs = Math.round(m.zohoLatencyMs / scale);
    zoho.calls.reset();
    const errors: string[] = [];
    const t0 = performance.now();
    // --force: a thousand new orgs at once is over policy.thresholds.customers by design.
    const code = await main(["--yes", "--force"], quietIo(dir, env, errors));
    const wallMs = Math.round(performance.now() - t0);
    latency.remove();
    if (code !== 0) throw new Error(`the apply of ${orgs} new orgs exited ${code}: ${errors.join("").slice(-600)}`);
    const r = zoho.calls.rateLimited;
    const first = r.admitted[0] ?? 0;
    const span = (r.admitted.at(-1) ?? first) - first;
    const minutes = Math.floor(span / 60_000);
    // Requests in the whole minutes [first, first + minutes): the limit allows `limit` in each.
    const inWindow = r.admitted.filter((t) => t < first + minutes * 60_000).length;
    const achievedPerMinute = minutes === 0 ? r.admitted.length : inWindow / minutes;
    return {
      orgs,
      timeScale: scale,
      limitPerMinute: limit,
      mailRequests: r.admitted.length,
      mailPerOrg: Math.round((r.admitted.length / orgs) * 100) / 100,
      achievedPerMinute: Math.round(achievedPerMinute),
      achievedShare: Math.round((achievedPerMinute / limit) * 1000) / 1000,
      throttled: r.refused,
      tokensMinted: zoho.calls.tokensMinted,
      wallMs,
      modelMinutes: Math.round(((wallMs * scale) / 60_000) * 10) / 10,
      progressLines: errors.join("").split("\n").filter((l) => l.startsWith("progress: ")).length,
      zohoCalls: Object.entries(zoho.calls.byEndpoint).map(([k, v]) => `${k} ${v}`).join(", "),
    };
  } finally {
    await whmcs.close();
    await zoho.close();
  }
}
