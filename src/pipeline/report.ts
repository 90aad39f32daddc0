import { serviceLinks, type HtmlOptions } from "../render/html.js";
import type { PlannedRun } from "./run.js";

/**
 * The links and context a planned run gives its HTML report: WHMCS ids, the Zoho admin host the run
 * uses, the config's folder and the time. Here, not in `render/`, because it reads the clock and the
 * providers; the renderer stays a pure function of its inputs.
 */
export function reportOptions(run: Pick<PlannedRun, "plan" | "customers" | "targets" | "project">, extra: Omit<HtmlOptions, "services" | "mailAdminUrl" | "root"> = {}): HtmlOptions {
  const zoho = run.targets.zoho;
  return {
    generatedAt: new Date().toISOString(),
    ...extra,
    services: serviceLinks(run.plan, run.customers),
    ...(zoho !== undefined ? { mailAdminUrl: zoho.client.url("mailadmin", "") } : {}),
    root: run.project.config.dir,
  };
}
