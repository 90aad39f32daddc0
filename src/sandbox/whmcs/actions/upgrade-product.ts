import { CYCLE_MONTHS, isCycle } from "../../../core/cycles.js";
import { centsToMoney, moneyToCents } from "../../../core/money.js";
import { clientCurrency, serviceAmounts } from "../billing/amounts.js";
import { displayTerm, parseTerm, type Term } from "../billing/cycles.js";
import { addMonths, daysBetween, isSqlDate, sqlDate } from "../billing/dates.js";
import { requireGateway } from "../billing/gateways.js";
import { createInvoice } from "../billing/invoices.js";
import { newOrderNumber } from "../billing/orders.js";
import { OPTION_TYPE, productOptions, type ProductOption } from "../catalog/options.js";
import { WhmcsApiError } from "../errors.js";
import { callModule } from "../modules/index.js";
import { PhpArray, type PhpValue } from "../php-array.js";
import { completeRow, intOf, sqlDateTime, textOf } from "../rows.js";
import { choicesFromOrder, isTicked, readChoices, writeChoices, type OptionChoice } from "../services/config-values.js";
import { rowById } from "../services/lookup.js";
import type { Row, WhmcsStore } from "../store.js";
import type { ActionContext, ActionDef } from "./types.js";

/**
 * `UpgradeProduct` (docs/whmcs.md#upgradeproduct): `type=product` (`newproductid`,
 * `newproductbillingcycle`) or `type=configoptions` (a PLAIN `configoptions[<configid>]=<value>`
 * map). The price is the recurring difference prorated to the next due date, negative for a
 * downgrade, formatted in the client's currency like the documented example (`"$-8.67 USD"`).
 * `calconly` only prices it (no `paymentmethod` needed) and says whether an unpaid upgrade is
 * in progress (`upgradeinprogress`); otherwise an upgrade order, its invoice and `tblupgrades`
 * rows are created, unpaid. A cycle the new product has no price for (or an unknown cycle) is
 * WHMCS's "Invalid Billing Cycle Requested". Field types follow the documented example.
 * A free upgrade is paid at once: the service takes the new product or values and the module's
 * `ChangePackage` runs (its failure is only logged, as on a paid invoice). A second upgrade
 * while one is unpaid is refused.
 */
export const upgradeProduct: ActionDef = { name: "UpgradeProduct", companion: false, handler };

export const ERR_UNPAID_UPGRADE = "Unable to accept upgrade order. Previous upgrade invoice for service is still unpaid.";
export const ERR_UPGRADE_TYPE = "Invalid Upgrade Type";
export const ERR_UPGRADE_SERVICE = "Service ID Not Found";
export const ERR_UPGRADE_CYCLE = "Invalid Billing Cycle Requested";

