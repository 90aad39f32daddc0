import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";
import { useTestDatabase } from "../support/mariadb.js";
import { EXAMPLES } from "./harness.js";

const db = await useTestDatabase("sandbox_cli");

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** Run `reconcile sandbox …` in-process; `whileUp` runs once the URL is printed, then Ctrl-C. */
async function withSandbox(cwd: string, args: string[], whileUp: (url: string, stdout: string) => Promise<void>, port = "0") {
  let stdout = "";
  let stderr = "";
  let interrupt: () => void = () => undefined;
  const stopped = new Promise<void>((r) => (interrupt = r));
  let up: (url: string) => void = () => undefined;
  const ready = new Promise<string>((r) => (up = r));
  const io: CliIo = {
    stdout: {
      write: (c: string) => {
        stdout += c;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (m?.[1]) up(m[1]);
      },
    },
    stderr: { write: (c: string) => (stderr += c) },
    env: {},
    cwd,
    interactive: false,
    ask: async () => "",
    interrupted: () => stopped,
  };
  const done = main(["sandbox", "--port", port, ...args], io);
  const url = await Promise.race([ready, done.then((code) => Promise.reject(new Error(`sandbox exited ${code}: ${stderr}`)))]);
  try {
    await whileUp(url, stdout);
  } finally {
    interrupt();
  }
  return { code: await done, stdout, stderr };
}

async function groupNames(url: string, stdout: string): Promise<string[]> {
  const identifier = /WHMCS_API_IDENTIFIER=(\S+)/.exec(stdout)?.[1] ?? "";
  const secret = /WHMCS_API_SECRET=(\S+)/.exec(stdout)?.[1] ?? "";
  const res = await fetch(`${url}/includes/api.php`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ action: "ReconcileGetCatalog", identifier, secret, responsetype: "json" }),
  });
  const body = (await res.json()) as { result: string; groups: { name: string }[] };
  expect(body.result).toBe("success");
  return body.groups.map((g) => g.name).sort();
}

