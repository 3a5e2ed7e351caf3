/**
 * Who is calling the portal API. The auth plugin (plugins/auth.ts) sets `request.principal` from
 * the session cookie or a bearer token; routes declare who may call them with requireRole().
 */
import type { FastifyRequest } from 'fastify';
import type { Role } from '../contract/domain.ts';
import { LicstatError } from '../contract/errors.ts';
import type { Scope } from '../storage/catalog-repository.ts';

export interface Principal {
  userId: string;
  email: string;
  /** null for vendor staff */
  organizationId: string | null;
  role: Role;
  timeZone: string;
  /** how the request authenticated: cookie writes need the CSRF header, bearer writes do not */
  via: 'cookie' | 'bearer';
  /** the API token a bearer request came with */
  tokenId?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** preHandler: 401 without a login, 403 when the role may not call this route. */
export function requireRole(...roles: Role[]) {
  return async (request: FastifyRequest): Promise<void> => {
    const p = request.principal;
    if (!p) throw new LicstatError('UNAUTHENTICATED', 'log in or send Authorization: Bearer <api token>');
    if (!roles.includes(p.role))
      throw new LicstatError('FORBIDDEN', `this needs the role ${roles.join(' or ')}`);
  };
}

/** The principal of a request that passed requireRole (throws 401 otherwise). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new LicstatError('UNAUTHENTICATED', 'log in first');
  return request.principal;
}

/** Storage scope: vendors see every organization, everyone else only their own. */
export const scopeOf = (p: Principal): Scope => ({
  organizationId: p.role === 'vendor' ? null : p.organizationId,
});
