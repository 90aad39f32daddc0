import { describe, expect, it } from "vitest";
import type { WhmcsSandbox, WhmcsSandboxOptions } from "../../../src/sandbox/whmcs/index.js";
import { engines, useEngine } from "./engines.js";
import { call } from "./harness.js";

const ENGINES = await engines("reference");

describe.each(ENGINES)("on %s", (_name, engine) => {
  const scope = useEngine(engine);
  function start(options: WhmcsSandboxOptions = {}): Promise<WhmcsSandbox> {
    return scope.sandbox(options);
  }

  describe("GetCurrencies", () => {
    it("answers the real shape with every field a string (whmcs-api.md §3.3)", async () => {
      const sb = await start();
      const r = await call(sb, "GetCurrencies");
      expect(r.json).toEqual({
        result: "success",
        totalresults: "1",
        currencies: { currency: [{ id: "1", code: "USD", prefix: "$", suffix: " USD", format: "1", rate: "1.00000" }] },
      });
      expect(r.text).toBe(
        '{"result":"success","totalresults":"1","currencies":{"currency":[{"id":"1","code":"USD","prefix":"$","suffix":" USD","format":"1","rate":"1.00000"}]}}',
      );
    });

    it("lists EUR when seeded", async () => {
      const sb = await start({ seedEur: true });
      const r = await call(sb, "GetCurrencies");
      expect(r.json["totalresults"]).toBe("2");
      expect((r.json["currencies"] as { currency: unknown[] }).currency[1]).toEqual({ id: "2", code: "EUR", prefix: "€", suffix: " EUR", format: "3", rate: "0.90000" });
    });
  });

  describe("GetPaymentMethods", () => {
    it("answers module and display name per activated gateway, totalresults as a number", async () => {
      const sb = await start();
      expect((await call(sb, "GetPaymentMethods")).json).toEqual({
        result: "success",
        totalresults: 3,
        paymentmethods: {
          paymentmethod: [
            { module: "mailin", displayname: "Mail In Payment" },
            { module: "banktransfer", displayname: "Bank Transfer" },
            { module: "paypal", displayname: "PayPal" },
          ],
        },
      });
    });

    it("reads tblpaymentgateways, so new gateways show up in display order", async () => {
      const sb = await start();
      await sb.store.insert("tblpaymentgateways", { gateway: "stripe", setting: "name", value: "Credit Card", order: 0 });
      const list = (await call(sb, "GetPaymentMethods")).json["paymentmethods"] as { paymentmethod: { module: string }[] };
      expect(list.paymentmethod.map((p) => p.module)).toEqual(["stripe", "mailin", "banktransfer", "paypal"]);
    });
  });

  describe("WhmcsDetails", () => {
    it("answers the version from tblconfiguration", async () => {
      const sb = await start();
      expect((await call(sb, "WhmcsDetails")).json).toEqual({ result: "success", whmcs: { version: "8.13.1", canonicalversion: "8.13.1-release.1" } });
      await sb.store.update("tblconfiguration", { setting: "Version" }, { value: "8.0.0-release.1" });
      expect((await call(sb, "WhmcsDetails")).json["whmcs"]).toEqual({ version: "8.0.0", canonicalversion: "8.0.0-release.1" });
    });
  });

  describe("seeding", () => {
    it("starts empty apart from the credential when seed is off", async () => {
      const sb = await start({ seed: false });
      expect((await call(sb, "GetCurrencies")).json).toEqual({ result: "success", totalresults: "0", currencies: { currency: [] } });
      expect((await call(sb, "GetPaymentMethods")).json["totalresults"]).toBe(0);
    });

    it("generates a random credential when none is given, allowed every action", async () => {
      const a = await start({ credentials: undefined });
      const b = await start({ credentials: undefined, store: a.store });
      expect(b.credentials.identifier).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(b.credentials.secret).not.toBe(b.credentials.identifier);
      expect(a.credentials.identifier).not.toBe(b.credentials.identifier);
      const body = `action=GetProducts&responsetype=json&identifier=${b.credentials.identifier}&secret=${b.credentials.secret}`;
      const r = await fetch(`${b.url}/includes/api.php`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
      expect(await r.json()).toMatchObject({ result: "success", totalresults: 0 });
      const role = await b.store.selectOne("tblapi_roles");
      const perms = JSON.parse(String(role?.["permissions"])) as Record<string, number>;
      expect(perms).toMatchObject({ getproducts: 1, addproduct: 1, reconcilegetcatalog: 1, reconcileupsertconfiggroup: 1 });
    });
  });
});
