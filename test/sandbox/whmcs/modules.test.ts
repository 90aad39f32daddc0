import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerModule, WhmcsSandbox, WhmcsSandboxOptions, ZohoMailConnection } from "../../../src/sandbox/whmcs/index.js";
import { startZohoSandbox, type ZohoSandbox } from "../../../src/sandbox/zoho/index.js";
import { engines, useEngine } from "./engines.js";
import { call } from "./harness.js";
import { addClient, addOrder, MAIL_CATALOG } from "./orders-fixture.js";

const ENGINES = await engines("modules");

/** A module whose functions fail with its own messages, to check nothing changes on failure. */
const FAILING: ServerModule = {
  name: "failing_test",
  CreateAccount: async () => "Out of capacity in this region",
  SuspendAccount: async () => {
    throw new Error("Remote API timed out");
  },
  custom: { refresh: async () => "Not today" },
};

let zs: ZohoSandbox;
let zoho: ZohoMailConnection;
beforeAll(async () => {
  zs = await startZohoSandbox();
  zoho = {
    accountsUrl: zs.baseUrl("us", "accounts"),
    mailUrl: zs.baseUrl("us", "mail"),
    clientId: zs.partner.clientId,
    clientSecret: zs.partner.clientSecret,
    refreshToken: zs.partner.refreshToken,
  };
});
afterAll(async () => {
  await zs.close();
});

