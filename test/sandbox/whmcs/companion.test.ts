import { describe, expect, it } from "vitest";
import type { WhmcsSandbox, WhmcsSandboxOptions } from "../../../src/sandbox/whmcs/index.js";
import { engines, useEngine } from "./engines.js";
import { call, IDENTIFIER, post, SECRET, twelve } from "./harness.js";

const ENGINES = await engines("companion");

describe.each(ENGINES)("on %s", (_name, engine) => {
  const scope = useEngine(engine);
  function start(options: WhmcsSandboxOptions = {}): Promise<WhmcsSandbox> {
    return scope.sandbox({ seedEur: true, switches: { companion: true }, ...options });
  }

  const COMPANION = ["ReconcileGetCatalog", "ReconcileUpsertProductGroup", "ReconcileUpsertProduct", "ReconcileUpsertConfigGroup"];

  /** A config group body: quantity `mailboxes` and dropdown `plan` with choices basic/pro. */
  function configBody(extra: { dropChoice?: boolean; dropOption?: boolean; key?: string; id?: number } = {}): string {
    const parts = [
      `key=${extra.key ?? "lite-options"}`,
      ...(extra.id === undefined ? [] : [`id=${extra.id}`]),
      "name=Mail+Lite+options",
      "description=Mailboxes",
      "options[0][key]=mailboxes",
      "options[0][label]=Mailboxes",
      "options[0][type]=4",
      "options[0][min]=1",
      "options[0][max]=0",
      "options[0][order]=0",
      "options[0][hidden]=0",
      "options[0][choices][0][key]=",
      "options[0][choices][0][label]=Mailbox",
      twelve("options[0][choices][0][pricing][1]", { monthly: "1.00", annually: "12.00" }),
      twelve("options[0][choices][0][pricing][2]", { monthly: "0.95" }),
    ];
    if (extra.dropOption !== true) {
      parts.push("options[1][key]=plan", "options[1][label]=Plan", "options[1][type]=1");
      parts.push("options[1][choices][0][key]=basic", "options[1][choices][0][label]=Basic", twelve("options[1][choices][0][pricing][1]"));
      if (extra.dropChoice !== true) {
        parts.push("options[1][choices][1][key]=pro", "options[1][choices][1][label]=Pro", twelve("options[1][choices][1][pricing][1]", { monthly: "2.00" }));
      }
    }
    return parts.join("&");
  }

  describe("companion switch", () => {
    it("answers companion actions like unknown actions while off, even for a role that lists them", async () => {
      const sb = await start({ switches: { companion: false } });
      for (const action of COMPANION) {
        expect((await call(sb, action, "key=x&name=y")).json).toEqual({ result: "error", message: "The requested API Action could not be found." });
      }
      expect(await sb.store.count("tblproductgroups")).toBe(0);
    });

    it("still needs the role to allow them when on", async () => {
      const sb = await start({ credentials: { identifier: IDENTIFIER, secret: SECRET, actions: ["GetProducts"] } });
      expect((await call(sb, "ReconcileGetCatalog")).json["message"]).toBe('Invalid Permissions: API action "reconcilegetcatalog" is not allowed');
    });
  });

  describe("ReconcileUpsertProductGroup", () => {
    it("creates once and then updates the same row by key", async () => {
      const sb = await start();
      const first = await call(sb, "ReconcileUpsertProductGroup", "key=business-email&name=Business+Email&headline=Email+on+your+domain&tagline=Zoho&hidden=0&order=1");
      expect(first.json).toEqual({ result: "success", id: 1, created: true });
      const again = await call(sb, "ReconcileUpsertProductGroup", "key=business-email&name=Business+Email+%26+More&headline=H&tagline=T&hidden=1&order=5");
      expect(again.json).toEqual({ result: "success", id: 1, created: false });
      expect(await sb.store.select("tblproductgroups")).toHaveLength(1);
      expect(await sb.store.selectOne("tblproductgroups", { id: 1 })).toMatchObject({
        name: "Business Email & More",
        slug: "business-email",
        headline: "H",
        tagline: "T",
        hidden: 1,
        order: 5,
        orderfrmtpl: "",
        disabledgateways: "",
      });
      expect(await sb.store.select("mod_zoho_reconcile_resources", {}, { columns: ["kind", "name", "relid"] })).toEqual([
        { kind: "ProductGroup", name: "business-email", relid: 1 },
      ]);
    });

    it("creates one row when the same create arrives several times at once (a retried call)", async () => {
      const sb = await start();
      const replies = await Promise.all([1, 2, 3].map(() => call(sb, "ReconcileUpsertProductGroup", "key=email&name=Email")));
      // One id for all three; not necessarily 1: on MariaDB a losing attempt burns an AUTO_INCREMENT value.
      const ids = replies.map((r) => r.json["id"]);
      expect(new Set(ids).size).toBe(1);
      expect((await sb.store.selectOne("tblproductgroups"))?.["id"]).toBe(ids[0]);
      expect(replies.filter((r) => r.json["created"] === true)).toHaveLength(1);
      expect(await sb.store.count("tblproductgroups")).toBe(1);
      expect(await sb.store.count("mod_zoho_reconcile_resources")).toBe(1);
    });

    it("gives each new group a unique slug", async () => {
      const sb = await start();
      await call(sb, "ReconcileUpsertProductGroup", "key=a&name=Email");
      await call(sb, "ReconcileUpsertProductGroup", "key=b&name=Email");
      expect((await sb.store.select("tblproductgroups")).map((g) => g["slug"])).toEqual(["email", "email-2"]);
    });

    it("adopts an existing row by id and records it", async () => {
      const sb = await start({ catalog: { groups: [{ name: "Hand made", order: 3 }] } });
      const r = await call(sb, "ReconcileUpsertProductGroup", "key=adopted&id=1&name=Hand+made&order=3");
      expect(r.json).toEqual({ result: "success", id: 1, created: false });
      expect(await sb.store.count("mod_zoho_reconcile_resources", { kind: "ProductGroup", name: "adopted", relid: 1 })).toBe(1);
      // Idempotent: the same adoption again is fine.
      expect((await call(sb, "ReconcileUpsertProductGroup", "key=adopted&id=1&name=Hand+made")).json["result"]).toBe("success");
    });

    it("refuses ledger conflicts with the contract's messages", async () => {
      const sb = await start({ catalog: { groups: [{ name: "One" }, { name: "Two" }] } });
      await call(sb, "ReconcileUpsertProductGroup", "key=first&id=1&name=One");
      const owned = await call(sb, "ReconcileUpsertProductGroup", "key=second&id=1&name=One");
      expect(owned.json).toEqual({ result: "error", message: "Resource ProductGroup 1 is already owned by first" });
      const recorded = await call(sb, "ReconcileUpsertProductGroup", "key=first&id=2&name=Two");
      expect(recorded.json).toEqual({ result: "error", message: "Resource ProductGroup/first is already recorded for id 1" });
      const missing = await call(sb, "ReconcileUpsertProductGroup", "key=third&id=9&name=Nine");
      expect(missing.json).toEqual({ result: "error", message: "Resource ProductGroup 9 does not exist" });
      expect(await sb.store.count("mod_zoho_reconcile_resources")).toBe(1);
    });

    it("validates its parameters", async () => {
      const sb = await start();
      expect((await call(sb, "ReconcileUpsertProductGroup", "name=X")).json["message"]).toBe("You must supply a resource key");
      expect((await call(sb, "ReconcileUpsertProductGroup", "key=k")).json["message"]).toBe("You must supply a name for the product group");
      expect((await call(sb, "ReconcileUpsertProductGroup", "key=k&name=X&id=abc")).json["message"]).toBe('Invalid id "abc": expected a positive integer');
      expect((await call(sb, "ReconcileUpsertProductGroup", "key=k&name=X&order=first")).json["message"]).toBe("Invalid value for order: expected an integer");
      expect(await sb.store.count("tblproductgroups")).toBe(0);
    });

    it("recreates a row whose ledger entry points at a deleted row", async () => {
      const sb = await start();
      await call(sb, "ReconcileUpsertProductGroup", "key=g&name=G");
      await sb.store.delete("tblproductgroups", { id: 1 });
      const r = await call(sb, "ReconcileUpsertProductGroup", "key=g&name=G");
      expect(r.json).toEqual({ result: "success", id: 2, created: true });
      expect((await sb.store.selectOne("mod_zoho_reconcile_resources", { name: "g" }))?.["relid"]).toBe(2);
    });
  });

  describe("ReconcileUpsertProduct", () => {
    async function withGroupAndOptions(sb: WhmcsSandbox): Promise<void> {
      await call(sb, "ReconcileUpsertProductGroup", "key=email&name=Email");
      expect((await call(sb, "ReconcileUpsertConfigGroup", configBody())).json["result"]).toBe("success");
      expect((await call(sb, "ReconcileUpsertConfigGroup", "key=other&name=Other")).json["result"]).toBe("success");
    }

    it("ensures the custom fields named in customfields[]: admin-only text, never duplicated, never removed", async () => {
      const sb = await start();
      await withGroupAndOptions(sb);
      const base = "key=mail-lite&gid=1&name=Lite&module=zoho_mail";
      expect((await call(sb, "ReconcileUpsertProduct", `${base}&customfields[]=ZOID&customfields[]=Zoho+super+admin`)).json).toMatchObject({ result: "success", id: 1 });
      await sb.store.insert("tblcustomfields", { type: "product", relid: 1, fieldname: "Notes", fieldtype: "textarea", adminonly: "", showorder: "on", sortorder: 7 });
      expect((await call(sb, "ReconcileUpsertProduct", `${base}&customfields[]=ZOID&customfields[]=Zoho+domain+verified`)).json).toMatchObject({ result: "success", id: 1 });
      expect((await call(sb, "ReconcileUpsertProduct", base)).json["result"]).toBe("success");
      const rows = (await sb.store.select("tblcustomfields", { type: "product", relid: 1 })).map((f) => [f["fieldname"], f["fieldtype"], f["adminonly"], f["showorder"], f["sortorder"]]);
      expect(rows).toEqual([
        ["ZOID", "text", "on", "", 0],
        ["Zoho super admin", "text", "on", "", 1],
        ["Notes", "textarea", "", "on", 7],
        ["Zoho domain verified", "text", "on", "", 8],
      ]);
      const catalog = (await call(sb, "ReconcileGetCatalog")).json;
      expect(catalog["customfields"]).toEqual([
        { id: 1, relid: 1, fieldname: "ZOID", fieldtype: "text", adminonly: "on", showorder: "", sortorder: 0 },
        { id: 2, relid: 1, fieldname: "Zoho super admin", fieldtype: "text", adminonly: "on", showorder: "", sortorder: 1 },
        { id: 3, relid: 1, fieldname: "Notes", fieldtype: "textarea", adminonly: "", showorder: "on", sortorder: 7 },
        { id: 4, relid: 1, fieldname: "Zoho domain verified", fieldtype: "text", adminonly: "on", showorder: "", sortorder: 8 },
      ]);
      // Admin-only fields not on the order form stay out of GetProducts, as WHMCS shows only order-form fields.
      const products = (await call(sb, "GetProducts", "pid=1")).json as { products: { product: { customfields: { customfield: unknown[] } }[] } };
      expect(products.products.product[0]?.customfields.customfield).toEqual([{ id: 3, name: "Notes", description: "", required: "" }]);
    });

    it("refuses an empty custom field name and writes nothing", async () => {
      const sb = await start();
      await withGroupAndOptions(sb);
      for (const bad of ["customfields[]=ZOID&customfields[]=+", "customfields[0][x]=1"]) {
        const reply = (await call(sb, "ReconcileUpsertProduct", `key=p&gid=1&name=P&${bad}`)).json;
        expect(reply["result"]).toBe("error");
        expect(String(reply["message"])).toMatch(/^Invalid custom field name (" "|\{\}): expected a non-empty name$/);
      }
      expect(await sb.store.count("tblproducts")).toBe(0);
      expect(await sb.store.count("tblcustomfields")).toBe(0);
    });

    it("creates a product with links and one pricing row per currency, then updates it", async () => {
      const sb = await start();
      await withGroupAndOptions(sb);
      const body = [
        "key=mail-lite",
        "gid=1",
        "name=Zoho+Mail+Lite",
        "description=Ad-free+%3Cb%3Email%3C%2Fb%3E+%26amp%3B+more",
        "type=other",
        "paytype=recurring",
        "hidden=0",
        "module=zoho_mail",
        "configgroups[]=1",
        "configgroups[]=2",
        twelve("pricing[1]", { annually: "10.00" }, "-1.00").replace(/setupfee\]=-1\.00/g, "setupfee]=0.00"),
        twelve("pricing[2]", { annually: "9.00" }, "-1.00").replace(/setupfee\]=-1\.00/g, "setupfee]=0.00"),
      ].join("&");
      expect((await call(sb, "ReconcileUpsertProduct", body)).json).toEqual({ result: "success", id: 1, created: true });
      expect(await sb.store.selectOne("tblproducts", { id: 1 })).toMatchObject({
        gid: 1,
        name: "Zoho Mail Lite",
        description: "Ad-free <b>mail</b> &amp; more",
        type: "other",
        paytype: "recurring",
        servertype: "zoho_mail",
        slug: "zoho-mail-lite",
      });
      expect((await sb.store.select("tblproductconfiglinks")).map((l) => [l["gid"], l["pid"]])).toEqual([
        [1, 1],
        [2, 1],
      ]);
      expect((await sb.store.select("tblpricing", { type: "product" })).map((p) => [p["currency"], p["annually"], p["monthly"]])).toEqual([
        [1, "10.00", "-1.00"],
        [2, "9.00", "-1.00"],
      ]);

      const update = ["key=mail-lite", "gid=1", "name=Zoho+Mail+Lite", "hidden=1", "configgroups[]=2", twelve("pricing[1]", { annually: "11.00" })].join("&");
      expect((await call(sb, "ReconcileUpsertProduct", update)).json).toEqual({ result: "success", id: 1, created: false });
      expect((await sb.store.selectOne("tblproducts", { id: 1 }))?.["hidden"]).toBe(1);
      expect((await sb.store.select("tblproductconfiglinks")).map((l) => l["gid"])).toEqual([2]);
      const prices = await sb.store.select("tblpricing", { type: "product" });
      expect(prices.map((p) => [p["currency"], p["annually"]])).toEqual([
        [1, "11.00"],
        [2, "9.00"],
      ]);
      // Absent configgroups leaves links alone; an empty one unlinks all.
      await call(sb, "ReconcileUpsertProduct", "key=mail-lite&gid=1&name=Zoho+Mail+Lite");
      expect(await sb.store.count("tblproductconfiglinks")).toBe(1);
      await call(sb, "ReconcileUpsertProduct", "key=mail-lite&gid=1&name=Zoho+Mail+Lite&configgroups=");
      expect(await sb.store.count("tblproductconfiglinks")).toBe(0);
      expect(await sb.store.count("tblproducts")).toBe(1);
    });

    it.each([
      ["key=p&name=X", "You must supply a valid Product Group ID"],
      ["key=p&gid=77&name=X", "You must supply a valid Product Group ID"],
      ["key=p&gid=1", "You must supply a name for the product"],
      ["key=p&gid=1&name=X&type=vps", 'Invalid product type. Must be one of "hostingaccount", "reselleraccount", "server" or "other"'],
      ["key=p&gid=1&name=X&paytype=yearly", 'Invalid pay type. Must be one of "free", "onetime" or "recurring"'],
      ["key=p&gid=1&name=X&configgroups[]=9", "Configurable option group 9 does not exist"],
      ["key=p&gid=1&name=X&pricing[1][monthly]=1.00", "Pricing for currency 1 in pricing must include all twelve price keys (missing msetupfee, qsetupfee, ssetupfee, asetupfee, bsetupfee, tsetupfee, quarterly, semiannually, annually, biennially, triennially)"],
      [`key=p&gid=1&name=X&${twelve("pricing[7]")}`, "Invalid currency ID 7 in pricing"],
      [`key=p&gid=1&name=X&${twelve("pricing[1]", { monthly: "1.005" })}`, 'Invalid price for pricing[1][monthly]: "1.005"'],
    ])("refuses %s", async (fields, message) => {
      const sb = await start();
      await call(sb, "ReconcileUpsertProductGroup", "key=email&name=Email");
      expect((await call(sb, "ReconcileUpsertProduct", fields)).json).toEqual({ result: "error", message });
      expect(await sb.store.count("tblproducts")).toBe(0);
      expect(await sb.store.count("mod_zoho_reconcile_resources", { kind: "Product" })).toBe(0);
    });
  });

  describe("ReconcileUpsertConfigGroup", () => {
    it("creates options, sub-options and per-currency pricing with WHMCS naming", async () => {
      const sb = await start();
      const r = await call(sb, "ReconcileUpsertConfigGroup", configBody());
      expect(r.json).toEqual({
        result: "success",
        id: 1,
        created: true,
        options: [
          { key: "mailboxes", id: 1, choices: [{ key: "", id: 1 }] },
          { key: "plan", id: 2, choices: [{ key: "basic", id: 2 }, { key: "pro", id: 3 }] },
        ],
      });
      expect(await sb.store.select("tblproductconfigoptions", {}, { columns: ["optionname", "optiontype", "qtyminimum", "qtymaximum", "hidden"] })).toEqual([
        { optionname: "mailboxes|Mailboxes", optiontype: "4", qtyminimum: 1, qtymaximum: 0, hidden: 0 },
        { optionname: "plan|Plan", optiontype: "1", qtyminimum: 0, qtymaximum: 0, hidden: 0 },
      ]);
      expect((await sb.store.select("tblproductconfigoptionssub")).map((s) => s["optionname"])).toEqual(["Mailbox", "basic|Basic", "pro|Pro"]);
      const pricing = await sb.store.select("tblpricing", { type: "configoptions" });
      expect(pricing.map((p) => [p["relid"], p["currency"], p["monthly"], p["annually"]])).toEqual([
        [1, 1, "1.00", "12.00"],
        [1, 2, "0.95", "0.00"],
        [2, 1, "0.00", "0.00"],
        [3, 1, "2.00", "0.00"],
      ]);
    });

    it("is idempotent by key and hides, never deletes, what a later request leaves out", async () => {
      const sb = await start();
      await call(sb, "ReconcileUpsertConfigGroup", configBody());
      const again = await call(sb, "ReconcileUpsertConfigGroup", configBody());
      expect(again.json["created"]).toBe(false);
      expect(await sb.store.count("tblproductconfiggroups")).toBe(1);
      expect(await sb.store.count("tblproductconfigoptionssub")).toBe(3);
      expect(await sb.store.count("tblpricing", { type: "configoptions" })).toBe(4);

      const withoutPro = await call(sb, "ReconcileUpsertConfigGroup", configBody({ dropChoice: true }));
      expect((withoutPro.json["options"] as { choices: unknown[] }[])[1]?.choices).toEqual([{ key: "basic", id: 2 }]);
      expect(await sb.store.selectOne("tblproductconfigoptionssub", { id: 3 })).toMatchObject({ optionname: "pro|Pro", hidden: 1 });

      await call(sb, "ReconcileUpsertConfigGroup", configBody({ dropOption: true }));
      expect(await sb.store.selectOne("tblproductconfigoptions", { id: 2 })).toMatchObject({ optionname: "plan|Plan", hidden: 1 });
      expect(await sb.store.count("tblproductconfigoptions")).toBe(2);

      // Declared again: the same rows come back, unhidden.
      const back = await call(sb, "ReconcileUpsertConfigGroup", configBody());
      expect(back.json["options"]).toEqual([
        { key: "mailboxes", id: 1, choices: [{ key: "", id: 1 }] },
        { key: "plan", id: 2, choices: [{ key: "basic", id: 2 }, { key: "pro", id: 3 }] },
      ]);
      expect((await sb.store.select("tblproductconfigoptionssub")).map((s) => s["hidden"])).toEqual([0, 0, 0]);
    });

    it("matches a hand-made quantity sub-option positionally and an option without | by its whole name", async () => {
      const sb = await start({
        catalog: {
          configGroups: [
            {
              name: "Legacy",
              options: [
                { name: "mailboxes", type: "quantity", choices: [{ name: "Mailbox" }] },
                { name: "region|Region", type: "dropdown", choices: [{ name: "eu|Europe" }, { name: "Worldwide" }] },
              ],
            },
          ],
        },
      });
      const body = [
        "key=legacy&id=1&name=Legacy",
        "options[0][key]=mailboxes&options[0][label]=Mailboxes&options[0][type]=4",
        "options[0][choices][0][key]=&options[0][choices][0][label]=Mailbox",
        "options[1][key]=region&options[1][label]=Region&options[1][type]=1",
        "options[1][choices][0][key]=eu&options[1][choices][0][label]=EU",
        "options[1][choices][1][key]=Worldwide&options[1][choices][1][label]=World",
      ].join("&");
      const r = await call(sb, "ReconcileUpsertConfigGroup", body);
      expect(r.json["options"]).toEqual([
        { key: "mailboxes", id: 1, choices: [{ key: "", id: 1 }] },
        { key: "region", id: 2, choices: [{ key: "eu", id: 2 }, { key: "Worldwide", id: 3 }] },
      ]);
      expect((await sb.store.select("tblproductconfigoptions")).map((o) => o["optionname"])).toEqual(["mailboxes|Mailboxes", "region|Region"]);
      expect((await sb.store.select("tblproductconfigoptionssub")).map((o) => o["optionname"])).toEqual(["Mailbox", "eu|EU", "Worldwide|World"]);
    });

    it.each([
      ["two choices on a quantity option", "key=g&name=G&options[0][key]=q&options[0][type]=4&options[0][choices][0][label]=A&options[0][choices][1][key]=b", "Quantity and yes/no options need exactly one sub-option"],
      ["no choice on a yes/no option", "key=g&name=G&options[0][key]=y&options[0][type]=3", "Quantity and yes/no options need exactly one sub-option"],
      ["an unknown option type", "key=g&name=G&options[0][key]=x&options[0][type]=7", 'Invalid option type "7" for options[0]. Must be one of 1, 2, 3 or 4'],
      ["a key with a bar", "key=g&name=G&options[0][key]=a|b&options[0][type]=1", 'options[0][key] must not contain "|"'],
      ["a missing option key", "key=g&name=G&options[0][type]=1", "options[0][key] is required"],
      ["duplicate option keys", "key=g&name=G&options[0][key]=a&options[0][type]=1&options[1][key]=a&options[1][type]=2", "Duplicate option key a"],
      ["a dropdown choice without key", "key=g&name=G&options[0][key]=a&options[0][type]=1&options[0][choices][0][label]=A", "Dropdown and radio choices need a key (options[0])"],
      ["a missing name", "key=g", "You must supply a name for the configurable option group"],
    ])("refuses %s", async (_label, body, message) => {
      const sb = await start();
      expect((await call(sb, "ReconcileUpsertConfigGroup", body)).json).toEqual({ result: "error", message });
      expect(await sb.store.count("tblproductconfiggroups")).toBe(0);
    });

    it("rolls the whole call back when a later part fails", async () => {
      const sb = await start();
      const bad = `${configBody()}&options[2][key]=extra&options[2][type]=1&options[2][choices][0][key]=x&${twelve("options[2][choices][0][pricing][5]")}`;
      expect((await call(sb, "ReconcileUpsertConfigGroup", bad)).json).toEqual({ result: "error", message: "Invalid currency ID 5 in options[2][choices][0][pricing]" });
      for (const table of ["tblproductconfiggroups", "tblproductconfigoptions", "tblproductconfigoptionssub", "tblpricing", "mod_zoho_reconcile_resources"]) {
        expect(await sb.store.count(table)).toBe(0);
      }
      // And on an existing group, the earlier option's changes are undone too.
      await call(sb, "ReconcileUpsertConfigGroup", configBody());
      const renamed = bad.replace("options[0][label]=Mailboxes", "options[0][label]=Seats");
      expect((await call(sb, "ReconcileUpsertConfigGroup", renamed)).json["result"]).toBe("error");
      // Ids are not compared: InnoDB never hands back AUTO_INCREMENT values a rollback used.
      expect((await sb.store.select("tblproductconfigoptions")).map((o) => o["optionname"])).toEqual(["mailboxes|Mailboxes", "plan|Plan"]);
      expect(await sb.store.count("tblproductconfigoptions")).toBe(2);
    });

    it("sees PHP's max_input_vars: variables past the limit never arrive", async () => {
      const sb = await start({ switches: { companion: true, maxInputVars: 20 } });
      const r = await call(sb, "ReconcileUpsertConfigGroup", configBody());
      expect(r.json["result"]).toBe("error");
      expect(String(r.json["message"])).toContain("must include all twelve price keys");
    });
  });

  describe("ReconcileGetCatalog", () => {
    it("returns raw rows with numbers as numbers and money as strings, plus active service counts", async () => {
      const sb = await start();
      await call(sb, "ReconcileUpsertProductGroup", "key=email&name=Email&order=1");
      await call(sb, "ReconcileUpsertConfigGroup", configBody());
      await call(sb, "ReconcileUpsertProduct", `key=lite&gid=1&name=Lite&module=zoho_mail&configgroups[]=1&${twelve("pricing[1]", { annually: "10.00" })}`);
      const usd = await sb.store.insert("tblclients", { firstname: "A", email: "a@example.com", currency: 1 });
      const eur = await sb.store.insert("tblclients", { firstname: "B", email: "b@example.com", currency: 2 });
      for (const [userid, status, cycle] of [
        [usd, "Active", "Annually"],
        [usd, "Active", "Annually"],
        [eur, "Active", "Annually"],
        [usd, "Suspended", "Annually"],
        [usd, "Active", "Monthly"],
      ] as const) {
        await sb.store.insert("tblhosting", { userid, packageid: 1, billingcycle: cycle, domainstatus: status, domain: "x.example" });
      }
      const r = await call(sb, "ReconcileGetCatalog");
      expect(r.json).toMatchObject({
        result: "success",
        currencies: [
          { id: 1, code: "USD", prefix: "$", suffix: " USD", format: 1, rate: "1.00000", default: 1 },
          { id: 2, code: "EUR", prefix: "€", suffix: " EUR", format: 3, rate: "0.90000", default: 0 },
        ],
        groups: [{ id: 1, name: "Email", slug: "email", headline: "", tagline: "", hidden: 0, order: 1 }],
        products: [{ id: 1, gid: 1, type: "other", name: "Lite", slug: "lite", description: "", hidden: 0, retired: 0, paytype: "recurring", servertype: "zoho_mail", order: 0 }],
        configgroups: [{ id: 1, name: "Mail Lite options", description: "Mailboxes" }],
        configoptions: [
          { id: 1, gid: 1, optionname: "mailboxes|Mailboxes", optiontype: "4", qtyminimum: 1, qtymaximum: 0, order: 0, hidden: 0 },
          { id: 2, gid: 1, optionname: "plan|Plan", optiontype: "1", qtyminimum: 0, qtymaximum: 0, order: 1, hidden: 0 },
        ],
        configsuboptions: [
          { id: 1, configid: 1, optionname: "Mailbox", sortorder: 0, hidden: 0 },
          { id: 2, configid: 2, optionname: "basic|Basic", sortorder: 0, hidden: 0 },
          { id: 3, configid: 2, optionname: "pro|Pro", sortorder: 1, hidden: 0 },
        ],
        configlinks: [{ gid: 1, pid: 1 }],
        resources: [
          { kind: "ProductGroup", name: "email", relid: 1 },
          { kind: "ConfigOptionGroup", name: "lite-options", relid: 1 },
          { kind: "Product", name: "lite", relid: 1 },
        ],
        servicecounts: [
          { pid: 1, billingcycle: "Annually", currency: 1, count: 2 },
          { pid: 1, billingcycle: "Annually", currency: 2, count: 1 },
          { pid: 1, billingcycle: "Monthly", currency: 1, count: 1 },
        ],
      });
      const pricing = r.json["pricing"] as Record<string, unknown>[];
      expect(pricing).toHaveLength(5);
      expect(pricing.find((p) => p["type"] === "product")).toEqual({
        type: "product",
        currency: 1,
        relid: 1,
        msetupfee: "0.00",
        qsetupfee: "0.00",
        ssetupfee: "0.00",
        asetupfee: "0.00",
        bsetupfee: "0.00",
        tsetupfee: "0.00",
        monthly: "0.00",
        quarterly: "0.00",
        semiannually: "0.00",
        annually: "10.00",
        biennially: "0.00",
        triennially: "0.00",
      });
    });

    it("includes rows the tool does not own and every pricing type it reads, nothing else", async () => {
      const sb = await start({ catalog: { groups: [{ name: "Unowned", headline: null }], products: [{ group: "Unowned", name: "P" }] } });
      await sb.store.insert("tblpricing", { type: "addon", currency: 1, relid: 1 });
      const r = await call(sb, "ReconcileGetCatalog");
      expect(r.json["groups"]).toEqual([{ id: 1, name: "Unowned", slug: "unowned", headline: null, tagline: "", hidden: 0, order: 0 }]);
      expect(r.json["resources"]).toEqual([]);
      expect((r.json["pricing"] as { type: string }[]).map((p) => p.type)).toEqual(["product", "product"]);
      expect(r.json["servicecounts"]).toEqual([]);
    });

    it("refuses a legacy scalar-only client as usual (credentials still required)", async () => {
      const sb = await start();
      expect((await post(sb, "action=ReconcileGetCatalog&responsetype=json")).json["message"]).toBe("Authentication Failed");
    });
  });
});
