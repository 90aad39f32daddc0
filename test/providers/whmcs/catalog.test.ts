import { afterEach, describe, expect, it } from "vitest";
import { Secret } from "../../../src/core/secrets.js";
import { createCatalogProvider, createWhmcsClient, WhmcsApiError } from "../../../src/providers/whmcs/index.js";
import { companionCatalog } from "./fixtures.js";
import { json, startLoopback, type Handler, type Loopback } from "./loopback.js";

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function providerWith(handler: Handler, backend: "companion" | "api" | "db") {
  server = await startLoopback(handler);
  const client = createWhmcsClient({
    url: server.url,
    identifier: new Secret("ident-catalog", "t"),
    secret: new Secret("secret-catalog", "t"),
    sleep: async () => undefined,
  });
  return createCatalogProvider({ client, backend });
}

const actions = () => server?.requests.map((r) => r.form.get("action")) ?? [];

describe("createCatalogProvider", () => {
  it("companion: reads the whole catalog with one ReconcileGetCatalog call and offers a writer", async () => {
    const provider = await providerWith((_req, res) => json(res, 200, companionCatalog()), "companion");
    expect(provider.backend).toBe("companion");
    expect(provider.writer?.backend).toBe("companion");
    const live = await provider.readCatalog();
    expect(actions()).toEqual(["ReconcileGetCatalog"]);
    expect(live.ownershipKnown).toBe(true);
    expect(live.products[0]?.ownedAs).toBe("mail-lite");
  });

  it("companion writer: sends each upsert once as a write and reads the result", async () => {
    const provider = await providerWith((req, res) => {
      if (req.form.get("action") === "ReconcileUpsertProductGroup") json(res, 200, { result: "success", id: "12", created: true });
      else {
        res.writeHead(502);
        res.end("<html>Bad gateway</html>");
      }
    }, "companion");
    const writer = provider.writer!;
    await expect(writer.upsertProductGroup({ key: "g", state: { name: "G", headline: "", tagline: "", hidden: false, order: 1 } })).resolves.toEqual({
      id: "12",
      created: true,
    });
    await expect(
      writer.upsertProduct({
        key: "p",
        groupId: "12",
        name: "P",
        description: "",
        type: "other",
        payType: "free",
        hidden: false,
        module: "zoho_mail",
        configOptionGroupIds: [],
        pricing: {},
      }),
    ).rejects.toThrow(/HTML page/);
    expect(actions()).toEqual(["ReconcileUpsertProductGroup", "ReconcileUpsertProduct"]);
  });

  it("api: reads with GetCurrencies and GetProducts, has no writer", async () => {
    const provider = await providerWith((req, res) => {
      if (req.form.get("action") === "GetCurrencies") {
        json(res, 200, { result: "success", totalresults: "1", currencies: { currency: [{ id: "1", code: "USD", prefix: "$", suffix: " USD", format: "1", rate: "1.00000" }] } });
      } else {
        json(res, 200, { result: "success", totalresults: 0, products: "" });
      }
    }, "api");
    expect(provider.writer).toBeUndefined();
    const live = await provider.readCatalog();
    expect([...actions()].sort()).toEqual(["GetCurrencies", "GetProducts"]);
    expect(live.ownershipKnown).toBe(false);
    expect(live.currencies.map((c) => c.code)).toEqual(["USD"]);
  });

  it("db: refused with a typed error without the database options (the backend itself: db.test.ts)", async () => {
    await expect(providerWith(() => undefined, "db")).rejects.toThrow(expect.objectContaining({ code: "whmcs.db.config" }));
  });

  it("probe: WhmcsDetails then GetCurrencies, surfacing role problems with a hint", async () => {
    const ok = await providerWith((req, res) => {
      if (req.form.get("action") === "WhmcsDetails") json(res, 200, { result: "success", whmcs: { version: "8.13.1", canonicalversion: "8.13.1-release.1" } });
      else json(res, 200, { result: "success", totalresults: "2", currencies: { currency: [{ id: "1" }, { id: "2" }] } });
    }, "api");
    await expect(ok.probe()).resolves.toEqual({ version: "8.13.1", canonicalVersion: "8.13.1-release.1", currencies: 2 });
    expect(actions()).toEqual(["WhmcsDetails", "GetCurrencies"]);
    await server?.close();

    const old = await providerWith((req, res) => {
      if (req.form.get("action") === "WhmcsDetails") json(res, 200, { result: "error", message: "The requested API Action could not be found." });
      else json(res, 200, { result: "error", message: 'Invalid Permissions: API action "getcurrencies" is not allowed' });
    }, "companion");
    const err = await old.probe().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WhmcsApiError);
    expect((err as WhmcsApiError).category).toBe("permission");
    expect((err as WhmcsApiError).hint).toMatch(/"getcurrencies"/);
  });
});
