import { compareCodeUnits } from "../../core/canonical.js";
import type { LiveCatalog } from "../../model/catalog.js";
import { WhmcsDataError } from "./coerce.js";
import { splitOptionName } from "./option-names.js";
import type { LiveService, ServiceOptionValue, WhmcsService } from "./service-types.js";

/** Which configurable option holds a service's quantity (e.g. mailboxes). */
export interface QuantityOptionRef {
  /** Option key: left of `|` in the option name, or the whole name. */
  readonly key: string;
  /**
   * Config option ids known to carry this key (from the live catalog). Matched before names,
   * because GetClientsProducts may return the option's label rather than its `key|Label` name.
   */
  readonly ids?: Iterable<string>;
}

export interface LiveServiceOptions {
  readonly quantityOption?: QuantityOptionRef;
}

/** The option ids of every live option group option with this key, for `QuantityOptionRef.ids`. */
export function quantityOptionRef(live: Pick<LiveCatalog, "configOptionGroups">, key: string): QuantityOptionRef {
  const ids: string[] = [];
  for (const group of live.configOptionGroups) {
    const option = group.ids.options[key];
    if (option !== undefined && group.state.options[key]?.type === "quantity") ids.push(option.id);
  }
  return { key, ids };
}

/** Pure: a typed GetClientsProducts record in canonical form. */
export function liveServiceFrom(service: WhmcsService, options: LiveServiceOptions = {}): LiveService {
  const where = `service ${service.id}`;
  const customFields: Record<string, string> = {};
  const taken = new Set<string>();
  for (const field of [...service.customFields].sort((a, b) => compareCodeUnits(a.id, b.id))) {
    const base = field.name === "" ? `#${field.id}` : field.name;
    const name = taken.has(base) ? `${base}#${field.id}` : base;
    taken.add(name);
    customFields[name] = field.value;
  }
  const sorted: Record<string, string> = {};
  for (const name of Object.keys(customFields).sort(compareCodeUnits)) sorted[name] = customFields[name] as string;
  return {
    id: service.id,
    clientId: service.clientId,
    productId: service.productId,
    domain: service.domain.trim().toLowerCase(),
    cycle: service.cycle,
    status: service.status,
    quantity: options.quantityOption === undefined ? undefined : quantityOf(service.configOptions, options.quantityOption, where),
    customFields: sorted,
  };
}

function quantityOf(values: readonly ServiceOptionValue[], ref: QuantityOptionRef, where: string): number | undefined {
  const ids = new Set(ref.ids ?? []);
  const byId = values.filter((v) => ids.has(v.id));
  const matches = byId.length > 0 ? byId : values.filter((v) => splitOptionName(v.name).key === ref.key);
  const quantities = new Set(matches.map((v) => parseQuantity(v.value, `${where} option ${v.id}`)));
  if (quantities.size > 1) {
    throw new WhmcsDataError(`${where} option ${ref.key}`, `several options match, with different quantities (${[...quantities].join(", ")})`);
  }
  return matches.length === 0 ? undefined : [...quantities][0];
}

/** `10`, or `10 x Mailbox` (the order form's display); anything else is not a quantity. */
function parseQuantity(value: string, where: string): number {
  const m = /^\s*(\d+)(?:\s*x\b.*)?\s*$/is.exec(value);
  const n = m?.[1] === undefined ? NaN : Number(m[1]);
  if (!Number.isSafeInteger(n)) throw new WhmcsDataError(where, `expected a quantity, got ${JSON.stringify(value)}`);
  return n;
}
