import { describe, expect, it } from "vitest";
import type { WhmcsSandbox, WhmcsSandboxOptions } from "../../../src/sandbox/whmcs/index.js";
import { engines, useEngine } from "./engines.js";
import { call } from "./harness.js";
import { addClient, b64, CLIENT_FIELDS } from "./orders-fixture.js";

const ENGINES = await engines("clients");

describe.each(ENGINES)("clients on %s", (_name, engine) => {
  const scope = useEngine(engine);
  function start(options: WhmcsSandboxOptions = {}): Promise<WhmcsSandbox> {
    return scope.sandbox({ seedEur: true, ...options });
  }

  describe("AddClient", () => {
    it("creates a client and answers clientid as a string, with the id of the owner user it creates", async () => {
      const sb = await start();
      const r = await call(sb, "AddClient", `${CLIENT_FIELDS}&email=it%40acme.example&currency=2&groupid=3&notes=VIP`);
      expect(r.json).toEqual({ result: "success", clientid: "1", owner_id: 1 });
      expect(r.text).toBe('{"result":"success","clientid":"1","owner_id":1}');
      expect(await sb.store.selectOne("tblusers", { id: 1 })).toMatchObject({ first_name: "Ada", last_name: "Lovelace", email: "it@acme.example" });
      expect(await sb.store.select("tblusers_clients", {}, { columns: ["auth_user_id", "client_id", "owner"] })).toEqual([{ auth_user_id: 1, client_id: 1, owner: 1 }]);
      expect(await sb.store.selectOne("tblclients", { id: 1 })).toMatchObject({
        firstname: "Ada",
        lastname: "Lovelace",
        companyname: "Acme Ltd",
        email: "it@acme.example",
        country: "GB",
        phonenumber: "+44.2071234567",
        currency: 2,
        groupid: 3,
        notes: "VIP",
        status: "Active",
        datecreated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      });
      expect(String((await sb.store.selectOne("tblclients"))?.["uuid"])).toMatch(/^[0-9a-f-]{36}$/);
    });

    it.each([
      ["firstname", "You did not enter your first name"],
      ["lastname", "You did not enter your last name"],
      ["address1", "You did not enter your address (line 1)"],
      ["city", "You did not enter your city"],
      ["state", "You did not enter your state"],
      ["postcode", "You did not enter your postcode"],
      ["country", "Please choose your country"],
      ["phonenumber", "You did not enter your phone number"],
    ])("requires %s", async (field, message) => {
      const sb = await start();
      const fields = CLIENT_FIELDS.split("&").filter((p) => !p.startsWith(`${field}=`)).join("&");
      expect((await call(sb, "AddClient", `${fields}&email=x%40example.com`)).json).toEqual({ result: "error", message });
      // skipvalidation skips the contact fields, never the e-mail.
      expect((await call(sb, "AddClient", `${fields}&email=x%40example.com&skipvalidation=1`)).json["result"]).toBe("success");
    });

    it("links a client to an existing owner user with owner_user_id, and refuses an unknown one", async () => {
      const sb = await start();
      const first = await call(sb, "AddClient", `${CLIENT_FIELDS}&email=owner%40acme.example`);
      expect(first.json).toMatchObject({ clientid: "1", owner_id: 1 });
      const second = await call(sb, "AddClient", `${CLIENT_FIELDS}&email=billing%40acme.example&owner_user_id=1`);
      expect(second.json).toEqual({ result: "success", clientid: "2", owner_id: 1 });
      expect(await sb.store.count("tblusers")).toBe(1);
      expect(await sb.store.select("tblusers_clients", { auth_user_id: 1 }, { columns: ["client_id", "owner"] })).toEqual([
        { client_id: 1, owner: 1 },
        { client_id: 2, owner: 1 },
      ]);
      expect((await call(sb, "AddClient", `${CLIENT_FIELDS}&email=x%40acme.example&owner_user_id=7`)).json).toEqual({ result: "error", message: "Invalid Owner User ID" });
      expect(await sb.store.count("tblclients")).toBe(2);
      // A new owner user needs an e-mail no user has yet.
      await sb.store.update("tblusers", { id: 1 }, { email: "taken@acme.example" });
      expect((await call(sb, "AddClient", `${CLIENT_FIELDS}&email=taken%40acme.example`)).json).toEqual({ result: "error", message: "A user already exists with that email address" });
      sb.switches.addClientOwnerId = "string";
      expect((await call(sb, "AddClient", `${CLIENT_FIELDS}&email=s%40acme.example`)).json).toEqual({ result: "success", clientid: "3", owner_id: "2" });
      sb.switches.addClientOwnerId = "omit";
      expect((await call(sb, "AddClient", `${CLIENT_FIELDS}&email=o%40acme.example`)).json).toEqual({ result: "success", clientid: "4" });
    });

    it("requires a valid e-mail even with skipvalidation", async () => {
      const sb = await start();
      expect((await call(sb, "AddClient", CLIENT_FIELDS)).json).toEqual({ result: "error", message: "You did not enter your email address" });
      expect((await call(sb, "AddClient", "skipvalidation=1")).json).toEqual({ result: "error", message: "You did not enter your email address" });
      expect((await call(sb, "AddClient", `${CLIENT_FIELDS}&email=not-an-email`)).json).toEqual({ result: "error", message: "The email address you entered was not valid" });
    });

    it("refuses an e-mail already in use, whatever its case, with the text the switch picks", async () => {
      const sb = await start();
      await addClient(sb, "IT@Acme.Example");
      expect((await call(sb, "AddClient", `${CLIENT_FIELDS}&email=it%40acme.example`)).json).toEqual({
        result: "error",
        message: "The email address entered is not available for use.",
      });
      sb.switches.addClientDuplicateEmail = "user-exists";
      expect((await call(sb, "AddClient", `${CLIENT_FIELDS}&email=it%40ACME.example`)).json).toEqual({
        result: "error",
        message: "A user already exists with that email address",
      });
      expect(await sb.store.count("tblclients")).toBe(1);
    });

    it("stores client custom fields from base64 and refuses unknown currencies and fields", async () => {
      const sb = await start();
      await sb.store.insert("tblcustomfields", { type: "client", relid: 0, fieldname: "VAT number", fieldtype: "text" });
      const r = await call(sb, "AddClient", `${CLIENT_FIELDS}&email=a%40example.com&customfields=${encodeURIComponent(b64({ 1: "GB123" }))}`);
      expect(r.json["result"]).toBe("success");
      expect(await sb.store.select("tblcustomfieldsvalues", {}, { columns: ["fieldid", "relid", "value"] })).toEqual([{ fieldid: 1, relid: 1, value: "GB123" }]);
      expect((await call(sb, "AddClient", `${CLIENT_FIELDS}&email=b%40example.com&currency=9`)).json).toEqual({ result: "error", message: "Invalid currency ID 9" });
      expect((await call(sb, "AddClient", `${CLIENT_FIELDS}&email=b%40example.com&customfields=${encodeURIComponent(b64({ 7: "x" }))}`)).json).toEqual({
        result: "error",
        message: "Custom field ID 7 is not a client custom field",
      });
      expect(await sb.store.count("tblclients")).toBe(1);
    });
  });

  describe("GetClients", () => {
    async function seeded(): Promise<WhmcsSandbox> {
      const sb = await start();
      await addClient(sb, "price.ima@example.com", "firstname=Angelica&lastname=Mohr&companyname=");
      await addClient(sb, "zed@example.com", "firstname=Zed&lastname=Adams&companyname=Zeta+Corp");
      await addClient(sb, "bob@example.org", "firstname=bob&lastname=Brown&companyname=Acme");
      return sb;
    }
    const ids = (r: { json: Record<string, unknown> }): number[] => (r.json["clients"] as { client: { id: number }[] }).client.map((c) => c.id);

    it("answers the documented shape and JSON types", async () => {
      const sb = await seeded();
      const r = await call(sb, "GetClients", "search=price");
      expect(r.json).toEqual({
        result: "success",
        totalresults: 1,
        startnumber: 0,
        numreturned: 1,
        clients: {
          client: [{ id: 1, firstname: "Angelica", lastname: "Mohr", companyname: "", email: "price.ima@example.com", datecreated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), groupid: 0, status: "Active" }],
        },
      });
      expect(Object.keys((r.json["clients"] as { client: object[] }).client[0] as object)).toEqual(["id", "firstname", "lastname", "companyname", "email", "datecreated", "groupid", "status"]);
    });

    it("matches search at the start of e-mail, names, full name and company, case-insensitively", async () => {
      const sb = await seeded();
      expect(ids(await call(sb, "GetClients", "search=ZED%40"))).toEqual([2]);
      expect(ids(await call(sb, "GetClients", "search=adams"))).toEqual([2]);
      expect(ids(await call(sb, "GetClients", "search=Angelica+Mo"))).toEqual([1]);
      expect(ids(await call(sb, "GetClients", "search=acme"))).toEqual([3]);
      expect(ids(await call(sb, "GetClients", "search=example.com"))).toEqual([]);
      expect(ids(await call(sb, "GetClients", "search=B"))).toEqual([3]);
    });

    it("filters by status and orders by the documented columns in either direction", async () => {
      const sb = await seeded();
      await sb.store.update("tblclients", { id: 2 }, { status: "Closed" });
      expect(ids(await call(sb, "GetClients", "status=Active"))).toEqual([1, 3]);
      expect(ids(await call(sb, "GetClients", "status=closed"))).toEqual([2]);
      expect(ids(await call(sb, "GetClients", "status=Bogus"))).toEqual([]);
      expect(ids(await call(sb, "GetClients", "sorting=DESC"))).toEqual([3, 2, 1]);
      expect(ids(await call(sb, "GetClients", "orderby=firstname"))).toEqual([1, 3, 2]);
      expect(ids(await call(sb, "GetClients", "orderby=lastname&sorting=desc"))).toEqual([1, 3, 2]);
      expect(ids(await call(sb, "GetClients", "orderby=email&search=%40example.com"))).toEqual([]);
      expect(ids(await call(sb, "GetClients", "orderby=companyname&search=a"))).toEqual([1, 3, 2]);
      sb.switches.getClientsDefaultOrderBy = "lastname";
      expect(ids(await call(sb, "GetClients", ""))).toEqual([2, 3, 1]);
    });

    it("pages with limitstart and limitnum, 25 by default", async () => {
      const sb = await start();
      for (let i = 1; i <= 27; i++) await sb.store.insert("tblclients", { firstname: `C${i}`, email: `c${i}@example.com`, datecreated: "2024-01-01" });
      const first = await call(sb, "GetClients");
      expect(first.json).toMatchObject({ totalresults: 27, startnumber: 0, numreturned: 25 });
      const second = await call(sb, "GetClients", "limitstart=25");
      expect(second.json).toMatchObject({ totalresults: 27, startnumber: 25, numreturned: 2 });
      expect(ids(second)).toEqual([26, 27]);
      expect(ids(await call(sb, "GetClients", "limitstart=3&limitnum=2"))).toEqual([4, 5]);
      expect(ids(await call(sb, "GetClients", "limitstart=2&limitnum=2&search=c1"))).toEqual([11, 12]);
    });
  });

  describe("GetClientsDetails", () => {
    it("finds a client by id or by e-mail (any case) and answers typed fields", async () => {
      const sb = await start();
      await sb.store.insert("tblcustomfields", { type: "client", relid: 0, fieldname: "VAT number" });
      await addClient(sb, "It@Acme.Example", `currency=2&customfields=${encodeURIComponent(b64({ 1: "GB1" }))}`);
      const byId = await call(sb, "GetClientsDetails", "clientid=1");
      const byEmail = await call(sb, "GetClientsDetails", "email=it%40acme.example");
      expect(byEmail.json).toEqual(byId.json);
      const client = byId.json["client"] as Record<string, unknown>;
      expect(client).toMatchObject({
        userid: 1,
        client_id: 1,
        id: 1,
        firstname: "Ada",
        lastname: "Lovelace",
        fullname: "Ada Lovelace",
        email: "It@Acme.Example",
        countrycode: "GB",
        currency: 2,
        currency_code: "EUR",
        status: "Active",
        credit: "0.00",
        taxexempt: false,
        groupid: 0,
        lastlogin: "No Login Logged",
        customfields: [{ id: 1, value: "GB1" }],
        users: { user: [] },
      });
      // The deprecated top-level copies.
      expect(byId.json).toMatchObject({ result: "success", userid: 1, email: "It@Acme.Example", currency_code: "EUR", customfields: [{ id: 1, value: "GB1" }] });
    });

    it("answers the documented errors", async () => {
      const sb = await start();
      expect((await call(sb, "GetClientsDetails")).json).toEqual({ result: "error", message: "Either clientid Or email Is Required" });
      expect((await call(sb, "GetClientsDetails", "clientid=5")).json).toEqual({ result: "error", message: "Client Not Found" });
      expect((await call(sb, "GetClientsDetails", "email=nobody%40example.com")).json).toEqual({ result: "error", message: "Client Not Found" });
      expect((await call(sb, "GetClientsDetails", "clientid=abc")).json).toEqual({ result: "error", message: "Client Not Found" });
    });
  });
});
