/**
 * Response bodies, as docs/zoho.md#mail-api-conventions, #token-endpoint-errors and
 * #store-subscription-api describe them. Key order follows the documented samples.
 */
export interface Reply {
  readonly status: number;
  /** JSON body; ignored when `text` is set. */
  readonly body?: unknown;
  /** A non-JSON body (HTML pages of the consent flow, gateway errors). */
  readonly text?: string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export function page(status: number, title: string, message: string): Reply {
  const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return {
    status,
    text: `<!DOCTYPE html><html><head><title>${esc(title)}</title></head><body><h1>${esc(title)}</h1><p>${esc(message)}</p></body></html>`,
    contentType: "text/html;charset=UTF-8",
  };
}

export function redirectTo(location: string): Reply {
  return { status: 302, text: "", contentType: "text/plain", headers: { Location: location } };
}

export function mailOk(data: unknown, code = 200): Reply {
  return { status: 200, body: { status: { code, description: "success" }, data } };
}

export function mailCreated(data: unknown, httpStatus: number): Reply {
  return { status: httpStatus, body: { status: { code: 201, description: "Created" }, data } };
}

const DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: "Invalid Input",
  401: "Invalid Access",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Error",
};

export function mailError(status: number, errorCode: string | undefined, moreInfo?: string): Reply {
  const data: Record<string, string> = {};
  if (errorCode !== undefined) data["errorCode"] = errorCode;
  if (moreInfo !== undefined) data["moreInfo"] = moreInfo;
  return { status, body: { data, status: { code: status, description: DESCRIPTIONS[status] ?? "Error" } } };
}

/** Missing `Authorization` header. */
export const INVALID_TICKET: Reply = {
  status: 400,
  body: { data: { errorCode: "INVALID_TICKET", moreInfo: "Invalid ticket" }, status: { code: 400, description: "Invalid Input" } },
};

/** Bad, expired, evicted or revoked access token. */
export const INVALID_OAUTHTOKEN: Reply = {
  status: 401,
  body: { data: { errorCode: "INVALID_OAUTHTOKEN" }, status: { code: 401, description: "Invalid Access" } },
};

export const JSON_PARSE_ERROR: Reply = mailError(400, "JSON_PARSE_ERROR", "JSON is not well formed");
export const PATTERN_NOT_MATCHED: Reply = mailError(
  400,
  "PATTERN_NOT_MATCHED",
  "zoho-inputstream Input does not match the given pattern",
);
export const URL_RULE_MISMATCH: Reply = mailError(400, "URL_RULE_MISMATCH");

export function extraKey(key: string): Reply {
  return mailError(400, "EXTRA_KEY_FOUND_IN_JSON", key);
}

/** Token endpoint errors come back as HTTP 200 with an `error` key. */
export function tokenError(error: string): Reply {
  return { status: 200, body: { error } };
}

export function mintThrottled(httpStatus: number): Reply {
  return {
    status: httpStatus,
    body: {
      error: "Access Denied",
      error_description: "You have made too many requests continuously. Please try again after some time.",
      status: "failure",
    },
  };
}

export function storeSuccess(extra: Record<string, unknown> = {}, errorMsg: string | null = null): Reply {
  const body: Record<string, unknown> = { result: "success", ...extra };
  if (errorMsg !== null) body["ERRORMSG"] = errorMsg;
  return { status: 200, body };
}

export function storeFailure(message: string, status = 200): Reply {
  return { status, body: { result: "failure", ERRORMSG: message } };
}
