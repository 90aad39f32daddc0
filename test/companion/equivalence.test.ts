import type { RowDataPacket } from "mysql2/promise";
import { afterEach, describe, expect, it } from "vitest";
import { PRICE_KEYS } from "../../src/core/cycles.js";
import { configGroupParams, productGroupParams, productParams } from "../../src/providers/whmcs/index.js";
import type { PriceRow } from "../../src/model/catalog.js";
import { seedDefaults, startWhmcsSandbox, type WhmcsSandbox, type WhmcsStore } from "../../src/sandbox/whmcs/index.js";
import { useTestDatabase } from "../support/mariadb.js";
import { catalogRows, request, runPhp, runSandbox, type CompanionRequest } from "./companion.js";
import { usePhp } from "./php.js";
import { sideConnection } from "../providers/whmcs/db-support.js";

/**
 * The proof that the PHP files the project ships and the sandbox's companion actions agree: the
 * same requests, each side on its own fresh MariaDB database with WHMCS's tables, must give the
 * same responses (texts of errors included) and leave the same rows.
 */
const php = usePhp("companion equivalence", ["pdo_mysql"]);
const phpDb = await useTestDatabase("companion-php");
const sandboxDb = await useTestDatabase("companion-sandbox");

const row = (over: Partial<PriceRow>, notOffered = "0.00"): PriceRow => {
  const out: Record<string, string> = {};
  for (const k of PRICE_KEYS) out[k] = k.endsWith("setupfee") ? "0.00" : notOffered;
  return { ...(out as PriceRow), ...over };
};
const twelve = (prefix: string, over: Record<string, string> = {}): string => PRICE_KEYS.map((k) => `${prefix}[${k}]=${over[k] ?? "0.00"}`).join("&");
const enc = (s: string): string => s.replace(/\[/g, "%5B").replace(/\]/g, "%5D");

/** Rows both databases start with besides the default seed: an unowned group and option group, a client. */
async function seed(store: WhmcsStore): Promise<void> {
  await seedDefaults(store, new Date("2026-01-01T00:00:00Z"), { eur: true });
  await store.insert("tblproductgroups", { name: "Legacy", slug: "legacy", headline: null, tagline: null, orderfrmtpl: "", disabledgateways: "", hidden: 0, order: 9 });
  await store.insert("tblproductconfiggroups", { name: "Unowned options", description: "" });
  // Names without `key|`: matched by their whole text when adopted.
  await store.insert("tblproductconfigoptions", { gid: 1, optionname: "Legacy plan", optiontype: "1", qtyminimum: 0, qtymaximum: 0, order: 0, hidden: 0 });
  await store.insert("tblproductconfigoptionssub", { configid: 1, optionname: "Basic", sortorder: 0, hidden: 0 });
  await store.insert("tblproductconfigoptionssub", { configid: 1, optionname: "Pro|Pro plan", sortorder: 1, hidden: 0 });
  await store.insert("tblclients", { firstname: "Ada", lastname: "L", email: "ada@example.com", currency: 2, status: "Active", datecreated: "2026-01-01" });
}

async function services(store: WhmcsStore): Promise<void> {
  for (const [packageid, billingcycle, userid, domainstatus] of [
    [1, "Annually", 1, "Active"],
    [1, "Annually", 1, "Active"],
    [1, "Monthly", 1, "Suspended"],
    [2, "Semi-Annually", 1, "Active"],
    [2, "Semi-Annually", 77, "Active"],
  ] as const) {
    await store.insert("tblhosting", { userid, orderid: 1, packageid, regdate: "2026-01-01", domain: "x.example", billingcycle, domainstatus, nextinvoicedate: "2026-02-01" });
  }
}

const groupWrite = productGroupParams({ key: "business-email", state: { name: "Business & Email <b>", headline: "Héadline € 日本", tagline: "", hidden: false, order: 1 } });

