import type { SandboxContext, SandboxRequest } from "./context.js";
import type { DomainRecord, OrgRecord } from "./data.js";
import { mailCreated, mailError, mailOk, type Reply } from "./envelopes.js";
import { PATTERN_NOT_MATCHED, isDomainName, mailJsonBody, modeIs } from "./mail-body.js";
import { isReply, orgFromPath } from "./mail-orgs.js";
import { newDomain, orgByDomain } from "./org-model.js";
import { lookup } from "./dns.js";
import { raw } from "./wire.js";

/** Mail domain endpoints and verification against the DNS fixture (docs/zoho.md#domains-and-verification). */

const VERIFY_MODES = ["verifyDomainByTXT", "verifyDomainByCName", "verifyDomainByHTML"] as const;
const OTHER_MODES = ["verifyMxRecord", "verifySpfRecord", "enableMailHosting", "disableMailHosting", "setAsPrimaryDomain"] as const;

function cnameCode(d: DomainRecord): string {
  return `zb${d.htmlCode}`;
}

function domainView(ctx: SandboxContext, dc: string, org: OrgRecord, d: DomainRecord): Record<string, unknown> {
  return {
    domainId: raw(d.domainId),
    domainName: d.domainName,
    isDomainAlias: false,
    verificationStatus: d.verified,
    verifiedBy: d.verifiedBy,
    HTMLVerificationCode: d.htmlCode,
    CNAMEVerificationCode: cnameCode(d),
    primary: d.primary,
    mailHostingEnabled: d.mailHostingEnabled,
    mxstatus: d.mxstatus,
    spfstatus: d.spfstatus,
    dkimstatus: false,
    zoid: raw(org.zoid),
    createdTime: d.createdTime,
    URI: `${ctx.baseUrl(dc, "mail")}/api/organization/${org.zoid}/domains/${d.domainName}`,
  };
}

function findDomain(ctx: SandboxContext, org: OrgRecord, name: string | undefined): DomainRecord | Reply {
  const d = org.domains.find((x) => x.domainName === (name ?? "").toLowerCase());
  return d ?? mailError(404, undefined, ctx.switches.messages.domainNotFound);
}

function isDomain(x: DomainRecord | Reply): x is DomainRecord {
  return "domainName" in x;
}

export function listDomains(ctx: SandboxContext, req: SandboxRequest): Reply {
  const org = orgFromPath(ctx, req);
  if (isReply(org)) return org;
  return mailOk(org.domains.map((d) => domainView(ctx, req.dc, org, d)));
}

export function getDomain(ctx: SandboxContext, req: SandboxRequest): Reply {
  const org = orgFromPath(ctx, req);
  if (isReply(org)) return org;
  const d = findDomain(ctx, org, req.params[1]);
  return isDomain(d) ? mailOk(domainView(ctx, req.dc, org, d)) : d;
}

export function addDomain(ctx: SandboxContext, req: SandboxRequest): Reply {
  const org = orgFromPath(ctx, req);
  if (isReply(org)) return org;
  const parsed = mailJsonBody(ctx, req, ["domainName"]);
  if (!parsed.ok) return parsed.reply;
  const name = parsed.value["domainName"];
  if (!isDomainName(name)) return PATTERN_NOT_MATCHED;
  const owner = orgByDomain(ctx, name);
  if (owner) {
    const m = ctx.switches.messages;
    return mailError(500, undefined, owner.partnerId === org.partnerId ? m.domainExists : m.customerOfAnotherPartner);
  }
  const d = newDomain(ctx, name, false);
  org.domains.push(d);
  return mailCreated(
    {
      HTMLVerificationCode: d.htmlCode,
      verificationStatus: false,
      domainName: d.domainName,
      createdTime: d.createdTime,
      CNAMEVerificationCode: cnameCode(d),
      isRegisteredByZoho: false,
      primary: false,
    },
    ctx.switches.createHttpStatus,
  );
}

