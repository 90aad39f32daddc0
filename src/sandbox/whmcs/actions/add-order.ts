import { CYCLES } from "../../../core/cycles.js";
import { centsToMoney, moneyToCents, toMoneyOrUndefined } from "../../../core/money.js";
import { basePrice, clientCurrency, serviceAmounts } from "../billing/amounts.js";
import { displayTerm, parseTerm, TERMS, type Term } from "../billing/cycles.js";
import { sqlDate } from "../billing/dates.js";
import { requireGateway } from "../billing/gateways.js";
import { createInvoice, type InvoiceLine } from "../billing/invoices.js";
import { newOrderNumber } from "../billing/orders.js";
import { productOptions } from "../catalog/options.js";
import { pricingByRelid } from "../catalog/pricing.js";
import { WhmcsApiError } from "../errors.js";
import type { FormArray, FormValue } from "../form.js";
import { phpInt } from "../params.js";
import { PhpArray } from "../php-array.js";
import { phpSerialize } from "../php-serialize.js";
import { completeRow, intOf, sqlDateTime, textOf } from "../rows.js";
import { choicesFromOrder, writeChoices, type OptionChoice } from "../services/config-values.js";
import { writeCustomValues } from "../services/custom-values.js";
import { rowById, serverFor } from "../services/lookup.js";
import { serializedArray } from "../services/serialized.js";
import type { Row, WhmcsStore } from "../store.js";
import type { ActionContext, ActionDef } from "./types.js";

/**
 * `AddOrder` (docs/whmcs.md#addorder): one `Pending` order with one `Pending` service per `pid[]`
 * item, its configurable option values and custom field values, and an invoice unless
 * `noinvoice`. It never provisions: `AcceptOrder` does. Per-item fields are arrays indexed like
 * `pid[]`; `configoptions[]`/`customfields[]` items are base64 PHP-serialized maps. Answers ids
 * as strings, `serviceids` comma-joined. Domains, addons and renewals are not modelled.
 */
export const addOrder: ActionDef = { name: "AddOrder", companion: false, handler };

export const ERR_CLIENT_ID = "Client ID Not Found";
export const ERR_CLIENT_CLOSED = "Unable to add order when client status is Closed";
export const ERR_NO_ITEMS = "No items added to cart so order cannot proceed";
export const ERR_INVALID_CYCLE = "Invalid Billing Cycle Requested";

const ITEM_ARRAYS = ["pid", "qty", "domain", "billingcycle", "customfields", "configoptions", "priceoverride", "addons"] as const;

interface Item {
  readonly product: Row;
  readonly term: Term;
  readonly qty: number;
  readonly domain: string;
  readonly choices: readonly OptionChoice[];
  readonly customfields: PhpArray | undefined;
  readonly first: string;
  readonly recurring: string;
  readonly description: string;
}

