import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteStore, startWhmcsSandbox, WhmcsSandboxError, type WhmcsSandbox } from "../../../src/sandbox/whmcs/index.js";
import { useTestDatabase } from "../../support/mariadb.js";
import { call, IDENTIFIER, post, sandbox } from "./harness.js";

const db = await useTestDatabase("persistence");

const dirs: string[] = [];
const open: WhmcsSandbox[] = [];
afterEach(async () => {
  for (const sb of open.splice(0)) await sb.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "whmcs-sandbox-"));
  dirs.push(dir);
  return join(dir, "whmcs.sqlite");
}

describe("persistence", () => {
  it("keeps the catalog in a file across a restart without seeding twice", async () => {
    const file = tempFile();
    const first = await sandbox({ sqliteFile: file, switches: { companion: true } });
    await call(first, "ReconcileUpsertProductGroup", "key=email&name=Email");
    expect((await call(first, "AddProduct", "gid=1&name=Kept&pricing[1][monthly]=3.00")).json["pid"]).toBe(1);
    await first.close();

    const second = await sandbox({ sqliteFile: file, switches: { companion: true } });
    open.push(second);
    const products = (await call(second, "GetProducts")).json["products"] as { product: { name: string }[] };
    expect(products.product.map((p) => p.name)).toEqual(["Kept"]);
    expect((await call(second, "GetCurrencies")).json["totalresults"]).toBe("1");
    expect((await call(second, "GetPaymentMethods")).json["totalresults"]).toBe(3);
    expect(await second.store.count("tbldeviceauth")).toBe(1);
    expect(await second.store.count("mod_zoho_reconcile_resources")).toBe(1);
  });

  it("refreshes a fixed credential's secret on restart", async () => {
    const file = tempFile();
    const first = await startWhmcsSandbox({ sqliteFile: file, credentials: { identifier: IDENTIFIER, secret: "old-secret-1" } });
    await first.close();
    const second = await startWhmcsSandbox({ sqliteFile: file, credentials: { identifier: IDENTIFIER, secret: "new-secret-2" } });
    open.push(second);
    const withOld = await post(second, `action=WhmcsDetails&responsetype=json&identifier=${IDENTIFIER}&secret=old-secret-1`);
    expect(withOld.json["message"]).toBe("Authentication Failed");
    const withNew = await post(second, `action=WhmcsDetails&responsetype=json&identifier=${IDENTIFIER}&secret=new-secret-2`);
    expect(withNew.json["result"]).toBe("success");
  });

  it("serves a store passed in and leaves closing it to the caller", async () => {
    const store = openSqliteStore();
    const sb = await sandbox({ store });
    expect((await call(sb, "WhmcsDetails")).json["result"]).toBe("success");
    await sb.close();
    expect(await store.count("tblcurrencies")).toBe(1);
    await store.close();
  });

  it("rejects bad options with typed errors", async () => {
    await expect(startWhmcsSandbox({ host: "0.0.0.0" })).rejects.toBeInstanceOf(WhmcsSandboxError);
    await expect(startWhmcsSandbox({ accessKey: "no spaces" })).rejects.toThrow(/access key/);
    await expect(startWhmcsSandbox({ switches: { nope: true } as never })).rejects.toThrow(/unknown WHMCS sandbox switch "nope"/);
    await expect(startWhmcsSandbox({ basePath: "/a b" })).rejects.toThrow(/invalid base path/);
    await expect(startWhmcsSandbox({ allowedIps: ["not-an-ip"] })).rejects.toThrow(/not an IP address/);
    await expect(startWhmcsSandbox({ credentials: { identifier: "", secret: "x" } })).rejects.toThrow(/non-empty identifier/);
    const extra = openSqliteStore();
    await expect(startWhmcsSandbox({ store: extra, sqliteFile: "x" })).rejects.toThrow(/either `store` or `sqliteFile`/);
    await extra.close();
  });
});

describe.skipIf(!db.available)("persistence on MariaDB", () => {
  it("keeps state in the database across sandbox restarts, seeding once, and leaves the store open", async () => {
    const store = await db.freshStore();
    const first = await sandbox({ store, switches: { companion: true } });
    await call(first, "ReconcileUpsertProductGroup", "key=email&name=Email");
    expect((await call(first, "AddClient", "firstname=A&lastname=B&email=a%40example.com&address1=x&city=x&state=x&postcode=x&country=GB&phonenumber=1")).json["clientid"]).toBe("1");
    await first.close();
    expect(await store.count("tblclients")).toBe(1);

    const other = await db.openStore();
    try {
      const second = await sandbox({ store: other, switches: { companion: true } });
      open.push(second);
      expect((await call(second, "GetClients")).json["totalresults"]).toBe(1);
      expect((await call(second, "GetCurrencies")).json["totalresults"]).toBe("1");
      expect(await other.count("tbldeviceauth")).toBe(1);
      expect(await other.count("tblservers")).toBe(1);
      await second.close();
    } finally {
      await other.close();
    }
  });
});
