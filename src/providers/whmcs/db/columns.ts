import { WhmcsDbError } from "./errors.js";
import type { Statements, SqlValue } from "./session.js";

export interface ColumnInfo {
  readonly name: string;
  /** NOT NULL without a default and not AUTO_INCREMENT: an insert must supply it under strict sql_mode. */
  readonly required: boolean;
  readonly dataType: string;
  readonly columnType: string;
}

/** Column lists of the tables the backend inserts into, as this WHMCS database has them. */
export type TableColumns = ReadonlyMap<string, readonly ColumnInfo[]>;

export async function readTableColumns(s: Statements, tables: readonly string[]): Promise<Map<string, ColumnInfo[]>> {
  const rows = await s.rows(
    "SELECT `TABLE_NAME` AS t, `COLUMN_NAME` AS c, `IS_NULLABLE` AS nullable, `COLUMN_DEFAULT` AS def, `DATA_TYPE` AS dt, `COLUMN_TYPE` AS ct, `EXTRA` AS extra " +
      `FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${tables.map(() => "?").join(", ")}) ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    tables,
  );
  const out = new Map<string, ColumnInfo[]>();
  for (const r of rows) {
    const table = String(r["t"]);
    const list = out.get(table) ?? [];
    list.push({
      name: String(r["c"]),
      required: r["nullable"] === "NO" && r["def"] === null && !/auto_increment/i.test(String(r["extra"] ?? "")),
      dataType: String(r["dt"]).toLowerCase(),
      columnType: String(r["ct"]),
    });
    out.set(table, list);
  }
  return out;
}

/**
 * A row for an insert into `table`: the given values for the columns this WHMCS version has
 * (`slug` arrived in 8.3), plus the value MySQL's non-strict mode would give every NOT NULL column
 * without a default, so the insert also works under strict `sql_mode`.
 */
export function completeRow(columns: TableColumns, table: string, values: Readonly<Record<string, SqlValue>>): Record<string, SqlValue> {
  const list = columns.get(table);
  if (list === undefined || list.length === 0) {
    throw new WhmcsDbError("whmcs.db.schema", `the WHMCS database has no table ${table}; nothing was written`, {
      phase: "write",
      nothingWritten: true,
      hint: "check that whmcs.database.url names the WHMCS database",
    });
  }
  const out: Record<string, SqlValue> = {};
  for (const c of list) {
    const given = values[c.name];
    if (given !== undefined) out[c.name] = given;
    else if (c.required) out[c.name] = implicitDefault(c);
  }
  return out;
}

function implicitDefault(c: ColumnInfo): SqlValue {
  switch (c.dataType) {
    case "tinyint":
    case "smallint":
    case "mediumint":
    case "int":
    case "integer":
    case "bigint":
    case "decimal":
    case "float":
    case "double":
    case "bit":
    case "year":
      return 0;
    case "date":
      return "0000-00-00";
    case "datetime":
    case "timestamp":
      return "0000-00-00 00:00:00";
    case "time":
      return "00:00:00";
    case "enum":
      return /^enum\('((?:[^']|'')*)'/i.exec(c.columnType)?.[1]?.replace(/''/g, "'") ?? "";
    default:
      return "";
  }
}
