import type { PlanInput } from "../../src/plan/index.js";
import {
  desiredCatalog,
  EUR,
  group,
  input,
  liveCatalog,
  liveChoice,
  liveGroup,
  liveOption,
  liveOptionGroup,
  liveProduct,
  optionGroup,
  product,
  quantityOption,
  row,
  services,
  USD,
} from "./builders.js";
import { liveEquivalentOf } from "./live-equivalent.js";

/** Named planning situations shared by the table tests and the schema test. */
export const SCENARIOS = {
  /** Nothing in WHMCS yet: everything is created, EUR (absent from the product) is not offered. */
  create: (): PlanInput =>
    input(
      desiredCatalog({
        productGroups: [group("business-email")],
        configOptionGroups: [optionGroup("mail-lite-options")],
        products: [product("mail-lite", { configOptionGroups: ["mail-lite-options"] })],
      }),
      liveCatalog(),
    ),

  /** A live group nobody owns, identical to the manifest. */
  adoptClean: (): PlanInput =>
    input(desiredCatalog({ productGroups: [group("business-email")] }), liveCatalog({ productGroups: [liveGroup("4", undefined)] })),

  /** A live group nobody owns, with another tagline. */
  adoptWithDiffs: (): PlanInput =>
    input(
      desiredCatalog({ productGroups: [group("business-email", { tagline: "Now with 10 GB" })] }),
      liveCatalog({ productGroups: [liveGroup("4", undefined)] }),
    ),

  /** An owned product whose annual USD price goes from 10.00 to 12.00, with active services. */
  priceUpdate: (): PlanInput =>
    input(
      desiredCatalog({
        productGroups: [group("business-email")],
        products: [product("mail-lite", { pricing: { USD: { monthly: "1.00", annually: "12.00" }, EUR: { annually: "9.00" } } })],
      }),
      liveCatalog({
        productGroups: [liveGroup("1", "business-email")],
        products: [liveProduct("7", "mail-lite", { pricing: { USD: row({ monthly: "1.00", annually: "10.00" }), EUR: row({ annually: "9.00" }) } })],
        serviceCounts: [
          services("7", "annually", "USD", 2),
          services("7", "annually", "USD", 1),
          services("7", "monthly", "USD", 5),
          services("7", "annually", "EUR", 4),
          services("8", "annually", "USD", 50),
        ],
      }),
    ),

  /** Live prices as a loose API returns them ("10", 10) against canonical "10.00". */
  looseMoney: (): PlanInput => {
    const loose = { ...row({}), annually: "10", monthly: 10 as unknown as string };
    return input(
      desiredCatalog({
        productGroups: [group("business-email")],
        products: [product("mail-lite", { pricing: { USD: { annually: "10.00", monthly: "10.00" } } })],
      }),
      liveCatalog({
        productGroups: [liveGroup("1", "business-email")],
        products: [liveProduct("7", "mail-lite", { pricing: { USD: loose, EUR: row({}) } })],
      }),
    );
  },

  /** Option `backup` and choice `pro` exist live but are no longer declared. */
  retire: (): PlanInput =>
    input(
      desiredCatalog({
        configOptionGroups: [
          optionGroup("mail-lite-options", {
            options: [
              quantityOption("mailboxes", { USD: { monthly: "1.00", annually: "12.00" }, EUR: { monthly: "0.95", annually: "11.40" } }),
              {
                key: "plan",
                label: "Plan",
                type: "dropdown",
                min: 0,
                max: 0,
                hidden: false,
                choices: [{ key: "basic", label: "Basic", hidden: false, pricing: {} }],
              },
            ],
          }),
        ],
      }),
      liveCatalog({
        configOptionGroups: [
          liveOptionGroup("3", "mail-lite-options", {
            options: {
              mailboxes: liveOption("mailboxes"),
              plan: liveOption("plan", {
                label: "Plan",
                type: "dropdown",
                min: 0,
                max: 0,
                order: 1,
                choices: {
                  basic: liveChoice("basic", "Basic", 0, { USD: row({}, "0.00"), EUR: row({}, "0.00") }),
                  pro: liveChoice("pro", "Pro", 1, { USD: row({ monthly: "2.00" }, "0.00"), EUR: row({}, "0.00") }),
                },
              }),
              backup: liveOption("backup", {
                label: "Backup",
                type: "yesno",
                min: 0,
                max: 0,
                order: 2,
                choices: { "": liveChoice("", "Daily backup", 0, { USD: row({}, "0.00"), EUR: row({}, "0.00") }) },
              }),
            },
          }),
        ],
      }),
    ),

  /** Live objects no manifest declares, owned or not, and a product of another module. */
  leftAlone: (): PlanInput =>
    input(
      desiredCatalog({ productGroups: [group("business-email")] }),
      liveCatalog({
        productGroups: [
          liveGroup("1", "business-email"),
          liveGroup("2", "old-email", { name: "Old Email" }),
          liveGroup("3", undefined, { name: "Web Hosting" }),
        ],
        products: [
          liveProduct("20", undefined, { name: "cPanel Starter", module: "cpanel" }),
          liveProduct("21", undefined, { name: "Zoho Workplace" }),
          liveProduct("22", "legacy-mail", { name: "Legacy Mail" }),
        ],
      }),
    ),

  /** The read-only api backend: ownership unknown, groups known only by id. */
  apiBackend: (): PlanInput =>
    input(
      desiredCatalog({
        productGroups: [group("business-email")],
        configOptionGroups: [optionGroup("mail-lite-options")],
        products: [
          product("mail-lite", { configOptionGroups: ["mail-lite-options"], pricing: { USD: { annually: "12.00" } } }),
          product("workplace", { name: "Zoho Workplace Standard", pricing: { USD: { monthly: "3.00" } } }),
        ],
      }),
      liveCatalog({
        productGroups: [liveGroup("1", undefined, { name: "#1", headline: "", tagline: "", order: 0 })],
        products: [liveProduct("7", undefined)],
        ownershipKnown: false,
        serviceCounts: undefined,
      }),
      "api",
    ),

  /** A free product whose live price rows say something else. */
  free: (): PlanInput =>
    input(
      desiredCatalog({ productGroups: [group("business-email")], products: [product("mail-free", { name: "Zoho Mail Free", payType: "free", pricing: {} })] }),
      liveCatalog({
        productGroups: [liveGroup("1", "business-email")],
        products: [liveProduct("9", "mail-free", { name: "Zoho Mail Free", payType: "free", pricing: { USD: row({ monthly: "0.00" }), EUR: row({}) } })],
      }),
    ),

  /** The per-mailbox EUR price of a quantity option changes (its single choice has key ""). */
  optionPrice: (): PlanInput =>
    input(
      desiredCatalog({
        configOptionGroups: [
          optionGroup("mail-lite-options", {
            options: [quantityOption("mailboxes", { USD: { monthly: "1.00", annually: "12.00" }, EUR: { monthly: "1.05", annually: "11.40" } })],
          }),
        ],
      }),
      liveCatalog({ configOptionGroups: [liveOptionGroup("3", "mail-lite-options")] }),
    ),

  /** An owned product sits in a group no manifest declares, and links an unknown option group. */
  foreignGroup: (): PlanInput =>
    input(
      desiredCatalog({ productGroups: [group("business-email")], products: [product("mail-lite")] }),
      liveCatalog({
        productGroups: [liveGroup("1", "business-email"), liveGroup("9", undefined, { name: "Misc" })],
        products: [liveProduct("7", "mail-lite", { groupId: "9", configOptionGroupIds: ["44"] })],
      }),
    ),

  /** A product of another module carries the desired product's name. */
  otherModule: (): PlanInput =>
    input(
      desiredCatalog({ productGroups: [group("business-email")], products: [product("mail-lite")] }),
      liveCatalog({
        productGroups: [liveGroup("1", "business-email")],
        products: [liveProduct("5", undefined, { module: "cpanel" })],
      }),
    ),

  /** Live state is exactly what applying the manifests produces. */
  converged: (): PlanInput => {
    const desired = desiredCatalog({
      productGroups: [group("business-email")],
      configOptionGroups: [optionGroup("mail-lite-options")],
      products: [product("mail-lite", { configOptionGroups: ["mail-lite-options"] })],
    });
    return input(desired, liveEquivalentOf(desired, [USD, EUR]));
  },
} satisfies Record<string, () => PlanInput>;
