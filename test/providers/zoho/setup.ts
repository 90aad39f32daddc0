import { Secret } from "../../../src/core/secrets.js";
import { createZohoProvider, type ZohoProvider, type ZohoProviderOptions } from "../../../src/providers/zoho/index.js";
import { startZohoSandbox, type ZohoSandbox, type ZohoSandboxOptions } from "../../../src/sandbox/zoho/index.js";
import { abortOnlyHung, type HangPicker } from "../../support/hangs.js";

export interface Rig {
  readonly sb: ZohoSandbox;
  readonly p: ZohoProvider;
  /** Sleeps requested by the provider (fake sleep). */
  readonly sleeps: number[];
}

/**
 * A sandbox plus a provider pointed at it over loopback. The sandbox's rate limit is off and the
 * provider's too, unless a test turns them on; sleeps are recorded, not slept, and backoff jitter
 * sits in the middle of its range. With `hung`, the provider's timeout can cut only the requests
 * it picks, once the sandbox holds them (see `abortOnlyHung`).
 */
export async function rig(
  opts: {
    readonly sandbox?: ZohoSandboxOptions;
    readonly provider?: Partial<ZohoProviderOptions>;
    readonly onSleep?: (ms: number, sb: ZohoSandbox) => void;
    readonly hung?: (sb: ZohoSandbox) => HangPicker;
  } = {},
): Promise<Rig> {
  const sb = await startZohoSandbox({ ...opts.sandbox, switches: { rateLimitPerMinute: 0, ...opts.sandbox?.switches } });
  const sleeps: number[] = [];
  const p = createZohoProvider({
    region: sb.partner.dc,
    clientId: new Secret(sb.partner.clientId, "test:clientId"),
    clientSecret: new Secret(sb.partner.clientSecret, "test:clientSecret"),
    refreshToken: new Secret(sb.partner.refreshToken, "test:refreshToken"),
    baseUrl: sb.baseUrl,
    mailRateLimit: false,
    random: () => 0.5,
    ...(opts.hung !== undefined ? { fetch: abortOnlyHung(opts.hung(sb)) } : {}),
    sleep: async (ms) => {
      sleeps.push(ms);
      opts.onSleep?.(ms, sb);
    },
    ...opts.provider,
  });
  return { sb, p, sleeps };
}