describe("reconcile sandbox", () => {
  it("prints its URL, credentials and a config snippet, keeps state between runs, and --reset starts over", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reconcile-sandbox-"));
    dirs.push(dir);
    const seed = join(EXAMPLES, "sandbox-seed.yaml");

    const first = await withSandbox(dir, ["--seed", seed], async (url, stdout) => {
      expect(stdout).toContain(`url: ${url}`);
      expect(stdout).toContain("catalogBackend: companion");
      const zoho = /sandboxUrl: (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      expect(zoho).toBeDefined();
      // The printed Zoho credentials mint a token at the sandbox's accounts server.
      const token = await fetch(`${zoho}/us/accounts/oauth/v2/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "refresh_token",
          client_id: /ZOHO_CLIENT_ID=(\S+)/.exec(stdout)?.[1] ?? "",
          client_secret: /ZOHO_CLIENT_SECRET=(\S+)/.exec(stdout)?.[1] ?? "",
          refresh_token: /ZOHO_REFRESH_TOKEN=(\S+)/.exec(stdout)?.[1] ?? "",
        }),
      });
      expect(((await token.json()) as { access_token?: string }).access_token).toBeTruthy();
      expect(await groupNames(url, stdout)).toEqual(["Business Email", "Web Hosting"]);
    });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("(new)");

    const second = await withSandbox(dir, [], async (url, stdout) => {
      expect(await groupNames(url, stdout)).toEqual(["Business Email", "Web Hosting"]);
    });
    expect(second.stdout).toContain("kept from the last run");

    await withSandbox(dir, ["--reset"], async (url, stdout) => {
      expect(await groupNames(url, stdout)).toEqual([]);
    });
  });

  it("refuses --seed on a kept state and reports an unreadable seed file clearly", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reconcile-sandbox-"));
    dirs.push(dir);
    await withSandbox(dir, [], async () => undefined);
    const io = (out: string[]): CliIo => ({
      stdout: { write: (c: string) => out.push(c) },
      stderr: { write: (c: string) => out.push(c) },
      env: {},
      cwd: dir,
      interactive: false,
      ask: async () => "",
      interrupted: () => Promise.resolve(),
    });
    const out1: string[] = [];
    expect(await main(["sandbox", "--port", "0", "--seed", join(EXAMPLES, "sandbox-seed.yaml")], io(out1))).toBe(1);
    expect(out1.join("")).toContain("--reset");
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "groups: [unclosed\n");
    const out2: string[] = [];
    expect(await main(["sandbox", "--port", "0", "--reset", "--seed", bad], io(out2))).toBe(3);
    expect(out2.join("")).toContain("sandbox.seed-invalid");
  });

  it("says in --help that it runs both WHMCS and Zoho, and names its options", async () => {
    const out: string[] = [];
    const io = quietIo(out, tmpdir());
    expect(await main(["--help"], io)).toBe(0);
    const help = out.join("");
    expect(help).toMatch(/sandbox\s+run the built-in WHMCS and Zoho sandboxes/);
    for (const option of ["--zoho-redirect-uri URI", "--database-url URL", "/__control"]) expect(help).toContain(option);
  });

  it("reports a taken port as the user's to fix, for WHMCS's port and Zoho's next to it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reconcile-sandbox-"));
    dirs.push(dir);
    const blocker = await occupy();
    try {
      const port = (blocker.address() as { port: number }).port;
      const out: string[] = [];
      expect(await main(["sandbox", "--port", String(port)], quietIo(out, dir))).toBe(1);
      expect(out.join("")).toContain(`error [sandbox.port-in-use]: port ${port} is in use; choose another with --port`);
      expect(out.join("")).not.toContain("bug in reconcile");
      const out2: string[] = [];
      expect(await main(["sandbox", "--port", String(port - 1)], quietIo(out2, dir))).toBe(1);
      expect(out2.join("")).toContain(`port ${port} (the Zoho sandbox's, --port + 1) is in use; choose another with --port`);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it("registers --zoho-redirect-uri so an outside client finishes Zoho's consent flow with its own redirect URI", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reconcile-sandbox-"));
    dirs.push(dir);
    const redirect = "http://127.0.0.1:9/callback";
    await expect(main(["sandbox", "--port", "0", "--zoho-redirect-uri", "not a url"], quietIo([], dir))).resolves.toBe(1);
    const run = await withSandbox(dir, ["--zoho-redirect-uri", redirect, "--zoho-redirect-uri", "https://app.example/oauth"], async (_url, stdout) => {
      const clientId = /ZOHO_CLIENT_ID=(\S+)/.exec(stdout)?.[1] ?? "";
      const clientSecret = /ZOHO_CLIENT_SECRET=(\S+)/.exec(stdout)?.[1] ?? "";
      expect(clientId).toMatch(/^1000\.[A-Z0-9]{30}$/);
      expect(clientSecret).toMatch(/^[0-9a-f]{42}$/);
      expect(/ZOHO_REFRESH_TOKEN=(\S+)/.exec(stdout)?.[1]).toMatch(/^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$/);
      expect(stdout).toContain(`OAuth redirect URIs: ${redirect}, https://app.example/oauth`);
      const consent = /OAuth consent: (\S+)/.exec(stdout)?.[1] ?? "";
      const scope = "ZohoMail.partner.organization.READ";
      const auth = await fetch(`${consent}?${new URLSearchParams({ response_type: "code", client_id: clientId, scope, redirect_uri: redirect, access_type: "offline", state: "s1" })}`, { redirect: "manual" });
      expect(auth.status).toBe(302);
      const back = new URL(auth.headers.get("location") ?? "");
      expect(`${back.origin}${back.pathname}`).toBe(redirect);
      expect(back.searchParams.get("state")).toBe("s1");
      const code = back.searchParams.get("code") ?? "";
      const server = back.searchParams.get("accounts-server") ?? "";
      const token = await fetch(`${server}/oauth/v2/token`, {
        method: "POST",
        body: new URLSearchParams({ grant_type: "authorization_code", client_id: clientId, client_secret: clientSecret, code, redirect_uri: redirect }),
      });
      const grant = (await token.json()) as { access_token?: string; refresh_token?: string };
      expect(grant.refresh_token).toMatch(/^1000\./);
      const zoho = /sandboxUrl: (\S+)/.exec(stdout)?.[1] ?? "";
      const org = await fetch(`${zoho}/us/mail/api/organization`, { headers: { Authorization: `Zoho-oauthtoken ${grant.access_token ?? ""}` } });
      expect(org.status).toBe(200);
      // Another redirect URI is refused.
      const other = await fetch(`${consent}?${new URLSearchParams({ response_type: "code", client_id: clientId, scope, redirect_uri: "http://127.0.0.1:9/other" })}`, { redirect: "manual" });
      expect(other.status).toBe(400);
    });
    expect(run.code).toBe(0);
    // The client and its URIs are kept with the state.
    await withSandbox(dir, [], async (_url, stdout) => {
      expect(stdout).toContain(`OAuth redirect URIs: ${redirect}`);
      expect(/ZOHO_CLIENT_ID=(\S+)/.exec(stdout)?.[1]).toBe(/ZOHO_CLIENT_ID=(\S+)/.exec(run.stdout)?.[1]);
    });
  });

  it("prints the loopback control endpoint, which switches a fault seen through the API", async () => {
    const dir = mkdtempSync(join(tmpdir(), "reconcile-sandbox-"));
    dirs.push(dir);
    await withSandbox(dir, [], async (url, stdout) => {
      const control = /Control \(loopback only[^)]*\): (\S+)/.exec(stdout)?.[1];
      expect(control).toBe(`${url}/__control`);
      const set = await fetch(`${control}/whmcs/faults`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ kind: "status", status: 503, times: 1 }) });
      expect(set.status).toBe(200);
      const failed = await fetch(`${url}/includes/api.php`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "action=WhmcsDetails&responsetype=json" });
      expect(failed.status).toBe(503);
      expect(((await (await fetch(control ?? "")).json()) as { whmcs: { faults: unknown[] } }).whmcs.faults).toEqual([]);
    });
  });

  describe.skipIf(!db.available)("on MariaDB", () => {
    it("keeps WHMCS's tables in the database --database-url names", async () => {
      const dir = mkdtempSync(join(tmpdir(), "reconcile-sandbox-"));
      dirs.push(dir);
      const u = new URL(db.url);
      if (db.password !== undefined) u.password = encodeURIComponent(db.password);
      const run = await withSandbox(dir, ["--database-url", u.toString(), "--reset", "--seed", join(EXAMPLES, "sandbox-seed.yaml")], async (url, stdout) => {
        expect(stdout).toContain(`State: MariaDB ${db.store().target} (new)`);
        expect(await groupNames(url, stdout)).toEqual(["Business Email", "Web Hosting"]);
      });
      expect(run.code).toBe(0);
      expect(run.stdout).not.toContain(db.password ?? "no password at all");
      expect((await db.store().select("tblproductgroups", {}, { columns: ["name"], orderBy: ["name"] })).map((r) => r["name"])).toEqual(["Business Email", "Web Hosting"]);
      await withSandbox(dir, ["--database-url", u.toString()], async (url, stdout) => {
        expect(stdout).toContain("kept from the last run");
        expect(await groupNames(url, stdout)).toEqual(["Business Email", "Web Hosting"]);
      });
    });
  });
});

function quietIo(out: string[], cwd: string): CliIo {
  return {
    stdout: { write: (c: string) => out.push(c) },
    stderr: { write: (c: string) => out.push(c) },
    env: {},
    cwd,
    interactive: false,
    ask: async () => "",
    interrupted: () => Promise.resolve(),
  };
}

/** A TCP listener holding a free port on 127.0.0.1. */
async function occupy(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return server;
}
