import type { Connection, RowDataPacket } from "mysql2/promise";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PriceRow } from "../../../src/model/catalog.js";
import type { ProductWrite } from "../../../src/model/provider.js";
import { catalogRowsFromCompanion, createCatalogProvider, createDbCatalogBackend, encodeForm, liveCatalogFromRows, productParams, WhmcsDbError } from "../../../src/providers/whmcs/index.js";
import type { WhmcsSandbox } from "../../../src/sandbox/whmcs/index.js";
import { useTestDatabase } from "../../support/mariadb.js";
import { dbOptions, sandboxOn, sideConnection } from "./db-support.js";
import { companionCatalog } from "./fixtures.js";

const FIELDS = ["ZOID", "Zoho domain verified", "Zoho super admin", "Zoho verification checked", "Zoho verification code"];
const price = (over: Partial<PriceRow> = {}): PriceRow => ({
  msetupfee: "0.00",
  qsetupfee: "0.00",
  ssetupfee: "0.00",
  asetupfee: "0.00",
  bsetupfee: "0.00",
  tsetupfee: "0.00",
  monthly: "-1.00",
  quarterly: "-1.00",
  semiannually: "-1.00",
  annually: "10.00",
  biennially: "-1.00",
  triennially: "-1.00",
  ...over,
});
const write = (over: Partial<ProductWrite> = {}): ProductWrite => ({
  key: "mail-lite",
  groupId: "1",
  name: "Zoho Mail Lite",
  description: "",
  type: "other",
  payType: "recurring",
  hidden: false,
  module: "zoho_mail",
  configOptionGroupIds: [],
  pricing: { "1": price() },
  ...over,
});

describe("record fields in the catalog backends", () => {
  it("productParams asks for the record fields on zoho_mail products only", () => {
    const decoded = new URLSearchParams(encodeForm(productParams(write())));
    expect([0, 1, 2, 3, 4].flatMap((i) => decoded.getAll(`customfields[${i}]`))).toEqual(["ZOID", "Zoho super admin", "Zoho domain verified", "Zoho verification code", "Zoho verification checked"]);
    expect([...new URLSearchParams(encodeForm(productParams(write({ module: "cpanel" })))).keys()].some((k) => k.startsWith("customfields"))).toBe(false);
  });

  it("the companion catalog carries each product's custom field names; an older companion leaves them unknown", () => {
    const rows = companionCatalog({
      customfields: [
        { id: 9, relid: 7, fieldname: "Zoho super admin", fieldtype: "text", adminonly: "on", showorder: "", sortorder: 1 },
        { id: 8, relid: 7, fieldname: "ZOID", fieldtype: "text", adminonly: "on", showorder: "", sortorder: 0 },
        { id: 10, relid: "12", fieldname: "A &amp; B", fieldtype: "text", adminonly: "", showorder: "on", sortorder: 0 },
      ],
    });
    expect(liveCatalogFromRows(catalogRowsFromCompanion(rows)).productCustomFields).toEqual({ "7": ["ZOID", "Zoho super admin"], "12": ["A & B"] });
    const { customfields: _gone, ...older } = companionCatalog({}) as Record<string, unknown>;
    expect(liveCatalogFromRows(catalogRowsFromCompanion(older))).not.toHaveProperty("productCustomFields");
  });
});

const db = await useTestDatabase("record-fields");

describe.skipIf(!db.available)("record fields and the zoho_mail table on MariaDB (db backend)", () => {
  let side: Connection;
  let sandbox: WhmcsSandbox | undefined;
  beforeAll(async () => {
    side = await sideConnection(db);
  });
  afterAll(async () => {
    await side?.end();
  });
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it("a db upsert of a zoho_mail product adds the missing fields once, and both backends read them back", async () => {
    const started = await sandboxOn(db);
    sandbox = started.sandbox;
    await started.sandbox.store.insert("tblproductgroups", { name: "Email", slug: "email", orderfrmtpl: "", disabledgateways: "", hidden: 0, order: 1 });
    const backend = createDbCatalogBackend(dbOptions(db));
    const { id } = await backend.writer.upsertProduct(write());
    await side.query("INSERT INTO `tblcustomfields` (`type`, `relid`, `fieldname`, `fieldtype`, `description`, `fieldoptions`, `regexpr`, `adminonly`, `required`, `showorder`, `showinvoice`, `sortorder`) VALUES ('product', ?, 'Notes', 'textarea', '', '', '', '', '', 'on', '', 5)", [Number(id)]);
    await backend.writer.upsertProduct(write({ id }));
    const [rows] = await side.query<RowDataPacket[]>("SELECT `fieldname`, `fieldtype`, `adminonly`, `showorder` FROM `tblcustomfields` WHERE `relid` = ? ORDER BY `id`", [Number(id)]);
    expect(rows.map((r) => `${r["fieldname"]}|${r["fieldtype"]}|${r["adminonly"]}|${r["showorder"]}`)).toEqual([
      "ZOID|text|on|",
      "Zoho super admin|text|on|",
      "Zoho domain verified|text|on|",
      "Zoho verification code|text|on|",
      "Zoho verification checked|text|on|",
      "Notes|textarea||on",
    ]);
    expect((await backend.readCatalog()).productCustomFields).toEqual({ [id]: ["Notes", ...FIELDS] });
    const companion = createCatalogProvider({ client: started.client, backend: "companion" });
    expect((await companion.readCatalog()).productCustomFields).toEqual({ [id]: ["Notes", ...FIELDS] });
  });

  it("writes the zoho_mail module's row: inserted, then updated by zoid or by domain", async () => {
    sandbox = (await sandboxOn(db)).sandbox;
    const backend = createDbCatalogBackend(dbOptions(db));
    const row = { domain: "acme.example", zoid: "101", superAdmin: "it@acme.example", isverified: "false" as const, url: "https://mailadmin.zoho.eu/cpanel/home.do?zaaid=101#dashboard" };
    await backend.moduleTable.upsert(row);
    await backend.moduleTable.upsert({ ...row, isverified: "true" });
    await backend.moduleTable.upsert({ ...row, zoid: "202", url: "u" });
    const [rows] = await side.query<RowDataPacket[]>("SELECT `domain`, `zoid`, `superAdmin`, `isverified`, `url` FROM `zoho_mail`");
    expect(rows.map((r) => ({ ...r }))).toEqual([{ domain: "acme.example", zoid: "202", superAdmin: "it@acme.example", isverified: "false", url: "u" }]);
  });

  it("without the module's table it says so and writes nothing", async () => {
    sandbox = (await sandboxOn(db)).sandbox;
    await side.query("DROP TABLE `zoho_mail`");
    const backend = createDbCatalogBackend(dbOptions(db));
    const err = await backend.moduleTable.upsert({ domain: "a.example", zoid: "1", superAdmin: "x@a.example", isverified: "false", url: "u" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WhmcsDbError);
    expect(err).toMatchObject({ code: "whmcs.db.no-module-table", nothingWritten: true });
    expect((err as WhmcsDbError).hint).toMatch(/zoho_mail module creates its table/);
  });
});
