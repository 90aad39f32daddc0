import { ReconcileError } from "../../core/errors.js";

/**
 * Zoho data centres (docs/zoho.md#data-centres). Hosts no source confirms follow the
 * `<service>.zoho.<tld>` pattern and are listed in `unconfirmed` so a caller can warn.
 */
export type ZohoService = "accounts" | "mail" | "mailadmin" | "store";
export const ZOHO_SERVICES: readonly ZohoService[] = ["accounts", "mail", "mailadmin", "store"];

export const ZOHO_REGION_IDS = ["us", "eu", "in", "au", "jp", "ca", "sa", "uk", "cn", "ae"] as const;
export type ZohoRegionId = (typeof ZOHO_REGION_IDS)[number];

export interface ZohoRegion {
  readonly id: ZohoRegionId;
  /** Values of the OAuth callback's `location` parameter that name this region. */
  readonly locations: readonly string[];
  readonly urls: Readonly<Record<ZohoService, string>>;
  /** Services whose host no source confirms. */
  readonly unconfirmed: readonly ZohoService[];
}

function hosts(domain: string): Record<ZohoService, string> {
  return {
    accounts: `https://accounts.${domain}`,
    mail: `https://mail.${domain}`,
    mailadmin: `https://mailadmin.${domain}`,
    store: `https://store.${domain}`,
  };
}

export const ZOHO_REGIONS: Readonly<Record<ZohoRegionId, ZohoRegion>> = {
  us: { id: "us", locations: ["us", "com"], urls: hosts("zoho.com"), unconfirmed: [] },
  eu: { id: "eu", locations: ["eu"], urls: hosts("zoho.eu"), unconfirmed: [] },
  in: { id: "in", locations: ["in"], urls: hosts("zoho.in"), unconfirmed: [] },
  au: { id: "au", locations: ["au", "com.au"], urls: hosts("zoho.com.au"), unconfirmed: [] },
  jp: { id: "jp", locations: ["jp"], urls: hosts("zoho.jp"), unconfirmed: ["mailadmin", "store"] },
  // Canada is zohocloud.ca: accounts.zoho.ca answers an opaque invalid_client.
  ca: { id: "ca", locations: ["ca"], urls: hosts("zohocloud.ca"), unconfirmed: ["mailadmin", "store"] },
  sa: { id: "sa", locations: ["sa"], urls: hosts("zoho.sa"), unconfirmed: ["mailadmin", "store"] },
  uk: { id: "uk", locations: ["uk"], urls: hosts("zoho.uk"), unconfirmed: ["mail", "mailadmin", "store"] },
  cn: { id: "cn", locations: ["cn", "com.cn"], urls: hosts("zoho.com.cn"), unconfirmed: [] },
  ae: { id: "ae", locations: ["ae"], urls: hosts("zoho.ae"), unconfirmed: ["mailadmin", "store"] },
};

/** Where a (data centre, service) pair lives; the sandbox passes its own to point the provider at loopback. */
export type BaseUrlResolver = (dc: string, service: ZohoService) => string;

export function isZohoRegion(x: unknown): x is ZohoRegionId {
  return typeof x === "string" && (ZOHO_REGION_IDS as readonly string[]).includes(x);
}

export function zohoRegion(id: string): ZohoRegion {
  if (!isZohoRegion(id)) {
    throw new ReconcileError("zoho.region.unknown", `unknown Zoho region ${JSON.stringify(id)}`, undefined, {
      hint: `zoho.region must be one of ${ZOHO_REGION_IDS.join(" ")} (Canada is "ca", served from zohocloud.ca)`,
    });
  }
  return ZOHO_REGIONS[id];
}

/** The default resolver: the public Zoho hosts of the region table. */
export const zohoCloud: BaseUrlResolver = (dc, service) => zohoRegion(dc).urls[service];

/**
 * Base URL of a service in a region. With an override (the sandbox), any data-centre name the
 * override knows is accepted; without one the region must be in the table.
 */
export function baseUrlFor(region: string, service: ZohoService, override?: BaseUrlResolver): string {
  const url = (override ?? zohoCloud)(region, service);
  return url.replace(/\/+$/, "");
}

/** Region named by the OAuth callback's `location` (e.g. `com.au` → `au`), if known. */
export function regionFromLocation(location: string): ZohoRegionId | undefined {
  const l = location.trim().toLowerCase();
  return ZOHO_REGION_IDS.find((id) => ZOHO_REGIONS[id].locations.includes(l));
}
