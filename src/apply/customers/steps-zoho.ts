import { ZohoApiError, type SubscriptionSpec, type SubscriptionState } from "../../providers/zoho/index.js";
import { applyError } from "./errors.js";
import type { OrgContext } from "./org-context.js";

/** What the later steps need to know about the org at Zoho. */
export interface ZohoOrgFacts {
  readonly zoid: string;
  readonly superAdmin: string;
  readonly verified: boolean;
  readonly basePlan: string | undefined;
}

/**
 * The only way out when Zoho says the customer belongs elsewhere:
 * docs/zoho.md#customer-and-partner-mapping.
 */
const FOREIGN_CUSTOMER_HINT =
  "The customer is already registered with Zoho, under another partner or on their own. Ask the customer to tag you as " +
  "their partner (https://store.zoho.com/html/store/tagyourpartner.html, 'MCP Access'), then map them with 'Map Customer' in " +
  "the partner store; if they belong to another partner, Zoho's partner support must move them. The tool does not retry this.";

/**
 * Step 3: the org for the domain, looked up again (`getCustomerOrgDetails`), else created with the
 * super admin the plan chose (the client's email, or `admin@<domain>` when that email already
 * heads another org) on the free plan or the requested trial. Undefined only for a terminated
 * org that Zoho does not have: there is nothing to cancel.
 */
export async function ensureZohoOrg(ctx: OrgContext): Promise<ZohoOrgFacts | undefined> {
  const { mail } = ctx.opts.zoho;
  const found = await mail.findCustomerOrg(ctx.spec.domain);
  if (found !== undefined) return { zoid: found.zoid, superAdmin: found.superAdmin, verified: found.isVerified, basePlan: found.basePlan };
  if (ctx.spec.status === "terminated") return undefined;
  const plan = ctx.spec.plan;
  try {
    const created = await mail.createOrg({
      domainName: ctx.spec.domain,
      emailId: ctx.after.zoho.superAdmin ?? ctx.spec.client.email,
      firstName: ctx.spec.client.firstName,
      lastName: ctx.spec.client.lastName,
      planName: plan.type === "trial" ? plan.trialPlan : "free",
    });
    ctx.wrote("zoho-org", `created Zoho org ${created.zoid} for ${ctx.spec.domain}`, created.zoid);
    return {
      zoid: created.zoid,
      superAdmin: created.superAdmin ?? ctx.after.zoho.superAdmin ?? ctx.spec.client.email,
      verified: created.isVerified,
      basePlan: created.basePlan,
    };
  } catch (err) {
    if (err instanceof ZohoApiError && err.category === "conflict") {
      throw applyError(
        "apply.customer.zoho-customer-elsewhere",
        `Zoho refused to create an org for ${ctx.spec.domain}: ${err.moreInfo ?? err.message}`,
        FOREIGN_CUSTOMER_HINT,
      );
    }
    throw err;
  }
}

function isUserAddon(a: { readonly name: string; readonly id: string | undefined }, userAddonId: number): boolean {
  const n = a.name.trim().toLowerCase();
  return a.id === String(userAddonId) || n === "user" || n.endsWith(" user");
}

async function subscriptionOf(ctx: OrgContext, email: string): Promise<SubscriptionState> {
  try {
    return await ctx.opts.zoho.store.getSubscription(email);
  } catch (err) {
    // The Store's answer for a customer without a subscription is unconfirmed (docs/zoho.md#read-get):
    // some readings answer `result:"failure"`. A purchase for a customer who did pay fails safely at the Store.
    if (err instanceof ZohoApiError && err.category === "store_failure") {
      ctx.log.debug({ email }, "Store subscription read failed; treated as no paid subscription");
      return { paid: false };
    }
    throw err;
  }
}

/**
 * Step 4: plan and licences at Zoho, Zoho first so that a declined card leaves WHMCS as it is.
 * Paid: Store POST from free or trial, PUT (full state) from paid; trial: enableTrial from free;
 * free, and terminated: Store DELETE from paid.
 */
export async function syncZohoPlan(ctx: OrgContext, org: ZohoOrgFacts): Promise<void> {
  const { store, mail } = ctx.opts.zoho;
  const want = ctx.after.zoho.plan;
  const email = org.superAdmin;
  if (ctx.spec.status === "terminated" || want === null || want.type === "free") {
    const current = await subscriptionOf(ctx, email);
    if (!current.paid) return;
    const why = ctx.spec.status === "terminated" ? "service terminated in WHMCS" : "customer moved to the free plan";
    await store.cancelSubscription(email, `${why} (zoho-whmcs-reconcile)`);
    ctx.wrote("zoho-plan", `cancelled the Zoho subscription of ${email}: back to the free plan`, org.zoid);
    return;
  }
  if (want.type === "trial") {
    if ((org.basePlan ?? "").trim().toLowerCase().endsWith(" trial")) return;
    if (want.trialPlan === null) throw applyError("apply.customer.unknown-trial", `no trial plan for ${ctx.spec.domain}`);
    await mail.enableTrial(org.zoid, want.trialPlan);
    ctx.wrote("zoho-plan", `started the ${want.trialPlan} trial of org ${org.zoid}`, org.zoid);
    return;
  }

  const entry = want.plan !== null ? ctx.opts.zohoPlans[want.plan] : undefined;
  if (entry === undefined || want.payPeriod === null) {
    throw applyError("apply.customer.unknown-zoho-plan", `Zoho plan ${JSON.stringify(want.plan)} of ${ctx.spec.domain} is not in zoho.plans`, "plan again");
  }
  const current = await subscriptionOf(ctx, email);
  if (!current.paid) {
    const spec: SubscriptionSpec = { planId: entry.planId, payPeriod: want.payPeriod, addons: [{ id: entry.userAddonId, count: want.licenses }] };
    const c = ctx.spec.client;
    const street = [c.address.line1, c.address.line2].filter((x) => x !== "").join(", ");
    await store.createSubscription({
      email,
      customer: {
        ...(c.company !== "" ? { companyName: c.company } : {}),
        street,
        city: c.address.city,
        state: c.address.state,
        country: c.address.country,
        zipcode: c.address.postcode,
        phone: c.phone,
      },
      subscription: spec,
    });
    ctx.wrote("zoho-plan", `bought ${want.plan} ${want.payPeriod} with ${want.licenses} licences for ${email}`, org.zoid);
    return;
  }
  const users = current.addons.filter((a) => isUserAddon(a, entry.userAddonId)).reduce((n, a) => n + a.count, 0);
  if (current.planId === entry.planId && current.payPeriod === want.payPeriod && users === want.licenses) return;
  // PUT replaces every add-on: storage add-ons the customer bought are sent back as they are.
  const others = current.addons
    .filter((a) => !isUserAddon(a, entry.userAddonId) && a.id !== undefined && /^\d+$/.test(a.id))
    .map((a) => ({ id: Number(a.id), count: a.count }));
  await store.updateSubscription({
    email,
    subscription: { planId: entry.planId, payPeriod: want.payPeriod, addons: [{ id: entry.userAddonId, count: want.licenses }, ...others] },
    ...(current.payPeriod !== undefined ? { currentPayPeriod: current.payPeriod } : {}),
  });
  ctx.wrote("zoho-plan", `changed the subscription of ${email} to ${want.plan} ${want.payPeriod} with ${want.licenses} licences`, org.zoid);
}
