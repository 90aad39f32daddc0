import { describe, expect, it } from "vitest";
import { seedCatalog, seedDefaults, WhmcsSandboxError, type WhmcsStore } from "../../../src/sandbox/whmcs/index.js";
import { engines, useEngine } from "./engines.js";

const ENGINES = await engines("seed");

describe.each(ENGINES)("on %s", (_name, engine) => {
  const scope = useEngine(engine);
  async function fresh(): Promise<WhmcsStore> {
    const s = await scope.store();
    await seedDefaults(s, new Date("2026-01-01T00:00:00Z"));
    return s;
  }

  describe("seedDefaults", () => {
    it("seeds USD as the default currency, three gateways, templates, a zoho_mail server, once", async () => {
      const store = await fresh();
      await seedDefaults(store, new Date(), { eur: true });
      expect(await store.select("tblcurrencies")).toEqual([{ id: 1, code: "USD", prefix: "$", suffix: " USD", format: 1, rate: "1.00000", default: 1 }]);
      expect((await store.select("tblpaymentgateways", { setting: "name" })).map((g) => g["gateway"])).toEqual(["mailin", "banktransfer", "paypal"]);
      expect(await store.count("tblemailtemplates", { type: "product" })).toBe(2);
      expect((await store.selectOne("tblservers"))?.["type"]).toBe("zoho_mail");
    });
  });

  describe("seedCatalog", () => {
    it("loads groups, option groups, products, links, pricing, custom fields and ledger rows", async () => {
      const store = await fresh();
      const ids = await seedCatalog(store, {
        currencies: [{ code: "GBP", prefix: "£", rate: "0.8" }],
        groups: [{ ref: "email", name: "Business Email", managedAs: "business-email" }],
        configGroups: [
          {
            ref: "opts",
            name: "Options",
            managedAs: "opts",
            options: [{ name: "mailboxes|Mailboxes", type: "quantity", min: 1, choices: [{ name: "Mailbox", pricing: { GBP: { monthly: 1 } } }] }],
          },
        ],
        products: [
          {
            ref: "lite",
            group: "email",
            name: "Lite",
            configGroups: ["opts"],
            pricing: { USD: { annually: "10" } },
            customFields: [{ name: "ZOID", showOnOrder: false }],
            managedAs: "mail-lite",
          },
        ],
      });
      expect(ids).toEqual({
        groups: { email: 1 },
        products: { lite: 1 },
        configGroups: { opts: { id: 1, options: { "mailboxes|Mailboxes": { id: 1, choices: { Mailbox: 1 } } } } },
      });
      expect((await store.selectOne("tblcurrencies", { code: "GBP" }))?.["rate"]).toBe("0.80000");
      expect(await store.select("mod_zoho_reconcile_resources", {}, { columns: ["kind", "name", "relid"] })).toEqual([
        { kind: "ProductGroup", name: "business-email", relid: 1 },
        { kind: "ConfigOptionGroup", name: "opts", relid: 1 },
        { kind: "Product", name: "mail-lite", relid: 1 },
      ]);
      const productPrices = await store.select("tblpricing", { type: "product" });
      expect(productPrices.map((p) => [p["currency"], p["annually"], p["monthly"], p["asetupfee"]])).toEqual([
        [1, "10.00", "-1.00", "0.00"],
        [2, "-1.00", "-1.00", "0.00"],
      ]);
      const optionPrices = await store.select("tblpricing", { type: "configoptions" });
      expect(optionPrices.map((p) => [p["currency"], p["monthly"]])).toEqual([
        [1, "0.00"],
        [2, "1.00"],
      ]);
      expect(await store.selectOne("tblcustomfields")).toMatchObject({ type: "product", relid: 1, fieldname: "ZOID", showorder: "", fieldtype: "text" });
      expect(await store.count("tblproductconfiglinks", { gid: 1, pid: 1 })).toBe(1);
    });

    it.each([
      [{ products: [{ name: "X", group: "missing" }] }, "products[0].group: unknown group"],
      [{ groups: [{ name: "" }] }, "groups[0].name: expected a non-empty string"],
      [{ groups: [{ name: "A" }, { name: "A" }] }, 'groups[1].ref: duplicate ref "A"'],
      [{ groups: [{ name: "A", hidden: "yes" }] }, "groups[0].hidden: expected true or false"],
      [{ configGroups: [{ name: "C", options: [{ name: "q", type: "quantity", choices: [] }] }] }, "quantity and yes/no options need exactly one choice"],
      [{ configGroups: [{ name: "C", options: [{ name: "q", type: "slider", choices: [] }] }] }, "configGroups[0].options[0].type"],
      [{ groups: [{ name: "G" }], products: [{ name: "X", group: "G", pricing: { XYZ: { monthly: "1" } } }] }, 'products[0].pricing.XYZ: unknown currency code "XYZ"'],
      [{ groups: [{ name: "G" }], products: [{ name: "X", group: "G", pricing: { USD: { monthly: "1.234" } } }] }, "products[0].pricing.USD.monthly: not a money amount"],
      [{ groups: [{ name: "G" }], products: [{ name: "X", group: "G", pricing: { USD: { weekly: "1" } } }] }, "products[0].pricing.USD.weekly: unknown price key"],
      [{ groups: [{ name: "G" }], products: [{ name: "X", group: "G", configGroups: ["nope"] }] }, 'products[0].configGroups[0]: unknown config group "nope"'],
      [{ extra: [] }, "extra: unknown key"],
      [[], "(root): expected a mapping"],
    ])("refuses %j", async (seed, message) => {
      const store = await fresh();
      let caught: unknown;
      try {
        await seedCatalog(store, seed as never);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(WhmcsSandboxError);
      expect((caught as WhmcsSandboxError).code).toBe("sandbox.whmcs.seed.invalid");
      expect((caught as Error).message).toContain(message);
      // Nothing is half-loaded.
      expect(await store.count("tblproductgroups")).toBe(0);
      expect(await store.count("tblproducts")).toBe(0);
    });
  });
});
