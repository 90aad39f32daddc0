import { completeRow, sqlDateTime } from "./rows.js";
import type { WhmcsStore } from "./store.js";
import { DEFAULT_WHMCS_VERSION } from "./actions/whmcs-details.js";
import { setConfiguration, getConfiguration } from "./configuration.js";

export { seedCatalog, type SeedCatalog, type SeedChoice, type SeedConfigGroup, type SeedCurrency, type SeedCustomField, type SeedGroup, type SeedOption, type SeedPricing, type SeedProduct, type SeededCatalog } from "./seed-catalog.js";

export interface DefaultSeedOptions {
  /** Also seed EUR (id 2, rate 0.90000). */
  readonly eur?: boolean;
}

/** Payment gateways seeded by default: system name → display name, in display order. */
export const DEFAULT_GATEWAYS: readonly (readonly [string, string])[] = [
  ["mailin", "Mail In Payment"],
  ["banktransfer", "Bank Transfer"],
  ["paypal", "PayPal"],
];

/**
 * The fixtures every sandbox starts with, each written only into an empty table so a file
 * store keeps its state across restarts: USD (id 1, default) and optionally EUR (id 2),
 * the payment gateways, product welcome e-mail templates, a `zoho_mail` server and the
 * `Version` setting. Credentials and roles are separate (`ensureCredential`).
 */
export async function seedDefaults(store: WhmcsStore, now: Date, options: DefaultSeedOptions = {}): Promise<void> {
  const stamp = sqlDateTime(now);
  await store.transaction(async (tx) => {
    if ((await tx.count("tblcurrencies")) === 0) {
      await tx.insert("tblcurrencies", { id: 1, code: "USD", prefix: "$", suffix: " USD", format: 1, rate: "1.00000", default: 1 });
      if (options.eur === true) {
        await tx.insert("tblcurrencies", { id: 2, code: "EUR", prefix: "€", suffix: " EUR", format: 3, rate: "0.90000", default: 0 });
      }
    }
    if ((await tx.count("tblpaymentgateways")) === 0) {
      for (const [order, [gateway, name]] of DEFAULT_GATEWAYS.entries()) {
        for (const [setting, value] of [
          ["name", name],
          ["type", "Invoices"],
          ["visible", "on"],
        ] as const) {
          await tx.insert("tblpaymentgateways", { gateway, setting, value, order: order + 1 });
        }
      }
    }
    if ((await tx.count("tblemailtemplates")) === 0) {
      for (const [type, name] of [
        ["product", "Hosting Account Welcome Email"],
        ["product", "Other Product/Service Welcome Email"],
        ["general", "Client Signup Email"],
      ] as const) {
        await tx.insert(
          "tblemailtemplates",
          completeRow("tblemailtemplates", { type, name, subject: name, message: "", created_at: stamp, updated_at: stamp }),
        );
      }
    }
    if ((await tx.count("tblservers")) === 0) {
      await tx.insert(
        "tblservers",
        completeRow("tblservers", { name: "Zoho Mail", hostname: "mail.zoho.com", type: "zoho_mail", secure: "on", active: 1, disabled: 0 }),
      );
    }
    if ((await getConfiguration(tx, "Version")) === undefined) await setConfiguration(tx, "Version", DEFAULT_WHMCS_VERSION, now);
  });
}
