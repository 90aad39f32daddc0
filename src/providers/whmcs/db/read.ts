import { PRICE_KEYS } from "../../../core/cycles.js";
import type { CatalogRows } from "../mapping-rows.js";
import { LEDGER_TABLE } from "./ledger.js";
import type { Statements } from "./session.js";

const PRICE_COLUMNS = PRICE_KEYS.map((k) => `\`${k}\``).join(", ");

/**
 * The catalog as raw rows, the same shape `ReconcileGetCatalog` returns: one query per table (no
 * query per object), so a catalog of any size is a handful of round trips. Active services are
 * counted by the database; the mapping merges cycles that differ only in spelling.
 */
export async function readCatalogRows(s: Statements): Promise<CatalogRows> {
  const ledger = await s.rows("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", [LEDGER_TABLE]);
  const hasLedger = Number(ledger[0]?.["n"] ?? 0) > 0;
  return {
    currencies: await s.rows("SELECT `id`, `code`, `prefix`, `suffix`, `format`, `rate`, `default` FROM `tblcurrencies` ORDER BY `id`"),
    groups: await s.rows("SELECT `id`, `name`, `slug`, `headline`, `tagline`, `hidden`, `order` FROM `tblproductgroups` ORDER BY `id`"),
    products: await s.rows(
      "SELECT `id`, `gid`, `type`, `name`, `slug`, `description`, `hidden`, `retired`, `paytype`, `servertype`, `order` FROM `tblproducts` ORDER BY `id`",
    ),
    pricing: await s.rows(`SELECT \`type\`, \`currency\`, \`relid\`, ${PRICE_COLUMNS} FROM \`tblpricing\` WHERE \`type\` IN ('product', 'configoptions') ORDER BY \`id\``),
    configgroups: await s.rows("SELECT `id`, `name`, `description` FROM `tblproductconfiggroups` ORDER BY `id`"),
    configoptions: await s.rows(
      "SELECT `id`, `gid`, `optionname`, `optiontype`, `qtyminimum`, `qtymaximum`, `order`, `hidden` FROM `tblproductconfigoptions` ORDER BY `id`",
    ),
    configsuboptions: await s.rows("SELECT `id`, `configid`, `optionname`, `sortorder`, `hidden` FROM `tblproductconfigoptionssub` ORDER BY `id`"),
    configlinks: await s.rows("SELECT `gid`, `pid` FROM `tblproductconfiglinks` ORDER BY `id`"),
    resources: hasLedger ? await s.rows(`SELECT \`kind\`, \`name\`, \`relid\` FROM \`${LEDGER_TABLE}\` ORDER BY \`id\``) : [],
    customfields: await s.rows(
      "SELECT `id`, `relid`, `fieldname`, `fieldtype`, `adminonly`, `showorder`, `sortorder` FROM `tblcustomfields` WHERE `type` = 'product' ORDER BY `id`",
    ),
    servicecounts: await s.rows(
      "SELECT h.`packageid` AS pid, h.`billingcycle` AS billingcycle, COALESCE(c.`currency`, 0) AS currency, COUNT(*) AS `count` " +
        "FROM `tblhosting` h LEFT JOIN `tblclients` c ON c.`id` = h.`userid` WHERE h.`domainstatus` = 'Active' " +
        "GROUP BY h.`packageid`, h.`billingcycle`, COALESCE(c.`currency`, 0) ORDER BY pid, billingcycle, currency",
    ),
  };
}
