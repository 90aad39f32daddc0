import { ReconcileError, type ErrorOptions } from "../../core/errors.js";

/**
 * Zoho failures. Messages and details carry Zoho's own error texts and ids, never a token,
 * a client secret or an Authorization header.
 */
export type ZohoErrorCategory =
  /** Token rejected or missing scope; a refresh already happened. */
  | "auth"
  /** Rate limit of Mail, or the access-token mint throttle. */
  | "throttled"
  | "not_found"
  /** Customer or domain already exists (possibly under another partner): human action needed. */
  | "conflict"
  /** Zoho rejected the request as malformed (a bug or invalid input). */
  | "invalid_request"
  /** Store answered `result:"failure"`: for a purchase, the partner's card was not charged. */
  | "store_failure"
  | "server"
  /** The answer did not have the expected shape. */
  | "protocol";

export interface ZohoApiErrorDetails {
  readonly service: string;
  readonly operation: string;
  readonly httpStatus: number;
  readonly errorCode?: string;
  readonly moreInfo?: string;
  readonly description?: string;
}

export class ZohoApiError extends ReconcileError {
  readonly category: ZohoErrorCategory;
  readonly httpStatus: number;
  readonly errorCode: string | undefined;
  readonly moreInfo: string | undefined;

  constructor(category: ZohoErrorCategory, message: string, details: ZohoApiErrorDetails, options: ErrorOptions = {}) {
    super(`zoho.${category}`, message, undefined, { ...options, details: { ...details, ...(options.details ?? {}) } });
    this.category = category;
    this.httpStatus = details.httpStatus;
    this.errorCode = details.errorCode;
    this.moreInfo = details.moreInfo;
  }
}

/** Network failure, timeout, or a connection closed without an answer. */
export class ZohoTransportError extends ReconcileError {
  readonly timedOut: boolean;
  constructor(message: string, timedOut: boolean, options: ErrorOptions = {}) {
    super(timedOut ? "zoho.timeout" : "zoho.transport", message, undefined, options);
    this.timedOut = timedOut;
  }
}

export type ZohoTokenErrorKind = "wrong_dc_or_credentials" | "reauthorize" | "throttled" | "failed";

/** The Accounts token endpoint refused to mint. */
export class ZohoTokenError extends ReconcileError {
  readonly kind: ZohoTokenErrorKind;
  constructor(kind: ZohoTokenErrorKind, message: string, options: ErrorOptions = {}) {
    super(`zoho.token.${kind}`, message, undefined, options);
    this.kind = kind;
  }
}

/** Bad input to a provider call, caught before anything is sent. */
export class ZohoInputError extends ReconcileError {
  constructor(message: string, options: ErrorOptions = {}) {
    super("zoho.input", message, undefined, options);
  }
}
