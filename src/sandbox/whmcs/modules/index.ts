export { defaultModules, ModuleRegistry } from "./registry.js";
export { reconcileTestModule } from "./reconcile-test.js";
export { callModule, ERR_NOT_ASSIGNED, type ModuleCall, type ModuleDeps } from "./run.js";
export { zohoControlPanelUrl, zohoMailModule } from "./zoho-mail.js";
export {
  LIFECYCLE_FUNCTIONS,
  type LifecycleFunction,
  type ModuleContext,
  type ModuleFunction,
  type ModuleParams,
  type ModuleReturn,
  type ServerModule,
  type ZohoMailConnection,
} from "./types.js";
