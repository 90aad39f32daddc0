import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import {
  mariaDbSchema,
  openMariaDbStore,
  openSqliteStore,
  parseDatabaseUrl,
  redactDatabaseUrl,
  sqliteSchema,
  TABLES,
  WhmcsSandboxError,
  type WhmcsStore,
} from "../../../src/sandbox/whmcs/index.js";
import { engines, useEngine } from "./engines.js";

const ENGINES = await engines("store");

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WhmcsSandboxError) return err.code;
    throw err;
  }
  return "no error";
}

async function messageOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  return "no error";
}

describe.each(ENGINES)("table store on %s", (_name, engine) => {
  const scope = useEngine(engine);
  const open = (options: { strict?: boolean } = {}): Promise<WhmcsStore> => scope.store(options);

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
      "tblupgrades",
      "tblinvoices",
      "tblservers",
      "zoho_mail",
    ]) {
      expect(names).toContain(t);
    }
    const store = await open();
    for (const t of TABLES) expect(await store.count(t.name)).toBe(0);
  });

  it("inserts, selects with equality, IN, NULL, order, limit and offset, updates and deletes", async () => {
    const store = await open();
    const a = await store.insert("tblproductconfiggroups", { name: "A", description: "" });
    const b = await store.insert("tblproductconfiggroups", { name: "B", description: "x" });
    const c = await store.insert("tblproductconfiggroups", { name: "C", description: "x" });
    expect([a, b, c]).toEqual([1, 2, 3]);
    expect((await store.select("tblproductconfiggroups", { description: "x" })).map((r) => r["name"])).toEqual(["B", "C"]);
    expect((await store.select("tblproductconfiggroups", { id: [1, 3] })).map((r) => r["id"])).toEqual([1, 3]);
    expect(await store.select("tblproductconfiggroups", { id: [] })).toEqual([]);
    expect((await store.select("tblproductconfiggroups", {}, { orderBy: [{ column: "id", desc: true }], limit: 1 }))[0]?.["name"]).toBe("C");
    expect(await store.select("tblproductconfiggroups", {}, { offset: 1, columns: ["name"] })).toEqual([{ name: "B" }, { name: "C" }]);
    expect(await store.select("tblproductconfiggroups", {}, { offset: 1, limit: 1 })).toEqual([{ id: 2, name: "B", description: "x" }]);
    expect(await store.update("tblproductconfiggroups", { description: "x" }, { description: "y" })).toBe(2);
    // Matched rows, not changed rows: writing the same value still reports the row.
    expect(await store.update("tblproductconfiggroups", { description: "y" }, { description: "y" })).toBe(2);
    expect(await store.update("tblproductconfiggroups", { id: 99 }, { description: "z" })).toBe(0);
    expect(await store.count("tblproductconfiggroups", { description: "y" })).toBe(2);
    expect(await store.delete("tblproductconfiggroups", { id: b })).toBe(1);
    expect(await store.count("tblproductconfiggroups")).toBe(2);
    const ledgerId = await store.insert("mod_zoho_reconcile_resources", { kind: "Product", name: "p", relid: 4 });
    expect((await store.selectOne("mod_zoho_reconcile_resources", { created_at: null }))?.["id"]).toBe(ledgerId);
    expect(await store.selectOne("mod_zoho_reconcile_resources", { name: "nope" })).toBeUndefined();
  });

  it("returns decimals as fixed-scale strings, rounding half away from zero", async () => {
    const store = await open();
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
    expect(row).toEqual({
      id: 1,
      type: "product",
      currency: 1,
      relid: 1,
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
    });
    expect((await store.selectOne("tblcurrencies"))?.["rate"]).toBe("0.90000");
  });

  it("returns ints as numbers and dates, timestamps, enums and blobs as strings", async () => {
    const store = await open();
    await store.insert("tblorders", { ordernum: 7858259149, userid: 1, date: "2020-09-23 13:59:35", amount: "8", status: "Pending" });
    expect(await store.selectOne("tblorders", {}, { columns: ["ordernum", "date", "amount", "invoiceid", "purchase_source"] })).toEqual({
      ordernum: 7858259149,
      date: "2020-09-23 13:59:35",
      amount: "8.00",
      invoiceid: 0,
      purchase_source: 4,
    });
    await store.insert("tblclients", { firstname: "Ada", email: "ada@example.com", cardnum: "", datecreated: "2024-01-15" });
    expect(await store.selectOne("tblclients", {}, { columns: ["datecreated", "status", "cardnum", "created_at", "lastlogin", "credit", "allow_sso"] })).toEqual({
      datecreated: "2024-01-15",
      status: "Active",
      cardnum: "",
      created_at: "0000-00-00 00:00:00",
      lastlogin: null,
      credit: "0.00",
      allow_sso: 1,
    });
  });

  it("rejects bad values, unknown tables and columns with typed errors", async () => {
    const store = await open();
    expect(await codeOf(store.insert("tblproductconfigoptions", { gid: "abc", optionname: "x", optiontype: "1", qtyminimum: 0, qtymaximum: 0, hidden: 0 }))).toBe("sandbox.whmcs.store.type");
    expect(await codeOf(store.insert("tblpricing", { type: "bogus", currency: 1, relid: 1 }))).toBe("sandbox.whmcs.store.type");
    expect(await codeOf(store.insert("tblcurrencies", { code: null }))).toBe("sandbox.whmcs.store.type");
    expect(await codeOf(store.insert("tblpricing", { type: "product", currency: 1, relid: 1, monthly: "ten" }))).toBe("sandbox.whmcs.store.type");
    expect(await codeOf(store.select("tblnope"))).toBe("sandbox.whmcs.store.unknown_table");
    expect(await codeOf(store.select("tblproducts", { nope: 1 }))).toBe("sandbox.whmcs.store.unknown_column");
    expect(await codeOf(store.select("tblproducts", {}, { orderBy: ["nope"] }))).toBe("sandbox.whmcs.store.unknown_column");
    expect(await codeOf(store.select("tblproducts", {}, { limit: -1 }))).toBe("sandbox.whmcs.store.type");
    await store.insert("tbldeviceauth", { identifier: "dup-secret-identifier", role_ids: "[]" });
    const dup = store.insert("tbldeviceauth", { identifier: "dup-secret-identifier", role_ids: "[]" });
    const err = await dup.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WhmcsSandboxError);
    expect((err as WhmcsSandboxError).code).toBe("sandbox.whmcs.store.constraint");
    // An identifier is a credential: the message names the key, never the value.
    expect((err as Error).message).not.toContain("dup-secret-identifier");
  });

  it("fills NOT NULL columns without default like non-strict MySQL, and refuses in strict mode", async () => {
    const lax = await open();
    await lax.insert("tblproductconfigoptions", { gid: 1, optionname: "x|X", optiontype: "4" });
    expect(await lax.selectOne("tblproductconfigoptions")).toMatchObject({ qtyminimum: 0, qtymaximum: 0, hidden: 0, order: 0 });
    await lax.insert("tblhosting", { userid: 1, packageid: 1 });
    expect(await lax.selectOne("tblhosting", {}, { columns: ["regdate", "domainstatus", "qty", "nextduedate", "amount", "domain"] })).toEqual({
      regdate: "0000-00-00",
      domainstatus: "Pending",
      qty: 1,
      nextduedate: null,
      amount: "0.00",
      domain: "",
    });
    const strict = await open({ strict: true });
    expect(await codeOf(strict.insert("tblproductconfigoptions", { gid: 1, optionname: "x|X", optiontype: "4" }))).toBe(
      "sandbox.whmcs.store.missing_column",
    );
    await strict.insert("tblproductconfigoptions", { gid: 1, optionname: "y|Y", optiontype: "4", qtyminimum: 1, qtymaximum: 0, hidden: 0 });
    expect(await strict.count("tblproductconfigoptions", { optionname: "y|Y" })).toBe(1);
  });

  it("cuts varchar values to their length when lax and refuses them when strict", async () => {
    const lax = await open();
    await lax.insert("tblproducts", { gid: 1, name: "P", color: "#0123456789abc" });
    expect((await lax.selectOne("tblproducts"))?.["color"]).toBe("#01234567");
    const strict = await open({ strict: true });
    expect(await codeOf(strict.insert("mod_zoho_reconcile_resources", { kind: "x".repeat(65), name: "n", relid: 1 }))).toBe("sandbox.whmcs.store.type");
  });

  it("compares text case-insensitively, like WHMCS's utf8mb4_unicode_ci tables", async () => {
    const store = await open();
    await store.insert("tblclients", { firstname: "Ada", email: "IT@Acme.Example" });
    expect((await store.selectOne("tblclients", { email: "it@acme.example" }))?.["email"]).toBe("IT@Acme.Example");
    await store.insert("mod_zoho_reconcile_resources", { kind: "Product", name: "Mail-Lite", relid: 1 });
    expect(await store.count("mod_zoho_reconcile_resources", { kind: "product", name: "mail-lite" })).toBe(1);
    expect(await codeOf(store.insert("mod_zoho_reconcile_resources", { kind: "Product", name: "mail-lite", relid: 2 }))).toBe("sandbox.whmcs.store.constraint");
    await store.insert("tblcustomfields", { type: "product", relid: 1, fieldname: "b" });
    await store.insert("tblcustomfields", { type: "product", relid: 1, fieldname: "A" });
    await store.insert("tblcustomfields", { type: "product", relid: 1, fieldname: "c" });
    expect((await store.select("tblcustomfields", {}, { orderBy: ["fieldname"] })).map((r) => r["fieldname"])).toEqual(["A", "b", "c"]);
  });

  it("serves tables without an id (zoho_mail), in unique-key order", async () => {
    const store = await open();
    expect(await store.insert("zoho_mail", { domain: "b.example", zoid: "200", superAdmin: "x@b.example", isverified: "false", url: "u" })).toBe(0);
    await store.insert("zoho_mail", { domain: "a.example", zoid: "100", superAdmin: "x@a.example", isverified: "true", url: "u" });
    expect((await store.select("zoho_mail")).map((r) => r["zoid"])).toEqual(["100", "200"]);
    expect(await codeOf(store.insert("zoho_mail", { domain: "c.example", zoid: "100", superAdmin: "", isverified: "", url: "" }))).toBe("sandbox.whmcs.store.constraint");
  });

  it("commits a transaction, and rolls everything back when it throws", async () => {
    const store = await open();
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

  it("never shows another caller uncommitted writes", async () => {
    const store = await open();
    const order: string[] = [];
    let inserted!: () => void;
    const insertedYet = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const tx = store.transaction(async (t) => {
      await t.insert("tblproductconfiggroups", { name: "in-tx", description: "" });
      inserted();
      await sleep(30);
      order.push("tx-end");
      throw new Error("rollback");
    });
    await insertedYet;
    const outside = store.count("tblproductconfiggroups").then((n) => {
      order.push("outside");
      return n;
    });
    await expect(tx).rejects.toThrow("rollback");
    expect(await outside).toBe(0);
    // SQLite has one writer: other callers queue behind the transaction. MariaDB isolates instead.
    if (engine.name === "sqlite") expect(order).toEqual(["tx-end", "outside"]);
    expect(await store.count("tblproductconfiggroups")).toBe(0);
  });

  it("nests transactions as savepoints", async () => {
    const store = await open();
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
      expect(await store.count("tblproductconfiggroups")).toBe(2);
    });
    expect((await store.select("tblproductconfiggroups")).map((r) => r["name"])).toEqual(["outer", "via-outer-handle"]);
  });
});

