import { describe, expect, it } from "vitest";
import { dueChecks, formatCheckRecord, parseCheckRecord, verificationBackoffMs, verifyPendingDomains } from "../../src/apply/customers/verify.js";
import { silentLogger } from "../../src/core/log.js";
import { resourceKey } from "../../src/model/catalog.js";
import type { PendingItem, Plan } from "../../src/model/plan.js";
import type { ZohoMailApi } from "../../src/providers/zoho/index.js";
import { liveService, records } from "./builders.js";

const NOW = Date.parse("2026-03-01T12:00:00Z");
const MIN = 60_000;

function pending(n: number): PendingItem[] {
  return Array.from({ length: n }, (_, i) => ({
    key: resourceKey("CustomerOrg", `org-${String(i).padStart(2, "0")}`),
    reason: "domain-verification",
    domain: `org-${i}.example`,
    zoid: String(7000 + i),
    record: null,
    message: "",
  }));
}

const service = (i: number, checked = "") => liveService(String(100 + i), "1", `org-${i}.example`, { customFields: records({ zoid: String(7000 + i), verificationChecked: checked }) });

describe("verification checks after apply", () => {
  it("backs off per domain: 15 min after the first check, doubling, at most 6 h", () => {
    expect([0, 1, 2, 3, 10].map(verificationBackoffMs)).toEqual([0, 15 * MIN, 30 * MIN, 60 * MIN, 6 * 60 * MIN]);
    expect(parseCheckRecord(formatCheckRecord(NOW, 3))).toEqual({ at: NOW, checks: 3 });
    expect(parseCheckRecord("")).toBeUndefined();
    expect(parseCheckRecord("someone typed this")).toBeUndefined();
  });

  it("checks a bounded number per run: never-checked first, then the longest unchecked; the others wait", () => {
    const items = pending(14);
    const services = items.map((_, i) =>
      // org-0 … org-9 were checked once, i hours ago (org-0 just now: in backoff); org-10 … org-13 never.
      i < 10 ? service(i, formatCheckRecord(NOW - i * 60 * MIN, 1)) : service(i),
    );
    const { due, waiting } = dueChecks(items, services, NOW, 10);
    expect(due.map((c) => c.item.domain)).toEqual(["org-10.example", "org-11.example", "org-12.example", "org-13.example", "org-9.example", "org-8.example", "org-7.example", "org-6.example", "org-5.example", "org-4.example"]);
    expect(waiting).toBe(4);
    expect(dueChecks(items, services, NOW, 100).due.some((c) => c.item.domain === "org-0.example")).toBe(false);
  });

  it("asks Zoho only for the domains due, and records each check in WHMCS", async () => {
    const items = pending(25);
    const asked: string[] = [];
    const mail = {
      verifyDomain: async (_zoid: string, domain: string) => {
        asked.push(domain);
        return domain === "org-3.example" ? { verified: true as const } : { verified: false as const, error: "CNAME_NOT_FOUND", message: undefined };
      },
    } as unknown as ZohoMailApi;
    const written: [string, string, string][] = [];
    const outcomes = await verifyPendingDomains({
      plan: { pending: items } as unknown as Plan,
      mail,
      logger: silentLogger(),
      services: items.map((_, i) => service(i)),
      recordCheck: async (serviceId, fieldId, value) => void written.push([serviceId, fieldId, value]),
      now: () => NOW,
    });
    expect(asked).toHaveLength(10);
    expect(outcomes.filter((o) => o.verified).map((o) => o.domain)).toEqual(["org-3.example"]);
    expect(written).toHaveLength(10);
    expect(written[0]).toEqual(["100", "55", "2026-03-01T12:00:00.000Z, check 1"]);
  });
});
