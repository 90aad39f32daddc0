import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { Secret } from "../../../src/core/secrets.js";
import { ZohoAuthError, ZohoTokenError, createZohoProvider, runZohoAuth, type ZohoAuthOptions } from "../../../src/providers/zoho/index.js";
import { startZohoSandbox, type ZohoSandbox, type ZohoSandboxOptions } from "../../../src/sandbox/zoho/index.js";

const open: ZohoSandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString("utf8");
    cb();
  }
}

async function sandbox(opts: ZohoSandboxOptions = {}): Promise<ZohoSandbox> {
  const sb = await startZohoSandbox({ switches: { rateLimitPerMinute: 0 }, ...opts });
  open.push(sb);
  return sb;
}

function base(sb: ZohoSandbox, region: string, out: Writable): ZohoAuthOptions {
  return {
    region,
    clientId: new Secret(sb.partner.clientId, "test:id"),
    clientSecret: new Secret(sb.partner.clientSecret, "test:secret"),
    port: 0,
    baseUrl: sb.baseUrl,
    out,
    waitMs: 5_000,
  };
}

/** What the user's console registration and browser do: register the redirect URI, follow the consent. */
async function consent(sb: ZohoSandbox, url: string): Promise<string> {
  const u = new URL(url);
  sb.state.addRedirectUri(u.searchParams.get("redirect_uri") ?? "");
  const r = await fetch(url, { redirect: "manual" });
  return r.headers.get("location") ?? "";
}

