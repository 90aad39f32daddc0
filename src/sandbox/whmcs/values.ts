import { WhmcsSandboxError } from "./errors.js";
import { roundDecimal } from "./params.js";
import type { ColumnDef, TableDef } from "./schema.js";
import type { SqlValue } from "./store.js";

/**
 * Convert a value for a column, or throw a typed error naming the column. Every engine runs
 * writes and conditions through this, so a bad value fails the same way on SQLite and MariaDB.
 * A `varchar(n)` value longer than `n` characters is an error in strict mode and cut to `n`
 * characters otherwise, as MySQL does.
 */
export function toColumnValue(table: TableDef, col: ColumnDef, value: SqlValue, strict = false): SqlValue {
  const bad = (why: string): never => {
    throw new WhmcsSandboxError("store.type", `${table.name}.${col.name}: ${why}: ${JSON.stringify(value)}`);
  };
  if (value === null) return col.nullable ? null : bad("NULL in a NOT NULL column");
  switch (col.kind) {
    case "int":
      if (typeof value === "number") return Number.isInteger(value) ? value : bad("not an integer");
      return /^[+-]?\d+$/.test(value.trim()) ? Number(value.trim()) : bad("not an integer");
    case "decimal": {
      const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value.trim();
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return bad("not a decimal");
      const unsigned = text.replace(/^\+/, "");
      const whole = unsigned.startsWith("-.") ? `-0${unsigned.slice(1)}` : unsigned.startsWith(".") ? `0${unsigned}` : unsigned;
      return roundDecimal(whole, col.scale);
    }
    case "enum": {
      const s = String(value);
      return col.values.includes(s) ? s : bad(`not one of ${col.values.join(", ")}`);
    }
    case "text": {
      const s = String(value);
      if (col.maxLength === undefined) return s;
      const chars = [...s];
      if (chars.length <= col.maxLength) return s;
      return strict ? bad(`longer than ${col.maxLength} characters`) : chars.slice(0, col.maxLength).join("");
    }
    default:
      return String(value);
  }
}
