import type { Logger } from "../../core/log.js";
import { retry } from "../../core/retry.js";
import type { CustomerWriter } from "../../model/customer-writer.js";
import { MAILBOXES_OPTION_KEY, type ZohoMailModuleTable } from "../../model/customers.js";
import { liveCustomerServiceFrom, optionIndexOf } from "../../live/whmcs-map.js";
import {
  acceptOrder,
  addClient,
  addOrder,
  findClientByEmail,
  getServices,
  quantityOptionRef,
  updateService,
  WhmcsApiError,
  WhmcsDbError,
  whmcsRetryDecision,
  type WhmcsClient,
} from "../../providers/whmcs/index.js";
import { ZohoApiError, type ZohoMailApi, type ZohoStoreApi } from "../../providers/zoho/index.js";

/*
 * The `CustomerWriter` over the WHMCS and Zoho providers. It sits beside the apply rather than in
 * src/providers because it reads services through the live read's mapping (src/live), so the plan
 * and the apply see a service the same way, and the providers stay independent of src/live.
 */

export interface ProviderWriterOptions {
  readonly whmcs: WhmcsClient;
  readonly mail: ZohoMailApi;
  readonly store: ZohoStoreApi;
  /** Base URL of the Mail admin console (`https://mailadmin.zoho.<tld>`), for the module table's `url`. */
  readonly mailAdminUrl: string;
  /** With the `db` backend: the `zoho_mail` module's table. */
  readonly moduleTable?: ZohoMailModuleTable;
  readonly logger?: Logger;
  /** Attempts of an UpdateClientProduct in all (default 3): it sets absolute values, so a retry is safe. */
  readonly updateAttempts?: number;
}

