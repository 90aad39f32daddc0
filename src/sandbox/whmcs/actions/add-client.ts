import { randomUUID } from "node:crypto";
import { sqlDate } from "../billing/dates.js";
import { WhmcsApiError } from "../errors.js";
import { completeRow, intOf, sqlDateTime } from "../rows.js";
import { writeCustomValues } from "../services/custom-values.js";
import { serializedArray } from "../services/serialized.js";
import type { ActionContext, ActionDef } from "./types.js";

/**
 * `AddClient` (docs/whmcs.md#addclient): required contact fields (skipped with `skipvalidation`,
 * except the e-mail), one client per e-mail (compared case-insensitively, like WHMCS's
 * collation), optional `currency` id, `groupid` and base64 `customfields`. Since WHMCS 8 a
 * client belongs to an owner user (`tblusers`, linked in `tblusers_clients`): `owner_user_id`
 * names an existing one, otherwise a user is created from the client's name and e-mail. Answers
 * `clientid` as a string and `owner_id`, the owner user's id (switch `addClientOwnerId`).
 * Passwords (`password2`) are never stored: the sandbox has no logins.
 */
export const addClient: ActionDef = { name: "AddClient", companion: false, handler };

/** WHMCS's messages for a missing field, in the order it checks them. */
const REQUIRED: readonly (readonly [string, string])[] = [
  ["firstname", "You did not enter your first name"],
  ["lastname", "You did not enter your last name"],
  ["email", "You did not enter your email address"],
  ["address1", "You did not enter your address (line 1)"],
  ["city", "You did not enter your city"],
  ["state", "You did not enter your state"],
  ["postcode", "You did not enter your postcode"],
  ["country", "Please choose your country"],
  ["phonenumber", "You did not enter your phone number"],
];
const ERR_EMAIL_INVALID = "The email address you entered was not valid";
const DUPLICATE = {
  "not-available": "The email address entered is not available for use.",
  "user-exists": "A user already exists with that email address",
} as const;
const ERR_OWNER = "Invalid Owner User ID";
const ERR_USER_EXISTS = "A user already exists with that email address";
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function handler({ params, store, switches, now }: ActionContext): Promise<Record<string, unknown>> {
  const text = (name: string): string => (params.str(name) ?? "").trim();
  const skip = params.bool("skipvalidation", false);
  for (const [field, message] of REQUIRED) {
    if (text(field) === "" && (!skip || field === "email")) throw new WhmcsApiError(message);
    if (field === "email" && !EMAIL.test(text("email"))) throw new WhmcsApiError(ERR_EMAIL_INVALID);
  }
  const email = text("email");
  const customfields = serializedArray(params.raw("customfields"), "customfields");

  const currencyParam = params.str("currency");
  let currency: number;
  if (currencyParam !== undefined && currencyParam.trim() !== "") {
    currency = params.int("currency");
    if ((await store.count("tblcurrencies", { id: currency })) === 0) throw new WhmcsApiError(`Invalid currency ID ${currencyParam.trim()}`);
  } else {
    const def = await store.selectOne("tblcurrencies", { default: 1 });
    currency = def === undefined ? 1 : intOf(def, "id");
  }

  const ownerParam = (params.str("owner_user_id") ?? "").trim();
  const stamp = sqlDateTime(now);
  const created = await store.transaction(async (tx) => {
    let ownerId: number;
    if (ownerParam !== "") {
      const owner = /^\d+$/.test(ownerParam) ? await tx.selectOne("tblusers", { id: Number(ownerParam) }) : undefined;
      if (owner === undefined) throw new WhmcsApiError(ERR_OWNER);
      ownerId = intOf(owner, "id");
    } else {
      ownerId = 0;
    }
    if ((await tx.count("tblclients", { email })) > 0) throw new WhmcsApiError(DUPLICATE[switches.addClientDuplicateEmail]);
    if (ownerId === 0) {
      if ((await tx.count("tblusers", { email })) > 0) throw new WhmcsApiError(ERR_USER_EXISTS);
      ownerId = await tx.insert(
        "tblusers",
        completeRow("tblusers", {
          first_name: text("firstname"),
          last_name: text("lastname"),
          email,
          language: text("language"),
          security_question_id: params.int("securityqid"),
          last_ip: text("clientip"),
          created_at: stamp,
          updated_at: stamp,
        }),
      );
    }
    const clientId = await tx.insert(
      "tblclients",
      completeRow("tblclients", {
        uuid: randomUUID(),
        firstname: text("firstname"),
        lastname: text("lastname"),
        companyname: text("companyname"),
        email,
        address1: text("address1"),
        address2: text("address2"),
        city: text("city"),
        state: text("state"),
        postcode: text("postcode"),
        country: text("country").toUpperCase(),
        phonenumber: text("phonenumber"),
        tax_id: text("tax_id"),
        currency,
        groupid: params.int("groupid"),
        securityqid: params.int("securityqid"),
        language: text("language"),
        notes: params.str("notes") ?? "",
        ip: text("clientip"),
        datecreated: sqlDate(now),
        status: "Active",
        marketing_emails_opt_in: params.bool("marketingoptin", false) ? 1 : 0,
        created_at: stamp,
        updated_at: stamp,
      }),
    );
    await tx.insert(
      "tblusers_clients",
      completeRow("tblusers_clients", { auth_user_id: ownerId, client_id: clientId, owner: 1, created_at: stamp, updated_at: stamp }),
    );
    if (customfields !== undefined) await writeCustomValues(tx, clientId, { type: "client" }, customfields, now);
    return { clientId, ownerId };
  });
  const owner = switches.addClientOwnerId;
  return {
    clientid: String(created.clientId),
    ...(owner === "omit" ? {} : { owner_id: owner === "string" ? String(created.ownerId) : created.ownerId }),
  };
}
