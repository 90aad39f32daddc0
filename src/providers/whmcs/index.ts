export { createWhmcsClient, whmcsRetryDecision, type CallKind, type CallOptions, type WhmcsClient, type WhmcsClientOptions, type WhmcsResponse } from "./client.js";
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
export { listClients, getClients, addClient, getClientDetails, findClientByEmail, type AddClientInput, type ClientLookup, type ListClientsFilter } from "./clients.js";
export {
  addOrder,
  acceptOrder,
  pendingOrder,
  listOrders,
  getOrders,
  getPaymentMethods,
  type AcceptOrderOptions,
  type AddOrderInput,
  type AddOrderResult,
  type OrderItem,
  type OrdersFilter,
} from "./orders.js";
export {
  listServices,
  getServices,
  updateService,
  upgradeService,
  type ServiceOptionChange,
  type ServicesFilter,
  type UnsetField,
  type UpdateServiceInput,
  type UpdateServiceOptions,
  type UpgradeInput,
  type UpgradeResult,
} from "./services.js";
export { moduleCreate, moduleSuspend, moduleUnsuspend, moduleTerminate, moduleChangePackage, moduleCustom, type ModuleCallOptions } from "./modules.js";
export { liveServiceFrom, quantityOptionRef, type LiveServiceOptions, type QuantityOptionRef } from "./live-service.js";
export { SERVICE_CYCLE_TEXT, serviceCycleFromText, serviceStatusFromText, splitIds } from "./read-records.js";
export { WhmcsRequestError } from "./request-checks.js";
export {
  CLIENT_STATUSES,
  SERVICE_STATUSES,
  type ClientStatus,
  type LiveService,
  type PaymentMethod,
  type ServiceCustomFieldValue,
  type ServiceCycle,
  type ServiceOptionValue,
  type ServiceStatus,
  type WhmcsClientDetails,
  type WhmcsClientSummary,
  type WhmcsOrder,
  type WhmcsOrderLine,
  type WhmcsService,
} from "./service-types.js";
export { createDbCatalogBackend, parseDbUrl, WhmcsDbError, OwnershipError, type DbBackendOptions, type DbCatalogBackend, type DbPhase, type DbStatementInfo, type DbTarget } from "./db/index.js";
