import { RECORD_FIELD_NAMES } from "../../model/customers.js";

/** The server module of the products the tool manages. */
const MANAGED_MODULE = "zoho_mail";

/**
 * Product custom fields a catalog write ensures: managed (`zoho_mail`) products carry the fields
 * where each customer's Zoho org is recorded (ZOID, super admin, verification state); other
 * products get none.
 */
export function productCustomFieldsFor(module: string): readonly string[] {
  return module === MANAGED_MODULE ? RECORD_FIELD_NAMES : [];
}
