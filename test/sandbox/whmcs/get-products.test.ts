import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startWhmcsSandbox, type SeedCatalog, type WhmcsSandbox } from "../../../src/sandbox/whmcs/index.js";
import { engines } from "./engines.js";
import { call, IDENTIFIER, SECRET } from "./harness.js";

const CATALOG: SeedCatalog = {
  groups: [
    { ref: "legacy", name: "Legacy", order: 2 },
    { ref: "email", name: "Business Email", order: 1, headline: "Email on your own domain", tagline: "Powered by Zoho Mail" },
  ],
  configGroups: [
    {
      ref: "lite-opts",
      name: "Mail Lite options",
      options: [
        {
          name: "mailboxes|Mailboxes",
          type: "quantity",
          min: 1,
          max: 0,
          choices: [{ name: "Mailbox", pricing: { USD: { monthly: "1.00", annually: "12.00" }, EUR: { monthly: "0.95" } } }],
        },
        { name: "plan|Plan", type: "dropdown", choices: [{ name: "basic|Basic" }, { name: "pro|Pro", pricing: { USD: { monthly: "2.00" } } }] },
      ],
    },
    { ref: "unlinked", name: "Unlinked", options: [{ name: "backup|Backup", type: "yesno", choices: [{ name: "Enable" }] }] },
  ],
  products: [
    {
      ref: "lite",
      group: "email",
      name: "Zoho Mail Lite",
      description: "Ad-free<br />\r\nmail",
      order: 2,
      configGroups: ["lite-opts"],
      pricing: { USD: { annually: "10.00", asetupfee: "1.50" }, EUR: { annually: "9.00" } },
      customFields: [
        { name: "Secondary Contact", description: "Would you like to provide a secondary point of contact?" },
        { name: "ZOID", showOnOrder: false, adminOnly: true },
        { name: "Domain", required: true },
      ],
    },
    { ref: "premium", group: "email", name: "Zoho Mail Premium", hidden: true, order: 1, pricing: { USD: { monthly: "4.00" } } },
    { ref: "old", group: "legacy", name: "Old Mail", retired: true, module: "cpanel", type: "hostingaccount" },
  ],
};

const DOCUMENTED_PRODUCT_KEYS = [
  "pid",
  "gid",
  "type",
  "name",
  "slug",
  "product-url",
  "description",
  "module",
  "paytype",
  "allowqty",
  "quantity_available",
  "pricing",
  "customfields",
  "configoptions",
];

const zeros = {
  msetupfee: "0.00",
  qsetupfee: "0.00",
  ssetupfee: "0.00",
  asetupfee: "0.00",
  bsetupfee: "0.00",
  tsetupfee: "0.00",
  monthly: "0.00",
  quarterly: "0.00",
  semiannually: "0.00",
  annually: "0.00",
  biennially: "0.00",
  triennially: "0.00",
};
const notOffered = { ...zeros, monthly: "-1.00", quarterly: "-1.00", semiannually: "-1.00", annually: "-1.00", biennially: "-1.00", triennially: "-1.00" };

const ENGINES = await engines("get_products");

