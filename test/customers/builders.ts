import { resourceKey, type DesiredCatalog, type LiveCatalog, type SourcePosition } from "../../src/model/catalog.js";
import type { ZohoPlanEntry } from "../../src/model/config.js";
import {
  RECORD_FIELD_NAMES,
  RECORD_FIELDS,
  type RecordFieldFacts,
  type LiveCustomerClient,
  type LiveCustomerService,
  type LiveCustomers,
  type LiveZohoOrg,
  type LiveZohoPlan,
} from "../../src/model/customers.js";
import type { DesiredClient, DesiredCustomerOrg } from "../../src/manifest/index.js";
import type { CustomerPlanInput, DesiredCustomerResource, FullPlanInput } from "../../src/plan/customers/index.js";
import { desiredCatalog, EUR, group, input, optionGroup, product, quantityOption, USD } from "../plan/builders.js";
import { liveEquivalentOf } from "../plan/live-equivalent.js";

/*
 * Builders for customer-org fixtures. The catalog sells two zoho_mail products: mail-lite
 * (yearly only, WHMCS id 300) and workplace-standard (monthly or yearly, WHMCS id 301), each
 * with a `mailboxes` quantity option. Every builder takes overrides, so a test states only what
 * it is about.
 */

export const PLANS: Readonly<Record<string, ZohoPlanEntry>> = {
  "mail-lite": { planId: 17033, userAddonId: 17083, payPeriods: ["yearly"] },
  "workplace-standard": { planId: 10730, userAddonId: 10779, payPeriods: ["monthly", "yearly"] },
};

export const MAIL_LITE_PID = "300";
export const WORKPLACE_PID = "301";

export function customerCatalog(): DesiredCatalog {
  return desiredCatalog({
    productGroups: [group("business-email")],
    configOptionGroups: [
      optionGroup("mail-lite-options"),
      optionGroup("workplace-options", {
        name: "Workplace options",
        options: [quantityOption("mailboxes", { USD: { monthly: "3.00", annually: "30.00" } }, { max: 500 })],
      }),
      optionGroup("plain-options", { name: "Plain options", options: [quantityOption("seats", { USD: { monthly: "1.00" } })] }),
    ],
    products: [
      product("mail-lite", { configOptionGroups: ["mail-lite-options"], pricing: { USD: { annually: "10.00" } } }),
      product("workplace-standard", {
        name: "Zoho Workplace Standard",
        zoho: { plan: "workplace-standard" },
        configOptionGroups: ["workplace-options"],
        pricing: { USD: { monthly: "1.00", annually: "10.00" } },
      }),
      product("zz-no-mailboxes", { name: "No mailboxes", configOptionGroups: ["plain-options"] }),
      product("zz-hosting", { name: "Hosting", module: "cpanel", configOptionGroups: ["mail-lite-options"] }),
    ],
  });
}

export function customerSource(line: number): SourcePosition {
  return { file: "customers/orgs.yaml", line, col: 1 };
}

export interface OrgOverrides extends Partial<Omit<DesiredCustomerOrg, "client">> {
  readonly client?: Partial<DesiredClient>;
}

export function customerOrg(name: string, over: OrgOverrides = {}, source: SourcePosition = customerSource(1)): DesiredCustomerResource {
  const { client, ...rest } = over;
  const spec: DesiredCustomerOrg = {
    domain: `${name}.example`,
    product: "mail-lite",
    billingCycle: "annually",
    mailboxes: 25,
    plan: { type: "paid", payPeriod: "yearly" },
    status: "active",
    options: {},
    ...rest,
    client: {
      email: `it@${name}.example`,
      firstName: "Ada",
      lastName: "Lovelace",
      company: `${name} Ltd`,
      address: { line1: "1 Main St", line2: "", city: "London", state: "London", postcode: "EC1A 1AA", country: "GB" },
      phone: "+44.2071234567",
      currency: null,
      ...client,
    },
  };
  return { kind: "CustomerOrg", name, key: resourceKey("CustomerOrg", name), spec, source };
}

