/**
 * The live side of customer orgs, read in bulk from WHMCS and Zoho at the same time, in the
 * shapes of `src/model/customers.ts`.
 */
export { readCustomerLiveState, type CustomerReadOptions } from "./read.js";
export { planNamesFromConfig, liveZohoOrgFrom } from "./zoho-map.js";
export { liveClientFrom, liveCustomerServiceFrom } from "./whmcs-map.js";