describe.each(ENGINES)("on %s", (_name, engine) => {
  let sb: WhmcsSandbox;
  beforeAll(async () => {
    if (!engine.available) return;
    sb = await startWhmcsSandbox({ credentials: { identifier: IDENTIFIER, secret: SECRET }, store: await engine.open(), seedEur: true, catalog: CATALOG });
  });
  afterAll(async () => {
    await sb?.close();
    await engine.release();
  });
  beforeEach((ctx) => {
    if (!engine.available) ctx.skip(`${engine.name} is not available`);
  });

  type Product = Record<string, unknown>;
  async function products(rest = ""): Promise<{ total: unknown; list: Product[]; raw: Record<string, unknown>; text: string }> {
    const r = await call(sb, "GetProducts", rest);
    expect(r.json["result"]).toBe("success");
    const list = ((r.json["products"] as { product: Product[] }).product ?? []) as Product[];
    return { total: r.json["totalresults"], list, raw: r.json, text: r.text };
  }

  describe("GetProducts", () => {
    it("returns the documented shape, field names and JSON types", async () => {
      const { total, list, raw } = await products("pid=1");
      expect(Object.keys(raw)).toEqual(["result", "totalresults", "products"]);
      expect(total).toBe(1);
      const lite = list[0] as Product;
      expect(Object.keys(lite)).toEqual(DOCUMENTED_PRODUCT_KEYS);
      expect(lite).toEqual({
        pid: 1,
        gid: 2,
        type: "other",
        name: "Zoho Mail Lite",
        slug: "zoho-mail-lite",
        "product-url": `${sb.url}/business-email/zoho-mail-lite`,
        description: "Ad-free<br />\r\nmail",
        module: "zoho_mail",
        paytype: "recurring",
        allowqty: 0,
        quantity_available: 0,
        pricing: {
          USD: { prefix: "$", suffix: " USD", ...notOffered, asetupfee: "1.50", annually: "10.00" },
          EUR: { prefix: "€", suffix: " EUR", ...notOffered, annually: "9.00" },
        },
        customfields: {
          customfield: [
            { id: 1, name: "Secondary Contact", description: "Would you like to provide a secondary point of contact?", required: "" },
            { id: 3, name: "Domain", description: "", required: "on" },
          ],
        },
        configoptions: {
          configoption: [
            {
              id: 1,
              name: "mailboxes|Mailboxes",
              type: "4",
              minqty: 1,
              maxqty: 0,
              options: {
                option: [
                  {
                    id: 1,
                    name: "Mailbox",
                    rawName: null,
                    recurring: 0,
                    required: null,
                    pricing: { USD: { ...zeros, monthly: "1.00", annually: "12.00" }, EUR: { ...zeros, monthly: "0.95" } },
                  },
                ],
              },
            },
            {
              id: 2,
              name: "plan|Plan",
              type: "1",
              minqty: 0,
              maxqty: 0,
              options: {
                option: [
                  { id: 2, name: "basic|Basic", rawName: null, recurring: 0, required: null, pricing: { USD: zeros, EUR: zeros } },
                  { id: 3, name: "pro|Pro", rawName: null, recurring: 0, required: null, pricing: { USD: { ...zeros, monthly: "2.00" }, EUR: zeros } },
                ],
              },
            },
          ],
        },
      });
      const prices = (lite["pricing"] as Record<string, Record<string, unknown>>)["USD"] as Record<string, unknown>;
      expect(Object.keys(prices)).toEqual(["prefix", "suffix", "msetupfee", "qsetupfee", "ssetupfee", "asetupfee", "bsetupfee", "tsetupfee", "monthly", "quarterly", "semiannually", "annually", "biennially", "triennially"]);
    });

    it("escapes like PHP json_encode: slashes and non-ASCII", async () => {
      const { text } = await products("pid=1");
      expect(text).toContain('"description":"Ad-free<br \\/>\\r\\nmail"');
      expect(text).toContain('"prefix":"\\u20ac"');
      expect(text).toContain('"product-url":"http:\\/\\/127.0.0.1:');
    });

    it("never exposes hidden, retired or module settings", async () => {
      const { list } = await products();
      expect(list).toHaveLength(3);
      for (const p of list) {
        expect(Object.keys(p)).toEqual(DOCUMENTED_PRODUCT_KEYS);
        for (const key of ["hidden", "retired", "is_featured", "autosetup", "configoption1", "servertype", "tax"]) expect(p).not.toHaveProperty(key);
      }
    });

    it("shows only option groups linked to the product", async () => {
      const { list } = await products();
      const names = list.map((p) => ((p["configoptions"] as { configoption: { name: string }[] }).configoption ?? []).map((o) => o.name));
      expect(names.flat()).not.toContain("backup|Backup");
      const premium = list.find((p) => p["name"] === "Zoho Mail Premium");
      expect(premium?.["configoptions"]).toEqual({ configoption: [] });
      expect(premium?.["customfields"]).toEqual({ customfield: [] });
    });

    it("orders by group order then product order, or by id per switch", async () => {
      expect((await products()).list.map((p) => p["pid"])).toEqual([2, 1, 3]);
      sb.switches.getProductsOrder = "id";
      try {
        expect((await products()).list.map((p) => p["pid"])).toEqual([1, 2, 3]);
      } finally {
        sb.switches.getProductsOrder = "group-then-product";
      }
    });

    it("filters by pid (single and comma list), gid and module", async () => {
      expect((await products("pid=3")).list.map((p) => p["pid"])).toEqual([3]);
      expect((await products("pid=3,%201")).list.map((p) => p["pid"])).toEqual([1, 3]);
      expect((await products("gid=2")).list.map((p) => p["pid"])).toEqual([2, 1]);
      expect((await products("module=cpanel")).list.map((p) => p["pid"])).toEqual([3]);
      expect((await products("module=zoho_mail&gid=1")).list).toEqual([]);
      const none = await products("pid=99");
      expect(none.total).toBe(0);
      expect(none.raw["products"]).toEqual({ product: [] });
    });

    it("switches the product URL key and the paging fields", async () => {
      sb.switches.productUrlKey = "product_url";
      sb.switches.getProductsPagingFields = true;
      try {
        const { list, raw } = await products("pid=2");
        expect(list[0]).toHaveProperty("product_url", `${sb.url}/business-email/zoho-mail-premium`);
        expect(list[0]).not.toHaveProperty("product-url");
        expect(raw).toMatchObject({ totalresults: 1, startnumber: 0, numreturned: 1 });
      } finally {
        sb.switches.productUrlKey = "product-url";
        sb.switches.getProductsPagingFields = false;
      }
    });

    it("builds the product URL from SystemURL when set", async () => {
      await sb.store.insert("tblconfiguration", { setting: "SystemURL", value: "https://billing.example.com/whmcs" });
      try {
        const { list } = await products("pid=3");
        expect(list[0]?.["product-url"]).toBe("https://billing.example.com/whmcs/legacy/old-mail");
      } finally {
        await sb.store.delete("tblconfiguration", { setting: "SystemURL" });
      }
    });

    it("writes an empty price map as [] like PHP, and skips currencies without a row", async () => {
      await sb.store.delete("tblpricing", { type: "product", relid: 3 });
      await sb.store.delete("tblpricing", { type: "product", relid: 2, currency: 2 });
      const { list } = await products("pid=2,3");
      expect(list.find((p) => p["pid"] === 3)?.["pricing"]).toEqual([]);
      expect(Object.keys(list.find((p) => p["pid"] === 2)?.["pricing"] as object)).toEqual(["USD"]);
    });
  });
});
