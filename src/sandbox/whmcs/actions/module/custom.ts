import { moduleCommand } from "./command.js";

/**
 * `ModuleCustom`: `<module>_<func_name>`, `func_name` without the module prefix (for
 * `zoho_mail`: `buttonOneFunction`); status unchanged.
 */
export const moduleCustom = moduleCommand({
  name: "ModuleCustom",
  call: (ctx) => ({ kind: "custom", fn: (ctx.params.str("func_name") ?? "").trim() }),
});