const optionsWrite = configGroupParams({
  key: "mail-options",
  name: "Mail options",
  description: "Mailboxes & plans",
  options: [
    { key: "mailboxes", label: "Mailboxes", type: "quantity", min: 1, max: 0, order: 0, hidden: false, choices: [{ key: "", label: "Mailbox", order: 0, hidden: false, pricing: { "1": row({ monthly: "1.00", annually: "12.00" }), "2": row({ annually: "11.40" }) } }] },
    {
      key: "plan",
      label: "Plan",
      type: "dropdown",
      min: 0,
      max: 0,
      order: 1,
      hidden: false,
      choices: [
        { key: "basic", label: "Basic", order: 0, hidden: false, pricing: { "1": row({}) } },
        { key: "pro", label: "Pro & more", order: 1, hidden: false, pricing: { "1": row({ monthly: "5.00" }), "2": row({ monthly: "4.50" }) } },
      ],
    },
    { key: "backup", label: "Backup", type: "yesno", min: 0, max: 0, order: 2, hidden: false, choices: [{ key: "", label: "Enable backup", order: 0, hidden: false, pricing: { "1": row({ monthly: "2.00" }) } }] },
    { key: "region", label: "Region", type: "radio", min: 0, max: 0, order: 3, hidden: true, choices: [{ key: "eu", label: "EU", order: 0, hidden: false, pricing: {} }] },
  ],
});

const product = (gid: string, groups: string[], over: Record<string, unknown> = {}) =>
  productParams({
    key: "mail-lite",
    groupId: gid,
    name: "Zoho Mail Lite",
    description: "Ad-free <b>email</b>",
    type: "other",
    payType: "recurring",
    hidden: false,
    module: "zoho_mail",
    configOptionGroupIds: groups,
    pricing: { "1": row({ annually: "12.00", asetupfee: "1.00" }, "-1.00"), "2": row({ monthly: "1.50" }, "-1.00") },
    ...over,
  });

