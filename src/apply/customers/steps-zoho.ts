import type { ZohoOrgCreation, ZohoOrgFacts, ZohoSubscriptionAddon } from "../../model/customer-writer.js";
import { applyError } from "./errors.js";
import type { OrgContext } from "./org-context.js";

export type { ZohoOrgFacts } from "../../model/customer-writer.js";

/**
 * The only way out when Zoho says the customer belongs elsewhere:
 * docs/zoho.md#customer-and-partner-mapping.
 */
const FOREIGN_CUSTOMER_HINT =
  "The customer is already registered with Zoho, under another partner or on their own. Ask the customer to tag you as " +
  "their partner (https://store.zoho.com/html/store/tagyourpartner.html, 'MCP Access'), then map them with 'Map Customer' in " +
  "the partner store; if they belong to another partner, Zoho's partner support must move them. The tool does not retry this.";

/**
 * The org for the domain, else created with the super admin the plan chose (the client's email, or
 * `admin@<domain>` when that email already heads another org) on the free plan or the requested
 * trial. Undefined only for a terminated org that Zoho does not have: there is nothing to cancel.
 *
 * An org the plan found is looked up again (its facts may have moved). One the plan did not find
 * (`records.zoid` null: Zoho's listing, read under this run's apply lock, has no org for the
 * domain) is created straight away: a lookup would spend one of Zoho's 30 Mail requests a minute
 * to learn what the plan just read. Should an org have appeared since, Zoho refuses the create,
 * and only then is the domain looked up.
 */
export async function ensureZohoOrg(ctx: OrgContext): Promise<ZohoOrgFacts | undefined> {
  const planSawNone = ctx.after.records.zoid === null && ctx.spec.status !== "terminated";
  if (!planSawNone) {
    const found = await ctx.writer.findZohoOrg(ctx.spec.domain);
    if (found !== undefined) return found;
  }
  if (ctx.spec.status === "terminated") return undefined;
  const plan = ctx.spec.plan;
  const superAdmin = ctx.after.zoho.superAdmin ?? ctx.spec.client.email;
  const create = (): Promise<ZohoOrgCreation> =>
    ctx.writer.createZohoOrg({
      domain: ctx.spec.domain,
      superAdmin,
      firstName: ctx.spec.client.firstName,
      lastName: ctx.spec.client.lastName,
      plan: plan.type === "trial" ? plan.trialPlan : "free",
    });
  // Not looked up first: an org that exists after all (made since the plan read Zoho, or by this
  // create whose answer was lost) is found once the create fails; otherwise its own error stands.
  const appeared = (): Promise<ZohoOrgFacts | undefined> => (planSawNone ? ctx.writer.findZohoOrg(ctx.spec.domain) : Promise.resolve(undefined));
  let result: ZohoOrgCreation;
  try {
    result = await create();
  } catch (err) {
    const found = await appeared();
    if (found !== undefined) return found;
    throw err;
  }
  if (result.outcome === "customer-elsewhere") {
    const found = await appeared();
    if (found !== undefined) return found;
    throw applyError("apply.customer.zoho-customer-elsewhere", `Zoho refused to create an org for ${ctx.spec.domain}: ${result.detail}`, FOREIGN_CUSTOMER_HINT);
  }
  ctx.wrote("zoho-org", `created Zoho org ${result.org.zoid} for ${ctx.spec.domain}`, result.org.zoid);
  return result.org;
}

function isUserAddon(a: ZohoSubscriptionAddon, userAddonId: number): boolean {
  const n = a.name.trim().toLowerCase();
  return a.id === String(userAddonId) || n === "user" || n.endsWith(" user");
}

/**
 * Plan and licences at Zoho, before any WHMCS write, so that a declined card leaves WHMCS as it
 * is. Paid: Store POST from free or trial, PUT (full state) from paid; trial: enableTrial from
 * free; free, and terminated: Store DELETE from paid. The subscription is read again first, so a
 * purchase whose answer was lost is found, not bought twice.
 */
export async function syncZohoPlan(ctx: OrgContext, org: ZohoOrgFacts): Promise<void> {
  const { writer } = ctx;
  const want = ctx.after.zoho.plan;
  const email = org.superAdmin;
  if (ctx.spec.status === "terminated" || want === null || want.type === "free") {
    const current = await writer.getSubscription(email);
    if (!current.paid) return;
    const why = ctx.spec.status === "terminated" ? "service terminated in WHMCS" : "customer moved to the free plan";
    await writer.cancelSubscription(email, `${why} (zoho-whmcs-reconcile)`);
    ctx.wrote("zoho-plan", `cancelled the Zoho subscription of ${email}: back to the free plan`, org.zoid);
    return;
  }
  if (want.type === "trial") {
    if ((org.basePlan ?? "").trim().toLowerCase().endsWith(" trial")) return;
    if (want.trialPlan === null) throw applyError("apply.customer.unknown-trial", `no trial plan for ${ctx.spec.domain}`);
    await writer.enableTrial(org.zoid, want.trialPlan);
    ctx.wrote("zoho-plan", `started the ${want.trialPlan} trial of org ${org.zoid}`, org.zoid);
    return;
  }

  const entry = want.plan !== null ? ctx.opts.zohoPlans[want.plan] : undefined;
  if (entry === undefined || want.payPeriod === null) {
    throw applyError("apply.customer.unknown-zoho-plan", `Zoho plan ${JSON.stringify(want.plan)} of ${ctx.spec.domain} is not in zoho.plans`, "plan again");
  }
  const current = await writer.getSubscription(email);
  if (!current.paid) {
    const c = ctx.spec.client;
    await writer.createSubscription({
      superAdmin: email,
      customer: {
        company: c.company,
        street: [c.address.line1, c.address.line2].filter((x) => x !== "").join(", "),
        city: c.address.city,
        state: c.address.state,
        country: c.address.country,
        postcode: c.address.postcode,
        phone: c.phone,
      },
      terms: { planId: entry.planId, payPeriod: want.payPeriod, addons: [{ id: entry.userAddonId, count: want.licenses }] },
    });
    ctx.wrote("zoho-plan", `bought ${want.plan} ${want.payPeriod} with ${want.licenses} licences for ${email}`, org.zoid);
    return;
  }
  const users = current.addons.filter((a) => isUserAddon(a, entry.userAddonId)).reduce((n, a) => n + a.count, 0);
  if (current.planId === entry.planId && current.payPeriod === want.payPeriod && users === want.licenses) return;
  // The Store's PUT replaces every add-on: storage add-ons the customer bought are sent back as they are.
  const others = current.addons
    .filter((a) => !isUserAddon(a, entry.userAddonId) && a.id !== undefined && /^\d+$/.test(a.id))
    .map((a) => ({ id: Number(a.id), count: a.count }));
  await writer.updateSubscription({
    superAdmin: email,
    terms: { planId: entry.planId, payPeriod: want.payPeriod, addons: [{ id: entry.userAddonId, count: want.licenses }, ...others] },
    currentPayPeriod: current.payPeriod,
  });
  ctx.wrote("zoho-plan", `changed the subscription of ${email} to ${want.plan} ${want.payPeriod} with ${want.licenses} licences`, org.zoid);
}
