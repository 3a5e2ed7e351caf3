/**
 * Client API authentication: `Authorization: License <key>`, where the key is an activation
 * code or a project key. Runs as an onRequest hook, before the body is read, so an unknown key
 * is a 401 whatever the body holds.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LicstatError } from '../../contract/errors.ts';
import { addressKey } from '../../core/client-address.ts';
import { sha256Hex } from '../../core/hash.ts';
import { LoginThrottle } from '../../core/login-throttle.ts';
import { assertServedOnline, type ClientKey } from '../../services/client/client-key.ts';
import { findLicenseKey } from '../../storage/license-key-repository.ts';
import type { Deps } from '../types.ts';

declare module 'fastify' {
  interface FastifyRequest {
    clientKey?: ClientKey;
  }
}

const HEADER = /^License\s+(\S{1,200})\s*$/i;

/**
 * Unknown license keys per client address (an IPv4 address or an IPv6 /64). The per-key rate
 * limit gives every guess a fresh bucket, so guessing keys (project keys may be as short as 8
 * characters) is limited here: after 100 different unknown keys in 15 minutes an address gets 429
 * with Retry-After for every key until the window ends (valid ones too, or the different answer
 * would tell which guess was right). Per process, in memory.
 */
const guessesByDeps = new WeakMap<Deps, LoginThrottle>();
const guessesOf = (deps: Deps): LoginThrottle => {
  let g = guessesByDeps.get(deps);
  if (!g) {
    g = new LoginThrottle(100, 15 * 60_000);
    guessesByDeps.set(deps, g);
  }
  return g;
};

export function licenseAuth(deps: Deps) {
  const guesses = guessesOf(deps);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const m = HEADER.exec(request.headers.authorization ?? '');
    if (!m)
      throw new LicstatError('LICENSE_NOT_FOUND', 'send the license key as Authorization: License <key>');
    const raw = m[1]!;
    const now = deps.clock.now();
    const address = addressKey(request.ip);
    const wait = guesses.blockedFor(address, now);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      reply.header('retry-after', String(seconds));
      throw new LicstatError(
        'RATE_LIMITED',
        `too many unknown license keys from this address; retry in ${seconds} s`,
      );
    }
    // The read connection: this lookup must not queue behind other requests' write transactions.
    // What a start or report decides on (item validity, limits) is read again in its transaction.
    const found = await findLicenseKey(deps.db.reader, raw);
    if (!found) {
      // a program retrying one stale key counts once: only different keys look like guessing
      guesses.fail(address, now, sha256Hex(raw));
      throw new LicstatError('LICENSE_NOT_FOUND', 'no activation code or project key matches this key');
    }
    // Hardware-key items are not served online: every client call with their code is refused alike.
    if (found.kind === 'code') assertServedOnline(found.item);
    request.clientKey = { ...found, raw };
  };
}

export function clientKeyOf(request: FastifyRequest): ClientKey {
  if (!request.clientKey) throw new LicstatError('LICENSE_NOT_FOUND', 'no license key');
  return request.clientKey;
}
