export { createDbCatalogBackend, type DbCatalogBackend } from "./backend.js";
export { parseDbUrl, type DbBackendOptions, type DbStatementInfo, type DbTarget } from "./options.js";
export { WhmcsDbError, type DbPhase } from "./errors.js";
export { OwnershipError, LEDGER_TABLE } from "./ledger.js";
export { slugify } from "./catalog-rows.js";