describe.each(ENGINES)("module commands on %s", (_name, engine) => {
  const scope = useEngine(engine);
  function start(options: WhmcsSandboxOptions = {}): Promise<WhmcsSandbox> {
    return scope.sandbox({ catalog: MAIL_CATALOG, modules: [FAILING], ...options });
  }

  /** One accepted service of product `pid` for `email`/`domain`; returns its id. */
  async function service(sb: WhmcsSandbox, pid: number, email = "it@acme.example", domain = "acme.example"): Promise<number> {
    const client = await addClient(sb, email);
    const r = await addOrder(sb, client, { pid, domain, ...(pid === 1 ? { cycle: "annually" } : {}) });
    const orderId = String(r.json["orderid"]);
    expect((await call(sb, "AcceptOrder", `orderid=${orderId}`)).json["result"]).toBe("success");
    return Number(r.json["serviceids"]);
  }
  const statusOf = async (sb: WhmcsSandbox, id: number): Promise<unknown> => (await sb.store.selectOne("tblhosting", { id }))?.["domainstatus"];

  it("moves a well-behaved module's service through the §4.6 states, logging each call", async () => {
    const sb = await start();
    const id = await service(sb, 2);
    await sb.store.update("tblhosting", { id }, { domainstatus: "Pending" });
    expect((await call(sb, "ModuleCreate", `serviceid=${id}`)).json).toEqual({ result: "success" });
    expect(await statusOf(sb, id)).toBe("Active");
    expect((await call(sb, "ModuleSuspend", `serviceid=${id}&suspendreason=Overdue`)).json).toEqual({ result: "success" });
    expect(await sb.store.selectOne("tblhosting", { id }, { columns: ["domainstatus", "suspendreason"] })).toEqual({ domainstatus: "Suspended", suspendreason: "Overdue" });
    expect((await call(sb, "ModuleUnsuspend", `accountid=${id}`)).json).toEqual({ result: "success" });
    expect(await sb.store.selectOne("tblhosting", { id }, { columns: ["domainstatus", "suspendreason"] })).toEqual({ domainstatus: "Active", suspendreason: "" });
    expect((await call(sb, "ModuleChangePackage", `serviceid=${id}`)).json).toEqual({ result: "success" });
    expect((await call(sb, "ModuleChangePw", `serviceid=${id}&servicepassword=n3w-pass`)).json).toEqual({ result: "success" });
    expect((await call(sb, "ModuleCustom", `serviceid=${id}&func_name=ping`)).json).toEqual({ result: "success" });
    expect(await statusOf(sb, id)).toBe("Active");
    expect((await call(sb, "ModuleTerminate", `serviceid=${id}`)).json).toEqual({ result: "success" });
    const row = await sb.store.selectOne("tblhosting", { id });
    expect(row).toMatchObject({ domainstatus: "Terminated", password: "n3w-pass", termination_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const log = await sb.store.select("tblmodulelog", {}, { columns: ["module", "action", "request", "response"] });
    expect(log.map((l) => l["action"])).toEqual(["CreateAccount", "SuspendAccount", "UnsuspendAccount", "ChangePackage", "ChangePassword", "ping", "TerminateAccount"]);
    expect(log.every((l) => l["module"] === "reconcile_test" && l["response"] === "success")).toBe(true);
    expect(JSON.parse(String(log[0]?.["request"]))).toMatchObject({ serviceid: id, domain: "acme.example", moduletype: "reconcile_test", configoptions: { mailboxes: 1, plan: "basic", backup: 0 } });
    for (const l of log) expect(String(l["request"])).not.toContain("n3w-pass");
  });

  it("answers the documented errors before calling anything", async () => {
    const sb = await start();
    const plain = await service(sb, 3, "p@example.com", "p.example");
    const cases: [string, string, string][] = [
      ["ModuleCreate", "", "Service ID is required"],
      ["ModuleSuspend", "serviceid=", "Service ID is required"],
      ["ModuleTerminate", "serviceid=42", "Service ID not found"],
      ["ModuleCustom", "accountid=42&func_name=ping", "Service ID not found"],
      ["ModuleCreate", `serviceid=${plain}`, "Service not assigned to a module"],
    ];
    for (const [action, rest, message] of cases) expect((await call(sb, action, rest)).json).toEqual({ result: "error", message });
    expect(await sb.store.count("tblmodulelog")).toBe(0);
  });

  it("answers the module's own error and leaves the status alone", async () => {
    const sb = await start();
    const client = await addClient(sb, "f@example.com");
    const productId = await sb.store.insert("tblproducts", { gid: 1, name: "Failing", servertype: "failing_test", paytype: "free", type: "other" });
    await addOrder(sb, client, { pid: productId });
    expect((await call(sb, "AcceptOrder", "orderid=1&autosetup=1")).json).toEqual({ result: "error", message: "Out of capacity in this region" });
    expect(await statusOf(sb, 1)).toBe("Pending");
    expect((await call(sb, "ModuleSuspend", "serviceid=1")).json).toEqual({ result: "error", message: "Remote API timed out" });
    expect((await call(sb, "ModuleCustom", "serviceid=1&func_name=refresh")).json).toEqual({ result: "error", message: "Not today" });
    expect((await call(sb, "ModuleTerminate", "serviceid=1")).json).toEqual({ result: "error", message: "Function Not Supported by Module" });
    expect(await statusOf(sb, 1)).toBe("Pending");
    expect((await sb.store.select("tblmodulelog", {}, { columns: ["action", "response"] }))).toEqual([
      { action: "CreateAccount", response: "Out of capacity in this region" },
      { action: "SuspendAccount", response: "Remote API timed out" },
      { action: "refresh", response: "Not today" },
    ]);
  });

  it("has zoho_mail refuse every lifecycle command, with the switchable text, and name missing custom functions", async () => {
    const sb = await start();
    const id = await service(sb, 1);
    for (const action of ["ModuleCreate", "ModuleSuspend", "ModuleUnsuspend", "ModuleTerminate", "ModuleChangePackage", "ModuleChangePw"]) {
      expect((await call(sb, action, `serviceid=${id}`)).json).toEqual({ result: "error", message: "Function Not Supported by Module" });
    }
    expect((await call(sb, "ModuleCustom", `serviceid=${id}&func_name=buttonTwoFunction`)).json).toEqual({ result: "error", message: "Function not found" });
    expect((await call(sb, "ModuleCustom", `serviceid=${id}`)).json).toEqual({ result: "error", message: "Function not found" });
    sb.switches.unsupportedFunctionMessage = "Module function not supported";
    sb.switches.customFunctionMissingMessage = "Invalid function";
    expect((await call(sb, "ModuleSuspend", `serviceid=${id}`)).json).toEqual({ result: "error", message: "Module function not supported" });
    expect((await call(sb, "ModuleCustom", `serviceid=${id}&func_name=nope`)).json).toEqual({ result: "error", message: "Invalid function" });
    expect(await statusOf(sb, id)).toBe("Active");
    expect(await sb.store.count("tblmodulelog")).toBe(0);
  });

  it("fails zoho_mail's Create Account clearly without a Zoho connection", async () => {
    const sb = await start();
    const id = await service(sb, 1);
    const r = await call(sb, "ModuleCustom", `serviceid=${id}&func_name=buttonOneFunction`);
    expect(r.json["result"]).toBe("error");
    expect(String(r.json["message"])).toMatch(/^Zoho Mail is not connected: start the WHMCS sandbox with the zohoMail option/);
    expect(await sb.store.count("zoho_mail")).toBe(0);
  });

  it("creates a free Zoho org through buttonOneFunction, minting a fresh token each call, and records it", async () => {
    const sb = await start({ zohoMail: zoho });
    // One Zoho sandbox serves both engines: each gets its own domain.
    const domain = `lovelace-${engine.name}.example`;
    const email = `ada@${domain}`;
    const id = await service(sb, 1, email, domain);
    const minted = zs.calls.tokensMinted;
    const r = await call(sb, "ModuleCustom", `serviceid=${id}&func_name=buttonOneFunction`);
    expect(r.json).toEqual({ result: "success" });
    expect(zs.calls.tokensMinted).toBe(minted + 1);
    const org = zs.state.org(domain);
    expect(org).toBeDefined();
    expect(org?.superAdmin).toBe(email);
    expect(await sb.store.select("zoho_mail")).toEqual([
      {
        domain,
        zoid: String(org?.zoid),
        superAdmin: email,
        isverified: "false",
        url: `https://mailadmin.zoho.com/cpanel/home.do?zaaid=${String(org?.zoid)}#dashboard`,
      },
    ]);
    // Status never changes for a custom function.
    expect(await statusOf(sb, id)).toBe("Active");
    // The same domain again: Zoho refuses, the module reports Zoho's reason, nothing new is recorded.
    const again = await call(sb, "ModuleCustom", `serviceid=${id}&func_name=buttonOneFunction`);
    expect(again.json["result"]).toBe("error");
    expect(String(again.json["message"])).toContain("https://store.zoho.com/html/store/tagyourpartner.html");
    expect(zs.calls.tokensMinted).toBe(minted + 2);
    expect(await sb.store.count("zoho_mail")).toBe(1);
    const log = await sb.store.select("tblmodulelog", { module: "zoho_mail" }, { columns: ["action", "request", "response"] });
    expect(log).toHaveLength(4);
    expect(JSON.parse(String(log[0]?.["request"]))).toEqual({ firstName: "Ada", lastName: "Lovelace", emailId: email, domainName: domain, planName: "free" });
    for (const l of log) {
      expect(String(l["request"]) + String(l["response"])).not.toContain(zoho.refreshToken);
      expect(String(l["request"]) + String(l["response"])).not.toContain(zoho.clientSecret);
    }
  });

  it("reports the array result as an error reading Array when switched, after the org exists", async () => {
    const sb = await start({ zohoMail: zoho, switches: { moduleArrayResult: "error" } });
    const id = await service(sb, 1, `array-${engine.name}@example.net`, `array-${engine.name}.example`);
    expect((await call(sb, "ModuleCustom", `serviceid=${id}&func_name=buttonOneFunction`)).json).toEqual({ result: "error", message: "Array" });
    expect(zs.state.org(`array-${engine.name}.example`)).toBeDefined();
    expect(await sb.store.count("zoho_mail")).toBe(1);
  });

  it("reports a refused refresh token without repeating any credential", async () => {
    const sb = await start({ zohoMail: { ...zoho, refreshToken: "1000.not-a-real-refresh-token" } });
    const id = await service(sb, 1, "r@example.com", "refused.example");
    const r = await call(sb, "ModuleCustom", `serviceid=${id}&func_name=buttonOneFunction`);
    expect(r.json).toEqual({ result: "error", message: "Zoho Accounts refused the refresh token: invalid_code" });
    expect(await sb.store.count("zoho_mail")).toBe(0);
  });

  it("runs ChangePackage when a free upgrade completes", async () => {
    const sb = await start();
    const id = await service(sb, 2);
    const r = await call(sb, "UpgradeProduct", `serviceid=${id}&paymentmethod=banktransfer&type=configoptions&configoptions[1]=4`);
    expect(r.json).toMatchObject({ result: "success", price: "$0.00 USD" });
    expect((await sb.store.selectOne("tblhostingconfigoptions", { relid: id, configid: 1 }))?.["qty"]).toBe(4);
    expect((await sb.store.select("tblmodulelog", {}, { columns: ["action"] })).map((l) => l["action"])).toEqual(["ChangePackage"]);
  });
});