type Check = { ok: true } | { ok: false; error: string; recordKey: string };

function checkDns(ctx: SandboxContext, d: DomainRecord, mode: (typeof VERIFY_MODES)[number]): Check {
  const data = ctx.data;
  if (mode === "verifyDomainByCName") {
    const targets = lookup(data, "CNAME", `${cnameCode(d)}.${d.domainName}`);
    return targets.some((t) => /^zmverify\.zoho\.[a-z.]+$/.test(t))
      ? { ok: true }
      : { ok: false, error: "CNAME_RECORD_HOST_UNKNOWN", recordKey: "cnameRecord" };
  }
  if (mode === "verifyDomainByTXT") {
    const values = lookup(data, "TXT", d.domainName);
    return values.some((v) => v.includes(cnameCode(d)))
      ? { ok: true }
      : { ok: false, error: "TXT_RECORD_HOST_UNKNOWN", recordKey: "txtRecord" };
  }
  return data.htmlFiles[d.domainName] === d.htmlCode
    ? { ok: true }
    : { ok: false, error: "HTML_FILE_NOT_FOUND", recordKey: "htmlRecord" };
}

function verifyFailure(ctx: SandboxContext, check: Extract<Check, { ok: false }>): Reply {
  const message = "Verification failed due to host not found";
  if (ctx.switches.verifyFailureShape === "legacy-400") return mailError(400, undefined, message);
  return mailOk({ message, error: check.error, [check.recordKey]: [], status: false });
}

/** `PUT /domains/{d}` and `PUT /domains/{d}/verifyDomain` with a `mode`. */
export function updateDomain(ctx: SandboxContext, req: SandboxRequest, verifyPathOnly: boolean): Reply {
  const org = orgFromPath(ctx, req);
  if (isReply(org)) return org;
  const d = findDomain(ctx, org, req.params[1]);
  if (!isDomain(d)) return d;
  const parsed = mailJsonBody(ctx, req, ["mode", "domainName"]);
  if (!parsed.ok) return parsed.reply;
  const mode = parsed.value["mode"];
  const verify = VERIFY_MODES.find((m) => modeIs(ctx, mode, m));
  if (verify) {
    if (d.verified) return mailOk({ status: true });
    const check = checkDns(ctx, d, verify);
    if (!check.ok) return verifyFailure(ctx, check);
    d.verified = true;
    d.verifiedBy = verify;
    return mailOk({ status: true });
  }
  const other = verifyPathOnly ? undefined : OTHER_MODES.find((m) => modeIs(ctx, mode, m));
  switch (other) {
    case "verifyMxRecord":
      d.mxstatus = lookup(ctx.data, "MX", d.domainName).some((h) => /^mx\d*\.zoho(?:mail)?\.[a-z.]+$/.test(h));
      return mailOk({ mxstatus: d.mxstatus });
    case "verifySpfRecord":
      d.spfstatus = lookup(ctx.data, "TXT", d.domainName).some((v) => v.startsWith("v=spf1") && /include:zoho/.test(v));
      return mailOk({ spfstatus: d.spfstatus });
    case "enableMailHosting":
    case "disableMailHosting":
      d.mailHostingEnabled = other === "enableMailHosting";
      return mailOk(undefined);
    case "setAsPrimaryDomain":
      for (const x of org.domains) x.primary = x === d;
      return mailOk(undefined);
    case undefined:
      return PATTERN_NOT_MATCHED;
  }
}

export function deleteDomain(ctx: SandboxContext, req: SandboxRequest): Reply {
  const org = orgFromPath(ctx, req);
  if (isReply(org)) return org;
  const d = findDomain(ctx, org, req.params[1]);
  if (!isDomain(d)) return d;
  if (d.primary) return mailError(500, undefined, ctx.switches.messages.primaryDomainDelete);
  org.domains = org.domains.filter((x) => x !== d);
  return mailOk(undefined);
}
