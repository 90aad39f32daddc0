import { ReconcileError } from "../../core/errors.js";

const API_PATH = "/includes/api.php";

/**
 * The API endpoint for a configured WHMCS address. Users paste either the base URL or the full
 * endpoint; appending blindly would double the path, which WHMCS answers with a misleading
 * "An admin user is required".
 */
export function normalizeWhmcsUrl(input: string): string {
  let parsed: URL;
  try {
    parsed = new URL(input.trim());
  } catch {
    throw new ReconcileError("whmcs.url.invalid", `WHMCS URL is not a valid absolute URL: ${JSON.stringify(safeForMessage(input))}`, undefined, {
      hint: "Set whmcs.url to the WHMCS base address, e.g. https://billing.example.com",
    });
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new ReconcileError("whmcs.url.invalid", `WHMCS URL must use http or https, got ${parsed.protocol}`);
  }
  if (parsed.username !== "" || parsed.password !== "") {
    // Credentials in the URL would end up in logs and error texts; they belong in env references.
    throw new ReconcileError("whmcs.url.invalid", "WHMCS URL must not contain a user name or password", undefined, {
      hint: "Remove the user:password@ part and use whmcs.identifier / whmcs.secret with ${env:…} references",
    });
  }
  if (parsed.search !== "" || parsed.hash !== "") {
    throw new ReconcileError("whmcs.url.invalid", "WHMCS URL must not contain a query string or fragment");
  }
  let path = parsed.pathname;
  for (;;) {
    const before = path;
    path = path.replace(/\/+$/, "");
    if (path.toLowerCase().endsWith(API_PATH)) path = path.slice(0, -API_PATH.length);
    if (path === before) break;
  }
  return `${parsed.origin}${path}${API_PATH}`;
}

/** A URL as it may appear in a message: without any user-info part. */
function safeForMessage(input: string): string {
  return input.replace(/\/\/[^/@\s]*@/, "//");
}