/** A catalog built, changed and adopted; then every documented error, each leaving the rows alone. */
function scenario(): CompanionRequest[] {
  const g = "ReconcileUpsertProductGroup" as const;
  const p = "ReconcileUpsertProduct" as const;
  const c = "ReconcileUpsertConfigGroup" as const;
  const base = "key=k&name=N";
  const opt = (rest: string) => `key=o&name=O&${enc(rest)}`;
  const prod = (rest: string) => `key=p2&name=P&gid=2&${enc(rest)}`;
  return [
    request("ReconcileGetCatalog"),
    request(g, groupWrite),
    request(g, groupWrite),
    request(g, { ...groupWrite, key: "second-email" }),
    request(c, optionsWrite),
    request(p, product("2", ["2"])),
    request(p, { ...product("2", ["2", "1"]), key: "mail-lite-copy" }),
    request(c, {
      ...configGroupParams({
        key: "mail-options",
        id: "2",
        name: "Mail options v2",
        description: "",
        options: [
          { key: "plan", label: "Plan", type: "dropdown", min: 0, max: 0, order: 0, hidden: false, choices: [{ key: "pro", label: "Pro", order: 0, hidden: false, pricing: { "2": row({ monthly: "4.75" }) } }, { key: "max", label: "Max", order: 1, hidden: false, pricing: {} }] },
          { key: "mailboxes", label: "Users", type: "quantity", min: 2, max: 50, order: 1, hidden: false, choices: [{ key: "", label: "User", order: 0, hidden: false, pricing: {} }] },
        ],
      }),
    }),
    request(p, `${enc(`key=mail-lite&id=1&name=Zoho Mail Lite 2&gid=2&configgroups=&${twelve("pricing[2]", { monthly: "2.00" })}`)}`),
    request(p, "key=partial&name=Partial&gid=2"),
    request(p, "key=partial&name=Partial again&gid=2&hidden=on&description=d&module=zoho_mail&type=server&paytype=free"),
    request(g, "key=legacy&id=1&name=Legacy&order=3&hidden=yes"),
    request(g, "key=no-description&name=Only name"),
    // Custom fields: ensured by name, never duplicated, never removed; other fields stay as they are.
    request(p, `key=fields&name=Fields&gid=2&${enc("customfields[]=ZOID&customfields[]= Notes &customfields[]=ZOID")}`),
    request(p, `key=fields&name=Fields&gid=2&${enc("customfields[]=Notes&customfields[]=Zoho super admin")}`),
    request(p, "key=fields&name=Fields&gid=2&customfields="),
    request(p, "key=fields&name=Fields&gid=2&customfields=Single"),
    request("ReconcileGetCatalog"),

    // Errors, in the order the contract lists them.
    request(g, "name=x"),
    request(g, "key[]=x&name=x"),
    request(g, `key=k&id=abc&name=x`),
    request(g, `key=k&id=0&name=x`),
    request(g, `key=k&id=${encodeURIComponent('é"/\\')}&name=x`),
    request(g, "key=k&id=999&name=x"),
    request(g, "key=x"),
    request(c, "key=x"),
    request(p, "key=x"),
    request(g, `${base}&order=1.5`),
    request(g, `${base}&order=`),
    request(g, `${base}&hidden=maybe`),
    request(g, `${base}&${enc("hidden[]=1")}`),
    request(p, prod("type=vps")),
    request(p, prod("type=")),
    request(p, prod("paytype=monthly")),
    request(p, "key=p2&name=P"),
    request(p, "key=p2&name=P&gid=abc"),
    request(p, "key=p2&name=P&gid=999"),
    request(p, prod("configgroups[]=abc")),
    request(p, prod("configgroups[]=999")),
    request(p, prod("configgroups[0][x]=1")),
    request(p, prod("pricing=abc")),
    request(p, prod(twelve("pricing[9]"))),
    request(p, prod(twelve("pricing[01]"))),
    request(p, prod("pricing[1]=x")),
    request(p, prod("pricing[1][monthly]=1.00")),
    request(p, prod(twelve("pricing[1]", { annually: "1.234" }))),
    request(p, prod(twelve("pricing[1]", { annually: "abc" }))),
    request(p, prod(`${twelve("pricing[1]")}&pricing[1][qsetupfee][]=x`)),
    request(p, prod(`${twelve("pricing[1]")}&${twelve("pricing[2]", { monthly: "-" })}`)),
    request(p, prod("customfields[]=")),
    request(p, prod("customfields[]=ok&customfields[]=%20")),
    request(p, prod("customfields[0][x]=1")),
    request(c, opt("options=abc")),
    request(c, opt("options[0]=x")),
    request(c, opt("options[0][type]=1")),
    request(c, opt("options[3][key]=a|b&options[3][type]=1")),
    request(c, opt("options[0][key]=a&options[0][type]=4&options[0][choices][0][key]=&options[1][key]=a&options[1][type]=1")),
    request(c, opt("options[0][key]=a&options[0][type]=5")),
    request(c, opt("options[0][key]=a")),
    request(c, opt("options[0][key]=a&options[0][type]=1&options[0][choices]=abc")),
    request(c, opt("options[0][key]=a&options[0][type]=1&options[0][choices][0]=x")),
    request(c, opt("options[0][key]=a&options[0][type]=1&options[0][choices][0][key]=x|y")),
    request(c, opt("options[0][key]=a&options[0][type]=1&options[0][choices][0][key]=x&options[0][choices][1][key]=x")),
    request(c, opt("options[0][key]=a&options[0][type]=4&options[0][choices][0][key]=&options[0][choices][1][key]=b")),
    request(c, opt("options[0][key]=a&options[0][type]=3")),
    request(c, opt("options[0][key]=a&options[0][type]=2&options[0][choices][0][key]=")),
    request(c, opt("options[0][key]=a&options[0][type]=1&options[0][choices][0][key]=x&options[0][min]=x")),
    request(c, opt("options[0][key]=a&options[0][type]=1&options[0][choices][0][key]=x&options[0][max]= 7&options[0][order]=o")),
    request(c, opt("options[0][key]=a&options[0][type]=1&options[0][choices][0][key]=x&options[0][hidden]=2")),
    request(c, opt("options[0][key]=a&options[0][type]=1&options[0][choices][0][key]=x&options[0][choices][0][order]=1e3")),
    request(c, opt("options[0][key]=a&options[0][type]=1&options[0][choices][0][key]=x&options[0][choices][0][hidden]=nope")),
    request(c, opt(`options[0][key]=a&options[0][type]=1&options[0][choices][0][key]=x&${twelve("options[0][choices][0][pricing][1]")}&options[0][choices][1][key]=y&options[0][choices][1][pricing][2][monthly]=1`)),
    request(g, "key=second-email&id=1&name=x"),
    request(g, "key=business-email&id=3&name=x"),
    request(p, `key=mail-lite&id=2&name=x&gid=2`),
    request(c, "key=mail-options&id=1&name=x"),
    request(c, {
      ...configGroupParams({
        key: "legacy-options",
        id: "1",
        name: "Unowned options",
        description: "adopted",
        options: [
          {
            key: "Legacy plan",
            label: "Plan",
            type: "dropdown",
            min: 0,
            max: 0,
            order: 0,
            hidden: false,
            choices: [
              { key: "Pro", label: "Pro plan", order: 0, hidden: false, pricing: {} },
              { key: "Basic", label: "Basic plan", order: 1, hidden: false, pricing: { "1": row({ monthly: "3.00" }) } },
            ],
          },
        ],
      }),
    }),
    request("ReconcileGetCatalog"),
  ];
}