async function handler({ params, store, switches, now }: ActionContext): Promise<Record<string, unknown>> {
  const client = await rowById(store, "tblclients", params.str("clientid"));
  if (client === undefined) throw new WhmcsApiError(ERR_CLIENT_ID);
  if (textOf(client, "status") === "Closed") throw new WhmcsApiError(ERR_CLIENT_CLOSED);
  const gateway = await requireGateway(store, params.str("paymentmethod"));

  const arrays = new Map<string, FormArray>();
  for (const name of ITEM_ARRAYS) {
    const raw = params.raw(name);
    if (raw === undefined) continue;
    if (raw instanceof PhpArray) {
      arrays.set(name, raw);
    } else if (switches.addOrderScalarArrays === "accept") {
      const wrapped = new PhpArray<FormValue>();
      wrapped.push(raw);
      arrays.set(name, wrapped);
    } else {
      throw new WhmcsApiError(`Expecting parameter '${name}' to be an array`);
    }
  }
  const at = (name: string, key: string): FormValue | undefined => arrays.get(name)?.get(key);
  const currency = await clientCurrency(store, client);
  const currencyCode = textOf((await store.selectOne("tblcurrencies", { id: currency })) ?? {}, "code");

  const items: Item[] = [];
  for (const [key, rawPid] of (arrays.get("pid") ?? new PhpArray<FormValue>()).entries()) {
    const pid = typeof rawPid === "string" ? phpInt(rawPid) : 0;
    if (pid === 0) continue;
    const product = await store.selectOne("tblproducts", { id: pid });
    if (product === undefined) throw new WhmcsApiError(`Invalid Product ID ${pid}`);
    const term = await termOf(store, product, scalar(at("billingcycle", key)), currency, currencyCode, switches);
    const options = await productOptions(store, pid);
    const choices = choicesFromOrder(options, serializedArray(at("configoptions", key), `configoptions[${key}]`), pid, switches);
    const qtyText = scalar(at("qty", key));
    const qty = qtyText === undefined || qtyText.trim() === "" ? 1 : phpInt(qtyText);
    if (qty < 1) throw new WhmcsApiError(`Invalid quantity ${qtyText ?? ""} for item ${key}: expected 1 or more`);
    const override = scalar(at("priceoverride", key));
    let overrideMoney: string | undefined;
    if (override !== undefined && override.trim() !== "") {
      overrideMoney = toMoneyOrUndefined(override);
      if (overrideMoney === undefined) throw new WhmcsApiError(`Invalid priceoverride for item ${key}: ${JSON.stringify(override)}`);
    }
    const amounts = await serviceAmounts(store, { pid, term, currency, qty, options, choices }, switches);
    // An override prices the item itself, so a cycle the product has no price for is no obstacle.
    if (amounts === undefined && overrideMoney === undefined && switches.addOrderUnpricedCycle === "reject") {
      throw new WhmcsApiError(ERR_INVALID_CYCLE);
    }
    const first = overrideMoney ?? amounts?.first ?? "0.00";
    const recurring = overrideMoney ?? amounts?.recurring ?? "0.00";
    const group = await store.selectOne("tblproductgroups", { id: intOf(product, "gid") });
    const domain = (scalar(at("domain", key)) ?? "").trim();
    items.push({
      product,
      term,
      qty,
      domain,
      choices,
      customfields: serializedArray(at("customfields", key), `customfields[${key}]`),
      first,
      recurring,
      description: `${group === undefined ? "" : `${textOf(group, "name")} - `}${textOf(product, "name")}${domain === "" ? "" : ` - ${domain}`}`,
    });
  }
  if (items.length === 0) throw new WhmcsApiError(ERR_NO_ITEMS);

  const userid = intOf(client, "id");
  const today = sqlDate(now);
  const stamp = sqlDateTime(now);
  const total = items.reduce((sum, i) => sum + moneyToCents(i.first), 0n);
  const result = await store.transaction(async (tx) => {
    const orderId = await tx.insert(
      "tblorders",
      completeRow("tblorders", {
        ordernum: newOrderNumber(),
        userid,
        contactid: params.int("contactid"),
        date: stamp,
        promocode: params.str("promocode") ?? "",
        orderdata: phpSerialize([]),
        amount: centsToMoney(total),
        paymentmethod: gateway.module,
        status: "Pending",
        ipaddress: params.str("clientip") ?? "",
      }),
    );
    const serviceIds: number[] = [];
    const lines: InvoiceLine[] = [];
    for (const item of items) {
      const serviceId = await tx.insert(
        "tblhosting",
        completeRow("tblhosting", {
          userid,
          orderid: orderId,
          packageid: intOf(item.product, "id"),
          server: await serverFor(tx, textOf(item.product, "servertype")),
          regdate: today,
          domain: item.domain,
          paymentmethod: gateway.module,
          qty: item.qty,
          firstpaymentamount: item.first,
          amount: item.recurring,
          billingcycle: displayTerm(item.term, switches),
          nextduedate: item.term === "free" ? "0000-00-00" : today,
          nextinvoicedate: item.term === "free" ? "0000-00-00" : today,
          domainstatus: "Pending",
          created_at: stamp,
          updated_at: stamp,
        }),
      );
      await writeChoices(tx, serviceId, item.choices);
      if (item.customfields !== undefined) {
        await writeCustomValues(tx, serviceId, { type: "product", pid: intOf(item.product, "id") }, item.customfields, now);
      }
      serviceIds.push(serviceId);
      lines.push({ type: "Hosting", relid: serviceId, description: item.description, amount: item.first });
    }
    let invoiceId = 0;
    if (!params.bool("noinvoice", false)) {
      invoiceId = await createInvoice(tx, { userid, paymentmethod: gateway.module, lines, now });
      await tx.update("tblorders", { id: orderId }, { invoiceid: invoiceId });
    }
    return { orderId, serviceIds, invoiceId };
  });

  const serviceids = result.serviceIds.join(",");
  return {
    orderid: String(result.orderId),
    ...(switches.addOrderProductIds ? { productids: serviceids } : {}),
    serviceids,
    addonids: "",
    domainids: "",
    invoiceid: String(result.invoiceId),
  };
}

/**
 * The term of an item: the product's pay type decides for free and one-time products; a
 * recurring product takes the requested cycle, or its first cycle offered in the currency.
 */
async function termOf(
  store: WhmcsStore,
  product: Row,
  requested: string | undefined,
  currency: number,
  currencyCode: string,
  switches: ActionContext["switches"],
): Promise<Term> {
  const paytype = textOf(product, "paytype");
  if (paytype === "free") return "free";
  if (paytype === "onetime") return "onetime";
  const pid = intOf(product, "id");
  if (requested !== undefined && requested.trim() !== "") {
    const term = parseTerm(requested, switches);
    if (term === undefined || term === "onetime" || term === "free") {
      throw new WhmcsApiError(`Invalid billing cycle ${JSON.stringify(requested)}: expected one of ${TERMS.slice(0, CYCLES.length).join(", ")}`);
    }
    return term;
  }
  const pricing = (await pricingByRelid(store, "product", [pid])).get(pid)?.get(currency);
  const offered = CYCLES.find((c) => basePrice(pricing, c) !== undefined);
  if (offered === undefined) throw new WhmcsApiError(`Product ID ${pid} has no billing cycle offered in ${currencyCode}`);
  return offered;
}

function scalar(v: FormValue | undefined): string | undefined {
  return typeof v === "string" ? v : undefined;
}

