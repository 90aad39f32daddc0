export { createWhmcsClient, type CallKind, type CallOptions, type WhmcsClient, type WhmcsClientOptions, type WhmcsResponse } from "./client.js";
export { createCatalogProvider, type CatalogProviderOptions, type WhmcsCatalogProvider } from "./catalog.js";
export { probeWhmcs, type WhmcsProbeResult } from "./probe.js";
export { WhmcsApiError, WhmcsTransportError, classifyApiMessage, type TransportFailure, type WhmcsErrorCategory } from "./errors.js";
export { WhmcsDataError } from "./coerce.js";
export { encodeForm, phpUrlencode, type FormParams, type FormValue, type FormScalar } from "./encode.js";
export { phpSerialize, phpSerializeBase64, type PhpValue } from "./php-serialize.js";
export { normalizeWhmcsUrl } from "./url.js";
export { listAt, type PaginateOptions } from "./paginate.js";
export {
  catalogRowsFromCompanion,
  liveCatalogFromRows,
  liveCatalogFromApi,
  productGroupParams,
  productParams,
  configGroupParams,
  upsertResultFrom,
  splitOptionName,
  optionTypeFromCode,
  decodeHtmlEntities,
  SYNTHETIC_GROUP_PREFIX,
  WhmcsWriteError,
  type CatalogRows,
} from "./mapping.js";
