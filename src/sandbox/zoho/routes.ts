import type { SandboxContext, SandboxRequest } from "./context.js";
import type { SandboxService } from "./switches.js";
import type { Reply } from "./envelopes.js";
import { SCOPES, type AuthStyle } from "./guard.js";
import { authorize, revoke, token } from "./accounts.js";
import { createOrg, enableTrial, extendTrialHandler, getOrg, organizationRoot, subscriptionInfo } from "./mail-orgs.js";
import { addDomain, deleteDomain, getDomain, listDomains, updateDomain } from "./mail-domains.js";
import { addUser, getUser, listUsers } from "./mail-users.js";
import { orgStorage, userStorageDetails } from "./mail-storage.js";
import { cancelSubscription, createSubscription, getSubscription, updateSubscription } from "./store.js";
import { listLeads, listSubscriptions } from "./store-listing.js";

export interface Route {
  readonly services: readonly SandboxService[];
  readonly method: string;
  readonly pattern: RegExp;
  /** Endpoint name; the call counter key is `<service>.<name>`. */
  readonly name: string | ((req: SandboxRequest) => string);
  readonly auth?: { readonly style: AuthStyle; readonly scopes: readonly string[] };
  readonly handle: (ctx: SandboxContext, req: SandboxRequest) => Reply;
}

const MAIL: readonly SandboxService[] = ["mail", "mailadmin"];
const ORG = "/api/organization/([^/]+)";
const mail = (scopes: readonly string[]) => ({ style: "mail" as const, scopes });

export const ROUTES: readonly Route[] = [
  { services: ["accounts"], method: "GET", pattern: /^\/oauth\/v2\/auth$/, name: "auth", handle: authorize },
  { services: ["accounts"], method: "POST", pattern: /^\/oauth\/v2\/token$/, name: "token", handle: token },
  { services: ["accounts"], method: "POST", pattern: /^\/oauth\/v2\/token\/revoke$/, name: "revoke", handle: revoke },

  { services: MAIL, method: "POST", pattern: /^\/api\/organization$/, name: "createOrg", auth: mail(SCOPES.orgCreate), handle: createOrg },
  {
    services: MAIL,
    method: "GET",
    pattern: /^\/api\/organization$/,
    name: (req) => (req.query["mode"] === undefined ? "getPartnerOrg" : "listCustomerOrgs"),
    auth: mail(SCOPES.orgRead),
    handle: organizationRoot,
  },
  { services: MAIL, method: "GET", pattern: new RegExp(`^${ORG}$`), name: "getOrg", auth: mail(SCOPES.orgRead), handle: getOrg },
  { services: MAIL, method: "PUT", pattern: new RegExp(`^${ORG}/enableTrial$`), name: "enableTrial", auth: mail(SCOPES.orgUpdate), handle: enableTrial },
  { services: MAIL, method: "PUT", pattern: new RegExp(`^${ORG}/extendTrial$`), name: "extendTrial", auth: mail(SCOPES.orgUpdate), handle: extendTrialHandler },
  {
    services: MAIL,
    method: "GET",
    pattern: new RegExp(`^${ORG}/subscriptionInfo$`),
    name: "subscriptionInfo",
    auth: mail(SCOPES.subscriptionsRead),
    handle: subscriptionInfo,
  },
  { services: MAIL, method: "GET", pattern: new RegExp(`^${ORG}/storage$`), name: "storage", auth: mail(SCOPES.subscriptionsRead), handle: orgStorage },
  {
    services: MAIL,
    method: "GET",
    pattern: new RegExp(`^${ORG}/storage/([^/]+)$`),
    name: "userStorage",
    auth: mail(SCOPES.subscriptionsRead),
    handle: userStorageDetails,
  },
  { services: MAIL, method: "GET", pattern: new RegExp(`^${ORG}/domains$`), name: "listDomains", auth: mail(SCOPES.domainsRead), handle: listDomains },
  { services: MAIL, method: "POST", pattern: new RegExp(`^${ORG}/domains$`), name: "addDomain", auth: mail(SCOPES.domainsCreate), handle: addDomain },
  { services: MAIL, method: "GET", pattern: new RegExp(`^${ORG}/domains/([^/]+)$`), name: "getDomain", auth: mail(SCOPES.domainsRead), handle: getDomain },
  {
    services: MAIL,
    method: "PUT",
    pattern: new RegExp(`^${ORG}/domains/([^/]+)$`),
    name: "updateDomain",
    auth: mail(SCOPES.domainsUpdate),
    handle: (ctx, req) => updateDomain(ctx, req, false),
  },
  {
    services: MAIL,
    method: "PUT",
    pattern: new RegExp(`^${ORG}/domains/([^/]+)/verifyDomain$`),
    name: "verifyDomain",
    auth: mail(SCOPES.domainsUpdate),
    handle: (ctx, req) => updateDomain(ctx, req, true),
  },
  { services: MAIL, method: "DELETE", pattern: new RegExp(`^${ORG}/domains/([^/]+)$`), name: "deleteDomain", auth: mail(SCOPES.domainsDelete), handle: deleteDomain },
  { services: MAIL, method: "POST", pattern: new RegExp(`^${ORG}/accounts$`), name: "addUser", auth: mail(SCOPES.accountsCreate), handle: addUser },
  { services: MAIL, method: "GET", pattern: new RegExp(`^${ORG}/accounts$`), name: "listUsers", auth: mail(SCOPES.accountsRead), handle: listUsers },
  { services: MAIL, method: "GET", pattern: new RegExp(`^${ORG}/accounts/([^/]+)$`), name: "getUser", auth: mail(SCOPES.accountsRead), handle: getUser },

  ...(
    [
      ["POST", "createSubscription", createSubscription],
      ["PUT", "updateSubscription", updateSubscription],
      ["GET", "getSubscription", getSubscription],
      ["DELETE", "cancelSubscription", cancelSubscription],
    ] as const
  ).map(
    ([method, name, handle]): Route => ({
      services: ["store"],
      method,
      pattern: /^\/restapi\/partner\/v1\/json\/subscription$/,
      name,
      auth: { style: "store-write", scopes: SCOPES.storeWrite },
      handle,
    }),
  ),
  {
    services: ["store"],
    method: "GET",
    pattern: /^\/api\/v1\/partner\/subscriptions$/,
    name: "listSubscriptions",
    auth: { style: "store-read", scopes: SCOPES.storeSubscriptionsRead },
    handle: listSubscriptions,
  },
  {
    services: ["store"],
    method: "GET",
    pattern: /^\/api\/v1\/partner\/leads$/,
    name: "listLeads",
    auth: { style: "store-read", scopes: SCOPES.storeLeadsRead },
    handle: listLeads,
  },
];

export function matchRoute(service: SandboxService, method: string, path: string): { route: Route; params: string[] } | undefined {
  for (const route of ROUTES) {
    if (route.method !== method || !route.services.includes(service)) continue;
    const m = route.pattern.exec(path);
    if (!m) continue;
    const params = m.slice(1).map((p) => {
      try {
        return decodeURIComponent(p ?? "");
      } catch {
        return p ?? "";
      }
    });
    return { route, params };
  }
  return undefined;
}
