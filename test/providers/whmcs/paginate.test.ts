import { afterEach, describe, expect, it } from "vitest";
import { Secret } from "../../../src/core/secrets.js";
import { createWhmcsClient, listAt } from "../../../src/providers/whmcs/index.js";
import { json, startLoopback, type Loopback } from "./loopback.js";

let server: Loopback | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const clientFor = (url: string) =>
  createWhmcsClient({ url, identifier: new Secret("ident-page", "t"), secret: new Secret("secret-page", "t"), sleep: async () => undefined });

async function collect(it: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("paginate", () => {
  it("walks limitstart/limitnum until startnumber + numreturned >= totalresults (string-typed counts)", async () => {
    const all = Array.from({ length: 7 }, (_, i) => ({ id: String(i + 1) }));
    server = await startLoopback((req, res) => {
      const start = Number(req.form.get("limitstart"));
      const num = Number(req.form.get("limitnum"));
      const page = all.slice(start, start + num);
      json(res, 200, { result: "success", totalresults: "7", startnumber: start, numreturned: page.length, products: { product: page } });
    });
    const items = await collect(clientFor(server.url).paginate("GetClientsProducts", { clientid: 3 }, "products.product", { pageSize: 3 }));
    expect(items).toEqual(all);
    expect(server.requests.map((r) => [r.form.get("limitstart"), r.form.get("limitnum"), r.form.get("clientid")])).toEqual([
      ["0", "3", "3"],
      ["3", "3", "3"],
      ["6", "3", "3"],
    ]);
  });

  it("stops on an empty page even when totalresults says more", async () => {
    server = await startLoopback((req, res) => {
      const start = Number(req.form.get("limitstart"));
      json(res, 200, { result: "success", totalresults: 50, clients: start === 0 ? { client: [{ id: 1 }, { id: 2 }] } : "" });
    });
    expect(await collect(clientFor(server.url).paginate("GetClients", {}, ["clients", "client"], { pageSize: 2 }))).toEqual([{ id: 1 }, { id: 2 }]);
    expect(server.requests).toHaveLength(2);
  });

  it("stops after a short page when the action reports no totals", async () => {
    server = await startLoopback((req, res) => {
      const start = Number(req.form.get("limitstart"));
      json(res, 200, { result: "success", orders: { order: start === 0 ? [{ id: 1 }, { id: 2 }] : [{ id: 3 }] } });
    });
    expect(await collect(clientFor(server.url).paginate("GetOrders", {}, "orders.order", { pageSize: 2 }))).toHaveLength(3);
    expect(server.requests).toHaveLength(2);
  });
});

describe("listAt", () => {
  it("tolerates the shapes WHMCS uses for lists", () => {
    expect(listAt({ a: { b: [1, 2] } }, ["a", "b"])).toEqual([1, 2]);
    expect(listAt({ a: "" }, ["a", "b"])).toEqual([]);
    expect(listAt({}, ["a"])).toEqual([]);
    expect(listAt({ a: { "2": "y", "0": "x" } }, ["a"])).toEqual(["x", "y"]);
    expect(listAt({ a: { id: 1 } }, ["a"])).toEqual([{ id: 1 }]);
  });
});
