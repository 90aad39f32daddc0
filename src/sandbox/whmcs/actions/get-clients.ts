import { compareCodeUnits } from "../../../core/canonical.js";
import { pageOf } from "../paging.js";
import { intOf, textOf } from "../rows.js";
import type { Row, Where } from "../store.js";
import type { ActionContext, ActionDef } from "./types.js";

/**
 * `GetClients` (docs/whmcs.md#getclients): paging (`limitstart`, `limitnum` 25), `status`, `search`
 * (prefix of e-mail, first, last, full or company name, case-insensitive like the collation),
 * `sorting` ASC/DESC and `orderby` (8.2+). Ids and paging fields are numbers.
 */
export const getClients: ActionDef = { name: "GetClients", companion: false, handler };

const ORDER_BY = ["id", "firstname", "lastname", "companyname", "email", "groupid", "datecreated", "status"] as const;
const COLUMNS = ["id", "firstname", "lastname", "companyname", "email", "datecreated", "groupid", "status"];
const STATUSES = ["Active", "Inactive", "Closed"];

async function handler({ params, store, switches }: ActionContext): Promise<Record<string, unknown>> {
  const page = pageOf(params);
  const desc = (params.str("sorting") ?? "").trim().toUpperCase() === "DESC";
  const requested = (params.str("orderby") ?? "").trim().toLowerCase();
  const orderBy = ORDER_BY.find((c) => c === requested) ?? switches.getClientsDefaultOrderBy;

  const where: Record<string, string> = {};
  const status = params.str("status");
  if (status !== undefined && status !== "") {
    const match = STATUSES.find((s) => s.toLowerCase() === status.trim().toLowerCase());
    if (match === undefined) return listing(0, page.start, []);
    where["status"] = match;
  }
  const order = [{ column: orderBy, desc }, { column: "id", desc }];

  const search = (params.str("search") ?? "").trim().toLowerCase();
  if (search === "") {
    const total = await store.count("tblclients", where as Where);
    const rows = await store.select("tblclients", where as Where, { columns: COLUMNS, orderBy: order, limit: page.limit, offset: page.start });
    return listing(total, page.start, rows);
  }
  const matches = (await store.select("tblclients", where as Where, { columns: COLUMNS })).filter((c) => {
    const first = textOf(c, "firstname");
    const last = textOf(c, "lastname");
    return [textOf(c, "email"), first, last, `${first} ${last}`, textOf(c, "companyname")].some((v) => v.toLowerCase().startsWith(search));
  });
  const sign = desc ? -1 : 1;
  matches.sort((a, b) => sign * (compareColumn(a, b, orderBy) || intOf(a, "id") - intOf(b, "id")));
  return listing(matches.length, page.start, matches.slice(page.start, page.start + page.limit));
}

function compareColumn(a: Row, b: Row, column: string): number {
  if (column === "id" || column === "groupid") return intOf(a, column) - intOf(b, column);
  return compareCodeUnits(textOf(a, column).toLowerCase(), textOf(b, column).toLowerCase());
}

function listing(total: number, start: number, rows: readonly Row[]): Record<string, unknown> {
  return {
    totalresults: total,
    startnumber: start,
    numreturned: rows.length,
    clients: {
      client: rows.map((c) => ({
        id: intOf(c, "id"),
        firstname: textOf(c, "firstname"),
        lastname: textOf(c, "lastname"),
        companyname: textOf(c, "companyname"),
        email: textOf(c, "email"),
        datecreated: textOf(c, "datecreated"),
        groupid: intOf(c, "groupid"),
        status: textOf(c, "status"),
      })),
    },
  };
}
