import { moduleCommand } from "./command.js";

/** `ModuleSuspend`: `<module>_SuspendAccount`; the service becomes `Suspended` with `suspendreason`. */
export const moduleSuspend = moduleCommand({
  name: "ModuleSuspend",
  call: () => ({ kind: "lifecycle", fn: "SuspendAccount" }),
  onSuccess: (ctx) => ({ domainstatus: "Suspended", suspendreason: ctx.params.str("suspendreason") ?? "" }),
});
