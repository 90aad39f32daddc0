import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore, sqliteSchema, TABLES, WhmcsSandboxError, type WhmcsStore } from "../../../src/sandbox/whmcs/index.js";

const stores: WhmcsStore[] = [];
const dirs: string[] = [];
function open(options: Parameters<typeof openSqliteStore>[0] = {}): WhmcsStore {
  const s = openSqliteStore(options);
  stores.push(s);
  return s;
}
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WhmcsSandboxError) return err.code;
    throw err;
  }
  return "no error";
}

describe("SQLite table store", () => {
  it("creates every WHMCS table the sandbox needs, with WHMCS column names", async () => {
    const names = TABLES.map((t) => t.name);
    for (const t of [
      "tblcurrencies",
      "tblproductgroups",
      "tblproducts",
      "tblpricing",
      "tblproductconfiggroups",
      "tblproductconfiglinks",
      "tblproductconfigoptions",
      "tblproductconfigoptionssub",
      "tblpaymentgateways",
      "tblconfiguration",
      "tbldeviceauth",
      "tblapi_roles",
      "mod_zoho_reconcile_resources",
      "tblclients",
      "tblhosting",
      "tblhostingconfigoptions",
      "tblorders",
      "tblcustomfields",
      "tblcustomfieldsvalues",
      "tblmodulelog",
    ]) {
      expect(names).toContain(t);
    }
    const store = open();
    expect(await store.count("tblhosting")).toBe(0);
    expect(sqliteSchema()).toContain("CREATE TABLE IF NOT EXISTS `tblproductconfigoptionssub`");
  });

  it("inserts, selects with equality, IN, NULL, order, limit and offset, updates and deletes", async () => {
    const store = open();
    const a = await store.insert("tblproductconfiggroups", { name: "A", description: "" });
    const b = await store.insert("tblproductconfiggroups", { name: "B", description: "x" });
    const c = await store.insert("tblproductconfiggroups", { name: "C", description: "x" });
    expect([a, b, c]).toEqual([1, 2, 3]);
    expect((await store.select("tblproductconfiggroups", { description: "x" })).map((r) => r["name"])).toEqual(["B", "C"]);
    expect((await store.select("tblproductconfiggroups", { id: [1, 3] })).map((r) => r["id"])).toEqual([1, 3]);
    expect(await store.select("tblproductconfiggroups", { id: [] })).toEqual([]);
    expect((await store.select("tblproductconfiggroups", {}, { orderBy: [{ column: "id", desc: true }], limit: 1 }))[0]?.["name"]).toBe("C");
    expect((await store.select("tblproductconfiggroups", {}, { offset: 1, columns: ["name"] })).map((r) => r["name"])).toEqual(["B", "C"]);
    expect(await store.update("tblproductconfiggroups", { description: "x" }, { description: "y" })).toBe(2);
    expect(await store.count("tblproductconfiggroups", { description: "y" })).toBe(2);
    expect(await store.delete("tblproductconfiggroups", { id: b })).toBe(1);
    expect(await store.count("tblproductconfiggroups")).toBe(2);
    const ledgerId = await store.insert("mod_zoho_reconcile_resources", { kind: "Product", name: "p", relid: 4 });
    expect((await store.selectOne("mod_zoho_reconcile_resources", { created_at: null }))?.["id"]).toBe(ledgerId);
  });

  it("returns decimals as fixed-scale strings, rounding half away from zero", async () => {
    const store = open();
    await store.insert("tblcurrencies", { code: "EUR", prefix: "", suffix: "", format: 1, rate: 0.9, default: 0 });
    await store.insert("tblpricing", {
      type: "product",
      currency: 1,
      relid: 1,
      msetupfee: "1.005",
      qsetupfee: "-1.005",
      ssetupfee: 2,
      asetupfee: ".5",
      bsetupfee: "0",
      tsetupfee: "12.3",
      monthly: "-1",
      quarterly: "-1.00",
      semiannually: "+4.2",
      annually: "99999999999999.99",
      biennially: "0.004",
      triennially: "7.",
    });
    const row = await store.selectOne("tblpricing");
    expect(row).toMatchObject({
      msetupfee: "1.01",
      qsetupfee: "-1.01",
      ssetupfee: "2.00",
      asetupfee: "0.50",
      bsetupfee: "0.00",
      tsetupfee: "12.30",
      monthly: "-1.00",
      quarterly: "-1.00",
      semiannually: "4.20",
      annually: "99999999999999.99",
      biennially: "0.00",
      triennially: "7.00",
      currency: 1,
    });
    expect((await store.selectOne("tblcurrencies"))?.["rate"]).toBe("0.90000");
  });

  it("rejects bad values, unknown tables and columns with typed errors", async () => {
    const store = open();
    expect(await codeOf(store.insert("tblproductconfigoptions", { gid: "abc", optionname: "x", optiontype: "1", qtyminimum: 0, qtymaximum: 0, hidden: 0 }))).toBe("sandbox.whmcs.store.type");
    expect(await codeOf(store.insert("tblpricing", { type: "bogus", currency: 1, relid: 1 }))).toBe("sandbox.whmcs.store.type");
    expect(await codeOf(store.insert("tblcurrencies", { code: null }))).toBe("sandbox.whmcs.store.type");
    expect(await codeOf(store.insert("tblpricing", { type: "product", currency: 1, relid: 1, monthly: "ten" }))).toBe("sandbox.whmcs.store.type");
    expect(await codeOf(store.select("tblnope"))).toBe("sandbox.whmcs.store.unknown_table");
    expect(await codeOf(store.select("tblproducts", { nope: 1 }))).toBe("sandbox.whmcs.store.unknown_column");
    expect(await codeOf(store.select("tblproducts", {}, { orderBy: ["nope"] }))).toBe("sandbox.whmcs.store.unknown_column");
    await store.insert("tbldeviceauth", { identifier: "dup", role_ids: "[]" });
    expect(await codeOf(store.insert("tbldeviceauth", { identifier: "dup", role_ids: "[]" }))).toBe("sandbox.whmcs.store.constraint");
  });

  it("fills NOT NULL columns without default like non-strict MySQL, and refuses in strict mode", async () => {
    const lax = open();
    await lax.insert("tblproductconfigoptions", { gid: 1, optionname: "x|X", optiontype: "4" });
    expect(await lax.selectOne("tblproductconfigoptions")).toMatchObject({ qtyminimum: 0, qtymaximum: 0, hidden: 0, order: 0 });
    const strict = open({ strict: true });
    expect(await codeOf(strict.insert("tblproductconfigoptions", { gid: 1, optionname: "x|X", optiontype: "4" }))).toBe(
      "sandbox.whmcs.store.missing_column",
    );
    await strict.insert("tblproductconfigoptions", { gid: 1, optionname: "x|X", optiontype: "4", qtyminimum: 1, qtymaximum: 0, hidden: 0 });
    expect(await strict.count("tblproductconfigoptions")).toBe(1);
  });

  it("commits a transaction, and rolls everything back when it throws", async () => {
    const store = open();
    const id = await store.transaction(async (tx) => tx.insert("tblproductconfiggroups", { name: "kept", description: "" }));
    expect(id).toBe(1);
    await expect(
      store.transaction(async (tx) => {
        await tx.insert("tblproductconfiggroups", { name: "lost", description: "" });
        await tx.update("tblproductconfiggroups", { id: 1 }, { name: "changed" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect((await store.select("tblproductconfiggroups")).map((r) => r["name"])).toEqual(["kept"]);
  });

  it("keeps other callers out of an open transaction", async () => {
    const store = open();
    const order: string[] = [];
    const tx = store.transaction(async (t) => {
      await t.insert("tblproductconfiggroups", { name: "in-tx", description: "" });
      await sleep(30);
      order.push("tx-end");
      throw new Error("rollback");
    });
    const outside = store.count("tblproductconfiggroups").then((n) => {
      order.push("outside");
      return n;
    });
    await expect(tx).rejects.toThrow("rollback");
    expect(await outside).toBe(0);
    expect(order).toEqual(["tx-end", "outside"]);
  });

  it("nests transactions as savepoints", async () => {
    const store = open();
    await store.transaction(async (tx) => {
      await tx.insert("tblproductconfiggroups", { name: "outer", description: "" });
      await tx
        .transaction(async (inner) => {
          await inner.insert("tblproductconfiggroups", { name: "inner", description: "" });
          throw new Error("inner fails");
        })
        .catch(() => undefined);
      // The outer store handle works inside the transaction too, without deadlocking.
      await store.insert("tblproductconfiggroups", { name: "via-outer-handle", description: "" });
    });
    expect((await store.select("tblproductconfiggroups")).map((r) => r["name"])).toEqual(["outer", "via-outer-handle"]);
  });

  it("persists to a file across reopen, and refuses use after close", async () => {
    const dir = mkdtempSync(join(tmpdir(), "whmcs-store-"));
    dirs.push(dir);
    const file = join(dir, "state.sqlite");
    const first = openSqliteStore({ file });
    await first.insert("tblproductconfiggroups", { name: "saved", description: "" });
    await first.close();
    expect(await codeOf(first.count("tblproductconfiggroups"))).toBe("sandbox.whmcs.store.closed");
    const second = open({ file });
    expect((await second.select("tblproductconfiggroups")).map((r) => r["name"])).toEqual(["saved"]);
  });
});
