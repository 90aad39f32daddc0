import type { Secret } from "../../core/secrets.js";
import type { ZohoClient } from "./client.js";
import { ZohoApiError, ZohoInputError } from "./errors.js";
import { asBool, asCount, asString, idString, isRecord } from "./json.js";

/**
 * Typed Zoho Mail partner operations: customer orgs, domains, trials (docs/zoho.md#create-a-child-org,
 * #domains-and-verification, #trials).
 */

export const TRIAL_PLAN_NAMES = ["basicTrial", "professionalTrial", "mailPremiumTrial"] as const;
export type TrialPlanName = (typeof TRIAL_PLAN_NAMES)[number];

export interface CreateOrgInput {
  readonly domainName: string;
  /** Becomes the super admin, and the Store's key for this customer. */
  readonly emailId: string;
  readonly firstName: string;
  readonly lastName: string;
  /** Required by the current documentation only; Zoho's own modules omit it. */
  readonly orgName?: string;
  readonly password?: Secret;
  readonly planName?: "free" | TrialPlanName;
}

export interface CreatedOrg {
  readonly zoid: string;
  readonly domainName: string;
  readonly superAdmin: string | undefined;
  readonly isVerified: boolean;
  readonly isTrialAllowed: boolean | undefined;
  readonly basePlan: string | undefined;
  readonly encryptedZoid: string | undefined;
}

export interface OrgDetails {
  readonly zoid: string;
  readonly orgName: string | undefined;
  readonly primaryDomainName: string | undefined;
  readonly domains: readonly string[];
  readonly superAdmin: string | undefined;
  readonly basePlan: string | undefined;
  readonly planType: string | undefined;
  readonly licenseCount: number | undefined;
  readonly usersCount: number | undefined;
}

export interface CustomerOrgSummary {
  readonly zoid: string;
  readonly domainName: string;
  readonly superAdmin: string;
  readonly isVerified: boolean;
  readonly basePlan: string | undefined;
  readonly isTrialAllowed: boolean;
  readonly extendTrial: boolean;
  /** Only when Zoho includes them in the listing. */
  readonly licenseCount: number | undefined;
  readonly usersCount: number | undefined;
}

export interface DomainInfo {
  readonly domainName: string;
  readonly verified: boolean;
  readonly primary: boolean | undefined;
  readonly htmlVerificationCode: string | undefined;
  /** `zb` + the HTML code: publish `<code>.<domain> CNAME zmverify.zoho.com`. */
  readonly cnameVerificationCode: string | undefined;
  readonly mailHostingEnabled: boolean | undefined;
  /** Zoho sends a bool or a string such as "expired". */
  readonly mxstatus: boolean | string | undefined;
}

export type VerifyMethod = "CNAME" | "TXT" | "HTML";
export type VerifyResult =
  | { readonly verified: true }
  | { readonly verified: false; readonly error: string | undefined; readonly message: string | undefined };

export interface ListOptions {
  /** Requested page size (`limit`); the listing's paging is undocumented, see `customerOrgPages`. */
  readonly pageSize?: number;
}

const VERIFY_MODES: Readonly<Record<VerifyMethod, string>> = {
  CNAME: "verifyDomainByCName",
  TXT: "verifyDomainByTXT",
  HTML: "verifyDomainByHTML",
};

const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkDomain(domain: string): string {
  if (!DOMAIN_RE.test(domain)) throw new ZohoInputError(`not a domain name: ${JSON.stringify(domain)}`);
  return domain.toLowerCase();
}

function checkZoid(zoid: string): string {
  if (!/^\d{1,20}$/.test(zoid)) throw new ZohoInputError(`not a Zoho org id (zoid): ${JSON.stringify(zoid)}`);
  return zoid;
}

function protocol(operation: string, what: string): ZohoApiError {
  return new ZohoApiError("protocol", `Zoho mail ${operation}: ${what}`, { service: "mail", operation, httpStatus: 200 });
}

function summary(item: unknown, operation: string): CustomerOrgSummary {
  if (!isRecord(item)) throw protocol(operation, "an item of the org list is not an object");
  const zoid = idString(item["zoid"]);
  const domainName = asString(item["domainName"]);
  if (zoid === undefined || domainName === undefined) throw protocol(operation, "an org without zoid or domainName");
  return {
    zoid,
    domainName: domainName.toLowerCase(),
    superAdmin: (asString(item["superAdmin"]) ?? "").toLowerCase(),
    isVerified: asBool(item["isVerified"]) ?? false,
    basePlan: asString(item["basePlan"]),
    isTrialAllowed: asBool(item["isTrialAllowed"]) ?? false,
    extendTrial: asBool(item["extendTrial"]) ?? false,
    licenseCount: asCount(item["licenseCount"]),
    usersCount: asCount(item["usersCount"]),
  };
}

