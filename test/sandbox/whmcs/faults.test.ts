import { afterEach, describe, expect, it } from "vitest";
import { FaultInjector, MAINTENANCE_PAGE, WhmcsSandboxError, type WhmcsSandbox } from "../../../src/sandbox/whmcs/index.js";
import { until } from "../../support/hangs.js";
import { AUTH, call, post, sandbox } from "./harness.js";

const open: WhmcsSandbox[] = [];
async function start(options: Parameters<typeof sandbox>[0] = {}): Promise<WhmcsSandbox> {
  const sb = await sandbox({ catalog: { groups: [{ name: "G" }] }, ...options });
  open.push(sb);
  return sb;
}
afterEach(async () => {
  for (const sb of open.splice(0)) await sb.close();
});

describe("fault injection", () => {
  it("delays calls by the configured latency, per action", async () => {
    const sb = await start();
    const latency = sb.faults.latency(150, { action: "getcurrencies", times: 2 });
    const t = Date.now();
    expect((await call(sb, "GetCurrencies")).json["result"]).toBe("success");
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    expect(latency.remaining).toBe(1);
    // Another action neither waits for nor uses up the delay.
    expect((await call(sb, "WhmcsDetails")).json["result"]).toBe("success");
    expect(latency.remaining).toBe(1);
    await call(sb, "GetCurrencies");
    expect(latency.remaining).toBe(0);
  });

  it("answers proxy statuses with an HTML body and Retry-After", async () => {
    const sb = await start();
    sb.faults.status(429, { retryAfterSeconds: 7, times: 1 });
    const res = await fetch(`${sb.url}/includes/api.php`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `action=WhmcsDetails&responsetype=json&${AUTH}` });
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("429 Too Many Requests");
    for (const status of [502, 503, 504]) {
      sb.faults.status(status, { times: 1 });
      const r = await call(sb, "WhmcsDetails");
      expect(r.status).toBe(status);
      expect(r.text).toContain(`<title>${status} `);
    }
    expect((await call(sb, "WhmcsDetails")).status).toBe(200);
  });

  it("serves a maintenance page with HTTP 200", async () => {
    const sb = await start();
    sb.faults.html({ times: 1 });
    const r = await call(sb, "GetProducts");
    expect(r.status).toBe(200);
    expect(r.contentType).toContain("text/html");
    expect(r.text).toBe(MAINTENANCE_PAGE);
  });

  it("serves an arbitrary raw body, e.g. truncated JSON", async () => {
    const sb = await start();
    sb.faults.add({ fault: { kind: "raw", status: 200, contentType: "application/json", body: '{"result":"succ' }, times: 1 });
    const r = await call(sb, "GetProducts");
    expect(r.text).toBe('{"result":"succ');
  });

  it("resets the connection", async () => {
    const sb = await start();
    sb.faults.reset({ times: 1 });
    await expect(call(sb, "GetProducts")).rejects.toThrow();
    expect((await call(sb, "GetProducts")).json["result"]).toBe("success");
    expect(sb.calls.list("GetProducts").map((c) => c.outcome)).toEqual(["fault", "success"]);
  });

  it("hangs until the client gives up, and close() still returns", async () => {
    const sb = await start();
    sb.faults.hang({ action: "GetProducts", times: 1 });
    const body = `action=GetProducts&responsetype=json&${AUTH}`;
    const giveUp = new AbortController();
    const hung = fetch(`${sb.url}/includes/api.php`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body, signal: giveUp.signal });
    await until(() => sb.calls.count("GetProducts") === 1, "the sandbox to receive the request");
    expect(sb.calls.last("GetProducts")).toMatchObject({ outcome: "fault", detail: "hang" });
    // Received and unanswered: the client gives up (after 200 ms).
    setTimeout(() => giveUp.abort(), 200);
    await expect(hung).rejects.toThrow();
    sb.faults.hang();
    const pending = post(sb, body).catch((err: unknown) => err);
    await until(() => sb.calls.count("GetProducts") === 2, "the sandbox to receive the request");
    await sb.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it("fails the next N calls, counting every call", async () => {
    const sb = await start();
    const handle = sb.faults.failNext(2);
    expect((await call(sb, "WhmcsDetails")).status).toBe(503);
    expect(handle.remaining).toBe(1);
    expect((await call(sb, "GetCurrencies")).status).toBe(503);
    expect((await call(sb, "WhmcsDetails")).status).toBe(200);
    expect(sb.faults.active).toEqual([]);
    expect(sb.calls.count("whmcsdetails")).toBe(2);
    expect(sb.calls.count("GetCurrencies")).toBe(1);
    expect(sb.calls.total()).toBe(3);
    expect(sb.calls.counts()).toEqual({ whmcsdetails: 2, getcurrencies: 1 });
  });

  it("applies a fault after the action ran: the write is committed though the client saw a 502", async () => {
    const sb = await start();
    sb.faults.status(502, { action: "AddProduct", phase: "after", times: 1 });
    const r = await call(sb, "AddProduct", "gid=1&name=Created+Anyway");
    expect(r.status).toBe(502);
    expect(await sb.store.count("tblproducts", { name: "Created Anyway" })).toBe(1);
    sb.faults.status(502, { action: "AddProduct", times: 1 });
    expect((await call(sb, "AddProduct", "gid=1&name=Never")).status).toBe(502);
    expect(await sb.store.count("tblproducts", { name: "Never" })).toBe(0);
  });

  it("records calls with outcomes and without credentials, and resets the log", async () => {
    const sb = await start();
    await call(sb, "GetProducts", "pid=1");
    await post(sb, "action=GetProducts&responsetype=json&identifier=x&secret=y");
    const [ok, failed] = sb.calls.list();
    expect(ok).toMatchObject({ seq: 1, action: "GetProducts", method: "POST", status: 200, outcome: "success", params: { action: "GetProducts", responsetype: "json", pid: "1" } });
    expect(failed).toMatchObject({ seq: 2, status: 403, outcome: "error", detail: "Authentication Failed" });
    expect(Object.keys(failed?.params ?? {})).toEqual(["action", "responsetype"]);
    await call(sb, "AddProduct", "gid=1&name=P&password2=hunter22&servicepassword=x1&description=kept");
    expect(Object.keys(sb.calls.last("AddProduct")?.params ?? {})).toEqual(["action", "responsetype", "gid", "name", "description"]);
    sb.calls.reset();
    expect(sb.calls.total()).toBe(0);
    expect(sb.calls.last()).toBeUndefined();
  });

  it("removes a rule on demand and validates rules", () => {
    const faults = new FaultInjector();
    const h = faults.status(503);
    expect(faults.active).toHaveLength(1);
    h.remove();
    expect(faults.active).toEqual([]);
    expect(() => faults.failNext(0)).toThrow(WhmcsSandboxError);
    expect(() => faults.latency(-1)).toThrow(WhmcsSandboxError);
    faults.latency(10, { action: "A" });
    faults.latency(5);
    faults.reset({ action: "a" });
    faults.status(503);
    expect(faults.take("a", "before")).toEqual({ delayMs: 15, fault: { kind: "reset" } });
    expect(faults.take("b", "before")).toEqual({ delayMs: 5, fault: { kind: "status", status: 503 } });
    expect(faults.take("b", "after")).toEqual({ delayMs: 0, fault: undefined });
  });
});
