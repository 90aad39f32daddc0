import type { Secret } from "../../core/secrets.js";
import type { WhmcsClient } from "./client.js";
import { toId } from "./coerce.js";
import type { FormValue } from "./encode.js";
import { WhmcsApiError } from "./errors.js";
import type { PaginateOptions } from "./paginate.js";
import { phpSerializeBase64 } from "./php-serialize.js";
import { clientDetailsFrom, clientSummaryFrom } from "./read-records.js";
import { idKeyed, requireId, requireText, WhmcsRequestError } from "./request-checks.js";
import type { ClientStatus, WhmcsClientDetails, WhmcsClientSummary } from "./service-types.js";

export interface ListClientsFilter {
  /** Prefix match on email, names and company (WHMCS's own `search`). */
  readonly search?: string;
  readonly status?: ClientStatus;
  /** 8.2+. */
  readonly orderBy?: "id" | "firstname" | "lastname" | "companyname" | "email" | "groupid" | "datecreated" | "status";
  readonly sorting?: "ASC" | "DESC";
}

/** `GetClients`, every page, one client at a time (memory stays flat for large client bases). */
export async function* listClients(client: WhmcsClient, filter: ListClientsFilter = {}, options: PaginateOptions = {}): AsyncGenerator<WhmcsClientSummary, void, undefined> {
  const params: Record<string, string> = {};
  if (filter.search !== undefined) params["search"] = filter.search;
  if (filter.status !== undefined) params["status"] = capitalise(filter.status);
  if (filter.orderBy !== undefined) params["orderby"] = filter.orderBy;
  if (filter.sorting !== undefined) params["sorting"] = filter.sorting;
  let i = 0;
  for await (const item of client.paginate("GetClients", params, ["clients", "client"], options)) {
    yield clientSummaryFrom(item, `GetClients.clients.client[${i++}]`);
  }
}

/** `GetClients`, all pages collected. */
export async function getClients(client: WhmcsClient, filter: ListClientsFilter = {}, options: PaginateOptions = {}): Promise<WhmcsClientSummary[]> {
  const out: WhmcsClientSummary[] = [];
  for await (const c of listClients(client, filter, options)) out.push(c);
  return out;
}

export interface AddClientInput {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly companyName?: string;
  readonly address1: string;
  readonly address2?: string;
  readonly city: string;
  readonly state: string;
  readonly postcode: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly phoneNumber: string;
  /** `tblcurrencies.id`. */
  readonly currencyId?: string;
  readonly groupId?: string;
  /** 8.0+: attach to an existing user instead of creating one. */
  readonly ownerUserId?: string;
  /** Password of the user WHMCS creates when `ownerUserId` is absent. */
  readonly password?: Secret;
  /** Client custom field values by field id (sent as one base64 PHP-serialized map). */
  readonly customFields?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  readonly language?: string;
  readonly notes?: string;
  readonly marketingOptIn?: boolean;
  /** Suppress the welcome e-mail. */
  readonly noEmail?: boolean;
  /** Skip WHMCS's required-field and format checks (admin-side validation). */
  readonly skipValidation?: boolean;
}

/** `AddClient`. A write: never retried; after a timeout, look the e-mail up before trying again. */
export async function addClient(client: WhmcsClient, input: AddClientInput): Promise<{ readonly clientId: string }> {
  const action = "AddClient";
  const country = input.country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw new WhmcsRequestError(action, `country must be an ISO 3166-1 alpha-2 code, got ${JSON.stringify(input.country)}`);
  const params: Record<string, FormValue> = {
    firstname: requireText(action, "firstName", input.firstName),
    lastname: requireText(action, "lastName", input.lastName),
    email: requireText(action, "email", input.email).trim(),
    address1: requireText(action, "address1", input.address1),
    city: requireText(action, "city", input.city),
    state: requireText(action, "state", input.state),
    postcode: requireText(action, "postcode", input.postcode),
    country,
    phonenumber: requireText(action, "phoneNumber", input.phoneNumber),
  };
  if (input.companyName !== undefined) params["companyname"] = input.companyName;
  if (input.address2 !== undefined) params["address2"] = input.address2;
  if (input.currencyId !== undefined) params["currency"] = requireId(action, "currencyId", input.currencyId);
  if (input.groupId !== undefined) params["groupid"] = requireId(action, "groupId", input.groupId);
  if (input.ownerUserId !== undefined) params["owner_user_id"] = requireId(action, "ownerUserId", input.ownerUserId);
  if (input.password !== undefined) params["password2"] = input.password;
  if (input.customFields !== undefined) params["customfields"] = phpSerializeBase64(idKeyed(action, "customFields", input.customFields));
  if (input.language !== undefined) params["language"] = input.language;
  if (input.notes !== undefined) params["notes"] = input.notes;
  if (input.marketingOptIn !== undefined) params["marketingoptin"] = input.marketingOptIn;
  if (input.noEmail !== undefined) params["noemail"] = input.noEmail;
  if (input.skipValidation !== undefined) params["skipvalidation"] = input.skipValidation;
  const response = await client.call(action, params, { kind: "write" });
  return { clientId: toId(response["clientid"], "AddClient.clientid") };
}

export type ClientLookup = { readonly clientId: string } | { readonly email: string };

/** `GetClientsDetails` by id or e-mail; WHMCS's `Client Not Found` is thrown as a `WhmcsApiError`. */
export async function getClientDetails(client: WhmcsClient, lookup: ClientLookup): Promise<WhmcsClientDetails> {
  const action = "GetClientsDetails";
  const params =
    "clientId" in lookup ? { clientid: requireId(action, "clientId", lookup.clientId) } : { email: requireText(action, "email", lookup.email).trim() };
  return clientDetailsFrom(await client.call(action, params, { kind: "read" }));
}

/** The client with this e-mail, or undefined when WHMCS has none. */
export async function findClientByEmail(client: WhmcsClient, email: string): Promise<WhmcsClientDetails | undefined> {
  try {
    return await getClientDetails(client, { email });
  } catch (err) {
    if (err instanceof WhmcsApiError && /^client not found\b/i.test(err.apiMessage.trim())) return undefined;
    throw err;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