function domainInfo(item: unknown, operation: string): DomainInfo {
  if (!isRecord(item)) throw protocol(operation, "domain details are not an object");
  const name = asString(item["domainName"]);
  if (name === undefined) throw protocol(operation, "domain without domainName");
  const mx = item["mxstatus"];
  return {
    domainName: name.toLowerCase(),
    verified: asBool(item["verificationStatus"]) ?? false,
    primary: asBool(item["primary"]),
    htmlVerificationCode: idString(item["HTMLVerificationCode"]),
    cnameVerificationCode: asString(item["CNAMEVerificationCode"]),
    mailHostingEnabled: asBool(item["mailHostingEnabled"]),
    mxstatus: typeof mx === "boolean" || typeof mx === "string" ? mx : undefined,
  };
}

export class ZohoMailApi {
  readonly #c: ZohoClient;
  constructor(client: ZohoClient) {
    this.#c = client;
  }

  async createOrg(input: CreateOrgInput): Promise<CreatedOrg> {
    const domainName = checkDomain(input.domainName);
    if (!EMAIL_RE.test(input.emailId)) throw new ZohoInputError(`not an email address: ${JSON.stringify(input.emailId)}`);
    if (input.firstName.trim() === "" || input.lastName.trim() === "") throw new ZohoInputError("createOrg needs firstName and lastName");
    const body: Record<string, string> = {
      firstName: input.firstName,
      lastName: input.lastName,
      emailId: input.emailId,
      domainName,
      planName: input.planName ?? "free",
    };
    if (input.orgName !== undefined) body["orgName"] = input.orgName;
    if (input.password !== undefined) body["password"] = input.password.reveal();
    const res = await this.#c.mail({ service: "mail", method: "POST", path: "/api/organization", body, operation: "createOrg", businessError: "conflict" });
    const d = res.data;
    if (!isRecord(d)) throw protocol("createOrg", "no data in the answer");
    const zoid = idString(d["zoid"]);
    if (zoid === undefined) throw protocol("createOrg", "no zoid in the answer");
    return {
      zoid,
      domainName: (asString(d["domainName"]) ?? domainName).toLowerCase(),
      superAdmin: asString(d["superAdmin"])?.toLowerCase(),
      isVerified: asBool(d["isVerified"]) ?? false,
      isTrialAllowed: asBool(d["isTrialAllowed"]),
      basePlan: asString(d["basePlan"]),
      encryptedZoid: asString(d["encryptedZoid"]),
    };
  }

  async getOrg(zoid: string): Promise<OrgDetails> {
    const res = await this.#c.mail({ service: "mail", method: "GET", path: `/api/organization/${checkZoid(zoid)}`, operation: "getOrg" });
    const d = res.data;
    if (!isRecord(d)) throw protocol("getOrg", "no data in the answer");
    const domains = Array.isArray(d["domains"]) ? d["domains"].filter((x): x is string => typeof x === "string") : [];
    return {
      zoid: idString(d["zoid"]) ?? zoid,
      orgName: asString(d["orgName"]),
      primaryDomainName: asString(d["primaryDomainName"])?.toLowerCase(),
      domains: domains.map((x) => x.toLowerCase()),
      superAdmin: asString(d["superAdmin"])?.toLowerCase(),
      basePlan: asString(d["basePlan"]),
      planType: asString(d["planType"]),
      licenseCount: asCount(d["licenseCount"]),
      usersCount: asCount(d["usersCount"]),
    };
  }

