import { inspect } from "node:util";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { Logger } from "../../../src/core/log.js";
import { Secret } from "../../../src/core/secrets.js";
import { createZohoProvider, type ZohoProvider } from "../../../src/providers/zoho/index.js";
import { startZohoSandbox, type ZohoSandbox } from "../../../src/sandbox/zoho/index.js";
import { abortOnlyHung } from "../../support/hangs.js";

const open: ZohoSandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

/** A plain pino at trace level, without redaction or scrubbing: whatever the provider logs shows up. */
function rawLogger(): { lines: string[]; logger: Logger } {
  const lines: string[] = [];
  return { lines, logger: pino<never>({ level: "trace" }, { write: (s: string) => void lines.push(s) }) };
}

function everything(err: unknown): string {
  const e = err as { message?: string; hint?: string; details?: unknown; cause?: unknown };
  return [String(err), e.message ?? "", e.hint ?? "", JSON.stringify(e.details ?? null), JSON.stringify(err), inspect(err, { depth: 10 })].join("\n");
}

describe("Zoho provider and secrets", () => {
  it("never logs or puts in errors a client secret, refresh token or access token", async () => {
    const sb = await startZohoSandbox({
      switches: { rateLimitPerMinute: 0, cardDeclined: true },
      seed: { orgs: [{ domain: "acme.example", email: "it@acme.example" }], foreignCustomers: [{ domain: "taken.example", email: "x@taken.example" }] },
    });
    open.push(sb);
    const { lines, logger } = rawLogger();
    let hanging = 0;
    const make = (over: { clientSecret?: string; refreshToken?: string; timeoutMs?: number } = {}): ZohoProvider =>
      createZohoProvider({
        region: "us",
        baseUrl: sb.baseUrl,
        clientId: new Secret(sb.partner.clientId, "t"),
        clientSecret: new Secret(over.clientSecret ?? sb.partner.clientSecret, "t"),
        refreshToken: new Secret(over.refreshToken ?? sb.partner.refreshToken, "t"),
        logger,
        mailRateLimit: false,
        timeoutMs: over.timeoutMs ?? 2_000,
        sleep: async () => undefined,
        // The timeout may cut only the createOrg the sandbox hangs, once it holds it; every other request gets its answer.
        fetch: abortOnlyHung((url, init) => (init?.method === "POST" && url.endsWith("/api/organization") && hanging ? () => sb.calls.count("mail.createOrg") >= hanging : "answered")),
      });
    const p = make();
    const errors: unknown[] = [];
    const keep = (x: Promise<unknown>) => x.catch((e: unknown) => void errors.push(e));

    await p.mail.listCustomerOrgs();
    sb.clock.advance(3_600_000);
    await p.readLive();
    await keep(p.mail.createOrg({ domainName: "taken.example", emailId: "it@taken.example", firstName: "A", lastName: "B" }));
    await keep(p.store.createSubscription({ email: "it@acme.example", customer: { country: "GB" }, subscription: { planId: 10730, payPeriod: "yearly", addons: [] } }));
    await keep(make({ clientSecret: "wrong-secret-value" }).mail.listCustomerOrgs());
    const other = sb.state.issueRefreshToken();
    sb.state.revokeRefreshToken(other);
    await keep(make({ refreshToken: other }).store.getSubscription("it@acme.example"));
    sb.faults.hangNext({ endpoint: "mail.createOrg" });
    hanging = sb.calls.count("mail.createOrg") + 1;
    await keep(make({ timeoutMs: 100 }).mail.createOrg({ domainName: "new.example", emailId: "a@new.example", firstName: "A", lastName: "B" }));

    expect(errors).toHaveLength(5);
    expect(errors[4]).toMatchObject({ code: "zoho.timeout" });
    expect(lines.length).toBeGreaterThan(5);
    const secrets = [
      sb.partner.clientSecret,
      sb.partner.refreshToken,
      other,
      "wrong-secret-value",
      ...sb.state.accessTokens().map((t) => t.token),
    ];
    expect(sb.state.accessTokens().length).toBeGreaterThanOrEqual(2);
    const haystack = [...lines, ...errors.map(everything)].join("\n");
    for (const s of secrets) expect(haystack).not.toContain(s);
    expect(haystack).not.toMatch(/Zoho-oauthtoken/);
  });

  it("shows a Secret as redacted when an options object is printed", () => {
    const s = new Secret("1000.abcdef.ghijkl", "env:ZOHO_REFRESH_TOKEN");
    expect(JSON.stringify({ refreshToken: s })).toBe('{"refreshToken":"[redacted]"}');
    expect(inspect({ s })).not.toContain("abcdef");
  });
});
