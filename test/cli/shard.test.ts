import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { shardOf } from "../../src/core/shard.js";
import { exampleProject, runCli, type Project } from "./harness.js";

let project: Project | undefined;
afterEach(async () => {
  await project?.close();
  project = undefined;
});

function org(i: number): string {
  return `apiVersion: reconcile.zoho-whmcs/v1
kind: CustomerOrg
metadata: { name: shop-${i} }
spec:
  client:
    email: owner@shop-${i}.example
    firstName: Owner
    lastName: Shop${i}
    address: { line1: ${i} High St, city: Leeds, state: West Yorkshire, postcode: LS1 1AA, country: GB }
    phone: "+44.11300000${String(i).padStart(2, "0")}"
  domain: shop-${i}.example
  product: mail-lite
  billingCycle: annually
  mailboxes: ${2 + i}
  plan: { type: paid }
`;
}

interface PlanJson {
  readonly changes: readonly { kind: string; key: string; action: string }[];
  readonly unmanaged: readonly { kind: string }[];
  readonly target: { shard?: string };
}

describe("reconcile --shard", () => {
  it("splits customer orgs by client across shards; only shard 1 applies the catalog; together they converge", async () => {
    const p = (project = await exampleProject());
    writeFileSync(join(p.dir, "customers", "shops.yaml"), Array.from({ length: 12 }, (_, i) => org(i)).join("---\n"));
    const env = p.env;
    const planOf = async (args: string[]) => JSON.parse((await runCli(p.dir, ["plan", "-f", "json", ...args], { env })).stdout) as PlanJson;

    const whole = await planOf([]);
    const allOrgs = whole.changes.filter((c) => c.kind === "CustomerOrg").map((c) => c.key).sort();
    expect(allOrgs).toHaveLength(14);
    const shards = await Promise.all([1, 2, 3].map((i) => planOf(["--shard", `${i}/3`])));
    const perShard = shards.map((s) => s.changes.filter((c) => c.kind === "CustomerOrg").map((c) => c.key));
    expect(perShard.flat().sort()).toEqual(allOrgs);
    expect(new Set(perShard.flat()).size).toBe(allOrgs.length);
    expect(perShard.every((keys) => keys.length > 0)).toBe(true);
    expect(shards.map((s) => s.target.shard)).toEqual(["1/3", "2/3", "3/3"]);
    // Every shard sees the same catalog changes.
    for (const s of shards) expect(s.changes.filter((c) => c.kind !== "CustomerOrg")).toEqual(whole.changes.filter((c) => c.kind !== "CustomerOrg"));

    const early = await runCli(p.dir, ["--yes", "--shard", "2/3"], { env });
    expect(early.code).toBe(4);
    expect(early.stderr).toContain("apply.catalog-in-shard");
    expect(p.zoho.state.orgs()).toHaveLength(0);

    for (const i of [1, 2, 3]) {
      const r = await runCli(p.dir, ["--yes", "--shard", `${i}/3`], { env });
      expect(r.code, r.stderr).toBe(0);
    }
    const after = await runCli(p.dir, ["plan", "--detailed-exitcode", "-f", "json"], { env });
    expect(after.code).toBe(0);
    // Other shards' orgs are never reported as unmanaged.
    for (const i of [1, 2, 3]) expect((await planOf(["--shard", `${i}/3`])).unmanaged.filter((u) => u.kind === "CustomerOrg")).toEqual([]);
    expect(p.zoho.state.orgs()).toHaveLength(14);
  });

  it("places a name in the same shard every time, and rejects malformed shards", async () => {
    expect(shardOf("owner@shop-1.example", 4)).toBe(shardOf("owner@shop-1.example", 4));
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 400; i++) counts[shardOf(`owner@shop-${i}.example`, 4)] = (counts[shardOf(`owner@shop-${i}.example`, 4)] ?? 0) + 1;
    for (const c of counts) expect(c).toBeGreaterThan(60);
    const p = (project = await exampleProject());
    for (const bad of ["0/3", "4/3", "1/0", "x", "1/3/2"]) {
      const r = await runCli(p.dir, ["plan", "--shard", bad], { env: p.env });
      expect(r.code, bad).toBe(1);
      expect(r.stderr).toContain("--shard must be I/N");
    }
  });
});
