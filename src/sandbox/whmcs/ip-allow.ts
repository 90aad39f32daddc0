import { BlockList, isIP } from "node:net";
import { WhmcsSandboxError } from "./errors.js";
import { PhpArray } from "./php-array.js";
import { phpSerialize } from "./php-serialize.js";
import { phpUnserialize } from "./php-unserialize.js";
import { setConfiguration } from "./configuration.js";
import type { WhmcsStore } from "./store.js";

/** `tblconfiguration` setting holding the API IP allow-list. */
export const ALLOWED_IPS_SETTING = "APIAllowedIPs";

/** A peer address as PHP's REMOTE_ADDR shows it: IPv4-mapped IPv6 becomes plain IPv4. */
export function normalizeIp(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

/**
 * The stored allow-list. WHMCS keeps IPs with a note each; its storage format is
 * [unconfirmed], so the sandbox writes a PHP-serialized list of `{ip, note}` and also reads a
 * plain comma/whitespace-separated list.
 */
export function parseAllowedIps(value: string): string[] {
  const text = value.trim();
  if (text === "") return [];
  if (/^a:\d+:\{/.test(text)) {
    const parsed = phpUnserialize(text);
    if (!(parsed instanceof PhpArray)) return [];
    const out: string[] = [];
    for (const entry of parsed.values()) {
      if (typeof entry === "string") out.push(entry.trim());
      else if (entry instanceof PhpArray) {
        const ip = entry.get("ip");
        if (typeof ip === "string") out.push(ip.trim());
      }
    }
    return out.filter((ip) => ip !== "");
  }
  return text.split(/[\s,]+/).filter((ip) => ip !== "");
}

export function serializeAllowedIps(ips: readonly string[]): string {
  return phpSerialize(ips.map((ip) => ({ ip, note: "" })));
}

/** True when `ip` is on the list; an empty list allows everyone (the sandbox's default). */
export function isIpAllowed(list: readonly string[], ip: string): boolean {
  if (list.length === 0) return true;
  const peer = normalizeIp(ip);
  const family = isIP(peer);
  if (family === 0) return false;
  const block = new BlockList();
  for (const entry of list) {
    const e = normalizeIp(entry);
    const f = isIP(e);
    if (f !== 0) block.addAddress(e, f === 4 ? "ipv4" : "ipv6");
  }
  return block.check(peer, family === 4 ? "ipv4" : "ipv6");
}

export async function readAllowedIps(store: WhmcsStore): Promise<string[]> {
  const row = await store.selectOne("tblconfiguration", { setting: ALLOWED_IPS_SETTING });
  return row === undefined ? [] : parseAllowedIps(String(row["value"] ?? ""));
}

export async function writeAllowedIps(store: WhmcsStore, ips: readonly string[], now: Date): Promise<void> {
  for (const ip of ips) {
    if (isIP(normalizeIp(ip)) === 0) throw new WhmcsSandboxError("ip.invalid", `not an IP address: ${JSON.stringify(ip)}`);
  }
  await setConfiguration(store, ALLOWED_IPS_SETTING, serializeAllowedIps(ips), now);
}