describe.skipIf(!php.available || !phpDb.available || !sandboxDb.available)(`the shipped companion PHP (PHP ${php.version ?? "missing"}) and the sandbox agree`, () => {
  let sandbox: WhmcsSandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it.each([
    ["non-strict sql_mode, as production WHMCS runs", "NO_ENGINE_SUBSTITUTION"],
    ["strict sql_mode", "STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"],
  ])("on every response, error texts included, and on every row written (PHP under %s)", async (_mode, sqlMode) => {
    const phpStore = await phpDb.freshStore();
    await seed(phpStore);
    await services(phpStore);
    const sandboxStore = await sandboxDb.freshStore();
    sandbox = await startWhmcsSandbox({ store: sandboxStore, seed: false, switches: { companion: true } });
    await seed(sandboxStore);
    await services(sandboxStore);

    const requests = scenario();
    const fromPhp = runPhp(php, phpDb, requests, sqlMode);
    const fromSandbox = await runSandbox(sandbox, requests);
    expect(fromPhp).toHaveLength(requests.length);
    requests.forEach((r, i) => {
      expect(fromPhp[i], `request ${i}: ${r.action} ${decodeURIComponent(r.body).slice(0, 160)}`).toEqual(fromSandbox[i]);
    });
    // Errors must be errors on both sides, not agreeing successes.
    const errors = fromSandbox.filter((x) => (x as { result?: string }).result === "error").length;
    expect(errors).toBeGreaterThan(50);
    expect(await catalogRows(phpDb)).toEqual(await catalogRows(sandboxDb));

    const catalog = fromPhp.at(-1) as Record<string, unknown>;
    const products = catalog["products"] as { id: number; name: string }[];
    const fieldsOf = (name: string) =>
      (catalog["customfields"] as { relid: number; fieldname: string; adminonly: string; showorder: string }[])
        .filter((f) => f.relid === products.find((x) => x.name === name)?.id)
        .map((f) => `${f.fieldname}:${f.adminonly}:${f.showorder}`);
    expect(fieldsOf("Fields")).toEqual(["ZOID:on:", "Notes:on:", "Zoho super admin:on:", "Single:on:"]);
    expect(fieldsOf("Zoho Mail Lite 2")).toEqual(["ZOID:on:", "Zoho super admin:on:", "Zoho domain verified:on:", "Zoho verification code:on:", "Zoho verification checked:on:"]);
    expect(catalog["servicecounts"]).toEqual([
      { pid: 1, billingcycle: "Annually", currency: 2, count: 2 },
      { pid: 2, billingcycle: "Semi-Annually", currency: 0, count: 1 },
      { pid: 2, billingcycle: "Semi-Annually", currency: 2, count: 1 },
    ]);
  });

  it("creates the ownership ledger when WHMCS has none yet", async () => {
    const store = await phpDb.freshStore();
    await seed(store);
    const conn = await sideConnection(phpDb);
    try {
      await conn.query("DROP TABLE `mod_zoho_reconcile_resources`");
      const [first, second] = runPhp(php, phpDb, [request("ReconcileGetCatalog"), request("ReconcileUpsertProductGroup", "key=g&name=G")]);
      expect(first).toMatchObject({ result: "success", resources: [] });
      expect(second).toEqual({ result: "success", id: 2, created: true });
      const [rows] = await conn.query<RowDataPacket[]>("SELECT `kind`, `name`, `relid` FROM `mod_zoho_reconcile_resources`");
      expect(rows).toEqual([{ kind: "ProductGroup", name: "g", relid: 2 }]);
    } finally {
      await conn.end();
    }
  });

  it("the hook file registers its admin-area hook", () => {
    const url = new URL(phpDb.url);
    const out = JSON.parse(
      php.run(
        "run.php",
        [],
        JSON.stringify({
          root: new URL("../../companion", import.meta.url).pathname,
          database: { host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username || "root"), password: phpDb.password ?? "", name: phpDb.database },
          requests: [{ file: "hooks/zoho_whmcs_reconcile.php", body: "" }],
        }),
      ),
    ) as { hooks: unknown[] };
    expect(out.hooks).toEqual([["AdminAreaPage", 1]]);
  });
});
