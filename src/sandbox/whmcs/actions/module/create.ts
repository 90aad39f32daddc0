import { moduleCommand } from "./command.js";

/** `ModuleCreate`: `<module>_CreateAccount`; the service becomes `Active`. */
export const moduleCreate = moduleCommand({
  name: "ModuleCreate",
  call: () => ({ kind: "lifecycle", fn: "CreateAccount" }),
  onSuccess: () => ({ domainstatus: "Active" }),
});
