import { describe, expect, it } from "vitest";
import { catalogRowsFromCompanion, decodeHtmlEntities, liveCatalogFromRows, splitOptionName, WhmcsDataError } from "../../../src/providers/whmcs/index.js";
import { companionCatalog, priceRow } from "./fixtures.js";

const read = (over: Record<string, unknown> = {}) => liveCatalogFromRows(catalogRowsFromCompanion(companionCatalog(over)));

describe("decodeHtmlEntities", () => {
  it.each([
    ["A &amp; B", "A & B"],
    ["&lt;b&gt; &quot;x&quot; &#039;y&#39;", "<b> \"x\" 'y'"],
    ["&#8364; &#x20AC; &#X20ac;", "€ € €"],
    ["&amp;lt;", "&lt;"],
    ["&nbsp; &#0; &#xD800; &#99999999; & ;", "&nbsp; &#0; &#xD800; &#99999999; & ;"],
    ["plain", "plain"],
  ])("%s", (input, expected) => {
    expect(decodeHtmlEntities(input)).toBe(expected);
  });
});

describe("splitOptionName", () => {
  it("splits on the first | only and keeps names without | whole and verbatim", () => {
    expect(splitOptionName("mailboxes|Mailboxes")).toEqual({ key: "mailboxes", label: "Mailboxes" });
    expect(splitOptionName("os|Ubuntu | LTS")).toEqual({ key: "os", label: "Ubuntu | LTS" });
    expect(splitOptionName("Mailboxes")).toEqual({ key: "Mailboxes", label: "Mailboxes" });
    expect(splitOptionName("a&amp;b|A &amp; B")).toEqual({ key: "a&b", label: "A & B" });
    expect(splitOptionName("x&#124;y")).toEqual({ key: "x|y", label: "x|y" });
  });
});

