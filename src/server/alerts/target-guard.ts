/**
 * Webhook URLs are chosen by customer admins, so by default a delivery may not reach the
 * server's own network: every address the host name resolves to must be public (not loopback,
 * private, link-local, CGNAT, unique-local or unspecified). LICSTAT_WEBHOOK_ALLOW_PRIVATE=1 lifts
 * this (an on-premises receiver; tests). The check runs before each attempt; a DNS answer that
 * changes between the check and the connection is not caught (use an egress proxy for that).
 */
import { lookup } from 'node:dns/promises';
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

/** Null when the URL may be called; otherwise why not. */
export async function refuseTarget(url: string): Promise<string | null> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addrs = net.isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  const bad = addrs.find(isPrivateAddress);
  return bad ? `refused: ${host} resolves to a non-public address (${bad})` : null;
}
