import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { moneyProject, readServices, type MoneyOrg, type MoneyProject } from "./money-project.js";

/**
 * Money-aware safety thresholds through the CLI, so the exit code is what CI sees: a plan that
 * moves MRR by more than `policy.thresholds.mrrDelta` in a currency, or buys more Zoho licences
 * than `licencesDelta`, is refused with exit 4 before anything is written, the refusal names the
 * org that moves most, and `--force` applies it.
 */

const PAID_YEARLY = { type: "paid", payPeriod: "yearly" } as const;
const BIG: MoneyOrg = { name: "big", product: "mail-lite", billingCycle: "annually", mailboxes: 13, plan: PAID_YEARLY }; // 5.00 + 13 × 12.00 = 161.00 a year
const SMALL: MoneyOrg = { name: "small", product: "workplace-standard", billingCycle: "annually", mailboxes: 4, plan: PAID_YEARLY }; // 10.00 + 4 × 36.00 = 154.00
const EURO: MoneyOrg = { name: "euro", product: "mail-lite", billingCycle: "annually", mailboxes: 6, plan: PAID_YEARLY, currency: "EUR" }; // 4.50 + 6 × 11.40 = 72.90

const policy = (thresholds: string, reprice = "none"): string => `  protect: []
  reprice: ${reprice}
  thresholds: { updateShare: 0.5, deleteShare: 0.3, minExisting: 10, customers: 100${thresholds} }
`;

let m: MoneyProject;

beforeAll(async () => {
  m = await moneyProject();
  m.writeCatalog({ USD: "12.00", EUR: "11.40" });
  m.writeOrgs([BIG, SMALL, EURO]);
  const r = await m.cli(["--yes"]);
  if (r.code !== 0) throw new Error(`setup apply exited ${r.code}: ${r.stderr}`);
}, 120_000);
afterAll(async () => {
  await m?.close();
});

/** What WHMCS bills and Zoho licenses for one org. */
async function billed(name: string): Promise<{ amount: string | undefined; mailboxes: number | undefined; licences: number | undefined }> {
  const s = (await readServices(m.api)).find((x) => x.domain === `${name}.example`);
  return { amount: s?.amount, mailboxes: s?.mailboxes, licences: m.project.zoho.state.org(`${name}.example`)?.licenseCount };
}

/** WHMCS and Zoho write calls since the last reset. */
function writes(): string[] {
  const whmcs = Object.keys(m.project.sandbox.calls.counts()).filter((a) => !/^(get|reconcileget|reconcileacquirelock|reconcilerenewlock|reconcilereleaselock)/.test(a));
  const zoho = Object.keys(m.project.zoho.calls.byEndpoint).filter((e) => !/^(accounts\.token|mail\.list|mail\.get|store\.list|store\.get)/.test(e));
  return [...whmcs, ...zoho];
}

function resetCalls(): void {
  m.project.sandbox.calls.reset();
  m.project.zoho.calls.reset();
}

describe("money thresholds through the CLI", () => {
  it("one org's licence jump (13 → 490 mailboxes) over mrrDelta: exit 4 naming the org, nothing written; --force applies it", async () => {
    m.writePolicy(policy(`, mrrDelta: { USD: "100.00" }`));
    m.writeOrgs([{ ...BIG, mailboxes: 490 }, SMALL, EURO]);
    resetCalls();
    const refused = await m.cli(["--yes"]);
    expect(refused.code, refused.stderr).toBe(4);
    // 477 more mailboxes × 12.00 a year = 5,724.00 a year = +477.00 a month.
    expect(refused.stderr).toContain(
      "refused: the MRR change in USD would be +477.00 a month, over the limit of 100.00 (policy.thresholds.mrrDelta.USD); largest: CustomerOrg/big +477.00",
    );
    expect(writes()).toEqual([]);
    expect(await billed("big")).toEqual({ amount: "161.00", mailboxes: 13, licences: 13 });

    const forced = await m.cli(["--yes", "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await billed("big")).toEqual({ amount: "5885.00", mailboxes: 490, licences: 490 }); // 161.00 + 477 × 12.00
  });

  it("an option price change: new orders only by default (no refusal); with policy.reprice: all over mrrDelta, exit 4; --force reprices", async () => {
    // The Mail Lite mailbox goes from 12.00 to 15.00 USD a year (11.40 to 14.25 EUR).
    m.writeCatalog({ USD: "15.00", EUR: "14.25" });
    m.writePolicy(policy(`, mrrDelta: { USD: "100.00" }`));
    const quiet = await m.cli(["plan", "-f", "json"]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect((JSON.parse(quiet.stdout) as { totals?: { mrr: object } }).totals?.mrr).toEqual({});

    m.writePolicy(policy(`, mrrDelta: { USD: "100.00" }`, "all"));
    resetCalls();
    const refused = await m.cli(["--yes"]);
    expect(refused.code, refused.stderr).toBe(4);
    // big: 490 × 3.00 a year = +122.50 a month; the EUR org moves EUR, which has no limit here.
    expect(refused.stderr).toContain(
      "refused: the MRR change in USD would be +122.50 a month, over the limit of 100.00 (policy.thresholds.mrrDelta.USD); largest: CustomerOrg/big +122.50",
    );
    expect(writes()).toEqual([]);
    expect((await billed("big")).amount).toBe("5885.00");

    const forced = await m.cli(["--yes", "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect((await billed("big")).amount).toBe("7355.00"); // 5.00 + 490 × 15.00
    expect((await billed("euro")).amount).toBe("90.00"); // 4.50 + 6 × 14.25
  });

  it("more Zoho licences than licencesDelta: exit 4 naming the org, nothing written; --force buys them", async () => {
    m.writePolicy(policy(`, licencesDelta: 50`));
    m.writeOrgs([{ ...BIG, mailboxes: 490 }, { ...SMALL, mailboxes: 70 }, EURO]);
    resetCalls();
    const refused = await m.cli(["--yes"]);
    expect(refused.code, refused.stderr).toBe(4);
    expect(refused.stderr).toContain("refused: the plan would buy 66 Zoho licences, over the limit of 50 (policy.thresholds.licencesDelta); largest: CustomerOrg/small +66");
    expect(writes()).toEqual([]);
    expect(await billed("small")).toEqual({ amount: "154.00", mailboxes: 4, licences: 4 });

    const forced = await m.cli(["--yes", "--force"]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await billed("small")).toEqual({ amount: "2530.00", mailboxes: 70, licences: 70 }); // 154.00 + 66 × 36.00
  });
});