describe("liveCatalogFromRows (companion ReconcileGetCatalog)", () => {
  it("maps currencies, groups and products to canonical state with decoded text and owners", () => {
    const live = read();
    expect(live.ownershipKnown).toBe(true);
    expect(live.currencies).toEqual([
      { id: "1", code: "USD", prefix: "$", suffix: " USD", isDefault: true },
      { id: "2", code: "EUR", prefix: "€", suffix: " EUR", isDefault: false },
    ]);
    expect(live.productGroups).toEqual([
      {
        remoteId: "1",
        ownedAs: "business-email",
        state: { name: "Business & Email", headline: "Email <on> your domain", tagline: "", hidden: false, order: 1 },
      },
    ]);
    expect(live.products).toEqual([
      {
        remoteId: "1",
        ownedAs: "mail-lite",
        state: {
          groupId: "1",
          name: 'Zoho Mail "Lite"',
          description: "Ad-free 'email' \u2014 5\u202fGB",
          type: "other",
          payType: "recurring",
          hidden: false,
          module: "zoho_mail",
          configOptionGroupIds: ["1"],
          pricing: {
            USD: {
              msetupfee: "0.00",
              qsetupfee: "0.00",
              ssetupfee: "0.00",
              asetupfee: "0.00",
              bsetupfee: "0.00",
              tsetupfee: "0.00",
              monthly: "-1.00",
              quarterly: "-1.00",
              semiannually: "-1.00",
              annually: "12.00",
              biennially: "-1.00",
              triennially: "-1.00",
            },
          },
        },
      },
    ]);
  });

  it("maps option groups: quantity unit choice keyed \"\", dropdown choices by key, ids recorded", () => {
    const [group] = read().configOptionGroups;
    expect(group?.remoteId).toBe("1");
    expect(group?.ownedAs).toBeUndefined();
    expect(group?.state.name).toBe("Mail Lite options");
    expect(group?.state.description).toBe("Mailboxes & plan");
    const mailboxes = group?.state.options["mailboxes"];
    expect(mailboxes).toMatchObject({ key: "mailboxes", label: "Mailboxes", type: "quantity", min: 1, max: 0, order: 0, hidden: false });
    expect(Object.keys(mailboxes?.choices ?? {})).toEqual([""]);
    expect(mailboxes?.choices[""]).toMatchObject({ key: "", label: "Mailbox", order: 0, hidden: false });
    expect(mailboxes?.choices[""]?.pricing["USD"]).toMatchObject({ monthly: "1.00", annually: "12.00", quarterly: "0.00" });
    // A pricing row of an unknown currency (99) is dropped; a missing currency row is simply absent.
    expect(Object.keys(mailboxes?.choices[""]?.pricing ?? {})).toEqual(["USD"]);

    const plan = group?.state.options["Plan"];
    expect(plan).toMatchObject({ key: "Plan", label: "Plan", type: "dropdown", min: 0, max: 0, order: 1, hidden: true });
    expect(plan?.choices["Basic"]).toMatchObject({ key: "Basic", label: "Basic", order: 0, hidden: true });
    expect(plan?.choices["pro"]).toMatchObject({ key: "pro", label: "Pro & more", order: 1, hidden: false });
    expect(Object.keys(plan?.choices["pro"]?.pricing ?? {})).toEqual(["EUR", "USD"]);
    expect(plan?.choices["pro"]?.pricing["EUR"]?.monthly).toBe("4.50");
    expect(group?.ids).toEqual({ options: { mailboxes: { id: "1", choices: { "": "1" } }, Plan: { id: "2", choices: { Basic: "2", pro: "3" } } } });
  });

  it("counts active services per product, cycle and currency code", () => {
    expect(read().serviceCounts).toEqual([
      { productId: "1", cycle: "semiannually", currency: "EUR", active: 1 },
      { productId: "1", cycle: "annually", currency: "USD", active: 5 },
    ]);
    expect(read({ servicecounts: undefined }).serviceCounts).toBeUndefined();
  });

  it("sorts objects by numeric id and linked option groups by code unit", () => {
    const base = companionCatalog();
    const live = read({
      configgroups: [
        { id: 10, name: "Ten", description: "" },
        { id: 9, name: "Nine", description: "" },
        ...(base["configgroups"] as unknown[]),
      ],
      configlinks: [
        { gid: 9, pid: 1 },
        { gid: 10, pid: 1 },
        { gid: 1, pid: 1 },
      ],
    });
    expect(live.configOptionGroups.map((g) => g.remoteId)).toEqual(["1", "9", "10"]);
    expect(live.products[0]?.state.configOptionGroupIds).toEqual(["1", "10", "9"]);
  });

  it("keeps duplicate option and choice names apart with #<id>", () => {
    const live = read({
      configoptions: [
        { id: 5, gid: 1, optionname: "size|Size", optiontype: "2", qtyminimum: 0, qtymaximum: 0, order: 0, hidden: 0 },
        { id: 6, gid: 1, optionname: "size|Size again", optiontype: "3", qtyminimum: 0, qtymaximum: 0, order: 0, hidden: 0 },
      ],
      configsuboptions: [
        { id: 7, configid: 5, optionname: "s|Small", sortorder: 0, hidden: 0 },
        { id: 8, configid: 5, optionname: "s|Small too", sortorder: 0, hidden: 0 },
        { id: 9, configid: 6, optionname: "Yes please", sortorder: 0, hidden: 0 },
      ],
      pricing: [priceRow("configoptions", 7, 1)],
    });
    const options = live.configOptionGroups[0]?.state.options ?? {};
    expect(Object.keys(options)).toEqual(["size", "size#6"]);
    expect(Object.keys(options["size"]?.choices ?? {})).toEqual(["s", "s#8"]);
    expect(options["size#6"]?.choices[""]?.label).toBe("Yes please");
    expect(options["size#6"]?.type).toBe("yesno");
  });

  it("fails with a typed error naming the place of bad data", () => {
    const missing = companionCatalog();
    delete missing["resources"];
    expect(() => catalogRowsFromCompanion(missing)).toThrow(WhmcsDataError);
    expect(() => catalogRowsFromCompanion(missing)).toThrow(/ReconcileGetCatalog\.resources: missing/);
    expect(() => read({ configoptions: [{ id: 1, gid: 1, optionname: "x", optiontype: "7", qtyminimum: 0, qtymaximum: 0, order: 0, hidden: 0 }] })).toThrow(
      /configoptions\[0\]\.optiontype: unknown configurable option type/,
    );
    expect(() => read({ pricing: [priceRow("product", 1, 1, { monthly: "1.234" })] })).toThrow(
      expect.objectContaining({ code: "whmcs.data.invalid", message: expect.stringContaining("pricing[0].monthly") }),
    );
    expect(() => read({ products: [{ id: "x1", gid: 1 }] })).toThrow(/products\[0\]\.id: expected an id/);
    expect(() => read({ groups: [{ id: 1, name: "G", headline: "", tagline: "", hidden: "maybe", order: 1 }] })).toThrow(/expected a 0\/1 flag/);
  });
});
