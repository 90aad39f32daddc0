import { intOf } from "../rows.js";
import type { Row, WhmcsStore } from "../store.js";

/** A row by its numeric id parameter; undefined for a missing, non-numeric or unknown id. */
export async function rowById(store: WhmcsStore, table: string, idText: string | undefined): Promise<Row | undefined> {
  const trimmed = (idText ?? "").trim();
  if (!/^\d+$/.test(trimmed)) return undefined;
  const id = Number(trimmed);
  return Number.isSafeInteger(id) && id > 0 ? store.selectOne(table, { id }) : undefined;
}

/** The server a new service of a module gets: an enabled server of that type, the default (`active`) first. */
export async function serverFor(store: WhmcsStore, module: string): Promise<number> {
  if (module === "") return 0;
  const servers = await store.select("tblservers", { type: module, disabled: 0 }, { orderBy: [{ column: "active", desc: true }, "id"] });
  const first = servers[0];
  return first === undefined ? 0 : intOf(first, "id");
}
