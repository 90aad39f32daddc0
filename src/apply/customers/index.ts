/**
 * Applying customer orgs: per org, client → service → Zoho org → Zoho plan → WHMCS terms →
 * records → status, each step idempotent; the catalog first when a plan has both.
 */
export { applyCustomerChanges } from "./apply.js";
export { applyFullPlan, type FullApplyOptions } from "./full.js";
export { verifyPendingDomains, renderVerification, type VerificationOutcome, type VerifyPendingOptions } from "./verify.js";
export { CustomerStepError, type CustomerStep } from "./errors.js";
export { mailboxesOptionOf, productIdOf, type MailboxesOptionIds } from "./catalog-ids.js";
export type { CustomerApplyOptions, CustomerApplyResult, ZohoApis } from "./types.js";
export type { ZohoMailModuleRow, ZohoMailModuleTable } from "../../model/customers.js";