async function handler(ctx: ActionContext): Promise<Record<string, unknown>> {
  const { params, store, switches, now } = ctx;
  const service = await rowById(store, "tblhosting", params.str("serviceid"));
  if (service === undefined) throw new WhmcsApiError(ERR_UPGRADE_SERVICE);
  const calconly = params.bool("calconly", false);
  // Only a placed upgrade order needs a gateway; a price calculation names none.
  const paymentmethod = params.str("paymentmethod");
  const gateway = calconly && (paymentmethod ?? "").trim() === "" ? undefined : await requireGateway(store, paymentmethod);
  const type = (params.str("type") ?? "").trim().toLowerCase();
  if (type !== "product" && type !== "configoptions") throw new WhmcsApiError(ERR_UPGRADE_TYPE);

  const serviceId = intOf(service, "id");
  const client = await store.selectOne("tblclients", { id: intOf(service, "userid") });
  if (client === undefined) throw new WhmcsApiError(ERR_UPGRADE_SERVICE);
  const currency = await clientCurrency(store, client);
  const oldProduct = await store.selectOne("tblproducts", { id: intOf(service, "packageid") });
  const oldTerm = parseTerm(textOf(service, "billingcycle"), switches);
  if (oldProduct === undefined || oldTerm === undefined) throw new WhmcsApiError(ERR_UPGRADE_SERVICE);
  const current = await readChoices(store, serviceId);

  let newProduct = oldProduct;
  let newTerm: Term = oldTerm;
  let newOptions: ProductOption[];
  let newChoices: OptionChoice[];
  if (type === "product") {
    const found = await rowById(store, "tblproducts", params.str("newproductid"));
    if (found === undefined) throw new WhmcsApiError(`Invalid new product ID ${params.str("newproductid") ?? ""}`);
    newProduct = found;
    const cycle = params.str("newproductbillingcycle");
    if (cycle !== undefined && cycle.trim() !== "") {
      const term = parseTerm(cycle, switches);
      if (term === undefined) throw new WhmcsApiError(ERR_UPGRADE_CYCLE);
      newTerm = term;
    }
    newOptions = await productOptions(store, intOf(newProduct, "id"));
    newChoices = choicesFromOrder(newOptions, asOrderMap(newOptions, current, switches), intOf(newProduct, "id"), switches);
  } else {
    const given = params.raw("configoptions");
    if (!(given instanceof PhpArray)) throw new WhmcsApiError("Invalid configoptions: expected configoptions[<configid>]=<value>");
    newOptions = await productOptions(store, intOf(oldProduct, "id"));
    const merged = asOrderMap(newOptions, current, switches);
    for (const [key, value] of given.entries()) merged.set(key, value as PhpValue);
    newChoices = choicesFromOrder(newOptions, merged, intOf(oldProduct, "id"), switches);
  }

  const qty = intOf(service, "qty");
  const amounts = await serviceAmounts(store, { pid: intOf(newProduct, "id"), term: newTerm, currency, qty, options: newOptions, choices: newChoices }, switches);
  if (amounts === undefined) throw new WhmcsApiError(ERR_UPGRADE_CYCLE);
  const oldRecurring = moneyToCents(textOf(service, "amount"));
  const change = moneyToCents(amounts.recurring) - oldRecurring;
  const today = sqlDate(now);
  const due = textOf(service, "nextduedate");
  const months = isCycle(oldTerm) ? CYCLE_MONTHS[oldTerm] : 0;
  const totaldays = months > 0 && isSqlDate(due) ? daysBetween(addMonths(due, -months), due) : 0;
  const daysuntilrenewal = totaldays > 0 ? Math.min(totaldays, Math.max(0, daysBetween(today, due))) : 0;
  const prorated = totaldays === 0 ? 0n : roundDiv(change * BigInt(daysuntilrenewal), BigInt(totaldays));
  const price = prorated > 0n ? prorated : 0n;
  const credit = prorated < 0n ? -prorated : 0n;

  const answer: Record<string, unknown> = {
    oldproductid: String(intOf(oldProduct, "id")),
    oldproductname: textOf(oldProduct, "name"),
    newproductid: intOf(newProduct, "id"),
    newproductname: textOf(newProduct, "name"),
    daysuntilrenewal,
    totaldays,
    newproductbillingcycle: newTerm,
    price: await priceText(store, currency, prorated, switches),
  };
  const unpaid = await store.count("tblupgrades", { relid: serviceId, paid: "N", status: "Pending" });
  if (calconly) return { ...answer, upgradeinprogress: unpaid > 0 };
  if (unpaid > 0) throw new WhmcsApiError(ERR_UNPAID_UPGRADE);
  if (gateway === undefined) throw new WhmcsApiError(ERR_UPGRADE_SERVICE);

  const stamp = sqlDateTime(now);
  const created = await store.transaction(async (tx) => {
    const orderId = await tx.insert(
      "tblorders",
      completeRow("tblorders", {
        ordernum: newOrderNumber(),
        userid: intOf(client, "id"),
        date: stamp,
        amount: centsToMoney(price),
        paymentmethod: gateway.module,
        status: "Pending",
        orderdata: "a:0:{}",
      }),
    );
    const rows = upgradeRows(type, oldProduct, newProduct, newTerm, current, newChoices);
    const upgradeIds: number[] = [];
    for (const row of rows) {
      upgradeIds.push(
        await tx.insert(
          "tblupgrades",
          completeRow("tblupgrades", {
            ...row,
            userid: intOf(client, "id"),
            orderid: orderId,
            date: today,
            relid: serviceId,
            new_cycle: newTerm,
            amount: centsToMoney(price),
            credit_amount: centsToMoney(credit),
            days_remaining: daysuntilrenewal,
            total_days_in_cycle: totaldays,
            new_recurring_amount: amounts.recurring,
            recurringchange: centsToMoney(change),
            status: "Pending",
            paid: "N",
            created_at: stamp,
            updated_at: stamp,
          }),
        ),
      );
    }
    const invoiceId = await createInvoice(tx, {
      userid: intOf(client, "id"),
      paymentmethod: gateway.module,
      lines: [{ type: "Upgrade", relid: upgradeIds[0] ?? 0, description: `Upgrade: ${textOf(oldProduct, "name")} => ${textOf(newProduct, "name")}`, amount: centsToMoney(price) }],
      now,
    });
    await tx.update("tblorders", { id: orderId }, { invoiceid: invoiceId });
    const order = await tx.selectOne("tblorders", { id: orderId });
    if (price === 0n) {
      await tx.update("tblupgrades", { orderid: orderId }, { status: "Completed", paid: "Y", updated_at: stamp });
      await tx.update("tblorders", { id: orderId }, { status: "Active" });
      await applyUpgrade(tx, serviceId, intOf(newProduct, "id"), displayTerm(newTerm, switches), amounts.recurring, newChoices, stamp);
    }
    return { id: upgradeIds[0] ?? 0, orderId, orderNumber: order === undefined ? 0 : intOf(order, "ordernum"), invoiceId, paid: price === 0n };
  });

  if (created.paid) {
    const updated = await store.selectOne("tblhosting", { id: serviceId });
    if (updated !== undefined) await callModule(ctx, updated, { kind: "lifecycle", fn: "ChangePackage" }).catch(ignoreApiError);
  }
  return { ...answer, id: String(created.id), orderid: created.orderId, order_number: String(created.orderNumber), invoiceid: created.invoiceId };
}

