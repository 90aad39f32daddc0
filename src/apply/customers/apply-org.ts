import type { CustomerStep } from "./errors.js";
import { CustomerStepError } from "./errors.js";
import type { OrgContext } from "./org-context.js";
import { ensureClient, ensureService, syncServiceTerms, syncStatus, writeRecords } from "./steps-whmcs.js";
import { ensureZohoOrg, syncZohoPlan } from "./steps-zoho.js";

async function step<T>(ctx: OrgContext, name: CustomerStep, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw err instanceof CustomerStepError ? err : new CustomerStepError(name, ctx.spec.domain, err);
  }
}

/**
 * One org, in order: client, service, Zoho org, Zoho plan, WHMCS terms, records, status. Every
 * step looks its object up again before writing, so a retry after a timeout or a crash finds what
 * the first attempt made instead of making it twice. Returns the WHMCS service id.
 */
export async function applyOrg(ctx: OrgContext): Promise<string | undefined> {
  const clientId = await step(ctx, "client", () => ensureClient(ctx));
  let service = await step(ctx, "service", () => ensureService(ctx, clientId));
  if (service === undefined) return undefined;
  const org = await step(ctx, "zoho-org", () => ensureZohoOrg(ctx));
  if (org !== undefined) await step(ctx, "zoho-plan", () => syncZohoPlan(ctx, org));
  const current = service;
  service = await step(ctx, "whmcs-service", () => syncServiceTerms(ctx, current));
  const updated = service;
  if (org !== undefined) await step(ctx, "records", () => writeRecords(ctx, updated, org));
  await step(ctx, "status", () => syncStatus(ctx, updated));
  return updated.id;
}
