import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { CliIo } from "../../src/cli/io.js";
import { EXAMPLES } from "./harness.js";

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** Run `reconcile sandbox …` in-process; `whileUp` runs once the URL is printed, then Ctrl-C. */
async function withSandbox(cwd: string, args: string[], whileUp: (url: string, stdout: string) => Promise<void>) {
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
  const done = main(["sandbox", "--port", "0", ...args], io);
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
});
