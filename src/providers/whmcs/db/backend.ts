import { silentLogger } from "../../../core/log.js";
import type { LiveCatalog } from "../../../model/catalog.js";
import type { RecordFieldFacts, ZohoMailModuleRow, ZohoMailModuleTable } from "../../../model/customers.js";
import type { CatalogWriter, ConfigOptionGroupWrite, ProductGroupWrite, ProductWrite, UpsertResult } from "../../../model/provider.js";
import { liveCatalogFromRows } from "../mapping-rows.js";
import { readTableColumns, type TableColumns } from "./columns.js";
import { LEDGER_DDL, LEDGER_TABLE } from "./ledger.js";
import { createDbLockStore } from "./lock.js";
import type { LockStore } from "../../../model/lock.js";
import { checkOptions, parseDbUrl, type DbBackendOptions, type DbTarget } from "./options.js";
import { upsertZohoMailRow } from "./module-table.js";
import { readCatalogRows } from "./read.js";
import { readSession, runDdl, writeTransaction, type Statements } from "./session.js";
import { checkWrite, upsertConfigGroupRows, upsertProductGroupRows, upsertProductRows, WRITE_TABLES } from "./upserts.js";

const LEDGER_EXISTS = "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?";

export interface DbCatalogBackend {
  /** `user@host:port/database`, never with the password. */
  readonly target: string;
  readCatalog(): Promise<LiveCatalog & RecordFieldFacts>;
  readonly writer: CatalogWriter;
  /** The `zoho_mail` module's table, one transaction per row. */
  readonly moduleTable: ZohoMailModuleTable;
  /** The apply lock, in the companion's lock table. */
  readonly lock: LockStore;
}

/**
 * The `db` catalog backend: reads WHMCS's catalog tables directly (the route WHMCS modules take)
 * and writes each resource in one transaction with the companion's semantics (ownership ledger,
 * idempotent by key, hide-not-delete). Each operation opens its own connection and closes it, so
 * nothing needs closing afterwards.
 */
export function createDbCatalogBackend(options: DbBackendOptions): DbCatalogBackend {
  checkOptions(options);
  const target: DbTarget = parseDbUrl(options.url);
  const log = (options.logger ?? silentLogger()).child({ component: "whmcs-db", database: target.label });
  let columns: TableColumns | undefined;
  let ledgerReady = false;

  async function write(resource: string, fn: (s: Statements, columns: TableColumns) => Promise<UpsertResult>): Promise<UpsertResult> {
    if (!ledgerReady) {
      // DDL commits implicitly in MySQL, so the ledger is created before, never inside, a write;
      // and only when missing, so a user without CREATE can write once it exists.
      const exists = await readSession(target, options, async (s) => (await s.rows(LEDGER_EXISTS, [LEDGER_TABLE])).length > 0);
      if (!exists) await runDdl(target, options, LEDGER_DDL);
      ledgerReady = true;
    }
    const started = performance.now();
    const result = await writeTransaction(target, options, resource, async (s) => {
      columns ??= await readTableColumns(s, WRITE_TABLES);
      return fn(s, columns);
    });
    log.debug({ resource, id: result.id, created: result.created, durationMs: Math.round(performance.now() - started) }, "db upsert");
    return result;
  }

  const writer: CatalogWriter = {
    backend: "db",
    upsertProductGroup: async (w: ProductGroupWrite) => {
      checkWrite("ProductGroup", w);
      return write(`ProductGroup/${w.key}`, (s, c) => upsertProductGroupRows(s, c, w));
    },
    upsertConfigOptionGroup: async (w: ConfigOptionGroupWrite) => {
      checkWrite("ConfigOptionGroup", w);
      return write(`ConfigOptionGroup/${w.key}`, (s, c) => upsertConfigGroupRows(s, c, w));
    },
    upsertProduct: async (w: ProductWrite) => {
      checkWrite("Product", w);
      return write(`Product/${w.key}`, (s, c) => upsertProductRows(s, c, w));
    },
  };

  return {
    target: target.label,
    readCatalog: async () => liveCatalogFromRows(await readSession(target, options, readCatalogRows)),
    writer,
    lock: createDbLockStore(target, options, options.lockClock === undefined ? {} : { now: options.lockClock }),
    moduleTable: {
      upsert: async (row: ZohoMailModuleRow) => {
        await writeTransaction(target, options, `zoho_mail/${row.domain}`, (s) => upsertZohoMailRow(s, row));
        log.debug({ domain: row.domain, zoid: row.zoid }, "zoho_mail row written");
      },
    },
  };
}
