import { stringify } from "yaml";
import { compareCodeUnits } from "../core/canonical.js";
import { CYCLES, PRICE_KEYS, type PriceKey } from "../core/cycles.js";
import type { ConfigOptionGroupState, LiveCatalog, OptionState, PriceRow, Pricing } from "../model/catalog.js";

const API_VERSION = "reconcile.zoho-whmcs/v1";
const NAME_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const KEY_RE = /^[a-z0-9_][a-z0-9_-]*$/;

export interface DumpedCatalog {
  /** File name → YAML text (several documents each). */
  readonly files: Readonly<Record<string, string>>;
  readonly counts: { readonly productGroups: number; readonly configOptionGroups: number; readonly products: number };
  /** What could not be expressed, and why. */
  readonly warnings: readonly string[];
  /** WHMCS product id → the manifest name it was written under (customer orgs refer to products by it). */
  readonly productNames: Readonly<Record<string, string>>;
}

/** What the customer import learned about a product: the Zoho plan its paid orgs are on, and why. */
export interface ProductZohoPlan {
  /** Key of the config's `zoho.plans`; undefined when it could not be told. */
  readonly plan: string | undefined;
  /** Comment lines written above the product's document. */
  readonly comments: readonly string[];
}

export interface DumpCatalogOptions {
  /** Products' Zoho plans by WHMCS product id (`reconcile import --customers`). */
  readonly productPlans?: ReadonlyMap<string, ProductZohoPlan>;
}

/** A manifest name from a display name: lower case, letters, digits and '-', unique in its kind. */
function nameFor(ownedAs: string | undefined, display: string, taken: Set<string>): string {
  if (ownedAs !== undefined && NAME_RE.test(ownedAs) && !taken.has(ownedAs)) {
    taken.add(ownedAs);
    return ownedAs;
  }
  const base = display.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 56).replace(/-+$/, "") || "item";
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  taken.add(name);
  return name;
}

/** Manifest pricing: only what differs from the manifest's defaults (absent cycle = not offered / no charge). */
function pricingOf(pricing: Pricing, cycleDefault: "-1.00" | "0.00", rename?: Readonly<Partial<Record<PriceKey, string>>>): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const code of Object.keys(pricing).sort(compareCodeUnits)) {
    const row = pricing[code] as PriceRow;
    const cells: Record<string, string> = {};
    for (const key of PRICE_KEYS) {
      const value = row[key];
      const isCycle = (CYCLES as readonly string[]).includes(key);
      if (value === (isCycle ? cycleDefault : "0.00")) continue;
      const name = rename === undefined ? key : rename[key];
      if (name !== undefined) cells[name] = value;
    }
    if (Object.keys(cells).length > 0) out[code] = cells;
  }
  return out;
}

function optionDoc(o: OptionState): Record<string, unknown> {
  const doc: Record<string, unknown> = { key: o.key, label: o.label, type: o.type };
  if (o.type === "quantity") Object.assign(doc, { min: o.min, max: o.max });
  if (o.hidden) doc["hidden"] = true;
  const choices = Object.values(o.choices).sort((a, b) => a.order - b.order || compareCodeUnits(a.key, b.key));
  if (o.type === "quantity" || o.type === "yesno") {
    const unit = choices[0];
    if (unit !== undefined) {
      if (unit.label !== o.label) doc["unitLabel"] = unit.label;
      const pricing = pricingOf(unit.pricing, "0.00");
      if (Object.keys(pricing).length > 0) doc["pricing"] = pricing;
    }
  } else {
    doc["choices"] = choices.map((c) => {
      const choice: Record<string, unknown> = { key: c.key, label: c.label };
      if (c.hidden) choice["hidden"] = true;
      const pricing = pricingOf(c.pricing, "0.00");
      if (Object.keys(pricing).length > 0) choice["pricing"] = pricing;
      return choice;
    });
  }
  return doc;
}

/** Why an option group cannot be written as a manifest, if it cannot. */
function inexpressible(g: ConfigOptionGroupState): string | undefined {
  for (const o of Object.values(g.options)) {
    if (!KEY_RE.test(o.key)) return `option "${o.key}" has no manifest-safe key: name it "key|Label" in WHMCS (key: lower case, digits, _ or -)`;
    const choices = Object.values(o.choices);
    if ((o.type === "dropdown" || o.type === "radio") && choices.some((c) => !KEY_RE.test(c.key))) {
      return `a choice of option "${o.key}" has no manifest-safe key: name it "key|Label" in WHMCS`;
    }
    if ((o.type === "quantity" || o.type === "yesno") && choices.length !== 1) return `option "${o.key}" must have exactly one sub-option`;
  }
  return undefined;
}

