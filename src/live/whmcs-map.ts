import { compareCodeUnits } from "../core/canonical.js";
import type { LiveCustomerClient, LiveCustomerField, LiveCustomerService } from "../model/customers.js";
import { liveServiceFrom, type QuantityOptionRef, type WhmcsClientSummary, type WhmcsService } from "../providers/whmcs/index.js";

export function liveClientFrom(c: WhmcsClientSummary): LiveCustomerClient {
  return {
    id: c.id,
    email: c.email.trim().toLowerCase(),
    firstName: c.firstName,
    lastName: c.lastName,
    company: c.companyName,
    status: c.status,
  };
}

/**
 * A GetClientsProducts record in the reconcile model's shape: the mailbox quantity read through the
 * catalog's option ids, custom fields by name with their ids (records are written back by id).
 */
export function liveCustomerServiceFrom(s: WhmcsService, mailboxes: QuantityOptionRef): LiveCustomerService {
  const canonical = liveServiceFrom(s, { quantityOption: mailboxes });
  const fields: Record<string, LiveCustomerField> = {};
  for (const f of [...s.customFields].sort((a, b) => compareCodeUnits(a.id, b.id))) {
    if (f.name !== "" && fields[f.name] === undefined) fields[f.name] = { id: f.id, value: f.value };
  }
  return {
    id: s.id,
    clientId: s.clientId,
    orderId: s.orderId,
    productId: s.productId,
    domain: canonical.domain,
    cycle: s.cycle,
    status: s.status,
    mailboxes: canonical.quantity,
    customFields: fields,
  };
}
