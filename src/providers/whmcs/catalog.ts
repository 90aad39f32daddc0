import { ReconcileError } from "../../core/errors.js";
import type { LiveCatalog } from "../../model/catalog.js";
import type { RecordFieldFacts, ZohoMailModuleTable } from "../../model/customers.js";
import type { CatalogBackend, CatalogProvider, CatalogWriter } from "../../model/provider.js";
import type { WhmcsClient } from "./client.js";
import { createDbCatalogBackend, type DbBackendOptions } from "./db/index.js";
import { liveCatalogFromApi } from "./mapping-api.js";
import { catalogRowsFromCompanion, liveCatalogFromRows } from "./mapping-rows.js";
import { configGroupParams, productGroupParams, productParams, upsertResultFrom } from "./mapping-writes.js";
import { probeWhmcs, type WhmcsProbeResult } from "./probe.js";
import { companionLockStore } from "./lock.js";
import type { LockStore } from "../../model/lock.js";

export interface CatalogProviderOptions {
  readonly client: WhmcsClient;
  readonly backend: CatalogBackend;
  /** Required for the `db` backend: where WHMCS's database is and how to reach it. */
  readonly database?: DbBackendOptions;
}

export interface WhmcsCatalogProvider extends CatalogProvider {
  /** WhmcsDetails then GetCurrencies, to surface IP, credential and role problems early. */
  probe(): Promise<WhmcsProbeResult>;
  /**
   * The live catalog, with the products' custom field names when the backend can see them
   * (companion, db).
   */
  readCatalog(): Promise<LiveCatalog & RecordFieldFacts>;
  /** The `zoho_mail` module's table: the `db` backend only. */
  readonly moduleTable?: ZohoMailModuleTable;
  /** Where the apply lock lives: the companion actions or the database; none for the read-only `api` backend. */
  readonly lock?: LockStore;
}

/**
 * The WHMCS catalog provider. Each backend is a reader plus an optional writer:
 * - `companion`: one `ReconcileGetCatalog` call reads every table; writes use the companion upserts;
 * - `api`: `GetCurrencies` + `GetProducts`, read-only (`writer` undefined, the plan turns catalog
 *   changes into manual steps);
 * - `db`: selects the same rows straight from WHMCS's tables (one query per table), passes them to
 *   `liveCatalogFromRows`, and writes each resource in one transaction with the companion's semantics.
 */
export function createCatalogProvider(options: CatalogProviderOptions): WhmcsCatalogProvider {
  const { client, backend } = options;
  const probe = (): Promise<WhmcsProbeResult> => probeWhmcs(client);
  switch (backend) {
    case "companion":
      return { backend, writer: companionWriter(client), readCatalog: () => readCompanion(client), probe, lock: companionLockStore(client) };
    case "api":
      return { backend, writer: undefined, readCatalog: () => readApi(client), probe };
    case "db": {
      if (options.database === undefined) {
        throw new ReconcileError("whmcs.db.config", "catalogBackend db needs whmcs.database (url and password)", undefined, {
          hint: 'add whmcs.database: { url: "mysql://user@host:3306/whmcs", password: "${env:WHMCS_DB_PASSWORD}" }',
        });
      }
      const db = createDbCatalogBackend(options.database);
      return { backend, writer: db.writer, readCatalog: () => db.readCatalog(), probe, moduleTable: db.moduleTable, lock: db.lock };
    }
  }
}

async function readCompanion(client: WhmcsClient): Promise<LiveCatalog & RecordFieldFacts> {
  const response = await client.call("ReconcileGetCatalog", {}, { kind: "read" });
  return liveCatalogFromRows(catalogRowsFromCompanion(response));
}

async function readApi(client: WhmcsClient): Promise<LiveCatalog> {
  const [currencies, products] = await Promise.all([
    client.call("GetCurrencies", {}, { kind: "read" }),
    client.call("GetProducts", {}, { kind: "read" }),
  ]);
  return liveCatalogFromApi(currencies, products);
}

function companionWriter(client: WhmcsClient): CatalogWriter {
  const upsert = async (action: string, params: Parameters<WhmcsClient["call"]>[1]) =>
    upsertResultFrom(await client.call(action, params, { kind: "write" }), action);
  return {
    backend: "companion",
    upsertProductGroup: (write) => upsert("ReconcileUpsertProductGroup", productGroupParams(write)),
    upsertProduct: (write) => upsert("ReconcileUpsertProduct", productParams(write)),
    upsertConfigOptionGroup: (write) => upsert("ReconcileUpsertConfigGroup", configGroupParams(write)),
  };
}
