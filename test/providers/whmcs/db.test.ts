import { resolve } from "node:path";
import fc from "fast-check";
import type { Connection } from "mysql2/promise";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Secret } from "../../../src/core/secrets.js";
import { loadProject } from "../../../src/manifest/index.js";
import type { DesiredCatalog } from "../../../src/model/catalog.js";
import type { CatalogWriter, ConfigOptionGroupWrite, ProductWrite, UpsertResult } from "../../../src/model/provider.js";
import { createCatalogProvider, createDbCatalogBackend, listAt, WhmcsDbError, type WhmcsClient } from "../../../src/providers/whmcs/index.js";
import type { WhmcsSandbox } from "../../../src/sandbox/whmcs/index.js";
import { useTestDatabase } from "../../support/mariadb.js";
import { desiredCatalogArb } from "../../plan/arbitraries.js";
import { applyThrough, changesOf, dbOptions, dbProvider, planFor, sandboxOn, sideConnection, snapshot } from "./db-support.js";
import { fullPriceRow } from "./fixtures.js";
import { assertAsyncProperty } from "../../support/budget.js";

const db = await useTestDatabase("provider-db");

const row = fullPriceRow;

/** A group and a product "Old" in it, written through `writer`: the starting point of the fault tests. */
async function oldProduct(writer: CatalogWriter, over: Partial<ProductWrite> = {}): Promise<{ product: ProductWrite; p: UpsertResult }> {
  const g = await writer.upsertProductGroup({ key: "g", state: { name: "G", headline: "", tagline: "", hidden: false, order: 0 } });
  const product: ProductWrite = {
    key: "p",
    groupId: g.id,
    name: "Old",
    description: "",
    type: "other",
    payType: "recurring",
    hidden: false,
    module: "zoho_mail",
    configOptionGroupIds: [],
    pricing: { "1": row({ annually: "12.00" }, "-1.00") },
    ...over,
  };
  return { product, p: await writer.upsertProduct(product) };
}

