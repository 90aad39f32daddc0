import type { ZohoMailModuleRow } from "../../../model/customers.js";
import { WhmcsDbError } from "./errors.js";
import type { Statements } from "./session.js";

const TABLE = "zoho_mail";

/**
 * The `zoho_mail` module's row for an org: the row with the same zoid, else the one for the same
 * domain (the module looks rows up by domain), is updated; otherwise one is inserted. The module
 * creates its table itself when WHMCS loads it; the tool never guesses its definition.
 */
export async function upsertZohoMailRow(s: Statements, row: ZohoMailModuleRow): Promise<void> {
  const exists = await s.rows("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", [TABLE]);
  if (exists.length === 0) {
    throw new WhmcsDbError("whmcs.db.no-module-table", `the WHMCS database has no ${TABLE} table; the org of ${row.domain} was recorded in the service only`, {
      phase: "write",
      nothingWritten: true,
      hint: "the zoho_mail module creates its table when WHMCS loads it: open a zoho_mail product's Module Settings once, then apply again",
    });
  }
  const values = [row.domain, row.zoid, row.superAdmin, row.isverified, row.url];
  const set = "SET `domain` = ?, `zoid` = ?, `superAdmin` = ?, `isverified` = ?, `url` = ?";
  if ((await s.exec(`UPDATE \`${TABLE}\` ${set} WHERE \`zoid\` = ?`, [...values, row.zoid])).affectedRows > 0) return;
  if ((await s.exec(`UPDATE \`${TABLE}\` ${set} WHERE \`domain\` = ?`, [...values, row.domain])).affectedRows > 0) return;
  await s.exec(`INSERT INTO \`${TABLE}\` (\`domain\`, \`zoid\`, \`superAdmin\`, \`isverified\`, \`url\`) VALUES (?, ?, ?, ?, ?)`, values);
}
