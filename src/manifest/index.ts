/**
 * The manifest language: the config file, manifest documents, their JSON Schemas, and loading
 * them into desired state with every problem reported at `file:line:col`.
 */
export { loadConfig, loadProject, readProjectConfig } from "./load.js";
export type { LoadedProject } from "./load.js";
export { resolveSecret } from "./resolve-secret.js";
export { formatIssues } from "./format.js";
export { IssueCode } from "./codes.js";
export { MAX_ALIAS_COUNT, MAX_FILE_BYTES, MAX_ISSUES_PER_DOCUMENT, MAX_ISSUES_PER_FILE, MAX_NESTING_DEPTH } from "./limits.js";
export { DEFAULT_ZOHO_PLANS } from "./zoho-plans.js";
export { API_VERSION } from "./envelope.js";
export { SCHEMA_DIR } from "./schemas.js";
export { TRIAL_PLANS } from "../model/customer-org.js";
export type {
  CustomerBillingCycle,
  CustomerStatus,
  CustomerZohoPlan,
  DesiredAddress,
  DesiredClient,
  DesiredCustomerOrg,
  TrialPlanName,
} from "../model/customer-org.js";

export { dumpCatalog, type DumpedCatalog } from "./dump.js";
export {
  clientProblems,
  customerOrgManifest,
  dumpBook,
  orgNameOfDomain,
  orgNames,
  selectProducts,
  CUSTOMER_LAYOUTS,
  CUSTOMERS_DIR,
  IMPORT_REPORT,
  type CustomerImportInput,
  type CustomerLayout,
  type CustomerOrgManifestOptions,
  type DumpedBook,
  type ImportClientDetails,
} from "./dump-customers.js";
