import { WhmcsSandboxError } from "./errors.js";
import type { SeedConfigGroup, SeedCurrency, SeedGroup, SeedProduct } from "./seed-catalog.js";

const OPTION_TYPES = ["dropdown", "radio", "yesno", "quantity"];
const PRODUCT_TYPES = ["hostingaccount", "reselleraccount", "server", "other"];
const PAY_TYPES = ["free", "onetime", "recurring"];

/** A seed problem, named by its path (`products[2].pricing.USD.monthly`). */
export function fail(path: string, message: string): never {
  throw new WhmcsSandboxError("seed.invalid", `seed catalog: ${path}: ${message}`, { details: { path } });
}

export interface CheckedSeed {
  readonly currencies: readonly SeedCurrency[];
  readonly groups: readonly SeedGroup[];
  readonly configGroups: readonly SeedConfigGroup[];
  readonly products: readonly SeedProduct[];
}

/** Shape checks on untyped input (a YAML file), with paths in the messages. */
export function checkSeed(seed: unknown): CheckedSeed {
  if (seed === null || typeof seed !== "object" || Array.isArray(seed)) fail("(root)", "expected a mapping");
  const root = seed as Record<string, unknown>;
  for (const k of Object.keys(root)) {
    if (!["currencies", "groups", "configGroups", "products"].includes(k)) fail(k, "unknown key (expected currencies, groups, configGroups, products)");
  }
  const list = (key: string): Record<string, unknown>[] => {
    const v = root[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) fail(key, "expected a list");
    return v.map((item, i) => {
      if (item === null || typeof item !== "object" || Array.isArray(item)) fail(`${key}[${i}]`, "expected a mapping");
      return item as Record<string, unknown>;
    });
  };
  const str = (o: Record<string, unknown>, k: string, path: string, required = false): void => {
    const v = o[k];
    if (v === undefined || (v === null && !required)) {
      if (required) fail(`${path}.${k}`, "is required");
      return;
    }
    if (typeof v !== "string" || (required && v === "")) fail(`${path}.${k}`, "expected a non-empty string");
  };
  const int = (o: Record<string, unknown>, k: string, path: string): void => {
    const v = o[k];
    if (v !== undefined && !(typeof v === "number" && Number.isInteger(v))) fail(`${path}.${k}`, "expected an integer");
  };
  const bool = (o: Record<string, unknown>, k: string, path: string): void => {
    const v = o[k];
    if (v !== undefined && typeof v !== "boolean") fail(`${path}.${k}`, "expected true or false");
  };
  const pricing = (o: Record<string, unknown>, path: string): void => {
    const v = o["pricing"];
    if (v === undefined) return;
    if (v === null || typeof v !== "object" || Array.isArray(v)) fail(`${path}.pricing`, "expected a mapping of currency code to prices");
    for (const [code, prices] of Object.entries(v)) {
      if (prices === null || typeof prices !== "object" || Array.isArray(prices)) fail(`${path}.pricing.${code}`, "expected a mapping of price key to amount");
    }
  };
  const refs = (items: Record<string, unknown>[], kind: string): void => {
    const seen = new Set<string>();
    for (const [i, item] of items.entries()) {
      const ref = String(item["ref"] ?? item["name"]);
      if (seen.has(ref)) fail(`${kind}[${i}].ref`, `duplicate ref "${ref}"`);
      seen.add(ref);
    }
  };

  const currencies = list("currencies");
  for (const [i, c] of currencies.entries()) {
    str(c, "code", `currencies[${i}]`, true);
    str(c, "prefix", `currencies[${i}]`);
    str(c, "suffix", `currencies[${i}]`);
    int(c, "format", `currencies[${i}]`);
    bool(c, "default", `currencies[${i}]`);
  }
  const groups = list("groups");
  for (const [i, g] of groups.entries()) {
    const path = `groups[${i}]`;
    str(g, "name", path, true);
    for (const k of ["ref", "slug", "headline", "tagline", "managedAs"]) str(g, k, path);
    bool(g, "hidden", path);
    int(g, "order", path);
  }
  refs(groups, "groups");
  const configGroups = list("configGroups");
  for (const [i, g] of configGroups.entries()) {
    const path = `configGroups[${i}]`;
    str(g, "name", path, true);
    for (const k of ["ref", "description", "managedAs"]) str(g, k, path);
    const options = g["options"];
    if (options === undefined) continue;
    if (!Array.isArray(options)) fail(`${path}.options`, "expected a list");
    for (const [oi, o] of options.entries()) {
      const opath = `${path}.options[${oi}]`;
      if (o === null || typeof o !== "object" || Array.isArray(o)) fail(opath, "expected a mapping");
      const opt = o as Record<string, unknown>;
      str(opt, "name", opath, true);
      if (!OPTION_TYPES.includes(String(opt["type"]))) fail(`${opath}.type`, "expected dropdown, radio, yesno or quantity");
      for (const k of ["min", "max", "order"]) int(opt, k, opath);
      bool(opt, "hidden", opath);
      const choices = opt["choices"];
      if (!Array.isArray(choices)) fail(`${opath}.choices`, "expected a list");
      if ((opt["type"] === "quantity" || opt["type"] === "yesno") && choices.length !== 1) {
        fail(`${opath}.choices`, "quantity and yes/no options need exactly one choice");
      }
      for (const [ci, c] of choices.entries()) {
        const cpath = `${opath}.choices[${ci}]`;
        if (c === null || typeof c !== "object" || Array.isArray(c)) fail(cpath, "expected a mapping");
        const ch = c as Record<string, unknown>;
        str(ch, "name", cpath, true);
        int(ch, "order", cpath);
        bool(ch, "hidden", cpath);
        pricing(ch, cpath);
      }
    }
  }
  refs(configGroups, "configGroups");
  const products = list("products");
  for (const [i, p] of products.entries()) {
    const path = `products[${i}]`;
    str(p, "name", path, true);
    str(p, "group", path, true);
    for (const k of ["ref", "slug", "description", "module", "managedAs"]) str(p, k, path);
    if (p["type"] !== undefined && !PRODUCT_TYPES.includes(String(p["type"]))) fail(`${path}.type`, `expected one of ${PRODUCT_TYPES.join(", ")}`);
    if (p["payType"] !== undefined && !PAY_TYPES.includes(String(p["payType"]))) fail(`${path}.payType`, `expected one of ${PAY_TYPES.join(", ")}`);
    for (const k of ["hidden", "retired"]) bool(p, k, path);
    int(p, "order", path);
    pricing(p, path);
    const cg = p["configGroups"];
    if (cg !== undefined && !(Array.isArray(cg) && cg.every((x) => typeof x === "string"))) fail(`${path}.configGroups`, "expected a list of config group refs");
    const fields = p["customFields"];
    if (fields !== undefined) {
      if (!Array.isArray(fields)) fail(`${path}.customFields`, "expected a list");
      for (const [fi, f] of fields.entries()) {
        const fpath = `${path}.customFields[${fi}]`;
        if (f === null || typeof f !== "object" || Array.isArray(f)) fail(fpath, "expected a mapping");
        const field = f as Record<string, unknown>;
        str(field, "name", fpath, true);
        str(field, "description", fpath);
        str(field, "fieldType", fpath);
        for (const k of ["required", "showOnOrder", "adminOnly"]) bool(field, k, fpath);
      }
    }
  }
  refs(products, "products");
  return {
    currencies: currencies as unknown as SeedCurrency[],
    groups: groups as unknown as SeedGroup[],
    configGroups: configGroups as unknown as SeedConfigGroup[],
    products: products as unknown as SeedProduct[],
  };
}
