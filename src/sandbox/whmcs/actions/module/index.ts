export { moduleChangePackage } from "./change-package.js";
export { moduleChangePw } from "./change-pw.js";
export { ERR_SERVICE_NOT_FOUND, ERR_SERVICE_REQUIRED } from "./command.js";
export { moduleCreate } from "./create.js";
export { moduleCustom } from "./custom.js";
export { moduleSuspend } from "./suspend.js";
export { moduleTerminate } from "./terminate.js";
export { moduleUnsuspend } from "./unsuspend.js";