/** Comment lines, each starting with `#`; line breaks inside a line become spaces. */
export function commentLines(lines: readonly string[]): string {
  return lines.map((l) => `${`# ${l.replace(/[\r\n]+/g, " ")}`.trimEnd()}\n`).join("");
}

function yamlDocs(docs: readonly object[], comments: readonly (readonly string[])[] = []): string {
  return `${docs.map((d, i) => `${commentLines(comments[i] ?? [])}${stringify(d, { lineWidth: 0 }).trimEnd()}`).join("\n---\n")}\n`;
}

/**
 * `reconcile import`: the zoho_mail part of a live WHMCS catalog as manifests (octoDNS's dump).
 * Planning the result against the same WHMCS adopts everything and changes nothing, except what the
 * manifest language normalises (option order, for one).
 */
export function dumpCatalog(live: LiveCatalog, module = "zoho_mail", options: DumpCatalogOptions = {}): DumpedCatalog {
  const warnings: string[] = [];
  const products = live.products.filter((p) => p.state.module === module).sort((a, b) => compareCodeUnits(a.state.name, b.state.name) || compareCodeUnits(a.remoteId, b.remoteId));
  const groupIds = new Set(products.map((p) => p.state.groupId));
  const optionIds = new Set(products.flatMap((p) => p.state.configOptionGroupIds));

  const groupNames = new Map<string, string>();
  const takenGroups = new Set<string>();
  const groupDocs = live.productGroups
    .filter((g) => groupIds.has(g.remoteId))
    .sort((a, b) => a.state.order - b.state.order || compareCodeUnits(a.state.name, b.state.name))
    .map((g) => {
      const name = nameFor(g.ownedAs, g.state.name, takenGroups);
      groupNames.set(g.remoteId, name);
      const s = g.state;
      return { apiVersion: API_VERSION, kind: "ProductGroup", metadata: { name }, spec: { name: s.name, headline: s.headline, tagline: s.tagline, hidden: s.hidden, order: s.order } };
    });

  const optionNames = new Map<string, string>();
  const takenOptions = new Set<string>();
  const optionDocs = live.configOptionGroups
    .filter((g) => optionIds.has(g.remoteId))
    .sort((a, b) => compareCodeUnits(a.state.name, b.state.name))
    .flatMap((g) => {
      const why = inexpressible(g.state);
      if (why !== undefined) {
        warnings.push(`configurable option group #${g.remoteId} "${g.state.name}" was left out: ${why}`);
        return [];
      }
      const name = nameFor(g.ownedAs, g.state.name, takenOptions);
      optionNames.set(g.remoteId, name);
      const options = Object.values(g.state.options).sort((a, b) => a.order - b.order || compareCodeUnits(a.key, b.key));
      return [{ apiVersion: API_VERSION, kind: "ConfigOptionGroup", metadata: { name }, spec: { name: g.state.name, description: g.state.description, options: options.map(optionDoc) } }];
    });

  const takenProducts = new Set<string>();
  const productNames: Record<string, string> = {};
  const productComments: string[][] = [];
  const productDocs = products.flatMap((p) => {
    const s = p.state;
    const group = groupNames.get(s.groupId);
    if (group === undefined) {
      warnings.push(`product #${p.remoteId} "${s.name}" was left out: its product group #${s.groupId} could not be read`);
      return [];
    }
    const linked = s.configOptionGroupIds.map((id) => optionNames.get(id));
    if (linked.some((n) => n === undefined)) warnings.push(`product #${p.remoteId} "${s.name}": links to option groups that were left out are not listed`);
    const spec: Record<string, unknown> = { group, name: s.name, description: s.description, type: s.type, payType: s.payType, hidden: s.hidden };
    const zoho = options.productPlans?.get(p.remoteId);
    if (zoho?.plan !== undefined) spec["zoho"] = { plan: zoho.plan };
    const groups = linked.filter((n): n is string => n !== undefined).sort(compareCodeUnits);
    if (groups.length > 0) spec["configOptionGroups"] = groups;
    if (s.payType !== "free") {
      spec["pricing"] = s.payType === "onetime" ? pricingOf(s.pricing, "-1.00", { monthly: "onetime", msetupfee: "setupfee" }) : pricingOf(s.pricing, "-1.00");
    }
    const name = nameFor(p.ownedAs, s.name, takenProducts);
    productNames[p.remoteId] = name;
    productComments.push([...(zoho?.comments ?? [])]);
    return [{ apiVersion: API_VERSION, kind: "Product", metadata: { name }, spec }];
  });

  if (productDocs.length > 0 && options.productPlans === undefined) {
    warnings.push("add spec.zoho.plan (the Zoho plan each product sells) before declaring customer orgs on the products");
  }
  const files: Record<string, string> = {};
  if (groupDocs.length > 0) files["groups.yaml"] = yamlDocs(groupDocs);
  if (optionDocs.length > 0) files["options.yaml"] = yamlDocs(optionDocs);
  if (productDocs.length > 0) files["products.yaml"] = yamlDocs(productDocs, productComments);
  return { files, counts: { productGroups: groupDocs.length, configOptionGroups: optionDocs.length, products: productDocs.length }, warnings, productNames };
}
