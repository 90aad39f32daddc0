import type { PlanInput } from "../../src/plan/index.js";
import {
  at,
  desiredCatalog,
  group,
  input,
  liveCatalog,
  liveGroup,
  liveChoice,
  liveOption,
  liveOptionGroup,
  liveProduct,
  optionGroup,
  product,
  quantityOption,
  row,
  services,
} from "../plan/builders.js";

/**
 * A reseller's catalog in the middle of its life: a price rise with paying customers, a new
 * product line, an option retired, a product adopted, things nobody declared.
 */
export function realisticInput(backend: PlanInput["backend"] = "companion"): PlanInput {
  const desired = desiredCatalog({
    productGroups: [
      group("business-email", { headline: "Professional email on your domain" }, at(1)),
      group("workplace", { name: "Zoho Workplace", headline: "Mail, docs and meetings", tagline: "", order: 2 }, at(8)),
    ],
    configOptionGroups: [
      optionGroup(
        "mail-lite-options",
        {
          options: [quantityOption("mailboxes", { USD: { monthly: "1.00", annually: "12.00" }, EUR: { monthly: "1.05", annually: "11.40" } })],
        },
        at(15),
      ),
    ],
    products: [
      product(
        "mail-lite",
        { configOptionGroups: ["mail-lite-options"], pricing: { USD: { monthly: "1.00", annually: "12.00" }, EUR: { annually: "9.00" } } },
        at(30),
      ),
      product(
        "mail-premium",
        { name: "Zoho Mail Premium", description: "50 GB per mailbox, <b>eDiscovery</b> | backups", pricing: { USD: { annually: "48.00" } } },
        at(45),
      ),
      product(
        "workplace-standard",
        {
          group: "workplace",
          name: "Zoho Workplace Standard",
          description: "Mail, WorkDrive and Meeting.",
          zoho: { plan: "workplace-standard" },
          pricing: { USD: { monthly: "3.00", annually: "30.00", asetupfee: "5.00" }, EUR: { monthly: "2.80", annually: "28.00" } },
        },
        at(60, "catalog/workplace.yaml"),
      ),
    ],
  });
  const live = liveCatalog({
    productGroups: [liveGroup("1", "business-email"), liveGroup("3", undefined, { name: "Web Hosting", headline: "", tagline: "" })],
    configOptionGroups: [
      liveOptionGroup("2", "mail-lite-options", {
        options: {
          mailboxes: liveOption("mailboxes"),
          backup: liveOption("backup", {
            label: "Backup",
            type: "yesno",
            min: 0,
            max: 0,
            order: 1,
            choices: { "": liveChoice("", "Daily backup", 0, { USD: row({ monthly: "0.50" }, "0.00"), EUR: row({}, "0.00") }) },
          }),
        },
      }),
    ],
    products: [
      liveProduct("7", "mail-lite", { configOptionGroupIds: ["2"], pricing: { USD: row({ monthly: "1.00", annually: "10.00" }), EUR: row({ annually: "8.00" }) } }),
      liveProduct("12", undefined, { name: "Zoho Mail Premium", description: "50 GB per mailbox", pricing: { USD: row({ annually: "48.00" }), EUR: row({}) } }),
      liveProduct("15", "legacy-mail", { name: "Legacy Mail", groupId: "3" }),
      liveProduct("16", undefined, { name: "Zoho Workplace Standard", module: "cpanel", groupId: "3" }),
      liveProduct("17", undefined, { name: "Shared Hosting", module: "cpanel", groupId: "3" }),
    ],
    serviceCounts: [
      services("7", "annually", "USD", 40),
      services("7", "monthly", "USD", 25),
      services("7", "annually", "EUR", 12),
      services("12", "annually", "USD", 9),
    ],
  });
  const base = input(desired, live, backend);
  return backend === "api" ? { ...base, live: { ...live, ownershipKnown: false, serviceCounts: undefined } } : base;
}
