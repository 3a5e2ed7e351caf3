/**
 * Webhook URLs are chosen by customer admins, so by default a delivery may not reach the
 * server's own network: every address the host name resolves to must be public (not loopback,
 * private, link-local, CGNAT, unique-local or unspecified). LICSTAT_WEBHOOK_ALLOW_PRIVATE=1 lifts
 * this (an on-premises receiver; tests). The check is the connection's own DNS lookup
 * (`guardedLookup`, given to http.request), so the address checked is the address connected to:
 * a name that answers a public address to a check and a private one a moment later (DNS
 * rebinding) gets nowhere.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import net from 'node:net';

/** IPv4 ranges no webhook may reach: this network, private, loopback, CGNAT, link-local, special, test and benchmark nets, multicast and reserved. */
function isPrivateIPv4(a: number, b: number, c: number): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b < 128) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b < 32) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113) ||
    a >= 224
  );
}

/** The eight 16-bit groups of an IPv6 address (with `::` expanded and a trailing dotted quad converted). */
function ipv6Groups(ip: string): number[] {
  let text = ip.toLowerCase().replace(/%.*$/, '');
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, null];
  const part = (s: string) => (s === '' ? [] : s.split(':').map((g) => Number.parseInt(g, 16)));
  const left = part(head);
  if (tail === null) return left;
  const right = part(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * Whether an address is not a public one. IPv6 forms that carry an IPv4 address (mapped
 * ::ffff:a.b.c.d, translated ::ffff:0:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4 2002:AABB:CCDD::) are judged
 * by that IPv4 address: `[::ffff:127.0.0.1]` reaches loopback, whatever its spelling
 * (Node's URL parser writes it ::ffff:7f00:1).
 */
export function isPrivateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) {
    const [a, b, c] = ip.split('.').map(Number) as [number, number, number];
    return isPrivateIPv4(a, b, c);
  }
  if (!net.isIPv6(ip)) return true; // not an address we can judge: refuse
  const g = ipv6Groups(ip);
  const embedded = (hi: number, lo: number) => isPrivateIPv4(hi >> 8, hi & 0xff, lo >> 8);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return embedded(g[6]!, g[7]!); // mapped, compatible, ::, ::1
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return embedded(g[6]!, g[7]!); // IPv4-translated ::ffff:0:a.b.c.d (SIIT)
  if (g[0] === 0x64 && g[1] === 0xff9b) return zeros(2, 6) ? embedded(g[6]!, g[7]!) : true; // NAT64 (local-use: refuse)
  if (g[0] === 0x2002) return embedded(g[1]!, g[2]!); // 6to4
  return (
    (g[0] === 0x2001 && g[1] === 0) || // Teredo: the IPv4 inside is obfuscated
    (g[0] === 0x2001 && g[1] === 0xdb8) || // documentation
    (g[0] === 0x100 && zeros(1, 4)) || // discard-only
    (g[0]! & 0xfe00) === 0xfc00 || // unique local
    (g[0]! & 0xffc0) === 0xfe80 || // link-local
    (g[0]! & 0xffc0) === 0xfec0 || // site-local (deprecated)
    (g[0]! & 0xff00) === 0xff00 // multicast
  );
}

/** Resolves every address of a host name (node:dns `lookup` with `all: true`, or a stand-in). */
export type Resolver = (
  hostname: string,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolver: Resolver = (hostname, callback) => dnsLookup(hostname, { all: true }, callback);

export class NonPublicTargetError extends Error {
  readonly code = 'ENONPUBLIC';
  /**
   * `literal`: the address was written into the URL. A name's resolved address is not told: the
   * delivery log would let an organization's admin look up the server's internal names.
   */
  constructor(host: string, literal?: string) {
    super(
      literal
        ? `refused: the URL names a non-public address (${literal})`
        : `refused: ${host} resolves to a non-public address`,
    );
  }
}

/** Why a URL whose host is an IP literal may not be called (node skips the lookup for those). */
export function refuseLiteralTarget(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a valid URL';
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return net.isIP(host) && isPrivateAddress(host) ? new NonPublicTargetError(host, host).message : null;
}

/**
 * A `lookup` for http.request / net.connect: resolves the name once and fails the connection
 * when any of its addresses is non-public (unless `allowPrivate`).
 */
export function guardedLookup(allowPrivate: boolean, resolve: Resolver = systemResolver): net.LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, (err, all) => {
      if (err) return callback(err, '', 0);
      const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
      const usable = family ? all.filter((a) => a.family === family) : all;
      const bad = allowPrivate ? undefined : all.find((a) => isPrivateAddress(a.address));
      if (bad) return callback(new NonPublicTargetError(hostname), '', 0);
      if (usable.length === 0) {
        const e: NodeJS.ErrnoException = new Error(`no address for ${hostname}`);
        e.code = 'ENOTFOUND';
        return callback(e, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}
