import { moduleCommand } from "./command.js";

/** `ModuleUnsuspend`: `<module>_UnsuspendAccount`; the service becomes `Active` again. */
export const moduleUnsuspend = moduleCommand({
  name: "ModuleUnsuspend",
  call: () => ({ kind: "lifecycle", fn: "UnsuspendAccount" }),
  onSuccess: () => ({ domainstatus: "Active", suspendreason: "" }),
});
