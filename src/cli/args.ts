import { parseArgs } from "node:util";
import { ReconcileError, ExitCode } from "../core/errors.js";
import type { Shard } from "../core/shard.js";
import { parseDuration } from "../core/wait.js";

export type Format = "text" | "json" | "markdown" | "html";

export interface GlobalArgs {
  readonly config: string;
  readonly logLevel: string | undefined;
}

export interface ReconcileArgs extends GlobalArgs {
  readonly dryRun: boolean;
  readonly yes: boolean;
  readonly force: boolean;
  readonly format: Format;
  readonly out: string | undefined;
  readonly planChecksum: string | undefined;
  readonly detailedExitcode: boolean;
  readonly color: boolean;
  readonly shard: Shard | undefined;
  /** `--wait-lock`: how long to wait for another apply's lock, in ms (0: refuse at once). */
  readonly waitLockMs?: number;
  /** `--max-wait`: the longest single wait before the run fails instead; undefined = the default. */
  readonly maxWaitMs?: number | undefined;
  /** `--show-pii`: customer e-mails, names and companies in full in text and Markdown (masked by default). */
  readonly showPii?: boolean;
}

export const USAGE = `Usage: reconcile [command] [options]

Commands:
  (none)            plan, show the plan, and apply it after confirmation (or --yes)
  plan              same as --dry-run: show the plan, change nothing
  validate          check config and manifests; report every problem with file:line:col
  import            write WHMCS's live zoho_mail catalog as manifests (--out DIR, --force);
                    --customers adds a CustomerOrg per service (--products a,b, --layout per-customer|grouped)
  intake            storefront orders (Pending services) as CustomerOrg manifests, one per order
                    (--out DIR, --include-active, --force); reads only, see README "Storefront orders"
  sandbox           run the built-in WHMCS and Zoho sandboxes on loopback until interrupted
  demo              plan and apply examples/ against an in-process sandbox, then plan again
  zoho auth         one-time Zoho OAuth consent; prints which secret to store the refresh token in
  action            the GitHub Action (action.yml): plan on pull requests, apply the reviewed plan on merge
  unlock --run-id ID  release the apply lock a dead run left behind (only if ID holds it)

Options:
  -c, --config FILE        config file (default: reconcile.yaml)
      --dry-run            show the plan only
  -y, --yes                apply without asking (required when not on a terminal)
      --plan-checksum SUM  apply only if the fresh plan's checksum equals SUM (the reviewed plan)
      --force              allow plans over the update/delete/revenue thresholds
  -f, --format FMT         text | json | markdown | html (default: text); html is a self-contained
                           report for auditors
  -o, --out FILE           also write the plan JSON to FILE; with --format html, write the HTML
                           report there instead (the text plan goes to stdout)
      --detailed-exitcode  exit 2 when the plan has changes (0 when none)
      --shard I/N          plan and apply only shard I of N of the customer orgs (by client email);
                           catalog changes are applied by shard 1 only
      --wait-lock DURATION wait up to DURATION (30s, 10m, 1h) for another apply's lock
                           instead of refusing at once (exit 6)
      --max-wait DURATION  longest single wait for a rate limit, a Retry-After or Zoho's token
                           throttle (default 15m); a longer one fails at once. Waits over 5 s
                           are announced on stderr
      --color / --no-color ANSI colour in text output (default: when stdout is a terminal)
      --show-pii           customer e-mails, names and companies in full in text and Markdown
                           (masked by default; the JSON plan always has them)
      --log-level LEVEL    trace | debug | info | warn | error | silent (logs go to stderr)
  -h, --help               show this help

Sandbox options (WHMCS on --port, Zoho on --port + 1, a loopback control endpoint at /__control):
      --port N             port for the WHMCS API (default 8080; 0 = any free ports)
      --state FILE         where the sandboxes keep their state (default .sandbox/whmcs.sqlite,
                           Zoho's next to it as .sandbox/whmcs.zoho.json)
      --database-url URL   keep WHMCS's tables in MariaDB/MySQL instead (mysql://user@host:port/db)
      --reset              start from an empty (seeded) state
      --seed FILE          load a starting catalog (JSON or YAML) into a fresh state
      --zoho-redirect-uri URI  register an OAuth redirect URI for the Zoho consent flow (repeatable)

Zoho auth options:
      --port N             loopback port for the OAuth callback (default 8719)
      --token-file FILE    write the refresh token to FILE (mode 0600), for your secret store
      --show-token         print the refresh token once instead

Exit codes: 0 ok / no changes, 1 error, 2 changes present (with --detailed-exitcode),
            3 invalid manifests or config, 4 refused by safety policy, 5 apply partially failed,
            6 another apply holds the apply lock.
`;

