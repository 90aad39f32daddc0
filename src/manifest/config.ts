import { dirname } from "node:path";
import { compareCodeUnits } from "../core/canonical.js";
import type { ManifestIssue } from "../core/errors.js";
import { KINDS } from "../model/catalog.js";
import type { Kind, SourcePosition } from "../model/catalog.js";
import { DEFAULT_INTAKE, DEFAULT_ORDER_SETTINGS, DEFAULT_THRESHOLDS } from "../model/config.js";
import type { Config, Policy, SecretRef, WhmcsTarget, ZohoPlanEntry, ZohoTarget } from "../model/config.js";
import { IssueCode } from "./codes.js";
import { DocContext } from "./context.js";
import { checkConfigEnvelope, ENVELOPE_PATHS, isPlainObject } from "./envelope.js";
import { append, issue } from "./issues.js";
import { documentStart, locate } from "./locate.js";
import { moneyField } from "./money-field.js";
import { parseYamlDocuments } from "./parse-yaml.js";
import { schemaIssues } from "./schema-issues.js";
import { validators } from "./schemas.js";
import { readSourceFile } from "./source.js";
import type { WrittenConfig } from "./written.js";
import { DEFAULT_ZOHO_PLANS } from "./zoho-plans.js";

export interface ConfigResult {
  /** Present when the config is valid. */
  readonly config: Config | undefined;
  /** The manifest globs, when they can be read even from an otherwise invalid config. */
  readonly manifests: readonly string[] | undefined;
  /** Where each glob is written in the config, for issues about it. */
  readonly manifestPositions?: readonly SourcePosition[];
  readonly issues: readonly ManifestIssue[];
}

/** Read, validate and normalise the config file at an absolute path. Never throws for bad input. */
export async function readConfig(file: string): Promise<ConfigResult> {
  const read = await readSourceFile(file);
  if (!read.ok) return { config: undefined, manifests: undefined, issues: [read.issue] };
  const issues: ManifestIssue[] = [];
  const documents = parseYamlDocuments(file, read.text, issues);
  // Only the first two documents matter: the config, and proof that there is more than one.
  const sd = documents.next().value ?? undefined;
  // A broken document before the first good one: the good one is not the config to trust.
  const brokenBefore = issues.length > 0;
  const extra = sd ? (documents.next().value ?? undefined) : undefined;
  documents.return(undefined);
  if (extra) {
    issues.push(
      issue({
        code: IssueCode.configMultipleDocuments,
        ...documentStart(extra),
        message: "the config file holds more than one document",
        hint: "keep only the Config document here; manifests go in the files matched by the manifests globs",
      }),
    );
  }
  if (!sd) {
    if (issues.length === 0) {
      issues.push(issue({ code: IssueCode.configEmpty, file, line: 0, col: 0, message: "the config file is empty", hint: "it needs apiVersion, kind: Config, manifests and whmcs" }));
    }
    return { config: undefined, manifests: undefined, issues };
  }
  if (brokenBefore) return { config: undefined, manifests: undefined, issues };
  const envelope = checkConfigEnvelope(sd, issues);
  if (!envelope.ok) return { config: undefined, manifests: undefined, issues };

  const manifests = stringList(envelope.value["manifests"]);
  const manifestPositions = manifests?.map((_, i) => locate(sd, ["manifests", i]));
  const validate = validators().config;
  if (!validate(sd.value)) {
    append(issues, schemaIssues(sd, validate.errors ?? [], (p) => ENVELOPE_PATHS.has(p)));
    return { config: undefined, manifests, manifestPositions, issues };
  }
  if (issues.length > 0) return { config: undefined, manifests, manifestPositions, issues };

  const ctx = new DocContext(sd, issues);
  const config = normalizeConfig(ctx, file, sd.value as WrittenConfig);
  return { config: ctx.failed ? undefined : config, manifests, manifestPositions, issues };
}

function stringList(x: unknown): readonly string[] | undefined {
  return Array.isArray(x) && x.length > 0 && x.every((s): s is string => typeof s === "string" && s.length > 0) ? x : undefined;
}

function normalizeConfig(ctx: DocContext, file: string, w: WrittenConfig): Config {
  return {
    file,
    dir: dirname(file),
    manifests: [...w.manifests],
    whmcs: normalizeWhmcs(ctx, w.whmcs),
    zoho: w.zoho ? normalizeZoho(ctx, w.zoho) : undefined,
    policy: normalizePolicy(ctx, w.policy),
    intake: { requirePaid: w.intake?.requirePaid ?? DEFAULT_INTAKE.requirePaid, dir: (w.intake?.dir ?? DEFAULT_INTAKE.dir).replace(/\/+$/, "") || DEFAULT_INTAKE.dir },
    source: documentStart(ctx.sd),
  };
}

/** `${env:NAME}` → `{ env: "NAME" }`; the schema has already checked the form. */
export function secretRef(written: string): SecretRef {
  return { env: written.slice("${env:".length, -1) };
}

function normalizeWhmcs(ctx: DocContext, w: WrittenConfig["whmcs"]): WhmcsTarget {
  return {
    url: normalizeWhmcsUrl(ctx, w.url),
    identifier: secretRef(w.identifier),
    secret: secretRef(w.secret),
    accessKey: w.accessKey === undefined ? undefined : secretRef(w.accessKey),
    catalogBackend: w.catalogBackend,
    database: w.database ? normalizeDatabase(ctx, w.database) : undefined,
    paymentMethod: w.paymentMethod,
    orders: { invoice: w.orders?.invoice ?? DEFAULT_ORDER_SETTINGS.invoice, emails: w.orders?.emails ?? DEFAULT_ORDER_SETTINGS.emails },
  };
}

