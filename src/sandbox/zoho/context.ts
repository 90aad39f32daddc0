import type { IncomingHttpHeaders } from "node:http";
import type { SandboxData, PartnerRecord } from "./data.js";
import type { MutableSwitches, SandboxService } from "./switches.js";

/** What every handler gets: the data, the switches, the clock and the URLs of this sandbox. */
export interface SandboxContext {
  readonly data: SandboxData;
  readonly switches: MutableSwitches;
  readonly dcs: readonly string[];
  now(): number;
  baseUrl(dc: string, service: SandboxService): string;
  /** The partner whose credentials the sandbox hands out. */
  partner(): PartnerRecord;
}

export interface SandboxRequest {
  readonly method: string;
  readonly dc: string;
  readonly service: SandboxService;
  /** Path below `/<dc>/<service>`, e.g. `/api/organization/123`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly contentType: string;
  /** Path parameters captured by the route. */
  readonly params: readonly string[];
}
