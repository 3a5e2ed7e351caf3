/**
 * Client API authentication: `Authorization: License <key>`, where the key is an activation
 * code or a project key. Runs as an onRequest hook, before the body is read, so an unknown key
 * is a 401 whatever the body holds.
 */
import type { FastifyRequest } from 'fastify';
import { LicstatError } from '../../contract/errors.ts';
import { assertServedOnline, type ClientKey } from '../../services/client/client-key.ts';
import { findLicenseKey } from '../../storage/license-key-repository.ts';
import type { Deps } from '../types.ts';

declare module 'fastify' {
  interface FastifyRequest {
    clientKey?: ClientKey;
  }
}

const HEADER = /^License\s+(\S{1,200})\s*$/i;

export function licenseAuth(deps: Deps) {
  return async (request: FastifyRequest): Promise<void> => {
    const m = HEADER.exec(request.headers.authorization ?? '');
    if (!m)
      throw new LicstatError('LICENSE_NOT_FOUND', 'send the license key as Authorization: License <key>');
    const raw = m[1]!;
    // The read connection: this lookup must not queue behind other requests' write transactions.
    // What a start or report decides on (item validity, limits) is read again in its transaction.
    const found = await findLicenseKey(deps.db.reader, raw);
    if (!found)
      throw new LicstatError('LICENSE_NOT_FOUND', 'no activation code or project key matches this key');
    // Hardware-key items are not served online: every client call with their code is refused alike.
    if (found.kind === 'code') assertServedOnline(found.item);
    request.clientKey = { ...found, raw };
  };
}

export function clientKeyOf(request: FastifyRequest): ClientKey {
  if (!request.clientKey) throw new LicstatError('LICENSE_NOT_FOUND', 'no license key');
  return request.clientKey;
}
