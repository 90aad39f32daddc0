import { pino, type Logger, type DestinationStream } from "pino";
import { scrub } from "./secrets.js";

export type { Logger };

/** Keys whose values are never logged, wherever they appear. */
export const REDACT_PATHS = [
  "secret",
  "password",
  "accesskey",
  "accessKey",
  "identifier",
  "token",
  "access_token",
  "refresh_token",
  "refreshToken",
  "client_secret",
  "clientSecret",
  "authorization",
  "Authorization",
  "*.secret",
  "*.password",
  "*.accesskey",
  "*.accessKey",
  "*.identifier",
  "*.token",
  "*.access_token",
  "*.refresh_token",
  "*.refreshToken",
  "*.client_secret",
  "*.clientSecret",
  "*.authorization",
  "*.Authorization",
  "headers.authorization",
  "req.headers.authorization",
];

export interface LoggerOptions {
  readonly level?: string;
  /** Defaults to stderr: stdout carries the product (plan, JSON). */
  readonly destination?: DestinationStream;
}

/**
 * pino logger writing to stderr, with key-based redaction and a last-chance scrub of any
 * registered secret value that slipped into a message string.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const inner = options.destination ?? pino.destination({ fd: 2, sync: true });
  const scrubbing: DestinationStream = {
    write(chunk: string) {
      inner.write(scrub(chunk));
    },
  };
  return pino(
    {
      level: options.level ?? process.env["RECONCILE_LOG_LEVEL"] ?? "info",
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: undefined,
    },
    scrubbing,
  );
}

/** A logger that discards everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
