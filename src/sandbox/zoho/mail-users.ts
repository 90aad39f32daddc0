import type { SandboxContext, SandboxRequest } from "./context.js";
import { nextId, type OrgRecord, type UserRecord } from "./data.js";
import { URL_RULE_MISMATCH, mailCreated, mailError, mailOk, type Reply } from "./envelopes.js";
import { PATTERN_NOT_MATCHED, intParam, isEmail, mailJsonBody, nonEmptyString } from "./mail-body.js";
import { isReply, orgFromPath } from "./mail-orgs.js";
import { licenseCount, orgByEmail } from "./org-model.js";
import { raw } from "./wire.js";

/** Mail user accounts, counted against the org's licences (docs/zoho.md#users). */

const ADD_KEYS = [
  "primaryEmailAddress",
  "password",
  "firstName",
  "lastName",
  "displayName",
  "userExpiry",
  "role",
  "country",
  "language",
  "timeZone",
  "oneTimePassword",
  "groupMailList",
  "employeeId",
  "department",
  "designation",
  "mobileNumber",
  "extension",
];

function userView(ctx: SandboxContext, dc: string, org: OrgRecord, u: UserRecord): Record<string, unknown> {
  return {
    URI: `${ctx.baseUrl(dc, "mail")}/api/organization/${org.zoid}/accounts/${u.zuid}`,
    displayName: u.displayName,
    zuid: raw(u.zuid),
    role: u.role,
    accountId: raw(u.accountId),
    accountName: u.email.split("@")[0] ?? u.email,
    firstName: u.firstName,
    lastName: u.lastName,
    type: "ZOHO_ACCOUNT",
    mailboxStatus: "enabled",
    mailboxAddress: u.email,
    primaryEmailAddress: u.email,
    emailAddress: [{ mailId: u.email, isPrimary: true, isAlias: false, isConfirmed: true }],
  };
}

export function addUser(ctx: SandboxContext, req: SandboxRequest): Reply {
  const org = orgFromPath(ctx, req);
  if (isReply(org)) return org;
  const parsed = mailJsonBody(ctx, req, ADD_KEYS);
  if (!parsed.ok) return parsed.reply;
  const b = parsed.value;
  const email = b["primaryEmailAddress"];
  if (!isEmail(email) || !nonEmptyString(b["password"])) return PATTERN_NOT_MATCHED;
  const domain = email.toLowerCase().split("@")[1] ?? "";
  if (!org.domains.some((d) => d.domainName === domain)) return PATTERN_NOT_MATCHED;
  if (orgByEmail(ctx, email)) return mailError(500, undefined, "Email address already exists");
  if (org.users.length >= licenseCount(ctx, org)) {
    const text = ctx.switches.messages.licenseExhausted;
    return ctx.switches.licenseErrorShape === "400"
      ? mailError(400, "LICENSE_LIMIT_EXCEEDED", text)
      : mailError(500, undefined, text);
  }
  const firstName = typeof b["firstName"] === "string" ? b["firstName"] : "";
  const lastName = typeof b["lastName"] === "string" ? b["lastName"] : "";
  const user: UserRecord = {
    zuid: nextId(ctx.data),
    accountId: nextId(ctx.data),
    email: email.toLowerCase(),
    firstName,
    lastName,
    displayName: typeof b["displayName"] === "string" ? b["displayName"] : `${firstName} ${lastName}`.trim(),
    role: b["role"] === "admin" ? "admin" : "member",
  };
  org.users.push(user);
  return mailCreated(userView(ctx, req.dc, org, user), ctx.switches.createHttpStatus);
}

export function listUsers(ctx: SandboxContext, req: SandboxRequest): Reply {
  const org = orgFromPath(ctx, req);
  if (isReply(org)) return org;
  const start = intParam(req.query["start"], 0);
  const limit = intParam(req.query["limit"], 10);
  if (start === undefined || limit === undefined) return URL_RULE_MISMATCH;
  return mailOk(org.users.slice(start, start + limit).map((u) => userView(ctx, req.dc, org, u)));
}

export function getUser(ctx: SandboxContext, req: SandboxRequest): Reply {
  const org = orgFromPath(ctx, req);
  if (isReply(org)) return org;
  const key = (req.params[1] ?? "").toLowerCase();
  const user = org.users.find((u) => u.zuid === key || u.email === key);
  return user ? mailOk(userView(ctx, req.dc, org, user)) : mailError(404, undefined, "User not found");
}
