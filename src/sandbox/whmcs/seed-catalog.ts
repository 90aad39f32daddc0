import { PRICE_KEYS, type PriceKey } from "../../core/cycles.js";
import { toMoneyOrUndefined } from "../../core/money.js";
import { LEDGER_TABLE } from "./actions/companion/ledger.js";
import { fillPrices, replacePricing } from "./catalog/pricing.js";
import { slugify, uniqueSlug } from "./catalog/slug.js";
import { completeRow, intOf, sqlDateTime, textOf } from "./rows.js";
import { checkSeed, fail } from "./seed-check.js";
import type { WhmcsStore } from "./store.js";

/**
 * A starting catalog for the sandbox, as plain JSON or YAML (the demo, `reconcile sandbox
 * --seed FILE`, tests). It describes what an existing WHMCS already sells, written as WHMCS
 * stores it (names are stored verbatim, option names in their `key|Label` form).
 *
 * ```yaml
 * currencies:                      # optional; USD (id 1) is always there
 *   - { code: EUR, prefix: "€", suffix: " EUR", format: 3, rate: "0.90000" }
 * groups:
 *   - ref: email                   # seed-local handle; defaults to the name
 *     name: Business Email
 *     headline: Email on your own domain
 *     tagline: Powered by Zoho Mail
 *     hidden: false
 *     order: 1
 *     managedAs: business-email    # optional: ledger row, as if the tool owned it
 * configGroups:
 *   - ref: lite-options
 *     name: Mail Lite options
 *     description: Mailboxes for Zoho Mail Lite
 *     options:
 *       - name: "mailboxes|Mailboxes"        # tblproductconfigoptions.optionname, as stored
 *         type: quantity                     # dropdown | radio | yesno | quantity
 *         min: 1
 *         max: 0
 *         choices:                           # quantity/yes-no: exactly one
 *           - name: Mailbox                  # tblproductconfigoptionssub.optionname, as stored
 *             pricing: { USD: { monthly: "1.00", annually: "12.00" } }   # missing keys and currencies "0.00"
 * products:
 *   - ref: lite
 *     group: email                           # a group ref
 *     name: Zoho Mail Lite
 *     description: Ad-free business email
 *     type: other                            # hostingaccount | reselleraccount | server | other
 *     payType: recurring                     # free | onetime | recurring
 *     module: zoho_mail                      # default zoho_mail
 *     hidden: false
 *     retired: false
 *     order: 0
 *     configGroups: [lite-options]           # configGroup refs
 *     pricing: { USD: { annually: "10.00" } }  # by currency code; cycles not given (and currencies
 *                                              # not given) "-1.00", setup fees "0.00"
 *     customFields:
 *       - { name: ZOID, description: Zoho org id, showOnOrder: false, adminOnly: true }
 *     managedAs: mail-lite
 * ```
 */
export interface SeedCatalog {
  readonly currencies?: readonly SeedCurrency[];
  readonly groups?: readonly SeedGroup[];
  readonly configGroups?: readonly SeedConfigGroup[];
  readonly products?: readonly SeedProduct[];
}

export interface SeedCurrency {
  readonly code: string;
  readonly prefix?: string;
  readonly suffix?: string;
  /** WHMCS display format 1..4. */
  readonly format?: number;
  readonly rate?: string | number;
  readonly default?: boolean;
}

/** Money per currency code per price key (`monthly`, `asetupfee`, …). */
export type SeedPricing = Readonly<Record<string, Readonly<Partial<Record<PriceKey, string | number>>>>>;

export interface SeedGroup {
  readonly ref?: string;
  readonly name: string;
  readonly slug?: string;
  readonly headline?: string | null;
  readonly tagline?: string | null;
  readonly hidden?: boolean;
  readonly order?: number;
  /** Record this row in the ownership ledger under this resource name. */
  readonly managedAs?: string;
}

export interface SeedChoice {
  readonly name: string;
  readonly order?: number;
  readonly hidden?: boolean;
  readonly pricing?: SeedPricing;
}

export interface SeedOption {
  readonly name: string;
  readonly type: "dropdown" | "radio" | "yesno" | "quantity";
  readonly min?: number;
  readonly max?: number;
  readonly order?: number;
  readonly hidden?: boolean;
  readonly choices: readonly SeedChoice[];
}

export interface SeedConfigGroup {
  readonly ref?: string;
  readonly name: string;
  readonly description?: string;
  readonly options?: readonly SeedOption[];
  readonly managedAs?: string;
}

