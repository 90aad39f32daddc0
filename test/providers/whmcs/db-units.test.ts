import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dbError, tableOf } from "../../../src/providers/whmcs/db/errors.js";
import { slugify } from "../../../src/providers/whmcs/db/catalog-rows.js";
import { parseDbUrl } from "../../../src/providers/whmcs/index.js";
import { slugify as sandboxSlugify } from "../../../src/sandbox/whmcs/catalog/slug.js";

const target = parseDbUrl("mysql://whmcs@db.internal/whmcs");

describe("parseDbUrl", () => {
  it("reads user, host, port and database, and labels them without secrets", () => {
    expect(parseDbUrl("mariadb://reconcile@[::1]:3307/whmcs_8")).toEqual({ host: "::1", port: 3307, user: "reconcile", database: "whmcs_8", label: "reconcile@[::1]:3307/whmcs_8" });
    expect(target).toMatchObject({ port: 3306, label: "whmcs@db.internal:3306/whmcs" });
  });

  it.each([
    ["not a url", /not a valid URL/],
    ["postgres://u@h/db", /mysql:\/\/ or mariadb:\/\//],
    ["mysql://u:secret-pass@h/db", /must not contain a password/],
    ["mysql://u@h/db?ssl=1", /query string/],
    ["mysql://u@h", /must name the WHMCS database/],
    ["mysql://u@h/a;drop", /must name the WHMCS database/],
  ])("refuses %s", (url, message) => {
    let caught: unknown;
    try {
      parseDbUrl(url);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: "whmcs.db.config" });
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).not.toContain("secret-pass");
  });
});

describe("dbError", () => {
  const err = (code: string, message = "boom", extra: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, sqlMessage: message, ...extra });

  it("says what a failure means for the data and what to do", () => {
    expect(dbError(err("ER_LOCK_WAIT_TIMEOUT"), { phase: "write", target, resource: "Product/p", sql: "UPDATE `tblproducts` SET `name` = ? WHERE `id` = ?" })).toMatchObject({
      code: "whmcs.db.lock-timeout",
      nothingWritten: true,
      hint: expect.stringMatching(/^another process holds a lock on tblproducts; retry when the WHMCS admin is idle/),
    });
    expect(dbError(err("PROTOCOL_CONNECTION_LOST"), { phase: "write", target, resource: "Product/p" })).toMatchObject({
      code: "whmcs.db.connection-lost",
      nothingWritten: true,
      hint: "nothing was written; run the plan again",
    });
    expect(dbError(err("PROTOCOL_CONNECTION_LOST"), { phase: "commit", target, resource: "Product/p" })).toMatchObject({ code: "whmcs.db.commit-unknown", nothingWritten: false });
    expect(dbError(err("ER_LOCK_DEADLOCK"), { phase: "write", target })).toMatchObject({ code: "whmcs.db.deadlock", nothingWritten: true });
    expect(dbError(err("ER_NO_SUCH_TABLE"), { phase: "read", target })).toMatchObject({ code: "whmcs.db.schema" });
    expect(dbError(err("ER_TABLEACCESS_DENIED_ERROR"), { phase: "write", target, sql: "INSERT INTO `tblpricing` (`a`) VALUES (?)" }).message).toMatch(/may not write tblpricing/);
    expect(dbError(err("ECONNREFUSED"), { phase: "connect", target })).toMatchObject({ code: "whmcs.db.connect-failed" });
    expect(dbError(err("ER_ACCESS_DENIED_ERROR"), { phase: "connect", target })).toMatchObject({ code: "whmcs.db.access-denied" });
    expect(dbError(Object.assign(new Error("Can't add new command when connection is in closed state"), { fatal: true }), { phase: "write", target })).toMatchObject({
      code: "whmcs.db.connection-lost",
    });
    expect(dbError(err("ER_DUP_ENTRY"), { phase: "write", target, resource: "Product/p" })).toMatchObject({ code: "whmcs.db.query-failed", nothingWritten: true });
  });

  it("finds the table of a statement", () => {
    expect(tableOf("SELECT `id` FROM `tblpricing` WHERE 1")).toBe("tblpricing");
    expect(tableOf("insert into tblproducts (a) values (1)")).toBe("tblproducts");
    expect(tableOf("DELETE FROM `tblproductconfiglinks` WHERE `id` = ?")).toBe("tblproductconfiglinks");
    expect(tableOf("COMMIT")).toBeUndefined();
  });
});

describe("slugify", () => {
  it("makes the same slugs as the sandbox's companion", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "grapheme", maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 })), (name) => {
        expect(slugify(name, "product")).toBe(sandboxSlugify(name, "product"));
      }),
    );
    expect(slugify("Zoho Mäil — Lite!", "x")).toBe("zoho-mail-lite");
    expect(slugify("日本", "group")).toBe("group");
  });
});