/**
 * Base URL without a trailing `/includes/api.php` or `/`: the client appends the endpoint, and a
 * doubled path makes WHMCS answer "An admin user is required" (docs/whmcs.md#endpoint-and-request-encoding).
 */
export function normalizeWhmcsUrl(ctx: DocContext, written: string): string {
  const path = ["whmcs", "url"];
  let url: URL | undefined;
  try {
    url = new URL(written);
  } catch {
    url = undefined;
  }
  // The URL is not echoed: someone may have pasted credentials into it.
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    ctx.report(IssueCode.configUrl, path, "'url' is not a valid http(s) URL", "write the base URL of WHMCS, e.g. https://billing.example.com");
    return written;
  }
  if (url.username !== "" || url.password !== "") {
    ctx.report(IssueCode.configUrl, path, "'url' must not contain a user name or password", "API credentials go in identifier and secret as ${env:NAME} references");
  }
  if (url.search !== "" || url.hash !== "") {
    ctx.report(IssueCode.configUrl, path, "'url' must not contain a query string or fragment", "write the base URL of WHMCS, e.g. https://billing.example.com");
  }
  return written.replace(/\/includes\/api\.php$/, "").replace(/\/+$/, "");
}

function normalizeDatabase(ctx: DocContext, d: NonNullable<WrittenConfig["whmcs"]["database"]>): NonNullable<WhmcsTarget["database"]> {
  let url: URL | undefined;
  try {
    url = new URL(d.url);
  } catch {
    url = undefined;
  }
  if (!url || url.hostname === "") {
    ctx.report(IssueCode.databaseUrl, ["whmcs", "database", "url"], "'url' is not a valid database URL", "e.g. mysql://whmcs@db.internal:3306/whmcs");
  } else if (url.password !== "") {
    ctx.report(
      IssueCode.databaseUrl,
      ["whmcs", "database", "url"],
      "the database URL contains a password",
      "remove it from the URL and write password: ${env:NAME} under database",
    );
  }
  return { url: d.url, password: d.password === undefined ? undefined : secretRef(d.password) };
}

function normalizeZoho(ctx: DocContext, z: NonNullable<WrittenConfig["zoho"]>): ZohoTarget {
  const plans: Record<string, ZohoPlanEntry> = {};
  const source = z.plans ?? DEFAULT_ZOHO_PLANS;
  for (const name of Object.keys(source).sort(compareCodeUnits)) {
    const p = source[name];
    if (!p) continue;
    plans[name] = {
      planId: p.planId,
      userAddonId: p.userAddonId,
      payPeriods: [...p.payPeriods].sort(compareCodeUnits),
      ...(p.maxUsers === undefined ? {} : { maxUsers: p.maxUsers }),
      ...(p.storeName === undefined ? {} : { storeName: p.storeName }),
      ...(p.cost === undefined ? {} : { cost: planCost(ctx, name, p.cost) }),
      ...((p.trials ?? DEFAULT_ZOHO_PLANS[name]?.trials) === undefined ? {} : { trials: [...(p.trials ?? DEFAULT_ZOHO_PLANS[name]?.trials ?? [])].sort(compareCodeUnits) }),
    };
  }
  return {
    region: z.region,
    clientId: secretRef(z.clientId),
    clientSecret: secretRef(z.clientSecret),
    refreshToken: secretRef(z.refreshToken),
    ...(z.accountsServer === undefined ? {} : { accountsServer: z.accountsServer.replace(/\/+$/, "") }),
    ...(z.sandboxUrl === undefined ? {} : { sandboxUrl: z.sandboxUrl.replace(/\/+$/, "") }),
    ...(z.mailRequestsPerMinute === undefined ? {} : { mailRequestsPerMinute: z.mailRequestsPerMinute }),
    plans,
  };
}

function planCost(ctx: DocContext, plan: string, written: Readonly<Record<string, string | number>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const currency of Object.keys(written).sort(compareCodeUnits)) {
    const v = written[currency];
    if (v === undefined) continue;
    const m = moneyField(ctx, v, ["zoho", "plans", plan, "cost", currency]);
    if (m !== undefined) out[currency] = m;
  }
  return out;
}

function normalizePolicy(ctx: DocContext, p: WrittenConfig["policy"]): Policy {
  const prune = Object.fromEntries(KINDS.map((k) => [k, p?.prune?.[k] ?? false])) as Record<Kind, boolean>;
  const t = p?.thresholds;
  const mrrDelta: Record<string, string> = {};
  if (t?.mrrDelta && isPlainObject(t.mrrDelta)) {
    for (const currency of Object.keys(t.mrrDelta).sort(compareCodeUnits)) {
      const v = t.mrrDelta[currency];
      if (v === undefined) continue;
      const m = moneyField(ctx, v, ["policy", "thresholds", "mrrDelta", currency]);
      if (m !== undefined) mrrDelta[currency] = m;
    }
  }
  return {
    prune,
    protect: [...new Set(p?.protect ?? [])].sort(compareCodeUnits),
    thresholds: {
      updateShare: t?.updateShare ?? DEFAULT_THRESHOLDS.updateShare,
      deleteShare: t?.deleteShare ?? DEFAULT_THRESHOLDS.deleteShare,
      minExisting: t?.minExisting ?? DEFAULT_THRESHOLDS.minExisting,
      mrrDelta: t?.mrrDelta === undefined ? { ...DEFAULT_THRESHOLDS.mrrDelta } : mrrDelta,
      customers: t?.customers ?? DEFAULT_THRESHOLDS.customers,
      licencesDelta: t?.licencesDelta ?? DEFAULT_THRESHOLDS.licencesDelta,
    },
    reprice: p?.reprice === undefined || p.reprice === "none" ? "none" : p.reprice === "all" ? "all" : [...new Set(p.reprice)].sort(compareCodeUnits),
  };
}
