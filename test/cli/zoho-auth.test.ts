import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";
import { startZohoSandbox, type ZohoSandbox } from "../../src/sandbox/zoho/index.js";

let sandbox: ZohoSandbox | undefined;
let dir: string | undefined;
afterEach(async () => {
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  sandbox = undefined;
  dir = undefined;
});

const CONFIG = (zohoUrl: string) => `apiVersion: reconcile.zoho-whmcs/v1
kind: Config
manifests: ["*.yaml"]
whmcs:
  url: http://127.0.0.1:8080
  identifier: \${env:WHMCS_API_IDENTIFIER}
  secret: \${env:WHMCS_API_SECRET}
  catalogBackend: companion
  paymentMethod: banktransfer
zoho:
  region: us
  sandboxUrl: ${zohoUrl}
  clientId: \${env:ZOHO_CLIENT_ID}
  clientSecret: \${env:ZOHO_CLIENT_SECRET}
  refreshToken: \${env:ZOHO_REFRESH_TOKEN}
`;

/** Runs `reconcile zoho auth`, playing the user's browser: it follows the printed consent URL. */
async function authorize(args: string[]) {
  const sb = await startZohoSandbox({ switches: { rateLimitPerMinute: 0 } });
  sandbox = sb;
  dir = mkdtempSync(join(tmpdir(), "reconcile-zoho-auth-"));
  writeFileSync(join(dir, "reconcile.yaml"), CONFIG(sb.url));
  writeFileSync(join(dir, "catalog.yaml"), "apiVersion: reconcile.zoho-whmcs/v1\nkind: ProductGroup\nmetadata: { name: g }\nspec: { name: G }\n");
  let stdout = "";
  let stderr = "";
  let browsed: Promise<void> | undefined;
  const io: CliIo = {
    stdout: { write: (c: string) => (stdout += c) },
    stderr: {
      write: (c: string) => {
        stderr += c;
        const url = /(http:\/\/127\.0\.0\.1:\d+\/us\/accounts\/oauth\/v2\/auth\?\S+)/.exec(stderr)?.[1];
        if (url && !browsed) {
          browsed = (async () => {
            sb.state.addRedirectUri(new URL(url).searchParams.get("redirect_uri") ?? "");
            const consent = await fetch(url, { redirect: "manual" });
            await fetch(consent.headers.get("location") ?? "");
          })();
        }
      },
    },
    env: { ZOHO_CLIENT_ID: sb.partner.clientId, ZOHO_CLIENT_SECRET: sb.partner.clientSecret },
    cwd: dir,
    interactive: false,
    ask: async () => "",
    interrupted: () => new Promise(() => undefined),
  };
  const code = await main(["zoho", "auth", "--port", "0", ...args], io);
  await browsed;
  return { code, stdout, stderr, dir, sb };
}

describe("reconcile zoho auth", () => {
  it("writes a working refresh token to a 0600 file and prints no secret", async () => {
    const r = await authorize(["--token-file", "zoho-token.txt"]);
    expect(r.code).toBe(0);
    const file = join(r.dir, "zoho-token.txt");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const token = readFileSync(file, "utf8").trim();
    expect(token.length).toBeGreaterThan(10);
    expect(r.stdout).toContain("Store it as the secret ZOHO_REFRESH_TOKEN");
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toContain(token);
      expect(out).not.toContain(r.sb.partner.clientSecret);
    }
    // The token works: it mints an access token at the sandbox's accounts server.
    const res = await fetch(`${r.sb.baseUrl("us", "accounts")}/oauth/v2/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "refresh_token", client_id: r.sb.partner.clientId, client_secret: r.sb.partner.clientSecret, refresh_token: token }),
    });
    expect(((await res.json()) as { access_token?: string }).access_token).toBeTruthy();
  });

  it("needs to be told where the token goes", async () => {
    dir = mkdtempSync(join(tmpdir(), "reconcile-zoho-auth-"));
    const out: string[] = [];
    const io: CliIo = {
      stdout: { write: (c: string) => out.push(c) },
      stderr: { write: (c: string) => out.push(c) },
      env: {},
      cwd: dir,
      interactive: false,
      ask: async () => "",
      interrupted: () => Promise.resolve(),
    };
    expect(await main(["zoho", "auth"], io)).toBe(1);
    expect(out.join("")).toContain("--token-file FILE");
  });
});
