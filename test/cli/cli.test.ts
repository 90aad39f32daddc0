import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterEach, describe, expect, it } from "vitest";
import { exampleProject, runCli, type Project } from "./harness.js";

const planSchema = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "schemas", "plan.schema.json"), "utf8")) as object;

let project: Project | undefined;
afterEach(async () => {
  await project?.close();
  project = undefined;
});

async function open(options: Parameters<typeof exampleProject>[0] = {}): Promise<Project> {
  project = await exampleProject(options);
  return project;
}

function writes(p: Project): number {
  const whmcs = ["ReconcileUpsertProductGroup", "ReconcileUpsertConfigGroup", "ReconcileUpsertProduct", "AddClient", "AddOrder", "AcceptOrder", "UpdateClientProduct"];
  return whmcs.reduce((n, a) => n + p.sandbox.calls.count(a), 0) + p.zoho.state.orgs().length;
}

describe("reconcile CLI", () => {
  it("validate reports a valid project without touching WHMCS and without secrets", async () => {
    const p = await open();
    const r = await runCli(p.dir, ["validate"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK: reconcile\.yaml and 5 manifest file\(s\) are valid: 2 product group\(s\), 3 option group\(s\), 3 product\(s\), 2 customer org\(s\)/);
    expect(p.sandbox.calls.total()).toBe(0);
  });

  it("validate exits 3 with file:line:col for an invalid manifest", async () => {
    const p = await open();
    const file = join(p.dir, "catalog", "products.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("group: workplace", "group: no-such-group"));
    const r = await runCli(p.dir, ["validate"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/catalog\/products\.yaml:\d+:\d+/);
    expect(r.stderr).toContain("no-such-group");
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("--dry-run --format json prints a plan that validates against schemas/plan.schema.json", async () => {
    const p = await open();
    const r = await runCli(p.dir, ["--dry-run", "--format", "json", "--detailed-exitcode"], { env: p.env });
    expect(r.code).toBe(2);
    const plan = JSON.parse(r.stdout) as { checksum: string; summary: Record<string, number> };
    const ajv = new Ajv({ strict: true, allErrors: true });
    const validate = ajv.compile(planSchema);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(validate(plan)).toBe(true);
    expect(plan.summary).toMatchObject({ create: 5, update: 2, adopt: 1, noop: 2 });
    expect(writes(p)).toBe(0);
  });

  it("--out writes the same plan JSON the json format prints", async () => {
    const p = await open();
    const r = await runCli(p.dir, ["plan", "--format", "json", "--out", "out/plan.json"], { env: p.env });
    expect(r.code).toBe(0);
    expect(readFileSync(join(p.dir, "out", "plan.json"), "utf8")).toBe(r.stdout);
  });

  it("refuses to apply without --yes off a terminal, and writes nothing", async () => {
    const p = await open();
    const r = await runCli(p.dir, [], { env: p.env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("apply.needs-confirmation");
    expect(writes(p)).toBe(0);
  });

  it("asks on a terminal and applies nothing unless the answer is 'yes'", async () => {
    const p = await open();
    const no = await runCli(p.dir, [], { env: p.env, interactive: true, answer: "y" });
    expect(no.code).toBe(0);
    expect(no.stderr).toContain("Only 'yes' is accepted");
    expect(writes(p)).toBe(0);
    const yes = await runCli(p.dir, [], { env: p.env, interactive: true, answer: "yes" });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain("Apply complete: 8 applied");
  });

  it("applies only the reviewed plan: a checksum mismatch exits 4 and writes nothing", async () => {
    const p = await open();
    const reviewed = JSON.parse((await runCli(p.dir, ["plan", "-f", "json"], { env: p.env })).stdout) as { checksum: string };
    const wrong = `sha256:${"0".repeat(64)}`;
    const refused = await runCli(p.dir, ["--yes", "--plan-checksum", wrong], { env: p.env });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain("apply.checksum-mismatch");
    expect(writes(p)).toBe(0);

    const applied = await runCli(p.dir, ["--yes", "--plan-checksum", reviewed.checksum], { env: p.env });
    expect(applied.code).toBe(0);
    const again = await runCli(p.dir, ["--dry-run", "--detailed-exitcode"], { env: p.env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No changes.");
  });

  it("asks Zoho to verify pending domains on an apply run even when nothing else changes, then records it", async () => {
    const p = await open();
    expect((await runCli(p.dir, ["--yes"], { env: p.env })).code).toBe(0);
    const plan = JSON.parse((await runCli(p.dir, ["plan", "-f", "json"], { env: p.env })).stdout) as {
      pending: { domain: string; record: { name: string; value: string } | null }[];
      summary: Record<string, number>;
    };
    expect(plan.pending.map((i) => i.domain).sort()).toEqual(["acme.example", "globex.example"]);
    // The customer publishes acme's record only.
    const acme = plan.pending.find((i) => i.domain === "acme.example")?.record;
    expect(acme?.value).toBe("zmverify.zoho.com");
    p.zoho.state.dns.addCname(acme?.name ?? "", "zmverify.zoho.com");

    const run = await runCli(p.dir, ["--yes"], { env: p.env });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ verified acme\.example/);
    expect(run.stdout).toMatch(/· pending {2}globex\.example/);
    // The next plan records the verification in WHMCS; after that only globex waits.
    expect((await runCli(p.dir, ["--yes"], { env: p.env })).code).toBe(0);
    const last = JSON.parse((await runCli(p.dir, ["plan", "-f", "json", "--detailed-exitcode"], { env: p.env })).stdout) as { pending: { domain: string }[] };
    expect(last.pending.map((i) => i.domain)).toEqual(["globex.example"]);
  });

  it("a partial failure exits 5, stops dependents, and the next run finishes the job without duplicates", async () => {
    const p = await open();
    p.sandbox.faults.failNext(1, { action: "ReconcileUpsertConfigGroup", fault: { kind: "status", status: 503 } });
    const first = await runCli(p.dir, ["--yes"], { env: p.env });
    expect(first.code).toBe(5);
    expect(first.stdout).toContain("Apply PARTIALLY FAILED");
    expect(first.stdout).toMatch(/not executed: depends on failed ConfigOptionGroup\//);

    const second = await runCli(p.dir, ["--yes"], { env: p.env });
    expect(second.code).toBe(0);
    const third = await runCli(p.dir, ["plan", "--detailed-exitcode"], { env: p.env });
    expect(third.code).toBe(0);
    const groups = await p.sandbox.store.select("tblproductconfiggroups");
    expect(groups.map((g) => g["name"]).sort()).toEqual(["Mail Lite options", "Mail Premium options", "Workplace options"]);
  });

  it("a create whose response is lost is not duplicated by the next run", async () => {
    const p = await open();
    // The write commits, then the client sees a 502: the worst case for a naive retry.
    p.sandbox.faults.add({ action: "ReconcileUpsertProductGroup", phase: "after", times: 1, fault: { kind: "status", status: 502 } });
    const first = await runCli(p.dir, ["--yes"], { env: p.env });
    expect(first.code).toBe(5);
    const second = await runCli(p.dir, ["--yes"], { env: p.env });
    expect(second.code).toBe(0);
    const groups = await p.sandbox.store.select("tblproductgroups", { name: "Zoho Workplace" });
    expect(groups).toHaveLength(1);
    expect((await runCli(p.dir, ["plan", "--detailed-exitcode"], { env: p.env })).code).toBe(0);
  });

  it("the safety policy refuses a plan that touches a protected resource (exit 4), even with --force", async () => {
    const p = await open();
    const cfg = join(p.dir, "reconcile.yaml");
    writeFileSync(cfg, readFileSync(cfg, "utf8").replace("protect: []", 'protect: ["Product/mail-premium"]'));
    for (const args of [["--dry-run"], ["--yes", "--force"]]) {
      const r = await runCli(p.dir, args, { env: p.env });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain("Product/mail-premium");
    }
    expect(writes(p)).toBe(0);
  });

  it("names a missing environment variable, never a value", async () => {
    const p = await open();
    const r = await runCli(p.dir, ["--dry-run"], { env: { WHMCS_API_IDENTIFIER: p.env["WHMCS_API_IDENTIFIER"] } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("WHMCS_API_SECRET");
    expect(r.stderr).not.toContain(p.env["WHMCS_API_IDENTIFIER"] as string);
  });

  it("usage errors exit 1 with a hint", async () => {
    const p = await open();
    const r = await runCli(p.dir, ["frobnicate"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown command");
    expect(r.stderr).toContain("reconcile --help");
    const bad = await runCli(p.dir, ["--format", "yaml", "--dry-run"]);
    expect(bad.code).toBe(1);
  });

  it("never prints a secret, in any output, at any log level, whatever happens", async () => {
    const p = await open({ accessKey: true });
    const outputs: string[] = [];
    const run = async (args: string[]) => {
      const r = await runCli(p.dir, [...args, "--log-level", "trace"], { env: p.env });
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    await run(["--dry-run", "-f", "json"]);
    await run(["--dry-run", "-f", "markdown"]);
    p.sandbox.faults.failNext(1, { action: "ReconcileUpsertProduct", fault: { kind: "html" } });
    await run(["--yes"]);
    p.sandbox.faults.failNext(3, { fault: { kind: "status", status: 503 } });
    await run(["--dry-run"]);
    await run(["--yes"]);
    // Wrong credentials: the error comes back from WHMCS.
    const wrong = { ...p.env, WHMCS_API_SECRET: `${p.env["WHMCS_API_SECRET"]}-wrong` };
    const denied = await runCli(p.dir, ["--dry-run", "--log-level", "trace"], { env: wrong });
    outputs.push(denied.stdout, denied.stderr);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain("Authentication Failed");
    expect(outputs.join("").length).toBeGreaterThan(1000);
    for (const secret of [...p.secrets, `${p.env["WHMCS_API_SECRET"]}-wrong`]) {
      for (const out of outputs) expect(out).not.toContain(secret);
    }
  });
});
