import { compareCodeUnits } from "../core/canonical.js";
import { toMoneyOrUndefined } from "../core/money.js";
import type { LiveCatalog } from "../model/catalog.js";
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
/** Config option id → its key and type, and its choices' keys by label and by key (from the live catalog). */
export type OptionIndex = ReadonlyMap<string, { readonly key: string; readonly type: string; readonly choiceByLabel: ReadonlyMap<string, string> }>;

export function optionIndexOf(catalog: Pick<LiveCatalog, "configOptionGroups">): OptionIndex {
  const out = new Map<string, { key: string; type: string; choiceByLabel: Map<string, string> }>();
  for (const group of catalog.configOptionGroups) {
    for (const [key, ids] of Object.entries(group.ids.options)) {
      const option = group.state.options[key];
      if (option === undefined || out.has(ids.id)) continue;
      const choiceByLabel = new Map<string, string>();
      for (const choice of Object.values(option.choices)) {
        choiceByLabel.set(choice.label.trim().toLowerCase(), choice.key);
        if (!choiceByLabel.has(choice.key.toLowerCase())) choiceByLabel.set(choice.key.toLowerCase(), choice.key);
      }
      out.set(ids.id, { key, type: option.type, choiceByLabel });
    }
  }
  return out;
}

/** Dropdown, radio and yes/no choices of a service by option key; quantity options are not choices. */
function serviceChoices(s: WhmcsService, index: OptionIndex): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of [...s.configOptions].sort((a, b) => compareCodeUnits(a.id, b.id))) {
    const option = index.get(v.id);
    if (option === undefined || option.type === "quantity" || out[option.key] !== undefined) continue;
    const value = v.value.trim();
    if (option.type === "yesno") {
      out[option.key] = value === "1" || /^(yes|on|true)$/i.test(value) ? "yes" : "no";
      continue;
    }
    const label = value.includes("|") ? value.slice(value.indexOf("|") + 1) : value;
    out[option.key] = option.choiceByLabel.get(label.trim().toLowerCase()) ?? option.choiceByLabel.get(value.toLowerCase()) ?? `?${value}`;
  }
  return out;
}

export function liveCustomerServiceFrom(s: WhmcsService, mailboxes: QuantityOptionRef, options: OptionIndex = new Map()): LiveCustomerService {
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
    recurringAmount: toMoneyOrUndefined(s.recurringAmount) ?? "0.00",
    options: serviceChoices(s, options),
    customFields: fields,
  };
}
