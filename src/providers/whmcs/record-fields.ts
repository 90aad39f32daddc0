import { MANAGED_MODULE } from "../../model/catalog.js";
import { RECORD_FIELD_NAMES } from "../../model/customers.js";

/**
 * Product custom fields a catalog write ensures: managed (`zoho_mail`) products carry the fields
 * where each customer's Zoho org is recorded (ZOID, super admin, verification state); other
 * products get none.
 */
export function productCustomFieldsFor(module: string): readonly string[] {
  return module === MANAGED_MODULE ? RECORD_FIELD_NAMES : [];
}