export function liveClient(id: string, email: string, over: Partial<LiveCustomerClient> = {}): LiveCustomerClient {
  const name = email.split("@")[1]?.split(".")[0] ?? "x";
  return { id, email, firstName: "Ada", lastName: "Lovelace", company: `${name} Ltd`, status: "active", ...over };
}

export interface RecordValues {
  readonly zoid: string;
  readonly superAdmin?: string;
  readonly verified?: string;
  readonly verificationCode?: string;
  readonly verificationChecked?: string;
}

export function records(values: RecordValues | undefined): LiveCustomerService["customFields"] {
  return {
    [RECORD_FIELDS.zoid]: { id: "51", value: values?.zoid ?? "" },
    [RECORD_FIELDS.superAdmin]: { id: "52", value: values?.superAdmin ?? "" },
    [RECORD_FIELDS.verified]: { id: "53", value: values?.verified ?? "" },
    [RECORD_FIELDS.verificationCode]: { id: "54", value: values?.verificationCode ?? "" },
    [RECORD_FIELDS.verificationChecked]: { id: "55", value: values?.verificationChecked ?? "" },
  };
}

export function liveService(id: string, clientId: string, domain: string, over: Partial<LiveCustomerService> = {}): LiveCustomerService {
  return {
    id,
    clientId,
    orderId: `9${id}`,
    productId: MAIL_LITE_PID,
    domain,
    cycle: "annually",
    status: "active",
    mailboxes: 25,
    recurringAmount: "0.00",
    options: {},
    customFields: records(undefined),
    ...over,
  };
}

export function paid(planId: number, payPeriod: "monthly" | "yearly" | null, licenses: number, planName: string | null = null): LiveZohoPlan {
  return { type: "paid", planId, planName, payPeriod, licenses };
}

export function liveOrg(zoid: string, domain: string, over: Partial<LiveZohoOrg> = {}): LiveZohoOrg {
  return {
    zoid,
    domain,
    superAdmin: `it@${domain}`,
    verified: true,
    plan: paid(17033, "yearly", 25),
    usersCount: null,
    licenseCount: null,
    trialAllowed: false,
    ...over,
  };
}

export function liveCustomers(parts: Partial<LiveCustomers> = {}): LiveCustomers {
  return { clients: [], services: [], zohoOrgs: [], warnings: [], ...parts };
}

/**
 * A converged org: the client, the owned service and the Zoho org that applying `acme` with the
 * defaults leaves behind. Ids derive from `n` so several orgs do not collide.
 */
export function convergedParts(name: string, n: number): { client: LiveCustomerClient; service: LiveCustomerService; org: LiveZohoOrg } {
  const domain = `${name}.example`;
  const email = `it@${domain}`;
  const zoid = String(7_000_000 + n);
  return {
    client: liveClient(String(10 + n), email),
    service: liveService(String(100 + n), String(10 + n), domain, { customFields: records({ zoid, superAdmin: email, verified: "true" }) }),
    org: liveOrg(zoid, domain),
  };
}

export function customersInput(desired: readonly DesiredCustomerResource[], live: LiveCustomers, over: Partial<CustomerPlanInput> = {}): CustomerPlanInput {
  return { desired, live, zohoPlans: PLANS, ...over };
}

/** The live catalog with every product carrying the record fields, as after a catalog apply. */
export function withFields<L extends LiveCatalog>(live: L): L & RecordFieldFacts {
  return { ...live, productCustomFields: Object.fromEntries(live.products.map((p) => [p.remoteId, [...RECORD_FIELD_NAMES].sort()])) };
}

export function fullInput(desired: readonly DesiredCustomerResource[], live: LiveCustomers, over: Partial<CustomerPlanInput> = {}): FullPlanInput {
  const catalog = customerCatalog();
  return { ...input(catalog, withFields(liveEquivalentOf(catalog, [USD, EUR]))), customers: customersInput(desired, live, over) };
}
