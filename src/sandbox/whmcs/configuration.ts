import { completeRow, sqlDateTime } from "./rows.js";
import type { WhmcsStore } from "./store.js";

/** Settings in `tblconfiguration` (one row per `setting`). */
export async function setConfiguration(store: WhmcsStore, setting: string, value: string, now: Date): Promise<void> {
  const stamp = sqlDateTime(now);
  const changed = await store.update("tblconfiguration", { setting }, { value, updated_at: stamp });
  if (changed === 0) {
    await store.insert("tblconfiguration", completeRow("tblconfiguration", { setting, value, created_at: stamp, updated_at: stamp }));
  }
}

export async function getConfiguration(store: WhmcsStore, setting: string): Promise<string | undefined> {
  const row = await store.selectOne("tblconfiguration", { setting });
  return row === undefined ? undefined : String(row["value"] ?? "");
}