const OPTIONS = {
  config: { type: "string", short: "c" },
  "dry-run": { type: "boolean" },
  yes: { type: "boolean", short: "y" },
  force: { type: "boolean" },
  format: { type: "string", short: "f" },
  out: { type: "string", short: "o" },
  "plan-checksum": { type: "string" },
  "detailed-exitcode": { type: "boolean" },
  color: { type: "boolean" },
  "no-color": { type: "boolean" },
  "show-pii": { type: "boolean" },
  "log-level": { type: "string" },
  help: { type: "boolean", short: "h" },
  port: { type: "string" },
  state: { type: "string" },
  reset: { type: "boolean" },
  seed: { type: "string" },
  "show-token": { type: "boolean" },
  shard: { type: "string" },
  "wait-lock": { type: "string" },
  "max-wait": { type: "string" },
  "run-id": { type: "string" },
  "token-file": { type: "string" },
  "database-url": { type: "string" },
  "zoho-redirect-uri": { type: "string", multiple: true },
  customers: { type: "boolean" },
  products: { type: "string" },
  layout: { type: "string" },
  "include-active": { type: "boolean" },
} as const;

export interface ParsedArgs {
  readonly command: string;
  readonly rest: readonly string[];
  readonly values: {
    readonly [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { readonly multiple: true }
      ? string[]
      : (typeof OPTIONS)[K]["type"] extends "string"
        ? string
        : boolean;
  };
}

export function usageError(message: string): ReconcileError {
  return new ReconcileError("cli.usage", message, ExitCode.error, { hint: "run `reconcile --help` for usage" });
}

export function parse(argv: readonly string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw usageError(err instanceof Error ? err.message : String(err));
  }
  const [command = "", ...rest] = parsed.positionals;
  return { command, rest, values: parsed.values as ParsedArgs["values"] };
}

export function reconcileArgs(p: ParsedArgs, stdoutIsTty: boolean): ReconcileArgs {
  const format = p.values.format ?? "text";
  if (format !== "text" && format !== "json" && format !== "markdown" && format !== "html") {
    throw usageError(`--format must be text, json, markdown or html (got ${JSON.stringify(format)})`);
  }
  const sum = p.values["plan-checksum"];
  if (sum !== undefined && !/^(sha256:)?[0-9a-f]{64}$/.test(sum)) {
    throw usageError("--plan-checksum must be the plan's checksum, e.g. sha256:<64 hex digits>");
  }
  return {
    config: p.values.config ?? "reconcile.yaml",
    logLevel: p.values["log-level"],
    dryRun: Boolean(p.values["dry-run"]) || p.command === "plan",
    yes: Boolean(p.values.yes),
    force: Boolean(p.values.force),
    format,
    out: p.values.out,
    planChecksum: sum === undefined ? undefined : sum.startsWith("sha256:") ? sum : `sha256:${sum}`,
    detailedExitcode: Boolean(p.values["detailed-exitcode"]),
    color: p.values["no-color"] ? false : (p.values.color ?? stdoutIsTty),
    shard: parseShard(p.values.shard),
    waitLockMs: parseWaitLock(p.values["wait-lock"]),
    maxWaitMs: maxWaitOf(p),
    showPii: Boolean(p.values["show-pii"]),
  };
}

/** `--max-wait DURATION` in milliseconds, or undefined when not given. */
export function maxWaitOf(p: ParsedArgs): number | undefined {
  const text = p.values["max-wait"];
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  if (ms === undefined) throw usageError(`--max-wait must be a duration such as 30s, 5m or 1h (got ${JSON.stringify(text)})`);
  return ms;
}

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `--wait-lock 90s | 10m | 1h | 1m30s | 45` (plain seconds); at most a day. */
export function parseWaitLock(text: string | undefined): number {
  if (text === undefined) return 0;
  const t = text.trim();
  let ms: number | undefined;
  if (/^[0-9]+$/.test(t)) ms = Number(t) * 1000;
  else if (/^([0-9]+(ms|s|m|h))+$/.test(t)) ms = [...t.matchAll(/([0-9]+)(ms|s|m|h)/g)].reduce((sum, m) => sum + Number(m[1]) * (UNITS[m[2] as string] ?? 0), 0);
  if (ms === undefined || ms > 86_400_000) throw usageError(`--wait-lock must be a duration such as 30s, 10m or 1h, at most 24h (got ${JSON.stringify(text)})`);
  return ms;
}

function parseShard(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const m = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || index > count || count > 1000) throw usageError(`--shard must be I/N with 1 <= I <= N, e.g. 2/4 (got ${JSON.stringify(text)})`);
  return { index, count };
}