/** The price as WHMCS shows money: the currency's prefix, the signed amount, its suffix. */
async function priceText(store: WhmcsStore, currency: number, cents: bigint, switches: ActionContext["switches"]): Promise<string> {
  const amount = cents < 0n ? `-${centsToMoney(-cents)}` : centsToMoney(cents);
  if (switches.upgradePriceFormat === "plain") return amount;
  const row = await store.selectOne("tblcurrencies", { id: currency });
  return row === undefined ? amount : `${textOf(row, "prefix")}${amount}${textOf(row, "suffix")}`;
}

/** Current choices as an AddOrder-style map, so requested changes overlay them. */
function asOrderMap(options: readonly ProductOption[], current: readonly OptionChoice[], switches: ActionContext["switches"]): PhpArray {
  const map = new PhpArray();
  for (const c of current) {
    const o = options.find((x) => x.id === c.configid);
    if (o === undefined) continue;
    const value: PhpValue = o.type === OPTION_TYPE.quantity ? c.qty : o.type === OPTION_TYPE.yesno ? (isTicked(c, switches) ? 1 : 0) : c.optionid;
    map.set(String(c.configid), value);
  }
  return map;
}

function upgradeRows(
  type: "product" | "configoptions",
  oldProduct: Row,
  newProduct: Row,
  newTerm: Term,
  current: readonly OptionChoice[],
  next: readonly OptionChoice[],
): Record<string, string>[] {
  if (type === "product") {
    return [{ type: "package", originalvalue: String(intOf(oldProduct, "id")), newvalue: `${intOf(newProduct, "id")},${newTerm}` }];
  }
  const rows: Record<string, string>[] = [];
  for (const c of next) {
    const before = current.find((x) => x.configid === c.configid);
    if (before !== undefined && before.optionid === c.optionid && before.qty === c.qty) continue;
    rows.push({
      type: "configoptions",
      originalvalue: `${c.configid}=>${before === undefined ? "0,0" : `${before.optionid},${before.qty}`}`,
      newvalue: `${c.optionid},${c.qty}`,
    });
  }
  // An upgrade that changes nothing still records one row, so its order and invoice have a subject.
  return rows.length > 0 ? rows : [{ type: "configoptions", originalvalue: "", newvalue: "" }];
}

async function applyUpgrade(tx: WhmcsStore, serviceId: number, pid: number, cycle: string, amount: string, choices: readonly OptionChoice[], stamp: string): Promise<void> {
  await tx.update("tblhosting", { id: serviceId }, { packageid: pid, billingcycle: cycle, amount, updated_at: stamp });
  await writeChoices(tx, serviceId, choices);
}

/** `a / b` rounded half away from zero. */
function roundDiv(a: bigint, b: bigint): bigint {
  const neg = a < 0n !== b < 0n;
  const abs = (x: bigint): bigint => (x < 0n ? -x : x);
  const q = (abs(a) * 2n + abs(b)) / (abs(b) * 2n);
  return neg ? -q : q;
}

function ignoreApiError(err: unknown): void {
  if (!(err instanceof WhmcsApiError)) throw err;
}
