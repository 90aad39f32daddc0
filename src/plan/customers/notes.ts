import type { ZohoPlanEntry } from "../../model/config.js";
import type { CustomerOrgState, CustomerZohoPlanState, LiveOrder } from "../../model/customers.js";
import type { ChangeAction } from "../../model/plan.js";
import type { SegmentDiff } from "../diff.js";
import type { OrgMatch } from "./match.js";

export interface CustomerNoteInput {
  readonly action: ChangeAction;
  readonly before: CustomerOrgState | null;
  readonly after: CustomerOrgState;
  readonly diffs: readonly SegmentDiff[];
  readonly match: OrgMatch;
  readonly plans: Readonly<Record<string, ZohoPlanEntry>>;
  /** The pending order of the matched service (a storefront order), when live state carries it. */
  readonly order?: LiveOrder | undefined;
}

/** The suspension decision, word for word in every plan that suspends (docs/decisions.md). */
export const SUSPEND_NOTE =
  "suspends: the WHMCS service is marked Suspended (UpdateClientProduct; the zoho_mail module has no suspend function). " +
  "Zoho has no suspend API: the mailboxes stay usable at Zoho and Zoho keeps charging the partner for the licences";
/** The termination decision (docs/decisions.md). */
export const TERMINATE_NOTE =
  "terminates: the Zoho subscription is cancelled back to the free plan (Store DELETE) and the WHMCS service is marked Terminated; " +
  "the Zoho org itself is not deleted (Zoho has no API for that) and its mail stays with the customer";

/** Said on every new client: existing clients are compared only on what GetClients returns. */
export const CLIENT_FIELDS_CLAUSE = "address and phone are used only here: GetClients does not return them, so existing clients are never compared on them";
/** Said on every new order. */
export const ACCEPT_CLAUSE = "then accepts the order without a module call (AcceptOrder)";
/** Said on every new Zoho org. */
export const PARTNER_TAG_CLAUSE = "if Zoho answers that the customer belongs to another partner, the customer must tag this partner first";

/**
 * Clauses that read the same on every org they end a note of, with the sentence that says each on
 * its own: renderers cut them off the org's note and say them once per plan.
 */
export const GENERAL_CLAUSES: readonly { readonly joiner: string; readonly clause: string; readonly alone: string }[] = [
  {
    joiner: "; ",
    clause: CLIENT_FIELDS_CLAUSE,
    alone: "WHMCS client: address and phone are used only when the client is created: GetClients does not return them, so existing clients are never compared on them",
  },
  { joiner: ", ", clause: ACCEPT_CLAUSE, alone: "WHMCS service: each new order is accepted without a module call (AcceptOrder)" },
  { joiner: "; ", clause: PARTNER_TAG_CLAUSE, alone: `Zoho org: ${PARTNER_TAG_CLAUSE}` },
];

/**
 * Plain words for reviewers: what each apply step will do, in apply order (client, service,
 * Zoho org, Zoho plan, WHMCS quantity and cycle, records, status). Only steps that do something.
 */
export function customerNotes(n: CustomerNoteInput): string[] {
  const { before, after, match } = n;
  const notes: string[] = [];
  const changed = (prefix: string): boolean => n.diffs.some((d) => d.path === prefix || d.path.startsWith(`${prefix}.`));
  const creating = before === null;
  if (n.action === "noop" && creating) {
    notes.push(`no WHMCS service exists for ${after.domain} and the manifest says terminated: nothing is created`);
    return notes;
  }

  if (creating) {
    notes.push(
      match.client !== undefined
        ? `WHMCS client: uses #${match.client.id} ${match.client.email}, matched by email`
        : `WHMCS client: creates ${after.client.email} (AddClient); ${CLIENT_FIELDS_CLAUSE}`,
    );
    notes.push(
      `WHMCS service: orders ${after.product} for ${after.domain}, ${after.billingCycle}, ${after.mailboxes ?? 0} mailboxes (AddOrder), ${ACCEPT_CLAUSE}`,
    );
  } else if (n.action === "adopt") {
    notes.push(
      `WHMCS service: adopts #${match.service?.id ?? "?"} for ${after.domain}, matched by domain (its ZOID field is empty); ` +
        "recording the ZOID makes it the tool's",
    );
  }
  if (!creating && before.status === "pending" && after.status !== "pending") {
    notes.push(
      n.order !== undefined
        ? storefrontNote(n.order, before, after)
        : `WHMCS service: accepts pending order #${match.service?.orderId ?? "?"} (AcceptOrder, no module call)`,
    );
  }

  const org = match.zohoOrg;
  if (after.zoho.org && org === undefined) {
    const start = after.zoho.plan?.type === "trial" && after.zoho.plan.trialPlan !== null ? `the ${after.zoho.plan.trialPlan} trial` : "the free plan";
    const admin = after.zoho.superAdmin ?? after.client.email;
    const why =
      admin === after.client.email
        ? ""
        : ` (${after.client.email} is the super admin of another org already, and Zoho makes an email the super admin of one org only)`;
    notes.push(
      `Zoho org: creates ${after.domain} with ${admin} as super admin${why}, on ${start}; ${PARTNER_TAG_CLAUSE}`,
    );
  } else if (org !== undefined && (creating || n.action === "adopt")) {
    notes.push(`Zoho org: uses the existing org ${org.zoid} for ${after.domain}, matched by domain`);
  }
  if (org !== undefined && org.superAdmin !== after.client.email) {
    notes.push(
      `Zoho org: its super admin is ${org.superAdmin}, not the client's email ${after.client.email}; ` +
        "Zoho cannot change a super admin through the partner API, so Store calls use " + org.superAdmin,
    );
  }

  const zohoPlanChanges = changed("zoho.plan") && after.status !== "terminated";
  if (zohoPlanChanges) {
    const from: CustomerZohoPlanState = org === undefined ? initialPlan(after) : (before?.zoho.plan ?? { type: "free" });
    const step = planStep(from, after.zoho.plan, n.plans);
    if (step !== undefined) notes.push(step);
  }

  const whmcs = ["product", "billingCycle", "mailboxes"].filter((p) => changed(p));
  if (!creating && whmcs.length > 0) {
    const parts = n.diffs.filter((d) => whmcs.includes(d.path)).map((d) => `${d.path} ${show(d.before)} → ${show(d.after)}`);
    notes.push(`WHMCS service: ${parts.join(", ")} (UpdateClientProduct, recurring amount recalculated)`);
    if (zohoPlanChanges) notes.push("Zoho is changed first: if the Store declines the partner's card, WHMCS is left as it is");
  }
  if (creating || n.action === "adopt" || changed("records")) {
    notes.push("WHMCS records: writes ZOID, super admin and domain verification state to the service's custom fields");
  }

  if (!creating || after.status !== "active") {
    const was = before?.status ?? "active";
    if (after.status === "suspended" && was !== "suspended") notes.push(SUSPEND_NOTE);
    if (after.status === "terminated" && was !== "terminated") notes.push(TERMINATE_NOTE);
    if (after.status === "active" && (was === "suspended" || was === "terminated")) {
      notes.push(`reactivates: the WHMCS service goes from ${was} to Active (UpdateClientProduct)`);
    }
  }
  if (after.status !== "terminated" && (org === undefined || !org.verified)) {
    notes.push(
      org === undefined
        ? "the new org's domain must then be verified by DNS: the next plan lists the record to publish"
        : "the domain is not verified yet: see the pending section for the DNS record to publish",
    );
  }
  return notes;
}