describe("reconcile zoho auth", () => {
  it("asks for offline access with re-consent and the reference scopes", async () => {
    const sb = await sandbox();
    const out = new Capture();
    let seen = "";
    await runZohoAuth({
      ...base(sb, "us", out),
      open: async (url) => {
        seen = url;
        await fetch(await consent(sb, url));
      },
    });
    const u = new URL(seen);
    expect(`${u.origin}${u.pathname}`).toBe(`${sb.baseUrl("us", "accounts")}/oauth/v2/auth`);
    expect(u.searchParams.get("access_type")).toBe("offline");
    expect(u.searchParams.get("prompt")).toBe("consent");
    expect(u.searchParams.get("response_type")).toBe("code");
    expect(u.searchParams.get("redirect_uri")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/zoho\/callback$/);
    expect(u.searchParams.get("scope")).toBe(
      "ZohoMail.partner.organization.ALL,ZohoMail.organization.domains.ALL,ZohoMail.organization.accounts.READ,ZohoMail.organization.subscriptions.READ,ZohoPayments.partnersubscription.all,ZohoPayments.subscriptions.READ,ZohoPayments.leads.READ",
    );
    expect(out.text).toContain(seen);
  });

  it("receives the code on the loopback callback, exchanges it in the account's data centre and never prints the token", async () => {
    const sb = await sandbox({ dcs: ["us", "eu"], clientDc: "us", partnerDc: "eu", switches: { multiDc: true, rateLimitPerMinute: 0 } });
    const out = new Capture();
    let page = "";
    const result = await runZohoAuth({
      ...base(sb, "us", out),
      open: async (url) => {
        page = await (await fetch(await consent(sb, url))).text();
      },
    });
    expect(page).toContain("You can close this window");
    expect(result.region).toBe("eu");
    expect(result.accountsServer).toBe(sb.baseUrl("eu", "accounts"));
    expect(result.envVar).toBe("ZOHO_REFRESH_TOKEN");
    // The code was issued by the EU accounts server: exchanging it anywhere else would have failed.
    expect(sb.calls.byEndpoint).toEqual({ "accounts.auth": 1, "accounts.token": 1 });
    expect(out.text).toContain('set zoho.region: eu in reconcile.yaml');
    expect(out.text).toContain("ZOHO_REFRESH_TOKEN");
    expect(out.text).not.toContain(result.refreshToken.reveal());
    expect(out.text).not.toContain(sb.partner.clientSecret);

    const p = createZohoProvider({
      region: result.region,
      accountsUrl: result.accountsServer,
      baseUrl: sb.baseUrl,
      clientId: new Secret(sb.partner.clientId, "t"),
      clientSecret: new Secret(sb.partner.clientSecret, "t"),
      refreshToken: result.refreshToken,
      mailRateLimit: false,
    });
    expect(await p.mail.listCustomerOrgs()).toEqual([]);
  });

  it("prints the token exactly once when asked to", async () => {
    const sb = await sandbox();
    const out = new Capture();
    const result = await runZohoAuth({
      ...base(sb, "us", out),
      showToken: true,
      open: async (url) => {
        await fetch(await consent(sb, url));
      },
    });
    const token = result.refreshToken.reveal();
    expect(out.text.split(token)).toHaveLength(2);
    expect(out.text).toContain(`ZOHO_REFRESH_TOKEN=${token}\n`);
  });

  it("accepts the pasted redirect URL, and a pasted bare code", async () => {
    const sb = await sandbox();
    let location = "";
    const viaUrl = await runZohoAuth({
      ...base(sb, "us", new Capture()),
      open: async (url) => {
        location = await consent(sb, url);
      },
      prompt: async () => {
        while (location === "") await new Promise((r) => setTimeout(r, 5));
        return location;
      },
    });
    expect(viaUrl.region).toBe("us");

    let code = "";
    const viaCode = await runZohoAuth({
      ...base(sb, "us", new Capture()),
      open: async (url) => {
        code = new URL(await consent(sb, url)).searchParams.get("code") ?? "";
      },
      prompt: async () => {
        while (code === "") await new Promise((r) => setTimeout(r, 5));
        return `  ${code}\n`;
      },
    });
    expect(viaCode.accountsServer).toBe(sb.baseUrl("us", "accounts"));
    expect(viaCode.refreshToken.reveal()).not.toBe(viaUrl.refreshToken.reveal());
  });

  it("refuses to send the client secret to an accounts server that does not match the location", async () => {
    const sb = await sandbox();
    const err = await runZohoAuth({
      ...base(sb, "us", new Capture()),
      state: "s1",
      prompt: async () => "http://127.0.0.1:1/zoho/callback?state=s1&code=abc&location=us&accounts-server=https%3A%2F%2Faccounts.evil.example",
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZohoAuthError);
    expect((err as ZohoAuthError).code).toBe("zoho.auth.accounts_server_mismatch");
    expect(sb.calls.count("accounts.token")).toBe(0);
  });

  it("rejects a callback from another attempt (state mismatch) and a denied consent", async () => {
    const sb = await sandbox();
    const mismatch = await runZohoAuth({
      ...base(sb, "us", new Capture()),
      open: async (url) => {
        const loc = new URL(await consent(sb, url));
        loc.searchParams.set("state", "forged");
        await fetch(loc);
      },
    }).catch((e: unknown) => e);
    expect(mismatch).toMatchObject({ code: "zoho.auth.state_mismatch" });

    const denied = await runZohoAuth({
      ...base(sb, "us", new Capture()),
      open: async (url) => {
        const u = new URL(url);
        await fetch(`${u.searchParams.get("redirect_uri")}?state=${u.searchParams.get("state")}&error=access_denied`);
      },
    }).catch((e: unknown) => e);
    expect(denied).toMatchObject({ code: "zoho.auth.denied", message: "Zoho did not grant access: access_denied" });
  });

  it("explains a wrong data centre when the client is not registered where the account lives", async () => {
    const sb = await sandbox({ dcs: ["us", "eu"], clientDc: "us", partnerDc: "eu" });
    const err = (await runZohoAuth({
      ...base(sb, "us", new Capture()),
      open: async (url) => {
        await fetch(await consent(sb, url));
      },
    }).catch((e: unknown) => e)) as ZohoTokenError;
    expect(err).toBeInstanceOf(ZohoTokenError);
    expect(err.message).toContain("wrong data centre or credentials");
    expect(err.message).toContain('"eu"');
  });

  it("gives up after the wait", async () => {
    const sb = await sandbox();
    const err = await runZohoAuth({ ...base(sb, "us", new Capture()), waitMs: 100 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "zoho.auth.timeout" });
  });

  it("rejects an unknown region before listening", async () => {
    await expect(
      runZohoAuth({ region: "mars", clientId: new Secret("id-1234", "t"), clientSecret: new Secret("secret-1234", "t"), out: new Capture(), port: 0 }),
    ).rejects.toMatchObject({ code: "zoho.region.unknown" });
  });
});
