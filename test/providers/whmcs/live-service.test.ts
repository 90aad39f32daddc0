import { describe, expect, it } from "vitest";
import type { LiveCatalog } from "../../../src/model/catalog.js";
import { liveServiceFrom, quantityOptionRef, serviceCycleFromText, splitIds, type WhmcsService } from "../../../src/providers/whmcs/index.js";

const service = (over: Partial<WhmcsService> = {}): WhmcsService => ({
  id: "7",
  clientId: "3",
  orderId: "9",
  productId: "1",
  productName: "Zoho Mail Lite",
  groupName: "Business Email",
  domain: " Acme.Example ",
  qty: 1,
  regDate: "2025-01-01",
  nextDueDate: "2026-01-01",
  billingCycleText: "Annually",
  cycle: "annually",
  status: "active",
  paymentMethod: "banktransfer",
  firstPaymentAmount: "12.00",
  recurringAmount: "12.00",
  serverId: "1",
  username: "",
  configOptions: [
    { id: "5", name: "mailboxes|Mailboxes", type: "quantity", value: "25" },
    { id: "6", name: "storage|Storage", type: "dropdown", value: "10 GB" },
  ],
  customFields: [
    { id: "11", name: "ZOID", value: "6000" },
    { id: "10", name: "", value: "x" },
    { id: "12", name: "ZOID", value: "dup" },
  ],
  ...over,
});

describe("liveServiceFrom", () => {
  it("canonicalises domain, keeps cycle and status, and keys custom fields by name in code-unit order", () => {
    const live = liveServiceFrom(service(), { quantityOption: { key: "mailboxes" } });
    expect(live).toEqual({
      id: "7",
      clientId: "3",
      productId: "1",
      domain: "acme.example",
      cycle: "annually",
      status: "active",
      quantity: 25,
      customFields: { "#10": "x", ZOID: "6000", "ZOID#12": "dup" },
    });
    expect(Object.keys(live.customFields)).toEqual(["#10", "ZOID", "ZOID#12"]);
  });

  it("finds the quantity by option id first (GetClientsProducts may return the label only)", () => {
    const s = service({ configOptions: [{ id: "5", name: "Mailboxes", type: "quantity", value: "10 x Mailbox" }] });
    expect(liveServiceFrom(s, { quantityOption: { key: "mailboxes" } }).quantity).toBeUndefined();
    expect(liveServiceFrom(s, { quantityOption: { key: "mailboxes", ids: ["5"] } }).quantity).toBe(10);
    expect(liveServiceFrom(s).quantity).toBeUndefined();
  });

  it("fails loudly on a quantity that is not a number or on conflicting matches", () => {
    const notNumber = service({ configOptions: [{ id: "5", name: "mailboxes|Mailboxes", type: "quantity", value: "lots" }] });
    expect(() => liveServiceFrom(notNumber, { quantityOption: { key: "mailboxes" } })).toThrow(expect.objectContaining({ code: "whmcs.data.invalid" }));
    const twice = service({
      configOptions: [
        { id: "5", name: "mailboxes|Mailboxes", type: "quantity", value: "3" },
        { id: "8", name: "mailboxes|Users", type: "quantity", value: "4" },
      ],
    });
    expect(() => liveServiceFrom(twice, { quantityOption: { key: "mailboxes" } })).toThrow(/different quantities/);
  });

  it("quantityOptionRef collects the ids of quantity options with that key from the live catalog", () => {
    const group = (id: string, optionId: string, type: "quantity" | "dropdown") => ({
      remoteId: id,
      ownedAs: undefined,
      state: { name: id, description: "", options: { mailboxes: { key: "mailboxes", label: "M", type, min: 0, max: 0, order: 0, hidden: false, choices: {} } } },
      ids: { options: { mailboxes: { id: optionId, choices: {} } } },
    });
    const live: Pick<LiveCatalog, "configOptionGroups"> = { configOptionGroups: [group("1", "5", "quantity"), group("2", "8", "dropdown"), group("3", "9", "quantity")] };
    expect(quantityOptionRef(live, "mailboxes")).toEqual({ key: "mailboxes", ids: ["5", "9"] });
  });
});

describe("record readers", () => {
  it.each([
    ["Monthly", "monthly"],
    ["Semi-Annually", "semiannually"],
    ["semiannually", "semiannually"],
    ["Biennially", "biennially"],
    ["One-Time", "onetime"],
    ["onetime", "onetime"],
    ["Free Account", "free"],
  ])("%s is %s", (text, cycle) => {
    expect(serviceCycleFromText(text, "x")).toBe(cycle);
  });

  it("splits comma-joined id lists", () => {
    expect(splitIds("1,2, 3", "x")).toEqual(["1", "2", "3"]);
    expect(splitIds(7, "x")).toEqual(["7"]);
    expect(splitIds("", "x")).toEqual([]);
    expect(() => splitIds("1,a", "x")).toThrow(expect.objectContaining({ code: "whmcs.data.invalid" }));
  });
});