/**
 * A storefront order the plan accepts: its payment state, amount and date, and, when the manifest
 * asks for other terms than the customer ordered, both sides with what each bills.
 */
function storefrontNote(order: LiveOrder, before: CustomerOrgState, after: CustomerOrgState): string {
  const currency = after.billing.currency ?? before.billing.currency;
  const money = (amount: string): string => (currency !== null ? `${currency} ${amount}` : amount);
  const payment =
    order.fraud
      ? `flagged as fraud in WHMCS, ${money(order.amount)} on ${order.date}`
      : order.payment === "paid"
        ? `paid ${money(order.amount)} on ${order.date}`
        : order.payment === "unpaid"
          ? `unpaid: invoice #${order.invoiceId ?? "?"} ${order.paymentStatus || "Unpaid"}, ${money(order.amount)} ordered on ${order.date}`
          : `no invoice, ${money(order.amount)} ordered on ${order.date}`;
  const differs: string[] = [];
  if (before.product !== after.product) differs.push(`product ${before.product} → ${after.product}`);
  if (before.billingCycle !== after.billingCycle) differs.push(`billingCycle ${before.billingCycle} → ${after.billingCycle}`);
  if (before.mailboxes !== after.mailboxes) differs.push(`mailboxes ${show(before.mailboxes)} → ${show(after.mailboxes)}`);
  for (const k of [...new Set([...Object.keys(before.options), ...Object.keys(after.options)])].sort()) {
    if (before.options[k] !== after.options[k]) differs.push(`options.${k} ${show(before.options[k])} → ${show(after.options[k])}`);
  }
  const text = `WHMCS service: accepts storefront order #${order.id} (${payment}; AcceptOrder, no module call), no second order`;
  if (differs.length === 0) return text;
  return (
    `${text}; the manifest differs from what the customer ordered (${differs.join(", ")}): ` +
    `the order bills ${money(before.billing.recurringAmount)} ${before.billingCycle}, the manifest ${money(after.billing.recurringAmount)} ${after.billingCycle}, ` +
    "and the service takes the manifest's terms after it is accepted (UpdateClientProduct)"
  );
}

/** The plan a new org starts on: a trial when one is asked for, otherwise free. */
function initialPlan(after: CustomerOrgState): CustomerZohoPlanState {
  return after.zoho.plan?.type === "trial" ? after.zoho.plan : { type: "free" };
}

function planStep(from: CustomerZohoPlanState, to: CustomerZohoPlanState | null, plans: Readonly<Record<string, ZohoPlanEntry>>): string | undefined {
  if (to === null) return undefined;
  if (to.type === "paid") {
    const id = to.plan !== null ? plans[to.plan]?.planId : undefined;
    const what = `${to.plan ?? "?"}${id !== undefined ? ` (Store plan ${id})` : ""}, ${to.payPeriod ?? "?"}, ${to.licenses} user licences`;
    if (from.type !== "paid") {
      return `Zoho plan: buys ${what} through the Zoho Store (POST), charged to the partner's card`;
    }
    return `Zoho plan: changes the subscription from ${from.plan ?? "?"}, ${from.payPeriod ?? "?"}, ${from.licenses} user licences to ${what} (Store PUT with the full state)`;
  }
  if (to.type === "trial") {
    return from.type === "trial" ? undefined : `Zoho plan: starts the ${to.trialPlan ?? "?"} trial at Zoho (enableTrial); it ends by itself after Zoho's trial period`;
  }
  return from.type === "paid" ? "Zoho plan: cancels the subscription; the org returns to the free plan (Store DELETE)" : undefined;
}

function show(v: unknown): string {
  return v === null || v === undefined ? "(none)" : String(v);
}