export interface SeedCustomField {
  readonly name: string;
  readonly description?: string;
  /** `text` unless given. */
  readonly fieldType?: string;
  readonly required?: boolean;
  /** Default true: GetProducts returns only fields shown on the order form. */
  readonly showOnOrder?: boolean;
  readonly adminOnly?: boolean;
}

export interface SeedProduct {
  readonly ref?: string;
  /** A group `ref` (or name) from the same seed, or an existing group name. */
  readonly group: string;
  readonly name: string;
  readonly slug?: string;
  readonly description?: string;
  readonly type?: "hostingaccount" | "reselleraccount" | "server" | "other";
  readonly payType?: "free" | "onetime" | "recurring";
  readonly module?: string;
  readonly hidden?: boolean;
  readonly retired?: boolean;
  readonly order?: number;
  readonly configGroups?: readonly string[];
  readonly pricing?: SeedPricing;
  readonly customFields?: readonly SeedCustomField[];
  readonly managedAs?: string;
}

/** Ids the seed received, by ref. */
export interface SeededCatalog {
  readonly groups: Readonly<Record<string, number>>;
  readonly products: Readonly<Record<string, number>>;
  readonly configGroups: Readonly<
    Record<string, { readonly id: number; readonly options: Readonly<Record<string, { readonly id: number; readonly choices: Readonly<Record<string, number>> }>> }>
  >;
}

const OPTION_TYPE_CODE = { dropdown: "1", radio: "2", yesno: "3", quantity: "4" } as const;

/**
 * Load `seed` into the store in one transaction. Input is checked first; any problem is a
 * `sandbox.whmcs.seed.invalid` error naming the path (`products[2].pricing.USD.monthly`).
 */
