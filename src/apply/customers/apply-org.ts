import type { CustomerStep } from "./errors.js";
import { CustomerStepError } from "./errors.js";
import type { OrgContext } from "./org-context.js";
import { ensureClient, ensureService, lookUp, syncServiceTerms, syncStatus, writeRecords } from "./steps-whmcs.js";
import { ensureZohoOrg, syncZohoPlan } from "./steps-zoho.js";

async function step<T>(ctx: OrgContext, name: CustomerStep, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw err instanceof CustomerStepError ? err : new CustomerStepError(name, ctx.spec.domain, err);
  }
}

/**
 * One org, in order: lookup (WHMCS reads and checks only), Zoho org, Zoho plan and licences, then
 * WHMCS: client, service (AddOrder and AcceptOrder), terms, records, status. Zoho comes before any
 * WHMCS write, so a Zoho failure (a declined card, a timeout, a lost answer, a crash) leaves no
 * client, order, invoice or e-mail behind. Every step looks its object up again before writing,
 * so the next run finds what this one made instead of making it twice. Returns the service id.
 */
export async function applyOrg(ctx: OrgContext): Promise<string | undefined> {
  const seen = await step(ctx, "lookup", () => lookUp(ctx));
  const org = await step(ctx, "zoho-org", () => ensureZohoOrg(ctx));
  if (org !== undefined) await step(ctx, "zoho-plan", () => syncZohoPlan(ctx, org));
  const owner = await step(ctx, "client", () => ensureClient(ctx, seen));
  if (owner === undefined) return undefined;
  const found = await step(ctx, "service", () => ensureService(ctx, owner, seen));
  if (found === undefined) return undefined;
  const service = await step(ctx, "whmcs-service", () => syncServiceTerms(ctx, found));
  if (org !== undefined) await step(ctx, "records", () => writeRecords(ctx, service, org));
  await step(ctx, "status", () => syncStatus(ctx, service));
  return service.id;
}
