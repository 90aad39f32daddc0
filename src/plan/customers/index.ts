/**
 * Customer orgs in the plan: WHMCS client, WHMCS service and Zoho org with its plan and licences,
 * diffed as one canonical state per org, with the cross-system invariants checked first. Pure.
 */
export { computeFullPlan } from "./full-plan.js";
export { computeCustomerChanges, type CustomerPlanPart } from "./compute.js";
export { catalogContext, type CatalogContext, type ProductContext } from "./products.js";
export { CustomerIssueCode } from "./codes.js";
export { CYCLE_OF_PAY_PERIOD } from "./invariants.js";
export { SUSPEND_NOTE, TERMINATE_NOTE } from "./notes.js";
export { liveZohoPlanState, planKeyOf } from "./state.js";
export {
  DEFAULT_FREE_USER_CAP,
  DEFAULT_VERIFY_CNAME_TARGET,
  type CustomerPlanInput,
  type DesiredCustomerResource,
  type FullPlanInput,
} from "./input.js";