export async function seedCatalog(store: WhmcsStore, seed: SeedCatalog, now: Date = new Date()): Promise<SeededCatalog> {
  const checked = checkSeed(seed);
  const stamp = sqlDateTime(now);
  return store.transaction(async (tx) => {
    for (const [i, c] of checked.currencies.entries()) {
      if ((await tx.count("tblcurrencies", { code: c.code })) > 0) continue;
      if (c.default === true) await tx.update("tblcurrencies", {}, { default: 0 });
      const rate = c.rate === undefined ? "1.00000" : String(c.rate);
      if (!/^\d+(\.\d+)?$/.test(rate)) fail(`currencies[${i}].rate`, "must be a positive decimal");
      await tx.insert("tblcurrencies", {
        code: c.code,
        prefix: c.prefix ?? "",
        suffix: c.suffix ?? ` ${c.code}`,
        format: c.format ?? 1,
        rate,
        default: c.default === true ? 1 : 0,
      });
    }
    const currencyIds = new Map((await tx.select("tblcurrencies")).map((c) => [textOf(c, "code"), intOf(c, "id")]));
    const currencyId = (code: string, path: string): number => currencyIds.get(code) ?? fail(path, `unknown currency code "${code}"`);

    const groups: Record<string, number> = {};
    for (const g of checked.groups) {
      const id = await tx.insert(
        "tblproductgroups",
        completeRow("tblproductgroups", {
          name: g.name,
          slug: g.slug ?? (await uniqueSlug(tx, "tblproductgroups", slugify(g.name, "group"))),
          headline: g.headline === undefined ? "" : g.headline,
          tagline: g.tagline === undefined ? "" : g.tagline,
          hidden: g.hidden === true ? 1 : 0,
          order: g.order ?? 0,
          created_at: stamp,
          updated_at: stamp,
        }),
      );
      groups[g.ref ?? g.name] = id;
      if (g.managedAs !== undefined) await ledger(tx, "ProductGroup", g.managedAs, id, stamp);
    }

    const configGroups: Record<string, { id: number; options: Record<string, { id: number; choices: Record<string, number> }> }> = {};
    for (const [gi, g] of checked.configGroups.entries()) {
      const id = await tx.insert("tblproductconfiggroups", { name: g.name, description: g.description ?? "" });
      const options: Record<string, { id: number; choices: Record<string, number> }> = {};
      for (const [oi, o] of (g.options ?? []).entries()) {
        const optionId = await tx.insert(
          "tblproductconfigoptions",
          completeRow("tblproductconfigoptions", {
            gid: id,
            optionname: o.name,
            optiontype: OPTION_TYPE_CODE[o.type],
            qtyminimum: o.min ?? 0,
            qtymaximum: o.max ?? 0,
            order: o.order ?? oi,
            hidden: o.hidden === true ? 1 : 0,
          }),
        );
        const choices: Record<string, number> = {};
        for (const [ci, c] of o.choices.entries()) {
          const subId = await tx.insert(
            "tblproductconfigoptionssub",
            completeRow("tblproductconfigoptionssub", { configid: optionId, optionname: c.name, sortorder: c.order ?? ci, hidden: c.hidden === true ? 1 : 0 }),
          );
          choices[c.name] = subId;
          // Like the admin area, every currency gets a row; unpriced ones cost nothing.
          const given = new Map(
            Object.entries(c.pricing ?? {}).map(([code, prices]) => {
              const path = `configGroups[${gi}].options[${oi}].choices[${ci}].pricing.${code}`;
              return [currencyId(code, path), money(prices, path)] as const;
            }),
          );
          for (const currency of currencyIds.values()) {
            await replacePricing(tx, "configoptions", subId, currency, fillPrices(given.get(currency) ?? {}, "0.00"));
          }
        }
        options[o.name] = { id: optionId, choices };
      }
      configGroups[g.ref ?? g.name] = { id, options };
      if (g.managedAs !== undefined) await ledger(tx, "ConfigOptionGroup", g.managedAs, id, stamp);
    }

    const products: Record<string, number> = {};
    for (const [pi, p] of checked.products.entries()) {
      const gid = groups[p.group] ?? (await existingGroup(tx, p.group)) ?? fail(`products[${pi}].group`, `unknown group "${p.group}"`);
      const id = await tx.insert(
        "tblproducts",
        completeRow("tblproducts", {
          type: p.type ?? "other",
          gid,
          name: p.name,
          slug: p.slug ?? (await uniqueSlug(tx, "tblproducts", slugify(p.name, "product"))),
          description: p.description ?? "",
          hidden: p.hidden === true ? 1 : 0,
          paytype: p.payType ?? "recurring",
          servertype: p.module ?? "zoho_mail",
          retired: p.retired === true ? 1 : 0,
          order: p.order ?? 0,
          created_at: stamp,
          updated_at: stamp,
        }),
      );
      products[p.ref ?? p.name] = id;
      for (const [ri, ref] of (p.configGroups ?? []).entries()) {
        const cg = configGroups[ref]?.id ?? fail(`products[${pi}].configGroups[${ri}]`, `unknown config group "${ref}"`);
        await tx.insert("tblproductconfiglinks", { gid: cg, pid: id });
      }
      // Every currency gets a row; cycles not given are not offered ("-1.00").
      const given = new Map(
        Object.entries(p.pricing ?? {}).map(([code, prices]) => {
          const path = `products[${pi}].pricing.${code}`;
          return [currencyId(code, path), money(prices, path)] as const;
        }),
      );
      for (const currency of currencyIds.values()) {
        await replacePricing(tx, "product", id, currency, fillPrices(given.get(currency) ?? {}, "-1.00"));
      }
      for (const [fi, f] of (p.customFields ?? []).entries()) {
        await tx.insert(
          "tblcustomfields",
          completeRow("tblcustomfields", {
            type: "product",
            relid: id,
            fieldname: f.name,
            fieldtype: f.fieldType ?? "text",
            description: f.description ?? "",
            adminonly: f.adminOnly === true ? "on" : "",
            required: f.required === true ? "on" : "",
            showorder: f.showOnOrder === false ? "" : "on",
            sortorder: fi,
            created_at: stamp,
            updated_at: stamp,
          }),
        );
      }
      if (p.managedAs !== undefined) await ledger(tx, "Product", p.managedAs, id, stamp);
    }
    return { groups, products, configGroups };
  });
}


async function existingGroup(tx: WhmcsStore, name: string): Promise<number | undefined> {
  const row = await tx.selectOne("tblproductgroups", { name });
  return row === undefined ? undefined : intOf(row, "id");
}

async function ledger(tx: WhmcsStore, kind: string, name: string, relid: number, stamp: string): Promise<void> {
  await tx.insert(LEDGER_TABLE, { kind, name, relid, created_at: stamp, updated_at: stamp });
}

function money(prices: Readonly<Partial<Record<PriceKey, string | number>>>, path: string): Partial<Record<PriceKey, string>> {
  const out: Partial<Record<PriceKey, string>> = {};
  for (const [key, value] of Object.entries(prices)) {
    if (!(PRICE_KEYS as readonly string[]).includes(key)) fail(`${path}.${key}`, `unknown price key (expected one of ${PRICE_KEYS.join(", ")})`);
    const m = toMoneyOrUndefined(value);
    if (m === undefined) fail(`${path}.${key}`, `not a money amount: ${JSON.stringify(value)}`);
    out[key as PriceKey] = m;
  }
  return out;
}
