import { moduleCommand } from "./command.js";

/** `ModuleChangePw`: `<module>_ChangePassword` with `servicepassword`, stored once the module accepts it. */
export const moduleChangePw = moduleCommand({
  name: "ModuleChangePw",
  call: () => ({ kind: "lifecycle", fn: "ChangePassword" }),
  override: (ctx) => {
    const password = ctx.params.str("servicepassword");
    return password === undefined ? {} : { password };
  },
  onSuccess: (ctx): Record<string, string> => {
    const password = ctx.params.str("servicepassword");
    return password === undefined ? {} : { password };
  },
});
