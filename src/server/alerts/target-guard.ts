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

export function isPrivateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b < 128) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b < 32) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  const v6 = ip.toLowerCase();
  if (v6.startsWith('::ffff:')) return isPrivateAddress(v6.slice(7));
  return (
    v6 === '::' ||
    v6 === '::1' ||
    v6.startsWith('fc') ||
    v6.startsWith('fd') ||
    v6.startsWith('fe8') ||
    v6.startsWith('fe9') ||
    v6.startsWith('fea') ||
    v6.startsWith('feb') ||
    v6.startsWith('ff')
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
  constructor(host: string, address: string) {
    super(`refused: ${host} resolves to a non-public address (${address})`);
  }
}

/** Why a URL whose host is an IP literal may not be called (node skips the lookup for those). */
export function refuseLiteralTarget(url: string): string | null {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
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
      if (bad) return callback(new NonPublicTargetError(hostname, bad.address), '', 0);
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
