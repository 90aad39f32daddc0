/**
 * Applying customer orgs: per org, lookup → Zoho org → Zoho plan → WHMCS client → service →
 * terms → records → status, each step idempotent and every step through a `CustomerWriter`; the
 * catalog first when a plan has both.
 */
export { applyCustomerChanges } from "./apply.js";
export { applyFullPlan, type FullApplyOptions } from "./full.js";
export { verifyPendingDomains, renderVerification, type VerificationOutcome, type VerifyPendingOptions } from "./verify.js";
export { CustomerStepError, type CustomerStep } from "./errors.js";
export { mailboxesOptionOf, productIdOf, productOptionsOf, currencyIdOf, type MailboxesOptionIds, type ProductOptionIds } from "./catalog-ids.js";
export { catalogAmount, orderConfigOptions, serviceOptionChanges, type ServiceTerms } from "./order-terms.js";
export { createProviderCustomerWriter, type ProviderWriterOptions } from "./provider-writer.js";
export type { CustomerApplyOptions, CustomerApplyResult } from "./types.js";
export type { CustomerWriter } from "../../model/customer-writer.js";
export type { ZohoMailModuleRow, ZohoMailModuleTable } from "../../model/customers.js";
