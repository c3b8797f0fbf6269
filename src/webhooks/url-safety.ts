// Where cekrek may send webhooks: an https:// URL whose host is, and resolves
// to, a public address only. Loopback, private (RFC 1918, CGNAT), link-local,
// unique-local, multicast, unspecified, reserved and documentation ranges are
// refused, in their IPv4-mapped and NAT64 forms too, so that a partner cannot
// turn the delivery worker against the operator's own network. The check runs
// when an endpoint is saved and again on every delivery: the connection is
// made through guardedLookup, which validates each address it resolves and
// hands the socket only an address it checked (DNS rebinding cannot slip a
// private address in between the check and the connect).
// WEBHOOK_ALLOW_PRIVATE=on (development, tests) lifts all of it, http:// too.
import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { AppError } from '../shared/errors.ts';

const blockedV4 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", the unspecified address
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
] as const) {
  blockedV4.addSubnet(network, prefix, 'ipv4');
}

const blockedV6 = new BlockList();
for (const [network, prefix] of [
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (Teredo among them)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address of any kind
  ['3fff::', 20], // documentation
] as const) {
  blockedV6.addSubnet(network, prefix, 'ipv6');
}
const globalUnicastV6 = new BlockList();
globalUnicastV6.addSubnet('2000::', 3, 'ipv6');
const nat64 = new BlockList();
nat64.addSubnet('64:ff9b::', 96, 'ipv6');

/** The 32 low bits of an IPv6 address as dotted IPv4 (for mapped and NAT64 forms). */
function embeddedIpv4(address: string): string | undefined {
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) return dotted[1];
  const groups = expandIpv6(address);
  if (!groups) return undefined;
  const high = groups[6]!;
  const low = groups[7]!;
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit groups of an IPv6 address written in hex (no dotted tail). */
function expandIpv6(address: string): number[] | undefined {
  const [head = '', tail] = address.split('::');
  const part = (text: string) => (text === '' ? [] : text.split(':').map((g) => parseInt(g, 16)));
  const front = part(head);
  const back = tail === undefined ? [] : part(tail);
  const missing = 8 - front.length - back.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  const groups = [...front, ...Array<number>(missing).fill(0), ...back];
  return groups.some((g) => Number.isNaN(g)) ? undefined : groups;
}

function isMappedIpv4(address: string): boolean {
  const groups = /\d+\.\d+\.\d+\.\d+$/.test(address)
    ? expandIpv6(address.replace(/\d+\.\d+\.\d+\.\d+$/, '0:0'))
    : expandIpv6(address);
  if (!groups) return false;
  const zeros = groups.slice(0, 5).every((g) => g === 0);
  return zeros && groups[5] === 0xffff;
}

/** True only for an address a webhook may be sent to: public unicast, nothing else. */
export function isPublicAddress(raw: string): boolean {
  const address = raw.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const family = isIP(address);
  if (family === 4) return !blockedV4.check(address, 'ipv4');
  if (family !== 6) return false;
  if (address.includes('%')) return false; // a zone index: link-local by definition
  if (isMappedIpv4(address) || nat64.check(address, 'ipv6')) {
    const v4 = embeddedIpv4(address);
    return v4 !== undefined && isIP(v4) === 4 && !blockedV4.check(v4, 'ipv4');
  }
  // Only global unicast (2000::/3) is public: this leaves out ::, ::1, fc00::/7,
  // fe80::/10, fec0::/10, ff00::/8 and every reserved block below 2000::.
  if (!globalUnicastV6.check(address, 'ipv6')) return false;
  return !blockedV6.check(address, 'ipv6');
}

export interface UrlPolicy {
  /** WEBHOOK_ALLOW_PRIVATE=on: http:// and every address are allowed. */
  readonly allowPrivate: boolean;
  /** Resolves a host name to all its addresses (dns.lookup by default; tests may swap it). */
  readonly resolve?: (host: string) => Promise<readonly string[]>;
}

async function resolveAll(host: string): Promise<readonly string[]> {
  const found = await dns.promises.lookup(host, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

function refuse(reason: string): never {
  throw new AppError('invalid_webhook_url', { errors: [{ field: 'url', reason }] });
}

export const maxUrlLength = 2048;

/**
 * The URL, parsed, when a webhook may be sent there; otherwise
 * `invalid_webhook_url`. A host name must resolve, and every address it
 * resolves to must be public.
 */
export async function checkWebhookUrl(text: string, policy: UrlPolicy): Promise<URL> {
  if (text.length > maxUrlLength) refuse('webhook.url_invalid');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    refuse('webhook.url_invalid');
  }
  const schemes = policy.allowPrivate ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) refuse('webhook.url_https');
  if (url.username || url.password) refuse('webhook.url_invalid');
  if (url.hostname === '') refuse('webhook.url_invalid');
  if (policy.allowPrivate) return url;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0) {
    if (!isPublicAddress(host)) refuse('webhook.url_private');
    return url;
  }
  let addresses: readonly string[];
  try {
    addresses = await (policy.resolve ?? resolveAll)(host);
  } catch {
    refuse('webhook.url_unresolved');
  }
  if (addresses.length === 0) refuse('webhook.url_unresolved');
  if (!addresses.every(isPublicAddress)) refuse('webhook.url_private');
  return url;
}

/** The error a delivery fails with when its host resolves to a refused address. */
export class AddressNotAllowedError extends Error {
  readonly code = 'EADDRNOTPUBLIC';
  constructor() {
    super('address not allowed');
    this.name = 'AddressNotAllowedError';
  }
}

/**
 * A `lookup` for http(s).request: resolves as dns.lookup does, refuses the
 * whole host when any address is not public (unless private ones are
 * allowed), and hands the socket only the addresses it checked.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      if (
        addresses.length === 0 ||
        (!allowPrivate && !addresses.every((a) => isPublicAddress(a.address)))
      ) {
        callback(new AddressNotAllowedError(), '', 0);
        return;
      }
      if (options.all) {
        (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
        return;
      }
      const first = addresses[0]!;
      callback(null, first.address, first.family);
    });
  };
}
