/**
 * The sandbox's storage: a small, engine-neutral table store over WHMCS's own table and column
 * names (see `schema.ts`). Every method is async so a MariaDB implementation can share the
 * interface; SQL stays portable (backtick-quoted identifiers, `?` parameters, no upserts).
 *
 * Value conventions, the same on every engine:
 * - `int` columns come back as JS numbers; `text`, `date`, `datetime`, `timestamp`, `enum` and
 *   `blob` as strings (dates as stored, zero dates included);
 * - `decimal(p,s)` columns come back as strings with exactly `s` decimals (`"12.00"`, `"1.00000"`),
 *   the way MySQL drivers return DECIMAL; writes accept numbers or decimal strings and round
 *   half away from zero to the column's scale;
 * - text compares case-insensitively (WHMCS's `utf8mb4_unicode_ci`; SQLite folds ASCII only);
 * - `update` returns matched rows, not changed ones.
 */
export type SqlValue = string | number | null;
export type Row = Readonly<Record<string, SqlValue>>;

/** Equality per column; an array means `IN (…)`, `null` means `IS NULL`. Conditions are ANDed. */
export type Where = Readonly<Record<string, SqlValue | readonly SqlValue[]>>;

export interface OrderBy {
  readonly column: string;
  readonly desc?: boolean;
}

export interface SelectOptions {
  /** Columns to return; default all. */
  readonly columns?: readonly string[];
  /** Sort terms; a bare string sorts ascending. Without it, rows come in primary-key order. */
  readonly orderBy?: readonly (string | OrderBy)[];
  readonly limit?: number;
  readonly offset?: number;
}

export interface WhmcsStore {
  /** `sqlite`, `mariadb`, …: for messages only. */
  readonly engine: string;
  select(table: string, where?: Where, options?: SelectOptions): Promise<Row[]>;
  /** The first matching row (in primary-key order unless `orderBy` says otherwise). */
  selectOne(table: string, where?: Where, options?: SelectOptions): Promise<Row | undefined>;
  count(table: string, where?: Where): Promise<number>;
  /** Inserts one row; returns the AUTO_INCREMENT id (0 for tables without one). */
  insert(table: string, row: Readonly<Record<string, SqlValue>>): Promise<number>;
  /** Returns the number of rows matched; an empty `where` matches every row. */
  update(table: string, where: Where, patch: Readonly<Record<string, SqlValue>>): Promise<number>;
  /** Returns the number of rows deleted; an empty `where` matches every row. */
  delete(table: string, where: Where): Promise<number>;
  /**
   * Runs `fn` in one transaction: committed when it resolves, rolled back when it throws.
   * Other callers never see its uncommitted writes (SQLite queues them behind it; MariaDB
   * isolates them with InnoDB). Calls made in `fn`'s async context, through `tx` or this
   * store, run inside the transaction. Nested calls use savepoints.
   */
  transaction<T>(fn: (tx: WhmcsStore) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
