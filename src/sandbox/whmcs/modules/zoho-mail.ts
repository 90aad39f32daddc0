import { completeRow } from "../rows.js";
import type { ModuleContext, ModuleParams, ModuleReturn, ServerModule, ZohoMailConnection } from "./types.js";

/**
 * Zoho's own `zoho_mail` module as WHMCS runs it (docs/whmcs.md#the-zoho_mail-module): no lifecycle
 * functions at
 * all, one admin button "Create Account" (`buttonOneFunction`) that creates a free Zoho Mail
 * child org for the client's domain and records it in the module's `zoho_mail` table. It talks
 * to Zoho over HTTP only (the Zoho emulator in tests), never through the project's providers.
 */
export const zohoMailModule: ServerModule = {
  name: "zoho_mail",
  custom: { buttonOneFunction },
};

/** Where the module points admins for an org, hard-coded to the `.com` data centre like the original. */
export function zohoControlPanelUrl(zoid: string): string {
  return `https://mailadmin.zoho.com/cpanel/home.do?zaaid=${zoid}#dashboard`;
}

const TAG_YOUR_PARTNER = "https://store.zoho.com/html/store/tagyourpartner.html";
const TIMEOUT_MS = 30_000;

async function buttonOneFunction(params: ModuleParams, ctx: ModuleContext): Promise<ModuleReturn> {
  const zoho = ctx.zohoMail;
  if (zoho === undefined) {
    return "Zoho Mail is not connected: start the WHMCS sandbox with the zohoMail option (accounts and mail URLs, client id and secret, refresh token)";
  }
  // Like the original module: a fresh access token for every operation, never cached.
  const token = await accessToken(zoho);
  if (!token.ok) return token.error;

  const body = {
    firstName: String(params.clientsdetails["firstname"] ?? ""),
    lastName: String(params.clientsdetails["lastname"] ?? ""),
    emailId: String(params.clientsdetails["email"] ?? ""),
    domainName: params.domain,
    planName: "free",
  };
  let status: number;
  let text: string;
  try {
    const res = await fetch(`${zoho.mailUrl}/api/organization`, {
      method: "POST",
      headers: { authorization: `Zoho-oauthtoken ${token.value}`, "content-type": "application/json", origin: "Whmcs" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    status = res.status;
    text = await res.text();
  } catch (err) {
    return `Zoho Mail could not be reached: ${reason(err)}`;
  }
  await ctx.log("buttonOneFunction", JSON.stringify(body), text);
  const reply = parseJson(text);
  const data = objectAt(reply, "data");

  if ((status === 200 || status === 201) && typeof data?.["zoid"] !== "undefined") {
    const zoid = String(data["zoid"]);
    await ctx.store.insert(
      "zoho_mail",
      completeRow("zoho_mail", {
        domain: typeof data["domainName"] === "string" ? data["domainName"] : params.domain,
        zoid,
        superAdmin: body.emailId,
        isverified: data["isVerified"] === true ? "true" : "false",
        url: zohoControlPanelUrl(zoid),
      }),
    );
    return { success: `Zoho Mail organization ${zoid} created for ${params.domain}` };
  }
  if (status === 400) {
    // The original treats any 400 as a dead token and blanks the 2018-era token slot of every zoho_mail product.
    await ctx.store.update("tblproducts", { servertype: "zoho_mail" }, { configoption5: "" });
    return `Zoho Mail rejected the request (HTTP 400)${moreInfo(data)}`;
  }
  if (status === 500) {
    return `${String(data?.["moreInfo"] ?? "Zoho Mail could not create the organization")}. If the domain already uses Zoho, ask the customer to tag you as their partner: ${TAG_YOUR_PARTNER}`;
  }
  const description = objectAt(reply, "status")?.["description"];
  return `Zoho Mail answered HTTP ${status}${typeof description === "string" ? `: ${description}` : ""}${moreInfo(data)}`;
}

type TokenResult = { ok: true; value: string } | { ok: false; error: string };

/** The refresh-token grant, sent in the query string with an empty body as the original does. */
async function accessToken(zoho: ZohoMailConnection): Promise<TokenResult> {
  const query = new URLSearchParams({
    refresh_token: zoho.refreshToken,
    grant_type: "refresh_token",
    client_id: zoho.clientId,
    client_secret: zoho.clientSecret,
  });
  let text: string;
  try {
    const res = await fetch(`${zoho.accountsUrl}/oauth/v2/token?${query.toString()}`, { method: "POST", signal: AbortSignal.timeout(TIMEOUT_MS) });
    text = await res.text();
  } catch (err) {
    return { ok: false, error: `Zoho Accounts could not be reached: ${reason(err)}` };
  }
  const reply = parseJson(text);
  const token = reply?.["access_token"];
  if (typeof token === "string" && token !== "") return { ok: true, value: token };
  const error = reply?.["error"];
  return { ok: false, error: `Zoho Accounts refused the refresh token: ${typeof error === "string" ? error : "no access token in the answer"}` };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function objectAt(o: Record<string, unknown> | undefined, key: string): Record<string, unknown> | undefined {
  const v = o?.[key];
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function moreInfo(data: Record<string, unknown> | undefined): string {
  const info = data?.["moreInfo"];
  return typeof info === "string" && info !== "" ? ` (${info})` : "";
}

/** Why a request failed, from the error chain; never the URL, which carries credentials. */
function reason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === "string" ? code : cause.name;
  }
  return "unknown error";
}