describe.skipIf(!db.available)("db catalog backend on MariaDB", () => {
  let examples: DesiredCatalog;
  let side: Connection;
  let sandbox: WhmcsSandbox | undefined;

  beforeAll(async () => {
    examples = (await loadProject(resolve(import.meta.dirname, "../../../examples/reconcile.yaml"))).catalog;
    side = await sideConnection(db);
  });
  afterAll(async () => {
    await side?.end();
  });
  afterEach(async () => {
    await side.query("ROLLBACK");
    await sandbox?.close();
    sandbox = undefined;
  });

  async function target(currencies: "usd-eur" | "usd-eur-gbp" = "usd-eur"): Promise<WhmcsClient> {
    const started = await sandboxOn(db, currencies);
    sandbox = started.sandbox;
    return started.client;
  }

  it("writes the examples catalog, which GetProducts over api.php then serves and a fresh plan finds unchanged", async () => {
    const client = await target();
    // Non-strict, as production WHMCS runs; the random catalogs below run strict.
    const provider = dbProvider(db, { sqlMode: "NO_ENGINE_SUBSTITUTION" });
    const again = await applyThrough(provider, examples);
    expect(changesOf(again)).toEqual([]);

    const products = listAt(await client.call("GetProducts", { module: "zoho_mail" }, { kind: "read" }), ["products", "product"]) as Record<string, unknown>[];
    expect(products.map((p) => p["name"]).sort()).toEqual(["Zoho Mail Lite", "Zoho Mail Premium", "Zoho Workplace Standard"]);
    const workplace = products.find((p) => p["name"] === "Zoho Workplace Standard")!;
    expect(workplace["pricing"]).toMatchObject({
      USD: { monthly: "0.00", annually: "0.00", msetupfee: "5.00", quarterly: "-1.00" },
      EUR: { monthly: "0.00", msetupfee: "4.75", triennially: "-1.00" },
    });
    const options = listAt(workplace, ["configoptions", "configoption"]) as Record<string, unknown>[];
    expect(options.map((o) => [o["name"], o["type"], o["minqty"], o["maxqty"]])).toEqual([
      ["mailboxes|Users", "4", 1, 500],
      ["storage|Extra storage", "1", 0, 0],
    ]);
    const storage = listAt(options[1], ["options", "option"]) as Record<string, unknown>[];
    expect(storage.map((s) => s["name"])).toEqual(["none|No extra storage", "50gb|50 GB per user"]);

    // The companion reads the same rows and sees the same catalog, ownership included.
    const companion = createCatalogProvider({ client, backend: "companion" });
    expect(await companion.readCatalog()).toEqual(await provider.readCatalog());
    expect(changesOf(planFor(examples, await companion.readCatalog(), "companion"))).toEqual([]);
  });

  it("reads what the companion wrote and plans zero changes", async () => {
    const client = await target();
    const companion = createCatalogProvider({ client, backend: "companion" });
    const again = await applyThrough(companion, examples, dbProvider(db));
    expect(changesOf(again)).toEqual([]);
    expect((await dbProvider(db).readCatalog()).products.map((p) => p.ownedAs).sort()).toEqual(["mail-lite", "mail-premium", "workplace-standard"]);
  });

  it("converges random catalogs under strict sql_mode: apply, then plan again, gives zero changes", async () => {
    await assertAsyncProperty(
      fc.asyncProperty(desiredCatalogArb, async (desired) => {
        await target("usd-eur-gbp");
        await sandbox?.close();
        sandbox = undefined;
        const strict = dbProvider(db, { sqlMode: "STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION" });
        expect(changesOf(await applyThrough(strict, desired))).toEqual([]);
      }),
      { numRuns: 8, minRuns: 3 },
    );
  });

  it("upserts are idempotent by key, hide what a write leaves out, and replace links", async () => {
    await target();
    const writer = createDbCatalogBackend(dbOptions(db)).writer;
    const group = await writer.upsertProductGroup({ key: "g", state: { name: "Business Email", headline: "h", tagline: "t", hidden: false, order: 1 } });
    const options: ConfigOptionGroupWrite = {
      key: "opts",
      name: "Options",
      description: "d",
      options: [
        { key: "mailboxes", label: "Mailboxes", type: "quantity", min: 1, max: 0, order: 0, hidden: false, choices: [{ key: "", label: "Mailbox", order: 0, hidden: false, pricing: { "1": row({ monthly: "1.00" }, "0.00") } }] },
        {
          key: "plan",
          label: "Plan",
          type: "dropdown",
          min: 0,
          max: 0,
          order: 1,
          hidden: false,
          choices: [
            { key: "basic", label: "Basic", order: 0, hidden: false, pricing: {} },
            { key: "pro", label: "Pro", order: 1, hidden: false, pricing: { "2": row({ annually: "9.50" }, "0.00") } },
          ],
        },
      ],
    };
    const created = await writer.upsertConfigOptionGroup(options);
    expect(created.created).toBe(true);
    await expect(writer.upsertConfigOptionGroup(options)).resolves.toEqual({ id: created.id, created: false });
    const product: ProductWrite = {
      key: "p",
      groupId: group.id,
      name: "Zoho Mail Lite",
      description: "",
      type: "other",
      payType: "recurring",
      hidden: false,
      module: "zoho_mail",
      configOptionGroupIds: [created.id],
      pricing: { "1": row({ annually: "12.00" }, "-1.00") },
    };
    const p = await writer.upsertProduct(product);
    await expect(writer.upsertProduct(product)).resolves.toEqual({ id: p.id, created: false });

    await writer.upsertConfigOptionGroup({ ...options, id: created.id, options: [{ ...options.options[1]!, choices: [options.options[1]!.choices[1]!] }] });
    await writer.upsertProduct({ ...product, id: p.id, configOptionGroupIds: [] });
    const live = await createDbCatalogBackend(dbOptions(db)).readCatalog();
    const group2 = live.configOptionGroups.find((g) => g.remoteId === created.id)!;
    expect(group2.state.options["mailboxes"]?.hidden).toBe(true);
    expect(group2.state.options["plan"]?.choices["basic"]?.hidden).toBe(true);
    expect(group2.state.options["plan"]?.choices["pro"]).toMatchObject({ hidden: false, pricing: { EUR: row({ annually: "9.50" }, "0.00") } });
    expect(live.products.find((x) => x.remoteId === p.id)?.state.configOptionGroupIds).toEqual([]);
    const [counts] = await side.query<import("mysql2/promise").RowDataPacket[]>(
      "SELECT (SELECT COUNT(*) FROM tblproducts) AS products, (SELECT COUNT(*) FROM tblproductconfigoptions) AS options, (SELECT COUNT(*) FROM tblproductconfigoptionssub) AS subs",
    );
    expect(counts[0]).toMatchObject({ products: 1, options: 2, subs: 3 });
  });

  it("refuses conflicting ownership with the companion's texts and writes nothing", async () => {
    await target();
    const writer = createDbCatalogBackend(dbOptions(db)).writer;
    const a = await writer.upsertProductGroup({ key: "a", state: { name: "A", headline: "", tagline: "", hidden: false, order: 0 } });
    const before = await snapshot(side);
    await expect(writer.upsertProductGroup({ key: "b", id: a.id, state: { name: "B", headline: "", tagline: "", hidden: false, order: 0 } })).rejects.toMatchObject({
      code: "whmcs.db.ownership-conflict",
      message: `Resource ProductGroup ${a.id} is already owned by a; nothing was written`,
    });
    await expect(writer.upsertProductGroup({ key: "a", id: "999", state: { name: "A", headline: "", tagline: "", hidden: false, order: 0 } })).rejects.toMatchObject({
      code: "whmcs.db.not-found",
      message: "Resource ProductGroup 999 does not exist; nothing was written",
    });
    await expect(writer.upsertProductGroup({ key: "", state: { name: "A", headline: "", tagline: "", hidden: false, order: 0 } })).rejects.toMatchObject({ code: "whmcs.write.invalid" });
    expect(await snapshot(side)).toEqual(before);
  });

  describe("faults leave no half-written resource", () => {
    const bigOptions = (): ConfigOptionGroupWrite => ({
      key: "big",
      name: "Big options",
      description: "",
      options: ["a", "b", "c"].map((k, i) => ({
        key: k,
        label: k.toUpperCase(),
        type: "dropdown" as const,
        min: 0,
        max: 0,
        order: i,
        hidden: false,
        choices: ["x", "y"].map((c, j) => ({ key: c, label: c, order: j, hidden: false, pricing: { "1": row({ monthly: `${i}.${j}0` }, "0.00"), "2": row({}, "0.00") } })),
      })),
    });

    it("a connection killed between two statements rolls the whole write back, at every point of a create", async () => {
      await target();
      const statements: string[] = [];
      await createDbCatalogBackend(dbOptions(db, { beforeStatement: (sql) => void statements.push(sql) })).writer.upsertConfigOptionGroup({ ...bigOptions(), key: "probe" });
      expect(statements.length).toBeGreaterThan(20);
      await sandbox?.close();
      await target();
      const before = await snapshot(side);
      // Kill points spread over the whole write, from the first lookup to the ledger insert (COMMIT is last).
      expect(statements.at(-1)).toBe("COMMIT");
      expect(statements.at(-2)).toMatch(/^INSERT INTO `mod_zoho_reconcile_resources`/);
      const points = [1, 2, 5, Math.floor(statements.length / 2), statements.length - 3, statements.length - 2];
      for (const point of points) {
        const backend = createDbCatalogBackend(
          dbOptions(db, {
            beforeStatement: async (_sql, info) => {
              if (info.index === point) await side.query(`KILL ${info.connectionId}`);
            },
          }),
        );
        const err = await backend.writer.upsertConfigOptionGroup(bigOptions()).catch((e: unknown) => e);
        expect(err, `kill before statement ${point}`).toBeInstanceOf(WhmcsDbError);
        expect(err).toMatchObject({ code: "whmcs.db.connection-lost", nothingWritten: true, hint: "nothing was written; run the plan again" });
        expect((err as Error).message).toMatch(/ConfigOptionGroup\/big.*nothing was written/);
        expect(await snapshot(side), `rows after a kill before statement ${point}`).toEqual(before);
      }
      // The same write without a fault then goes through.
      await expect(createDbCatalogBackend(dbOptions(db)).writer.upsertConfigOptionGroup(bigOptions())).resolves.toMatchObject({ created: true });
    });

    it("a connection lost at COMMIT says the outcome is unknown, and running again converges", async () => {
      await target();
      const before = await snapshot(side);
      const killer = createDbCatalogBackend(
        dbOptions(db, {
          beforeStatement: async (sql, info) => {
            if (sql === "COMMIT") await side.query(`KILL ${info.connectionId}`);
          },
        }),
      );
      const err = await killer.writer.upsertConfigOptionGroup(bigOptions()).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "whmcs.db.commit-unknown", nothingWritten: false, phase: "commit" });
      expect((err as WhmcsDbError).hint).toMatch(/run the plan again/);
      // Killed before COMMIT reached the server: InnoDB rolled the transaction back.
      expect(await snapshot(side)).toEqual(before);
      const first = await createDbCatalogBackend(dbOptions(db)).writer.upsertConfigOptionGroup(bigOptions());
      await expect(createDbCatalogBackend(dbOptions(db)).writer.upsertConfigOptionGroup(bigOptions())).resolves.toEqual({ id: first.id, created: false });
    });

    it("a killed update keeps the old product, prices and links", async () => {
      await target();
      const writer = createDbCatalogBackend(dbOptions(db)).writer;
      const o = await writer.upsertConfigOptionGroup(bigOptions());
      const { product, p } = await oldProduct(writer, { configOptionGroupIds: [o.id], pricing: { "1": row({ annually: "12.00" }, "-1.00"), "2": row({ annually: "11.00" }, "-1.00") } });
      const before = await snapshot(side);
      let statements = 0;
      const killer = createDbCatalogBackend(
        dbOptions(db, {
          beforeStatement: async (sql, info) => {
            statements++;
            // After the product row, its links and the first currency's price were rewritten.
            if (/UPDATE `tblpricing`/.test(sql) && info.index > 0) await side.query(`KILL ${info.connectionId}`);
          },
        }),
      );
      const err = await killer.writer
        .upsertProduct({ ...product, id: p.id, name: "New", configOptionGroupIds: [], pricing: { "1": row({ annually: "99.00" }, "-1.00"), "2": row({ annually: "98.00" }, "-1.00") } })
        .catch((e: unknown) => e);
      expect(statements).toBeGreaterThan(5);
      expect(err).toMatchObject({ code: "whmcs.db.connection-lost", nothingWritten: true });
      expect(await snapshot(side)).toEqual(before);
    });

    it("a lock wait timeout on tblproducts rolls back and says who to wait for", async () => {
      await target();
      const writer = createDbCatalogBackend(dbOptions(db)).writer;
      const { product, p } = await oldProduct(writer);
      const before = await snapshot(side);
      await side.query("START TRANSACTION");
      await side.query("SELECT * FROM tblproducts WHERE id = ? FOR UPDATE", [Number(p.id)]);
      const waiting = createDbCatalogBackend(dbOptions(db, { lockWaitTimeoutSeconds: 1 }));
      const started = Date.now();
      const err = await waiting.writer.upsertProduct({ ...product, id: p.id, name: "New" }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(err).toBeInstanceOf(WhmcsDbError);
      expect(err).toMatchObject({ code: "whmcs.db.lock-timeout", sqlCode: "ER_LOCK_WAIT_TIMEOUT", nothingWritten: true });
      expect((err as Error).message).toMatch(/another process holds a lock on tblproducts.*nothing was written/);
      expect((err as WhmcsDbError).hint).toMatch(/another process holds a lock on tblproducts; retry when the WHMCS admin is idle/);
      await side.query("ROLLBACK");
      expect(await snapshot(side)).toEqual(before);
    });

    it("a lock wait timeout late in a write also undoes its earlier statements", async () => {
      await target();
      const writer = createDbCatalogBackend(dbOptions(db)).writer;
      const { product, p } = await oldProduct(writer);
      const before = await snapshot(side);
      await side.query("START TRANSACTION");
      await side.query("SELECT * FROM tblpricing WHERE type = 'product' AND relid = ? FOR UPDATE", [Number(p.id)]);
      const seen: string[] = [];
      const waiting = createDbCatalogBackend(dbOptions(db, { lockWaitTimeoutSeconds: 1, beforeStatement: (sql) => void seen.push(sql) }));
      const err = await waiting.writer.upsertProduct({ ...product, id: p.id, name: "New", pricing: { "1": row({ annually: "13.00" }, "-1.00") } }).catch((e: unknown) => e);
      expect(seen.some((sql) => sql.startsWith("UPDATE `tblproducts`"))).toBe(true);
      expect(err).toMatchObject({ code: "whmcs.db.lock-timeout", nothingWritten: true });
      expect((err as Error).message).toMatch(/lock on tblpricing/);
      await side.query("ROLLBACK");
      expect(await snapshot(side)).toEqual(before);
    });
  });

  describe("connection problems are typed and never show the password", () => {
    it("a wrong password is access-denied", async () => {
      const password = "wrong-db-password-8d3f";
      const backend = createDbCatalogBackend({ url: db.url, password: new Secret(password, "test") });
      const err = await backend.readCatalog().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "whmcs.db.access-denied", phase: "connect" });
      expect(JSON.stringify({ message: (err as Error).message, hint: (err as WhmcsDbError).hint })).not.toContain(password);
    });

    it("an unreachable server is connect-failed, with where it tried", async () => {
      const backend = createDbCatalogBackend({ url: "mysql://whmcs@127.0.0.1:1/whmcs", password: new Secret("unreachable-pass-123", "t"), connectTimeoutSeconds: 2 });
      const err = await backend.readCatalog().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "whmcs.db.connect-failed" });
      expect((err as Error).message).toContain("whmcs@127.0.0.1:1/whmcs");
      expect((err as Error).message).not.toContain("unreachable-pass-123");
    });

    it("a password inside the URL is refused before connecting", () => {
      expect(() => createDbCatalogBackend({ url: "mysql://whmcs:hunter22@127.0.0.1/whmcs" })).toThrow(expect.objectContaining({ code: "whmcs.db.config" }));
      expect(() => createDbCatalogBackend({ url: "mysql://whmcs@127.0.0.1/" })).toThrow(/must name the WHMCS database/);
      expect(() => createDbCatalogBackend({ url: db.url, lockWaitTimeoutSeconds: 0 })).toThrow(/lockWaitTimeoutSeconds/);
    });

    it("createCatalogProvider needs the database options for the db backend", () => {
      const client = { endpoint: "x" } as unknown as WhmcsClient;
      expect(() => createCatalogProvider({ client, backend: "db" })).toThrow(expect.objectContaining({ code: "whmcs.db.config" }));
      expect(createCatalogProvider({ client, backend: "db", database: dbOptions(db) }).writer?.backend).toBe("db");
    });
  });

  it("reads a WHMCS without the ledger table as owning nothing, and creates the table on the first write", async () => {
    await target();
    await side.query("DROP TABLE mod_zoho_reconcile_resources");
    const backend = createDbCatalogBackend(dbOptions(db));
    const live = await backend.readCatalog();
    expect(live.currencies.map((c) => c.code)).toEqual(["USD", "EUR"]);
    expect(live.ownershipKnown).toBe(true);
    await backend.writer.upsertProductGroup({ key: "g", state: { name: "G", headline: "", tagline: "", hidden: false, order: 0 } });
    expect((await backend.readCatalog()).productGroups.map((g) => g.ownedAs)).toEqual(["g"]);
  });
});
