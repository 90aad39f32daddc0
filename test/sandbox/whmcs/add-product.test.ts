import { describe, expect, it } from "vitest";
import type { WhmcsSandbox, WhmcsSandboxOptions } from "../../../src/sandbox/whmcs/index.js";
import { engines, useEngine } from "./engines.js";
import { AUTH, call, post } from "./harness.js";

const ENGINES = await engines("add_product");

describe.each(ENGINES)("on %s", (_name, engine) => {
  const scope = useEngine(engine);
  function start(options: WhmcsSandboxOptions = {}): Promise<WhmcsSandbox> {
    return scope.sandbox({ catalog: { groups: [{ name: "Business Email" }] }, ...options });
  }

  async function productRow(sb: WhmcsSandbox, id: number): Promise<Record<string, unknown>> {
    const row = await sb.store.selectOne("tblproducts", { id });
    expect(row).toBeDefined();
    return row as Record<string, unknown>;
  }

  describe("AddProduct", () => {
    it("creates a product from the documented wire example and answers pid as a number", async () => {
      const sb = await start();
      const body =
        "action=AddProduct&type=other&gid=1&name=Zoho+Mail+Lite&module=zoho_mail&paytype=recurring" +
        `&pricing[1][monthly]=1.00&pricing[1][annually]=10.00&pricing[1][msetupfee]=0.00&responsetype=json&${AUTH}`;
      const r = await post(sb, body);
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ result: "success", pid: 1 });
      expect(await productRow(sb, 1)).toMatchObject({ name: "Zoho Mail Lite", gid: 1, type: "other", paytype: "recurring", servertype: "zoho_mail", slug: "zoho-mail-lite", hidden: 0 });
      const pricing = await sb.store.select("tblpricing", { type: "product", relid: 1 });
      expect(pricing).toHaveLength(1);
      expect(pricing[0]).toMatchObject({
        currency: 1,
        msetupfee: "0.00",
        qsetupfee: "0.00",
        asetupfee: "0.00",
        monthly: "1.00",
        quarterly: "-1.00",
        semiannually: "-1.00",
        annually: "10.00",
        biennially: "-1.00",
        triennially: "-1.00",
      });
      const listed = await call(sb, "GetProducts", "pid=1");
      expect((listed.json["products"] as { product: { pricing: { USD: { monthly: string } } }[] }).product[0]?.pricing.USD.monthly).toBe("1.00");
    });

    it("reads percent-encoded brackets the same as literal ones", async () => {
      const sb = await start();
      const r = await call(sb, "AddProduct", "gid=1&name=Encoded&pricing%5B1%5D%5Bquarterly%5D=3.5&recommendations%5B0%5D%5Bid%5D=1");
      expect(r.json["result"]).toBe("error");
      const ok = await call(sb, "AddProduct", "gid=1&name=Encoded&pricing%5B1%5D%5Bquarterly%5D=3.5");
      expect(ok.json).toEqual({ result: "success", pid: 1 });
      expect((await sb.store.selectOne("tblpricing", { relid: 1 }))?.["quarterly"]).toBe("3.50");
    });

    it("stores missing cycles per switch, and skips unknown currency ids", async () => {
      const sb = await start({ switches: { addProductMissingCycle: "0.00" } });
      const r = await call(sb, "AddProduct", "gid=1&name=Zero&pricing[1][monthly]=2&pricing[9][monthly]=3");
      expect(r.json["result"]).toBe("success");
      const rows = await sb.store.select("tblpricing", { type: "product" });
      expect(rows.map((row) => row["currency"])).toEqual([1]);
      expect(rows[0]).toMatchObject({ monthly: "2.00", annually: "0.00", tsetupfee: "0.00" });
    });

    it.each([
      ["missing name", "gid=1", "You must supply a name for the product"],
      ["blank name", "gid=1&name=+++", "You must supply a name for the product"],
      ["name checked before group", "gid=99", "You must supply a name for the product"],
      ["no group", "name=X", "You must supply a valid Product Group ID"],
      ["unknown group", "name=X&gid=99", "You must supply a valid Product Group ID"],
      ["non-product template", "name=X&gid=1&welcomeemail=3", "You must supply a valid welcome email ID"],
      ["unknown template", "name=X&gid=1&welcomeemail=77", "You must supply a valid welcome email ID"],
      ["bad type", "name=X&gid=1&type=vps", 'Invalid product type. Must be one of "hostingaccount", "reselleraccount", "server" or "other"'],
      ["bad pay type", "name=X&gid=1&paytype=monthly", 'Invalid pay type. Must be one of "free", "onetime" or "recurring"'],
      ["bad autosetup", "name=X&gid=1&autosetup=always", 'Invalid autosetup value. Must be one of "", "on", "order" or "payment"'],
      ["bad color", "name=X&gid=1&color=%23GGHHII", "The color must be a valid hexadecimal value."],
      ["unknown recommendation", "name=X&gid=1&recommendations[0][id]=42&recommendations[0][order]=0", "The recommendation product ID is invalid. This must be an existing product ID."],
      ["recommendation without id", "name=X&gid=1&recommendations[0][order]=0", "The recommendation product ID is invalid. This must be an existing product ID."],
    ])("answers %s with the documented error", async (_label, fields, message) => {
      const sb = await start();
      const r = await call(sb, "AddProduct", fields);
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ result: "error", message });
      expect(await sb.store.count("tblproducts")).toBe(0);
    });

    it("accepts a product welcome template, valid colours and existing recommendations", async () => {
      const sb = await start();
      expect((await call(sb, "AddProduct", "gid=1&name=First")).json["pid"]).toBe(1);
      const r = await call(
        sb,
        "AddProduct",
        "gid=1&name=Second&welcomeemail=1&color=%23a1B2c3&autosetup=payment&recommendations[0][id]=1&recommendations[0][order]=4&recommendations[1][id]=1",
      );
      expect(r.json).toEqual({ result: "success", pid: 2 });
      expect(await productRow(sb, 2)).toMatchObject({ welcomeemail: 1, color: "#a1B2c3", autosetup: "payment" });
      expect(await sb.store.select("tblproduct_recommendations")).toEqual([{ id: 2, product_id: 1, sortorder: 4 }]);
    });

    it("defaults type and pay type per switch and stores booleans and module settings", async () => {
      const sb = await start({ switches: { addProductDefaultType: "hostingaccount", addProductDefaultPayType: "free" } });
      const r = await call(sb, "AddProduct", "gid=1&name=Flags&hidden=true&tax=on&isFeatured=1&stockcontrol=0&qty=7&configoption1=a&configoption6=f&configoption7=g&order=3");
      expect(r.json["result"]).toBe("success");
      expect(await productRow(sb, 1)).toMatchObject({
        type: "hostingaccount",
        paytype: "free",
        hidden: 1,
        tax: 1,
        is_featured: 1,
        stockcontrol: 0,
        qty: 7,
        configoption1: "a",
        configoption6: "f",
        configoption7: "",
        order: 3,
      });
      sb.switches.addProductMaxConfigOption = 24;
      await call(sb, "AddProduct", "gid=1&name=More&configoption7=g&configoption24=z");
      expect(await productRow(sb, 2)).toMatchObject({ configoption7: "g", configoption24: "z" });
    });

    it("rejects an unreadable boolean leniently, or casts it like PHP per switch", async () => {
      const sb = await start();
      const r = await call(sb, "AddProduct", "gid=1&name=X&hidden=maybe");
      expect(r.json).toEqual({ result: "error", message: "Invalid value for hidden: expected a boolean (1/0/true/false/on/off)" });
      sb.switches.booleans = "php-cast";
      expect((await call(sb, "AddProduct", "gid=1&name=X&hidden=maybe")).json["result"]).toBe("success");
      expect((await productRow(sb, 1))["hidden"]).toBe(1);
    });

    it("generates unique slugs, keeps a given one, and encodes entities only when switched on", async () => {
      const sb = await start();
      await call(sb, "AddProduct", "gid=1&name=Mail+%26+More");
      await call(sb, "AddProduct", "gid=1&name=Mail+%26+More");
      await call(sb, "AddProduct", "gid=1&name=Custom&slug=my-slug");
      expect((await sb.store.select("tblproducts")).map((p) => [p["name"], p["slug"]])).toEqual([
        ["Mail & More", "mail-more"],
        ["Mail & More", "mail-more-2"],
        ["Custom", "my-slug"],
      ]);
      sb.switches.htmlEntityEncodeInput = true;
      await call(sb, "AddProduct", "gid=1&name=A+%26+B&description=%3Cb%3E%22x%22%3C%2Fb%3E");
      expect(await productRow(sb, 4)).toMatchObject({ name: "A &amp; B", description: "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" });
    });

    it("is refused by a role that does not allow it", async () => {
      const sb = await start({ credentials: { identifier: "id-only-reads", secret: "secret-only-reads", actions: ["GetProducts"] } });
      const r = await post(sb, "action=AddProduct&responsetype=json&identifier=id-only-reads&secret=secret-only-reads&gid=1&name=X");
      expect(r.json["message"]).toBe('Invalid Permissions: API action "addproduct" is not allowed');
    });
  });
});
