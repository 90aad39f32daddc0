import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { applyPlan, memoryJournal } from "../apply/index.js";
import { silentLogger } from "../core/log.js";
import { Secret } from "../core/secrets.js";
import { loadProject } from "../manifest/index.js";
import { computePlan } from "../plan/index.js";
import { canonicalJson } from "../core/canonical.js";
import { createCatalogProvider, createWhmcsClient } from "../providers/whmcs/index.js";
import { renderJson, renderMarkdown, renderText } from "../render/index.js";
import { seedCatalog, startWhmcsSandbox, type SeedCatalog } from "../sandbox/whmcs/index.js";

export type Measure<F> = (name: string, n: number, fn: () => Promise<Record<string, number | string> | void>) => Promise<F>;

/** A large catalog: `groups` groups, each with products and a quantity + dropdown option group. */
export function bigCatalogSeedAndManifests(groups: number, productsPerGroup: number): { seed: SeedCatalog; manifests: string } {
  const docs: string[] = [];
  for (let g = 0; g < groups; g++) {
    docs.push(`apiVersion: reconcile.zoho-whmcs/v1
kind: ProductGroup
metadata: { name: group-${g} }
spec: { name: Group ${g}, headline: Headline ${g}, tagline: Tagline ${g}, hidden: false, order: ${g} }
---
apiVersion: reconcile.zoho-whmcs/v1
kind: ConfigOptionGroup
metadata: { name: options-${g} }
spec:
  name: Options ${g}
  description: Options of group ${g}
  options:
    - { key: mailboxes, label: Mailboxes, type: quantity, min: 1, max: 0, pricing: { USD: { monthly: "1.00", annually: "12.00" }, EUR: { monthly: "0.95", annually: "11.40" } } }
    - key: storage
      label: Storage
      type: dropdown
      choices:
        - { key: none, label: None }
        - { key: s50, label: 50 GB, pricing: { USD: { monthly: "1.00" }, EUR: { monthly: "0.95" } } }
`);
    for (let p = 0; p < productsPerGroup; p++) {
      docs.push(`apiVersion: reconcile.zoho-whmcs/v1
kind: Product
metadata: { name: product-${g}-${p} }
spec:
  group: group-${g}
  name: Product ${g}-${p}
  description: Product ${p} of group ${g}
  zoho: { plan: mail-lite }
  configOptionGroups: [options-${g}]
  pricing: { USD: { annually: "${p}.00" }, EUR: { annually: "${p}.50" } }
`);
    }
  }
  return { seed: { currencies: [{ code: "EUR", prefix: "€", suffix: " EUR", rate: "0.9" }] }, manifests: docs.join("---\n") };
}

/** A 500-resource catalog (50 groups of 8 products): plan against an empty WHMCS, render, apply, then a no-change plan. */
export async function benchCatalog<F>(work: string, examples: string, measure: Measure<F>): Promise<F[]> {
  const figures: F[] = [];
  const { seed, manifests } = bigCatalogSeedAndManifests(50, 8);
  const dir = join(work, "catalog");
  cpSync(examples, dir, { recursive: true });
  writeFileSync(join(dir, "reconcile.yaml"), readFileSync(join(dir, "reconcile.yaml"), "utf8").replace(', "customers/**/*.yaml"', ""));
  rmSync(join(dir, "catalog"), { recursive: true });
  rmSync(join(dir, "customers"), { recursive: true });
  mkdirSync(join(dir, "catalog"));
  writeFileSync(join(dir, "catalog", "big.yaml"), manifests);
  const project = await loadProject(join(dir, "reconcile.yaml"));
  const sandbox = await startWhmcsSandbox({ switches: { companion: true } });
  try {
    await seedCatalog(sandbox.store, seed);
    const client = createWhmcsClient({ url: sandbox.url, identifier: new Secret(sandbox.credentials.identifier, "bench"), secret: new Secret(sandbox.credentials.secret, "bench") });
    const provider = createCatalogProvider({ client, backend: "companion" });
    const resources = project.catalog.productGroups.length + project.catalog.configOptionGroups.length + project.catalog.products.length;
    let live = await provider.readCatalog();
    const target = { whmcs: sandbox.url, catalogBackend: "companion" };
    const firstStart = performance.now();
    let plan = computePlan({ desired: project.catalog, live, backend: "companion", target });
    const firstMs = performance.now() - firstStart;
    // The mean of ten runs after five untimed ones (one run is too short to time on a busy machine,
    // and the first runs also pay for compiling the code); the process's first run is shown apart.
    const tenRuns = (first?: number): Record<string, number> => {
      for (let i = 0; i < 5; i++) plan = computePlan({ desired: project.catalog, live, backend: "companion", target });
      const t0 = performance.now();
      for (let i = 0; i < 10; i++) plan = computePlan({ desired: project.catalog, live, backend: "companion", target });
      const round = (ms: number): number => Math.round(ms * 10) / 10;
      return {
        runs: 10,
        "ms a run": round((performance.now() - t0) / 10),
        ...(first !== undefined ? { "first run ms": round(first) } : {}),
        "plan JSON bytes": canonicalJson(plan).length,
      };
    };
    figures.push(await measure("computePlan (empty WHMCS), 10 runs", resources, async () => tenRuns(firstMs)));
    figures.push(await measure("render text + markdown + json", plan.changes.length, async () => {
      const sizes = { text: renderText(plan).length, markdown: renderMarkdown(plan).length, json: renderJson(plan).length };
      return sizes;
    }));
    figures.push(await measure("apply (companion, sandbox over loopback)", resources, async () => {
      const writer = provider.writer;
      if (!writer) throw new Error("no writer");
      const report = await applyPlan({ plan, currencies: live.currencies, writer, journal: memoryJournal(), logger: silentLogger() });
      return { succeeded: report.summary.succeeded, failed: report.summary.failed };
    }));
    sandbox.calls.reset();
    figures.push(await measure("read live catalog + no-change plan", resources, async () => {
      live = await provider.readCatalog();
      plan = computePlan({ desired: project.catalog, live, backend: "companion", target });
      return { whmcsCalls: sandbox.calls.total(), changes: plan.changes.filter((c) => c.action !== "noop").length };
    }));
    figures.push(await measure("computePlan (no change), 10 runs", resources, async () => tenRuns()));
  } finally {
    await sandbox.close();
  }

  return figures;
}
