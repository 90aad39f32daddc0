import { describe, expect, it } from "vitest";
import type { PriceRow } from "../../../src/model/catalog.js";
import type { ConfigOptionGroupWrite, OptionWrite } from "../../../src/model/provider.js";
import {
  configGroupParams,
  encodeForm,
  productGroupParams,
  productParams,
  upsertResultFrom,
  WhmcsWriteError,
} from "../../../src/providers/whmcs/index.js";

const row = (over: Partial<Record<keyof PriceRow, string>> = {}): PriceRow => ({
  msetupfee: "0.00",
  qsetupfee: "0.00",
  ssetupfee: "0.00",
  asetupfee: "0.00",
  bsetupfee: "0.00",
  tsetupfee: "0.00",
  monthly: "-1.00",
  quarterly: "-1.00",
  semiannually: "-1.00",
  annually: "-1.00",
  biennially: "-1.00",
  triennially: "-1.00",
  ...over,
});

const decoded = (params: Parameters<typeof encodeForm>[0]) => Object.fromEntries(new URLSearchParams(encodeForm(params)));

describe("companion write parameters", () => {
  it("ReconcileUpsertProductGroup", () => {
    expect(
      decoded(productGroupParams({ key: "business-email", state: { name: "Business & Email", headline: "H", tagline: "", hidden: true, order: 3 } })),
    ).toEqual({ key: "business-email", name: "Business & Email", headline: "H", tagline: "", hidden: "1", order: "3" });
    expect(decoded(productGroupParams({ key: "g", id: "12", state: { name: "G", headline: "", tagline: "", hidden: false, order: 0 } }))).toMatchObject({
      id: "12",
      hidden: "0",
    });
  });

  it("ReconcileUpsertProduct with all twelve price keys per currency id and sorted config groups", () => {
    const params = productParams({
      key: "mail-lite",
      groupId: "1",
      name: "Zoho Mail Lite",
      description: "<b>x</b>",
      type: "other",
      payType: "recurring",
      hidden: false,
      module: "zoho_mail",
      configOptionGroupIds: ["10", "9", "10"],
      pricing: { "2": row({ annually: "11" }), "1": row({ annually: "12.00" }) },
    });
    const body = encodeForm(params);
    expect(body).toContain("configgroups%5B0%5D=9&configgroups%5B1%5D=10&pricing%5B1%5D%5Bmsetupfee%5D=0.00");
    const form = decoded(params);
    expect(form).toMatchObject({ key: "mail-lite", gid: "1", name: "Zoho Mail Lite", description: "<b>x</b>", type: "other", paytype: "recurring", hidden: "0", module: "zoho_mail" });
    expect(Object.keys(form).filter((k) => k.startsWith("pricing[2]"))).toHaveLength(12);
    expect(form["pricing[2][annually]"]).toBe("11.00");
    expect(form["pricing[1][triennially]"]).toBe("-1.00");
    expect(form).not.toHaveProperty("id");
  });

  it("sends configgroups= (empty) to unlink every option group", () => {
    const body = encodeForm(
      productParams({ key: "p", id: "7", groupId: "1", name: "P", description: "", type: "other", payType: "free", hidden: false, module: "", configOptionGroupIds: [], pricing: {} }),
    );
    expect(body).toMatch(/(^|&)configgroups=(&|$)/);
    expect(body).not.toContain("pricing");
  });

  const quantity: OptionWrite = {
    key: "mailboxes",
    label: "Mailboxes",
    type: "quantity",
    min: 1,
    max: 0,
    order: 0,
    hidden: false,
    choices: [{ key: "", label: "Mailbox", order: 0, hidden: false, pricing: { "1": row({ monthly: "1.00", annually: "12.00" }) } }],
  };
  const dropdown: OptionWrite = {
    key: "plan",
    label: "Plan",
    type: "dropdown",
    min: 5,
    max: 9,
    order: 1,
    hidden: false,
    choices: [
      { key: "basic", label: "Basic", order: 0, hidden: false, pricing: {} },
      { key: "pro", label: "Pro", order: 1, hidden: true, pricing: { "1": row({ monthly: "2.00" }) } },
    ],
  };
  const group = (options: OptionWrite[]): ConfigOptionGroupWrite => ({ key: "mail-lite-options", name: "Options", description: "d", options });

  it("ReconcileUpsertConfigGroup with option type codes and nested choices", () => {
    const form = decoded(configGroupParams(group([quantity, dropdown])));
    expect(form).toMatchObject({
      key: "mail-lite-options",
      name: "Options",
      description: "d",
      "options[0][key]": "mailboxes",
      "options[0][label]": "Mailboxes",
      "options[0][type]": "4",
      "options[0][min]": "1",
      "options[0][max]": "0",
      "options[0][order]": "0",
      "options[0][hidden]": "0",
      "options[0][choices][0][key]": "",
      "options[0][choices][0][label]": "Mailbox",
      "options[0][choices][0][pricing][1][monthly]": "1.00",
      "options[0][choices][0][pricing][1][annually]": "12.00",
      "options[1][type]": "1",
      "options[1][min]": "0",
      "options[1][max]": "0",
      "options[1][choices][1][key]": "pro",
      "options[1][choices][1][hidden]": "1",
    });
    expect(Object.keys(form).some((k) => k.startsWith("options[1][choices][0][pricing]"))).toBe(false);
  });

  it.each<[string, OptionWrite[], RegExp]>([
    ["quantity with two choices", [{ ...quantity, choices: [...quantity.choices, ...dropdown.choices] }], /exactly one choice/],
    ["quantity choice with a key", [{ ...quantity, choices: [{ ...dropdown.choices[0]!, key: "x" }] }], /exactly one choice, with key ""/],
    ["dropdown choice without key", [{ ...dropdown, choices: [{ ...dropdown.choices[0]!, key: "" }] }], /non-empty key/],
    ["| in option key", [{ ...dropdown, key: "a|b" }], /must not contain "\|"/],
    ["duplicate option keys", [dropdown, dropdown], /appears twice/],
    ["bad money", [{ ...dropdown, choices: [{ ...dropdown.choices[0]!, pricing: { "1": row({ monthly: "1.234" }) } }] }], /not a money amount/],
    ["bad currency id", [{ ...dropdown, choices: [{ ...dropdown.choices[0]!, pricing: { USD: row() } }] }], /not a WHMCS id/],
  ])("rejects %s", (_name, options, message) => {
    expect(() => configGroupParams(group(options))).toThrow(WhmcsWriteError);
    expect(() => configGroupParams(group(options))).toThrow(message);
  });

  it("reads upsert results tolerantly", () => {
    expect(upsertResultFrom({ result: "success", id: 12, created: true }, "A")).toEqual({ id: "12", created: true });
    expect(upsertResultFrom({ result: "success", id: "7", created: 0 }, "A")).toEqual({ id: "7", created: false });
    expect(() => upsertResultFrom({ result: "success", id: 7 }, "ReconcileUpsertProduct")).toThrow(/ReconcileUpsertProduct\.created: missing/);
  });
});