export function createProviderCustomerWriter(opts: ProviderWriterOptions): CustomerWriter {
  const { whmcs, mail, store } = opts;
  const moduleTable = opts.moduleTable;
  return {
    async findClient(email) {
      // GetClientsDetails by email: one exact lookup, where a GetClients search scans prefixes.
      const found = await findClientByEmail(whmcs, email);
      return found === undefined ? undefined : { id: found.id, currency: found.currencyCode };
    },

    async addClient(c) {
      const { clientId } = await addClient(whmcs, {
        firstName: c.firstName,
        lastName: c.lastName,
        email: c.email,
        ...(c.company !== "" ? { companyName: c.company } : {}),
        address1: c.address.line1,
        ...(c.address.line2 !== "" ? { address2: c.address.line2 } : {}),
        city: c.address.city,
        state: c.address.state,
        postcode: c.address.postcode,
        country: c.address.country,
        phoneNumber: c.phone,
        ...(c.currencyId !== undefined ? { currencyId: c.currencyId } : {}),
        ...(c.noEmail ? { noEmail: true } : {}),
      });
      return clientId;
    },

    async findServices(query, catalog) {
      const services = await getServices(whmcs, query);
      const mailboxes = quantityOptionRef(catalog, MAILBOXES_OPTION_KEY);
      const options = optionIndexOf(catalog);
      return services.map((s) => liveCustomerServiceFrom(s, mailboxes, options));
    },

    async addOrder(order) {
      const { item } = order;
      const placed = await addOrder(whmcs, {
        clientId: order.clientId,
        paymentMethod: order.paymentMethod,
        items: [
          {
            productId: item.productId,
            billingCycle: item.billingCycle,
            domain: item.domain,
            configOptions: item.configOptions,
            ...(item.priceOverride !== undefined ? { priceOverride: item.priceOverride } : {}),
          },
        ],
        noInvoice: order.noInvoice,
        noInvoiceEmail: order.noInvoiceEmail,
        noEmail: order.noEmail,
      });
      const serviceId = placed.serviceIds[0];
      if (serviceId === undefined) throw new Error(`AddOrder #${placed.orderId} for ${item.domain} returned no service id`);
      return { orderId: placed.orderId, serviceId, invoiceId: placed.invoiceId === "0" ? undefined : placed.invoiceId };
    },

    async acceptOrder(orderId, options) {
      try {
        await acceptOrder(whmcs, orderId, { autoSetup: false, sendEmail: options.sendEmail });
        return "accepted";
      } catch (err) {
        if (err instanceof WhmcsApiError && /status not pending/i.test(err.apiMessage)) return "not-pending";
        throw err;
      }
    },

    async updateService(u) {
      await retry(
        () =>
          updateService(whmcs, {
            serviceId: u.serviceId,
            ...(u.productId !== undefined ? { productId: u.productId } : {}),
            ...(u.billingCycle !== undefined ? { billingCycle: u.billingCycle } : {}),
            ...(u.status !== undefined ? { status: u.status } : {}),
            ...(u.recurringAmount !== undefined ? { recurringAmount: u.recurringAmount } : {}),
            ...(u.configOptions !== undefined ? { configOptions: u.configOptions } : {}),
            ...(u.customFields !== undefined ? { customFields: u.customFields } : {}),
          }),
        {
          attempts: opts.updateAttempts ?? 3,
          baseDelayMs: 100,
          decide: whmcsRetryDecision,
          reason: () => `WHMCS UpdateClientProduct for service #${u.serviceId} failed; sending it again`,
          onRetry: ({ attempt, outcome }) =>
            opts.logger?.debug(
              { serviceId: u.serviceId, attempt, code: outcome.ok ? undefined : (outcome.error as { code?: unknown }).code },
              "UpdateClientProduct failed; sending it again",
            ),
        },
      );
    },

    async findZohoOrg(domain) {
      const found = await mail.findCustomerOrg(domain);
      return found === undefined ? undefined : { zoid: found.zoid, superAdmin: found.superAdmin, verified: found.isVerified, basePlan: found.basePlan };
    },

    async createZohoOrg(org) {
      try {
        const created = await mail.createOrg({
          domainName: org.domain,
          emailId: org.superAdmin,
          firstName: org.firstName,
          lastName: org.lastName,
          planName: org.plan,
        });
        return {
          outcome: "created",
          org: { zoid: created.zoid, superAdmin: created.superAdmin ?? org.superAdmin, verified: created.isVerified, basePlan: created.basePlan },
        };
      } catch (err) {
        if (err instanceof ZohoApiError && err.category === "conflict") return { outcome: "customer-elsewhere", detail: err.moreInfo ?? err.message };
        throw err;
      }
    },

    async enableTrial(zoid, trial) {
      await mail.enableTrial(zoid, trial);
    },

    async getSubscription(email) {
      try {
        const s = await store.getSubscription(email);
        return s.paid ? { paid: true, planId: s.planId, payPeriod: s.payPeriod, addons: s.addons } : { paid: false };
      } catch (err) {
        // The Store's answer for a customer without a subscription is unconfirmed (docs/zoho.md#read-get):
        // some readings answer `result:"failure"`. A purchase for a customer who did pay fails safely at the Store.
        if (err instanceof ZohoApiError && err.category === "store_failure") {
          opts.logger?.debug({ email }, "Store subscription read failed; treated as no paid subscription");
          return { paid: false };
        }
        throw err;
      }
    },

    async createSubscription({ superAdmin, customer: c, terms }) {
      await store.createSubscription({
        email: superAdmin,
        customer: {
          ...(c.company !== "" ? { companyName: c.company } : {}),
          street: c.street,
          city: c.city,
          state: c.state,
          country: c.country,
          zipcode: c.postcode,
          phone: c.phone,
        },
        subscription: terms,
      });
    },

    async updateSubscription({ superAdmin, terms, currentPayPeriod }) {
      await store.updateSubscription({ email: superAdmin, subscription: terms, ...(currentPayPeriod !== undefined ? { currentPayPeriod } : {}) });
    },

    async cancelSubscription(email, reason) {
      await store.cancelSubscription(email, reason);
    },

    async verificationCode(zoid, domain) {
      try {
        return (await mail.getDomain(zoid, domain)).cnameVerificationCode;
      } catch (err) {
        // Not worth failing the org for: the next plan reads the code and records it.
        if (err instanceof ZohoApiError) {
          opts.logger?.debug({ domain, category: err.category }, "verification code not read; the next plan reads it");
          return undefined;
        }
        throw err;
      }
    },

    ...(moduleTable !== undefined
      ? {
          async recordModuleRow(row: { domain: string; zoid: string; superAdmin: string; verified: boolean }) {
            const upsert = () =>
              moduleTable.upsert({
                domain: row.domain,
                zoid: row.zoid,
                superAdmin: row.superAdmin,
                isverified: row.verified ? "true" : "false",
                url: `${opts.mailAdminUrl}/cpanel/home.do?zaaid=${row.zoid}#dashboard`,
              });
            // Orgs applied at once upsert rows side by side; a deadlock rolls the upsert back whole, so it is sent again.
            await retry(upsert, {
              attempts: 3,
              baseDelayMs: 50,
              decide: (outcome) => (!outcome.ok && outcome.error instanceof WhmcsDbError && outcome.error.code === "whmcs.db.deadlock" && outcome.error.nothingWritten ? {} : false),
              reason: () => `the zoho_mail row of ${row.domain} hit a deadlock; writing it again`,
            });
          },
        }
      : {}),
  };
}