  /** Orgs whose domain matches `searchKey` (Zoho's match semantics are undocumented: filter exactly here). */
  async findCustomerOrg(domain: string): Promise<CustomerOrgSummary | undefined> {
    const d = checkDomain(domain);
    const res = await this.#c.mail({
      service: "mail",
      method: "GET",
      path: "/api/organization",
      query: { mode: "getCustomerOrgDetails", searchKey: d },
      operation: "findCustomerOrg",
    });
    const items = Array.isArray(res.data) ? res.data : [];
    return items.map((i) => summary(i, "findCustomerOrg")).find((o) => o.domainName === d);
  }

  /**
   * Every customer org, page by page. Paging of this listing is undocumented, so the loop
   * tolerates a server that ignores `start`/`limit` (a page longer than asked, or the same page
   * again) and otherwise stops at the first empty page.
   */
  async *customerOrgPages(opts: ListOptions = {}): AsyncGenerator<readonly CustomerOrgSummary[]> {
    const limit = opts.pageSize ?? 200;
    if (!Number.isInteger(limit) || limit < 1) throw new ZohoInputError(`pageSize must be a positive integer, got ${limit}`);
    let start = 0;
    let firstOfPrevious: string | undefined;
    for (;;) {
      const res = await this.#c.mail({
        service: "mail",
        method: "GET",
        path: "/api/organization",
        query: { mode: "getCustomerOrgDetails", start, limit },
        operation: "listCustomerOrgs",
      });
      if (!Array.isArray(res.data)) throw protocol("listCustomerOrgs", "data is not an array");
      const page = res.data.map((i) => summary(i, "listCustomerOrgs"));
      if (page.length === 0) return;
      if (start > 0 && page[0]?.zoid === firstOfPrevious) return;
      yield page;
      if (page.length > limit) return;
      firstOfPrevious = page[0]?.zoid;
      start += page.length;
    }
  }

  async listCustomerOrgs(opts: ListOptions = {}): Promise<CustomerOrgSummary[]> {
    const all: CustomerOrgSummary[] = [];
    const seen = new Set<string>();
    for await (const page of this.customerOrgPages(opts)) {
      for (const o of page) {
        if (seen.has(o.zoid)) continue;
        seen.add(o.zoid);
        all.push(o);
      }
    }
    return all;
  }

  async listDomains(zoid: string): Promise<DomainInfo[]> {
    const res = await this.#c.mail({ service: "mail", method: "GET", path: `/api/organization/${checkZoid(zoid)}/domains`, operation: "listDomains" });
    const d = res.data;
    const items = Array.isArray(d) ? d : isRecord(d) && Array.isArray(d["domainVO"]) ? d["domainVO"] : [];
    return items.map((i) => domainInfo(i, "listDomains"));
  }

  async getDomain(zoid: string, domain: string): Promise<DomainInfo> {
    const res = await this.#c.mail({
      service: "mail",
      method: "GET",
      path: `/api/organization/${checkZoid(zoid)}/domains/${encodeURIComponent(checkDomain(domain))}`,
      operation: "getDomain",
    });
    return domainInfo(res.data, "getDomain");
  }

  async addDomain(zoid: string, domain: string): Promise<DomainInfo> {
    const name = checkDomain(domain);
    const res = await this.#c.mail({
      service: "mail",
      method: "POST",
      path: `/api/organization/${checkZoid(zoid)}/domains`,
      body: { domainName: name },
      operation: "addDomain",
      businessError: "conflict",
    });
    return domainInfo(res.data, "addDomain");
  }

  /**
   * Ask Zoho to check the verification record. A failed check is a result, not an error
   * (DNS may simply not have propagated); the legacy HTTP 400 + `moreInfo` form is read the same way.
   */
  async verifyDomain(zoid: string, domain: string, method: VerifyMethod = "CNAME"): Promise<VerifyResult> {
    const path = `/api/organization/${checkZoid(zoid)}/domains/${encodeURIComponent(checkDomain(domain))}`;
    try {
      const res = await this.#c.mail({ service: "mail", method: "PUT", path, body: { mode: VERIFY_MODES[method] }, operation: "verifyDomain" });
      const d = isRecord(res.data) ? res.data : {};
      if (asBool(d["status"]) === true) return { verified: true };
      return { verified: false, error: asString(d["error"]), message: asString(d["message"]) };
    } catch (err) {
      if (err instanceof ZohoApiError && err.category === "invalid_request" && err.httpStatus === 400 && err.errorCode === undefined && err.moreInfo !== undefined) {
        return { verified: false, error: undefined, message: err.moreInfo };
      }
      throw err;
    }
  }

  async enableTrial(zoid: string, planName: TrialPlanName): Promise<void> {
    if (!(TRIAL_PLAN_NAMES as readonly string[]).includes(planName)) {
      throw new ZohoInputError(`unknown trial plan ${JSON.stringify(planName)}; expected one of ${TRIAL_PLAN_NAMES.join(", ")}`);
    }
    await this.#c.mail({
      service: "mailadmin",
      method: "PUT",
      path: `/api/organization/${checkZoid(zoid)}/enableTrial`,
      query: { planName },
      operation: "enableTrial",
      businessError: "invalid_request",
    });
  }

  async extendTrial(zoid: string): Promise<void> {
    await this.#c.mail({
      service: "mailadmin",
      method: "PUT",
      path: `/api/organization/${checkZoid(zoid)}/extendTrial`,
      operation: "extendTrial",
      businessError: "invalid_request",
    });
  }
}
