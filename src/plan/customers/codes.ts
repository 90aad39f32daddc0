/**
 * Stable issue codes of the customer-org plan. Each is raised as a `ManifestIssue` at the
 * CustomerOrg's position before anything is written; tests and users' scripts match on them.
 */
export const CustomerIssueCode = {
  duplicateName: "plan.customer.duplicate-name",
  duplicateDomain: "plan.customer.duplicate-domain",
  unknownProduct: "plan.customer.unknown-product",
  notZohoMail: "plan.customer.not-zoho-mail",
  noMailboxesOption: "plan.customer.no-mailboxes-option",
  mailboxesRange: "plan.customer.mailboxes-range",
  cycleNotOffered: "plan.customer.cycle-not-offered",
  noZohoPlan: "plan.customer.no-zoho-plan",
  unknownZohoPlan: "plan.customer.unknown-zoho-plan",
  payPeriodNotOffered: "plan.customer.pay-period-not-offered",
  cyclePayPeriod: "plan.customer.cycle-pay-period",
  yearlyToMonthly: "plan.customer.yearly-to-monthly",
  belowUsedMailboxes: "plan.customer.below-used-mailboxes",
  planUserCap: "plan.customer.plan-user-cap",
  freeUserCap: "plan.customer.free-user-cap",
  trialUnavailable: "plan.customer.trial-unavailable",
  trialChange: "plan.customer.trial-change",
  trialToFree: "plan.customer.trial-to-free",
  clientMismatch: "plan.customer.client-mismatch",
  ambiguousService: "plan.customer.ambiguous-service",
  ambiguousClient: "plan.customer.ambiguous-client",
  licenseMismatch: "plan.customer.license-mismatch",
  superAdminTaken: "plan.customer.super-admin-taken",
  liveCurrency: "plan.customer.live-currency",
  billing: "plan.customer.billing",
  duplicateService: "plan.customer.duplicate-service",
  duplicateZohoOrg: "plan.customer.duplicate-zoho-org",
  duplicateZoid: "plan.customer.duplicate-zoid",
  trialFamily: "plan.customer.trial-family",
} as const;
export type CustomerIssueCode = (typeof CustomerIssueCode)[keyof typeof CustomerIssueCode];
