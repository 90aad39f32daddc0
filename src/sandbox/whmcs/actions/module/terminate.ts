import { moduleCommand, today } from "./command.js";

/** `ModuleTerminate`: `<module>_TerminateAccount`; the service becomes `Terminated` today. */
export const moduleTerminate = moduleCommand({
  name: "ModuleTerminate",
  call: () => ({ kind: "lifecycle", fn: "TerminateAccount" }),
  onSuccess: (ctx) => ({ domainstatus: "Terminated", termination_date: today(ctx) }),
});