describe("SQLite file store", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("persists to a file across reopen, and refuses use after close", async () => {
    const dir = mkdtempSync(join(tmpdir(), "whmcs-store-"));
    dirs.push(dir);
    const file = join(dir, "state.sqlite");
    const first = openSqliteStore({ file });
    await first.insert("tblproductconfiggroups", { name: "saved", description: "" });
    await first.close();
    expect(await codeOf(first.count("tblproductconfiggroups"))).toBe("sandbox.whmcs.store.closed");
    const second = openSqliteStore({ file });
    expect((await second.select("tblproductconfiggroups")).map((r) => r["name"])).toEqual(["saved"]);
    await second.close();
    expect(sqliteSchema()).toContain("CREATE TABLE IF NOT EXISTS `tblproductconfigoptionssub`");
  });
});

const MARIADB = ENGINES.find(([name]) => name === "mariadb")?.[1];

describe("MariaDB schema and connection", () => {
  it("keeps schema.mariadb.sql equal to the DDL rendered from schema.ts", async () => {
    await expect(mariaDbSchema()).toMatchFileSnapshot("../../../src/sandbox/whmcs/schema.mariadb.sql");
  });

  it("renders WHMCS's column types, keys and collation", () => {
    const ddl = mariaDbSchema();
    expect(ddl).toContain("`ordernum` bigint(10) NOT NULL");
    expect(ddl).toContain("`rate` decimal(10,5) NOT NULL DEFAULT '1.00000'");
    expect(ddl).toContain("`status` enum('Active','Inactive','Closed') NOT NULL DEFAULT 'Active'");
    expect(ddl).toContain("`qtyminimum` int(10) NOT NULL,");
    expect(ddl).toContain("UNIQUE KEY `kind_name` (`kind`, `name`)");
    expect(ddl).toContain("KEY `email` (`email`(64))");
    expect(ddl).toContain("CREATE TABLE IF NOT EXISTS `zoho_mail` (\n  `domain` varchar(255) NOT NULL,");
    expect(ddl.match(/ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci/g)).toHaveLength(TABLES.length);
  });

  it("parses database URLs without ever repeating a password", () => {
    expect(parseDatabaseUrl("mysql://whmcs:s3cr%40t@db.internal:3307/whmcs")).toEqual({ host: "db.internal", port: 3307, user: "whmcs", password: "s3cr@t", database: "whmcs" });
    expect(parseDatabaseUrl("mariadb://127.0.0.1")).toEqual({ host: "127.0.0.1", port: 3306, user: "root", password: undefined, database: undefined });
    expect(redactDatabaseUrl("mysql://whmcs:s3cr3t@db:3306/x")).toBe("mysql://whmcs:***@db:3306/x");
    expect(() => parseDatabaseUrl("postgres://u:hunter2@h/db")).toThrow(/unsupported database URL scheme "postgres:"/);
    expect(() => parseDatabaseUrl("not a url hunter2")).toThrow(/invalid database URL/);
    expect(() => parseDatabaseUrl("mysql://h/bad-name;drop")).toThrow(/invalid database name/);
    try {
      parseDatabaseUrl("not a url hunter2");
    } catch (err) {
      expect((err as Error).message).not.toContain("hunter2");
    }
  });

  it("needs a database name", async () => {
    expect(await codeOf(openMariaDbStore({ url: "mysql://root@127.0.0.1:1" }))).toBe("sandbox.whmcs.store.database_name");
  });

  it("reports an unreachable server as a typed error without the password", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const attempt = openMariaDbStore({ url: `mysql://root@127.0.0.1:${port}/x`, password: "hunter2-password" });
    expect(await codeOf(attempt)).toBe("sandbox.whmcs.store.connect");
    const message = await messageOf(openMariaDbStore({ url: `mysql://root:hunter2-password@127.0.0.1:${port}/x` }));
    expect(message).toContain(`root@127.0.0.1:${port}/x`);
    expect(message).not.toContain("hunter2");
  });

  describe.skipIf(MARIADB?.available !== true)("on a live server", () => {
    const scope = MARIADB === undefined ? undefined : useEngine(MARIADB);

    it("runs sessions non-strict by default and strict on request, in UTC, with WHMCS's collation", async () => {
      const store = await scope!.store();
      await store.insert("tblproductconfigoptions", { gid: 1, optionname: "x" });
      const strict = await scope!.store({ strict: true });
      expect(await codeOf(strict.insert("tblproductconfigoptions", { gid: 1, optionname: "x" }))).toBe("sandbox.whmcs.store.missing_column");
      await store.insert("tblorders", { ordernum: 1, date: "2024-02-29 23:30:00" });
      expect((await strict.selectOne("tblorders"))?.["date"]).toBe("2024-02-29 23:30:00");
    });

    it("refuses use after close", async () => {
      const db = MARIADB!.db!;
      const extra = await db.openStore({ schema: "none" });
      expect(await extra.count("tblproducts")).toBe(0);
      await extra.close();
      expect(await codeOf(extra.count("tblproducts"))).toBe("sandbox.whmcs.store.closed");
    });

    it("empties every table and restarts ids on reset", async () => {
      const store = await scope!.store();
      await store.insert("tblproductconfiggroups", { name: "a", description: "" });
      await store.insert("zoho_mail", { domain: "a", zoid: "1", superAdmin: "", isverified: "", url: "" });
      const again = await scope!.store();
      expect(await again.count("zoho_mail")).toBe(0);
      expect(await again.insert("tblproductconfiggroups", { name: "b", description: "" })).toBe(1);
    });
  });
});
