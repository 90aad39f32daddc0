import { describe, expect, it } from "vitest";
import { liveCatalogFromApi } from "../../../src/providers/whmcs/index.js";

/** GetCurrencies as real installs return it (string-typed), reference §3.3. */
const currencies = {
  result: "success",
  totalresults: "2",
  currencies: {
    currency: [
      { id: "2", code: "EUR", prefix: "€", suffix: " EUR", format: "1", rate: "0.90000" },
      { id: "1", code: "USD", prefix: "$", suffix: " USD", format: "1", rate: "1.00000" },
    ],
  },
};

const usd = (over: Record<string, string>) => ({
  prefix: "$",
  suffix: " USD",
  msetupfee: "0.00",
  qsetupfee: "0.00",
  ssetupfee: "0.00",
  asetupfee: "0.00",
  bsetupfee: "0.00",
  tsetupfee: "0.00",
  monthly: "0.00",
  quarterly: "0.00",
  semiannually: "0.00",
  annually: "0.00",
  biennially: "0.00",
  triennially: "0.00",
  ...over,
});

const option = {
  id: 4,
  name: "mailboxes|Mailboxes",
  type: "4",
  minqty: 1,
  maxqty: 50,
  options: { option: [{ id: 9, name: "Mailbox", rawName: null, recurring: 0, required: null, pricing: { USD: usd({ monthly: "1.00" }) } }] },
};

/** GetProducts in the documented shape (reference §3.1). */
const products = {
  result: "success",
  totalresults: 3,
  products: {
    product: [
      {
        pid: 7,
        gid: 2,
        type: "other",
        name: "Mail &amp; More",
        slug: "mail",
        description: "Best<br />\r\nplan",
        module: "zoho_mail",
        paytype: "recurring",
        allowqty: 0,
        pricing: { USD: usd({ monthly: "-1.00", annually: "12.00" }) },
        customfields: { customfield: [] },
        configoptions: { configoption: [option] },
      },
      {
        pid: "3",
        gid: "2",
        type: "hostingaccount",
        name: "Other",
        description: "",
        module: "cpanel",
        paytype: "free",
        pricing: [],
        configoptions: { configoption: [] },
      },
      {
        pid: 8,
        gid: 1,
        type: "other",
        name: "Mail Pro",
        description: "",
        module: "zoho_mail",
        paytype: "recurring",
        pricing: {},
        configoptions: {
          configoption: [
            option,
            {
              id: 5,
              name: "Plan",
              type: "1",
              minqty: 0,
              maxqty: 0,
              options: { option: [{ id: 11, name: "Pro", rawName: "pro|Pro", pricing: { USD: usd({}) } }, { id: 10, name: "Basic", pricing: {} }] },
            },
          ],
        },
      },
    ],
  },
};

describe("liveCatalogFromApi (read-only api backend)", () => {
  const live = liveCatalogFromApi(currencies, products);

  it("says ownership and service counts are unknown", () => {
    expect(live.ownershipKnown).toBe(false);
    expect(live.serviceCounts).toBeUndefined();
    expect([...live.products, ...live.productGroups, ...live.configOptionGroups].every((o) => o.ownedAs === undefined)).toBe(true);
  });

  it("reads string-typed currencies, sorted by id, none marked default", () => {
    expect(live.currencies).toEqual([
      { id: "1", code: "USD", prefix: "$", suffix: " USD", isDefault: false },
      { id: "2", code: "EUR", prefix: "€", suffix: " EUR", isDefault: false },
    ]);
  });

  it("knows groups only by id", () => {
    expect(live.productGroups).toEqual([
      { remoteId: "1", ownedAs: undefined, state: { name: "#1", headline: "", tagline: "", hidden: false, order: 0 } },
      { remoteId: "2", ownedAs: undefined, state: { name: "#2", headline: "", tagline: "", hidden: false, order: 0 } },
    ]);
  });

  it("maps products with code-keyed pricing (prefix/suffix dropped) and decoded names", () => {
    expect(live.products.map((p) => p.remoteId)).toEqual(["3", "7", "8"]);
    const mail = live.products[1]?.state;
    expect(mail).toMatchObject({ groupId: "2", name: "Mail & More", description: "Best<br />\r\nplan", type: "other", payType: "recurring", hidden: false, module: "zoho_mail" });
    expect(mail?.pricing).toEqual({
      USD: {
        msetupfee: "0.00",
        qsetupfee: "0.00",
        ssetupfee: "0.00",
        asetupfee: "0.00",
        bsetupfee: "0.00",
        tsetupfee: "0.00",
        monthly: "-1.00",
        quarterly: "0.00",
        semiannually: "0.00",
        annually: "12.00",
        biennially: "0.00",
        triennially: "0.00",
      },
    });
    expect(live.products[0]?.state.pricing).toEqual({});
    expect(live.products[0]?.state.configOptionGroupIds).toEqual([]);
  });

  it("synthesises one option group per distinct set of linked options", () => {
    expect(live.configOptionGroups.map((g) => g.remoteId)).toEqual(["api:options:4", "api:options:4,5"]);
    expect(live.products[1]?.state.configOptionGroupIds).toEqual(["api:options:4"]);
    expect(live.products[2]?.state.configOptionGroupIds).toEqual(["api:options:4,5"]);
    const both = live.configOptionGroups[1];
    expect(both?.state.name).toBe("#api:options:4,5");
    expect(both?.state.options["mailboxes"]).toMatchObject({ type: "quantity", min: 1, max: 50, order: 0, hidden: false });
    expect(both?.state.options["mailboxes"]?.choices[""]?.label).toBe("Mailbox");
    expect(both?.state.options["Plan"]?.choices["pro"]).toMatchObject({ label: "Pro", order: 0 });
    expect(both?.state.options["Plan"]?.choices["Basic"]).toMatchObject({ label: "Basic", order: 1, pricing: {} });
    expect(both?.ids.options["Plan"]).toEqual({ id: "5", choices: { pro: "11", Basic: "10" } });
  });

  it("accepts an empty product list", () => {
    const empty = liveCatalogFromApi({ result: "success", totalresults: 0, currencies: "" }, { result: "success", totalresults: 0, products: "" });
    expect(empty.products).toEqual([]);
    expect(empty.currencies).toEqual([]);
  });
});
