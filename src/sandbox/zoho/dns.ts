import type { DnsRecord, SandboxData } from "./data.js";

/**
 * The DNS the sandbox "resolves" when verifying domains. Tests publish records ("this CNAME now
 * exists") and the next verify call sees them.
 */
export interface DnsFixture {
  addCname(name: string, target: string): void;
  addTxt(name: string, value: string): void;
  addMx(domain: string, host: string): void;
  /** Serve the HTML verification file for a domain with the given code. */
  addHtmlFile(domain: string, code: string): void;
  remove(type: DnsRecord["type"], name: string): void;
  records(): readonly DnsRecord[];
  clear(): void;
}

const norm = (s: string): string => s.trim().toLowerCase().replace(/\.$/, "");

export function dnsFixture(data: () => SandboxData, changed: () => void): DnsFixture {
  const add = (type: DnsRecord["type"], name: string, value: string): void => {
    data().dns.push({ type, name: norm(name), value: type === "TXT" ? value : norm(value) });
    changed();
  };
  return {
    addCname: (name, target) => add("CNAME", name, target),
    addTxt: (name, value) => add("TXT", name, value),
    addMx: (domain, host) => add("MX", domain, host),
    addHtmlFile(domain, code) {
      data().htmlFiles[norm(domain)] = code;
      changed();
    },
    remove(type, name) {
      const n = norm(name);
      data().dns = data().dns.filter((r) => !(r.type === type && r.name === n));
      changed();
    },
    records: () => data().dns.map((r) => ({ ...r })),
    clear() {
      data().dns = [];
      data().htmlFiles = {};
      changed();
    },
  };
}

export function lookup(data: SandboxData, type: DnsRecord["type"], name: string): string[] {
  const n = norm(name);
  return data.dns.filter((r) => r.type === type && r.name === n).map((r) => r.value);
}
