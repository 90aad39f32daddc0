/** Pure conversions between WHMCS wire/table shapes and the canonical model; no I/O. */
export { catalogRowsFromCompanion, liveCatalogFromRows, type CatalogRows } from "./mapping-rows.js";
export { liveCatalogFromApi, SYNTHETIC_GROUP_PREFIX } from "./mapping-api.js";
export { configGroupParams, productGroupParams, productParams, upsertResultFrom, WhmcsWriteError } from "./mapping-writes.js";
export { splitOptionName, optionTypeFromCode } from "./option-names.js";
export { decodeHtmlEntities } from "../../core/html.js";
