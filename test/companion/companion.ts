import type { RowDataPacket } from "mysql2/promise";
import { encodeForm, type FormParams } from "../../src/providers/whmcs/index.js";
import type { WhmcsSandbox } from "../../src/sandbox/whmcs/index.js";
import type { TestDatabase } from "../support/mariadb.js";
import { sideConnection } from "../providers/whmcs/db-support.js";
import { COMPANION_ROOT, type PhpRuntime } from "./php.js";

/** One companion call: the action and its form body (without action and credentials). */
export interface CompanionRequest {
  readonly action:
    | "ReconcileGetCatalog"
    | "ReconcileUpsertProductGroup"
    | "ReconcileUpsertProduct"
    | "ReconcileUpsertConfigGroup"
    | "ReconcileAcquireLock"
    | "ReconcileRenewLock"
    | "ReconcileReleaseLock";
  readonly body: string;
}

export function request(action: CompanionRequest["action"], params: FormParams | string = {}): CompanionRequest {
  return { action, body: typeof params === "string" ? params : encodeForm(params) };
}

/** Runs the shipped PHP action files, in one php process, against the test database. */
export function runPhp(php: PhpRuntime, db: TestDatabase, requests: readonly CompanionRequest[], sqlMode?: string): unknown[] {
  const url = new URL(db.url);
  const input = {
    root: COMPANION_ROOT,
    database: {
      host: url.hostname,
      port: url.port === "" ? 3306 : Number(url.port),
      user: decodeURIComponent(url.username || "root"),
      password: db.password ?? "",
      name: db.database,
      ...(sqlMode === undefined ? {} : { sqlMode }),
    },
    requests: requests.map((r) => ({ file: `api/${r.action.toLowerCase()}.php`, body: `action=${r.action}&responsetype=json&${r.body}` })),
  };
  const out = JSON.parse(php.run("run.php", [], JSON.stringify(input))) as { results: unknown[] };
  return out.results;
}

/** Sends the same requests to the sandbox's companion actions over api.php. */
export async function runSandbox(sandbox: WhmcsSandbox, requests: readonly CompanionRequest[]): Promise<unknown[]> {
  const credentials = encodeForm({ identifier: sandbox.credentials.identifier, secret: sandbox.credentials.secret });
  const out: unknown[] = [];
  for (const r of requests) {
    const res = await fetch(`${sandbox.url}/includes/api.php`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `action=${r.action}&responsetype=json&${credentials}${r.body === "" ? "" : `&${r.body}`}`,
    });
    out.push(JSON.parse(await res.text()));
  }
  return out;
}

/** Tables the companion writes, with the rows that matter: timestamps differ by clock and time zone. */
const TABLES = [
  "tblproductgroups",
  "tblproducts",
  "tblpricing",
  "tblproductconfiggroups",
  "tblproductconfiglinks",
  "tblproductconfigoptions",
  "tblproductconfigoptionssub",
  "tblcustomfields",
  "mod_zoho_reconcile_resources",
] as const;

export async function catalogRows(db: TestDatabase): Promise<Record<string, Record<string, unknown>[]>> {
  const conn = await sideConnection(db);
  try {
    const out: Record<string, Record<string, unknown>[]> = {};
    for (const table of TABLES) {
      const [rows] = await conn.query<RowDataPacket[]>(`SELECT * FROM \`${table}\` ORDER BY \`id\``);
      out[table] = rows.map((r) => {
        const { created_at: _c, updated_at: _u, ...rest } = r;
        return rest;
      });
    }
    return out;
  } finally {
    await conn.end();
  }
}
