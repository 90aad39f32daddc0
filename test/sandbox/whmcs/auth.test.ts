import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { md5Hex, type WhmcsSandbox, type WhmcsSandboxOptions } from "../../../src/sandbox/whmcs/index.js";
import { engines, useEngine } from "./engines.js";
import { AUTH, IDENTIFIER, SECRET, call, post } from "./harness.js";

const ENGINES = await engines("auth");

describe.each(ENGINES)("on %s", (_name, engine) => {
  const scope = useEngine(engine);
  function start(options: WhmcsSandboxOptions = {}): Promise<WhmcsSandbox> {
    return scope.sandbox(options);
  }

  describe("authentication", () => {
    it("accepts identifier/secret and the same pair as username/password", async () => {
      const sb = await start();
      expect((await call(sb, "WhmcsDetails")).json["result"]).toBe("success");
      const legacyFields = `username=${encodeURIComponent(IDENTIFIER)}&password=${encodeURIComponent(SECRET)}`;
      const r = await post(sb, `action=WhmcsDetails&responsetype=json&${legacyFields}`);
      expect(r.status).toBe(200);
      expect(r.json["result"]).toBe("success");
    });

    it("answers Authentication Failed with 403 for wrong or missing credentials", async () => {
      const sb = await start();
      for (const body of [
        `action=WhmcsDetails&responsetype=json&identifier=${IDENTIFIER}&secret=wrong`,
        `action=WhmcsDetails&responsetype=json&identifier=${IDENTIFIER}`,
        `action=WhmcsDetails&responsetype=json&identifier=unknown&secret=${encodeURIComponent(SECRET)}`,
        "action=WhmcsDetails&responsetype=json",
        `action=WhmcsDetails&responsetype=json&username=${IDENTIFIER}&password=`,
      ]) {
        const r = await post(sb, body);
        expect(r.status).toBe(403);
        expect(r.json).toEqual({ result: "error", message: "Authentication Failed" });
      }
      sb.switches.authFailureStatus = 401;
      expect((await post(sb, "action=WhmcsDetails&responsetype=json")).status).toBe(401);
    });

    it("accepts the legacy admin login with the lowercase md5 of the password only", async () => {
      const sb = await start({ admin: { username: "alice", password: "p4ssw0rd" } });
      const ok = await post(sb, `action=WhmcsDetails&responsetype=json&username=alice&password=${md5Hex("p4ssw0rd")}`);
      expect(ok.json["result"]).toBe("success");
      for (const password of ["p4ssw0rd", md5Hex("p4ssw0rd").toUpperCase(), md5Hex("other")]) {
        const r = await post(sb, `action=WhmcsDetails&responsetype=json&username=alice&password=${password}`);
        expect(r.json).toEqual({ result: "error", message: "Authentication Failed" });
      }
    });

    it("reads a form body only when it is form-encoded, like PHP's $_POST", async () => {
      const sb = await start();
      const r = await post(sb, `action=WhmcsDetails&responsetype=json&${AUTH}`, { contentType: "text/plain;charset=UTF-8" });
      expect(r.status).toBe(403);
      // Nothing was read, not even responsetype: the default (NVP) format answers.
      expect(r.text).toBe("result=error;message=Authentication Failed;");
    });

    it("stores the secret hashed and stamps last_access on success", async () => {
      const fixed = new Date("2026-02-03T04:05:06Z");
      const sb = await start({ now: () => fixed });
      await sb.store.update("tbldeviceauth", { identifier: IDENTIFIER }, { last_access: "0000-00-00 00:00:00" });
      await call(sb, "WhmcsDetails");
      const row = await sb.store.selectOne("tbldeviceauth", { identifier: IDENTIFIER });
      expect(row?.["last_access"]).toBe("2026-02-03 04:05:06");
      expect(String(row?.["secret"])).not.toContain(SECRET);
      expect(String(row?.["secret"])).toMatch(/^sha256\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    });

    it("never puts a credential in the call log or the logs", async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      });
      const sb = await start({ logger: pino({ level: "debug" }, sink), accessKey: "k3y!(x)" });
      await call(sb, "WhmcsDetails", "accesskey=k3y!(x)");
      await post(sb, `action=WhmcsDetails&responsetype=json&identifier=${IDENTIFIER}&secret=${encodeURIComponent(SECRET)}x`);
      await post(sb, `action=Nope&username=${IDENTIFIER}&password=${encodeURIComponent(SECRET)}`);
      const everything = JSON.stringify(sb.calls.list()) + lines.join("");
      expect(sb.calls.total()).toBe(3);
      expect(lines.length).toBeGreaterThan(0);
      for (const secret of [SECRET, encodeURIComponent(SECRET), IDENTIFIER, "k3y!(x)"]) expect(everything).not.toContain(secret);
    });
  });

  describe("IP allow-list and access key", () => {
    it("rejects a source IP not on the list with HTTP 403 Invalid IP, before checking credentials", async () => {
      const sb = await start({ allowedIps: ["10.0.0.1", "2001:db8::1"] });
      const r = await call(sb, "WhmcsDetails");
      expect(r.status).toBe(403);
      expect(r.json).toEqual({ result: "error", message: "Invalid IP 127.0.0.1" });
      const bad = await post(sb, "action=WhmcsDetails&responsetype=json");
      expect(bad.json["message"]).toBe("Invalid IP 127.0.0.1");
      sb.switches.ipDeniedMessage = "Forbidden IP";
      expect((await call(sb, "WhmcsDetails")).json["message"]).toBe("Forbidden IP 127.0.0.1");
    });

    it("lets a valid accesskey bypass the list, and only a valid one", async () => {
      const sb = await start({ allowedIps: ["10.0.0.1"], accessKey: "abc.DEF-123_[x]" });
      expect((await call(sb, "WhmcsDetails", `accesskey=${encodeURIComponent("abc.DEF-123_[x]")}`)).json["result"]).toBe("success");
      expect((await call(sb, "WhmcsDetails", "accesskey=abc")).status).toBe(403);
      // The key bypasses the IP check, not authentication.
      const noCreds = await post(sb, `action=WhmcsDetails&responsetype=json&accesskey=${encodeURIComponent("abc.DEF-123_[x]")}`);
      expect(noCreds.json["message"]).toBe("Authentication Failed");
    });

    it("allows a listed IP and reads the list from tblconfiguration", async () => {
      const sb = await start({ allowedIps: ["127.0.0.1"] });
      expect((await call(sb, "WhmcsDetails")).json["result"]).toBe("success");
      const setting = await sb.store.selectOne("tblconfiguration", { setting: "APIAllowedIPs" });
      expect(String(setting?.["value"])).toContain('s:2:"ip";s:9:"127.0.0.1"');
      await sb.store.update("tblconfiguration", { setting: "APIAllowedIPs" }, { value: "10.1.1.1, 10.2.2.2" });
      expect((await call(sb, "WhmcsDetails")).json["message"]).toBe("Invalid IP 127.0.0.1");
      await sb.store.update("tblconfiguration", { setting: "APIAllowedIPs" }, { value: "" });
      expect((await call(sb, "WhmcsDetails")).json["result"]).toBe("success");
    });

    it("matches IPv6 peers verbatim", async () => {
      const sb = await start({ host: "::1", allowedIps: ["127.0.0.1"] });
      expect(sb.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
      const r = await call(sb, "WhmcsDetails");
      expect(r.status).toBe(403);
      expect(r.json["message"]).toBe("Invalid IP ::1");
      const ok = await start({ host: "::1", allowedIps: ["0:0:0:0:0:0:0:1"] });
      expect((await call(ok, "WhmcsDetails")).json["result"]).toBe("success");
    });
  });

  describe("actions, roles and transport", () => {
    it("matches action names case-insensitively", async () => {
      const sb = await start();
      for (const action of ["getcurrencies", "GETCURRENCIES", "GetCurrencies"]) {
        expect((await call(sb, action)).json["result"]).toBe("success");
      }
    });

    it("denies actions outside the credential's API role with the lowercase name", async () => {
      const sb = await start({ credentials: { identifier: IDENTIFIER, secret: SECRET, actions: ["GetCurrencies"] } });
      expect((await call(sb, "GetCurrencies")).json["result"]).toBe("success");
      const denied = await call(sb, "GetProducts");
      expect(denied.status).toBe(200);
      expect(denied.json).toEqual({ result: "error", message: 'Invalid Permissions: API action "getproducts" is not allowed' });
      sb.switches.permissionDeniedStatus = 403;
      expect((await call(sb, "GETPRODUCTS")).status).toBe(403);
    });

    it("answers an unknown action per the switches", async () => {
      const sb = await start({ credentials: { identifier: IDENTIFIER, secret: SECRET, actions: ["GetCurrencies"] } });
      const r = await call(sb, "GetProductGroups");
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ result: "error", message: "The requested API Action could not be found." });
      expect((await call(sb, "")).json["message"]).toBe("The requested API Action could not be found.");
      sb.switches.unknownActionMessage = "Command Not Found";
      sb.switches.unknownActionStatus = 404;
      const custom = await call(sb, "GetProductGroups");
      expect([custom.status, custom.json["message"]]).toEqual([404, "Command Not Found"]);
      sb.switches.unknownActionCheck = "after-permissions";
      expect((await call(sb, "GetProductGroups")).json["message"]).toBe('Invalid Permissions: API action "getproductgroups" is not allowed');
    });

    it("answers a doubled /includes/api.php path with An admin user is required, before credentials", async () => {
      const sb = await start();
      const r = await post(sb, "action=GetProducts&responsetype=json", { path: "/includes/api.php/includes/api.php" });
      expect(r.status).toBe(200);
      expect(r.json).toEqual({ result: "error", message: "An admin user is required" });
      expect(sb.calls.last()?.detail).toBe("An admin user is required");
    });

    it("serves under a base path, and nothing else", async () => {
      const sb = await start({ basePath: "/whmcs/" });
      expect(new URL(sb.url).pathname).toBe("/whmcs");
      expect((await call(sb, "WhmcsDetails")).json["result"]).toBe("success");
      expect((await post(sb, `action=WhmcsDetails&${AUTH}`, { path: "/includes/api.php" })).status).toBe(404);
      const doubled = await post(sb, "action=x", { path: "/whmcs/includes/api.php/whmcs/includes/api.php" });
      expect(doubled.json["message"]).toBe("An admin user is required");
    });

    it("refuses GET unless allowed, then reads the query string", async () => {
      const sb = await start();
      const url = `${sb.url}/includes/api.php?action=WhmcsDetails&responsetype=json&${AUTH}`;
      const refused = await fetch(url);
      expect(refused.status).toBe(405);
      await refused.text();
      sb.switches.allowGet = true;
      const ok = await fetch(url);
      expect(await ok.json()).toMatchObject({ result: "success" });
    });

    it("merges query-string parameters under the body unless switched off", async () => {
      const sb = await start();
      const url = `${sb.url}/includes/api.php?action=GetProducts&responsetype=json`;
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `action=WhmcsDetails&${AUTH}` });
      expect(await res.json()).toMatchObject({ result: "success", whmcs: { version: "8.13.1" } });
      sb.switches.readQueryString = false;
      const res2 = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `action=WhmcsDetails&${AUTH}` });
      expect(await res2.text()).toMatch(/^result=success;whmcs\[version\]=8\.13\.1;/);
    });

    it("renders json, xml and nvp, with the default for a missing responsetype switchable", async () => {
      const sb = await start();
      const nvp = await post(sb, `action=WhmcsDetails&${AUTH}`);
      expect(nvp.text).toBe("result=success;whmcs[version]=8.13.1;whmcs[canonicalversion]=8.13.1-release.1;");
      const xml = await post(sb, `action=GetCurrencies&responsetype=xml&${AUTH}`);
      expect(xml.contentType).toContain("xml");
      expect(xml.text).toContain("<whmcsapi");
      expect(xml.text).toContain("<currencies>\n<currency>\n<id>1</id>\n<code>USD</code>");
      const json = await post(sb, `action=WhmcsDetails&responsetype=JSON&${AUTH}`);
      expect(json.contentType).toBe("application/json");
      sb.switches.defaultResponseType = "json";
      expect((await post(sb, `action=WhmcsDetails&${AUTH}`)).json["result"]).toBe("success");
    });

    it("answers XML as application/xml; charset=utf-8, errors included, so an XML client sees them", async () => {
      const sb = await start({ allowedIps: ["127.0.0.1", "::1"] });
      const xmlType = "application/xml; charset=utf-8";
      const ok = await post(sb, `action=WhmcsDetails&responsetype=xml&${AUTH}`);
      expect([ok.status, ok.contentType]).toEqual([200, xmlType]);
      expect(ok.text).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?>\n<whmcsapi version="8\.13\.1">\n<result>success<\/result>/);
      const business = await post(sb, `action=GetClientsDetails&responsetype=xml&${AUTH}&clientid=99`);
      expect([business.status, business.contentType]).toEqual([200, xmlType]);
      expect(business.text).toContain("<result>error</result>\n<message>Client Not Found</message>");
      const auth = await post(sb, "action=WhmcsDetails&responsetype=xml&identifier=nobody&secret=wrong");
      expect([auth.status, auth.contentType]).toEqual([403, xmlType]);
      expect(auth.text).toContain("<message>Authentication Failed</message>");
      const doubled = await post(sb, "action=WhmcsDetails&responsetype=xml", { path: "/includes/api.php/includes/api.php" });
      expect([doubled.status, doubled.contentType]).toEqual([200, xmlType]);
      expect(doubled.text).toContain("<message>An admin user is required</message>");
      sb.switches.xmlContentType = "text/xml";
      expect((await post(sb, `action=WhmcsDetails&responsetype=xml&${AUTH}`)).contentType).toBe("text/xml");
    });

    it("empties $_POST when the body is larger than post_max_size", async () => {
      const sb = await start({ switches: { postMaxSize: 200 } });
      const r = await post(sb, `action=WhmcsDetails&responsetype=json&${AUTH}&pad=${"x".repeat(300)}`);
      expect(r.text).toBe("result=error;message=Authentication Failed;");
      expect((await post(sb, `action=WhmcsDetails&responsetype=json&${AUTH}`)).json["result"]).toBe("success");
    });
  });
});
