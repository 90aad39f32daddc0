import { moduleCommand } from "./command.js";

/** `ModuleChangePackage`: `<module>_ChangePackage`, pushing the service's current product and options; status unchanged. */
export const moduleChangePackage = moduleCommand({
  name: "ModuleChangePackage",
  call: () => ({ kind: "lifecycle", fn: "ChangePackage" }),
});
