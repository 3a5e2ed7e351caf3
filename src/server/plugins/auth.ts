/**
 * Sets request.principal from the portal session cookie or an API token (Authorization: Bearer),
 * and refuses cookie-authenticated writes without the session's CSRF token. Routes then say who may
 * call them with requireRole(); a request without credentials simply has no principal.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../contract/domain.ts';
import { LicstatError } from '../../contract/errors.ts';
import { safeEqual } from '../../core/hash.ts';
import { findLiveApiToken } from '../../storage/api-token-repository.ts';
import { findAuthSession, SESSION_TTL_MS, touchAuthSession } from '../../storage/auth-session-repository.ts';
import { getUserById, type UserRow } from '../../storage/user-repository.ts';
import type { Principal } from '../principal.ts';
import type { App, Deps } from '../types.ts';

export const SESSION_COOKIE = 'licstat_session';
export const CSRF_HEADER = 'x-csrf-token';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Login creates the session; it cannot carry a token it does not have yet. */
const CSRF_EXEMPT = new Set(['/api/v1/auth/login']);

declare module 'fastify' {
  interface FastifyRequest {
    /** the CSRF token of the cookie session that authenticated this request */
    csrfToken?: string;
  }
}

export function principalFromUser(user: UserRow, via: Principal['via']): Principal {
  return {
    userId: user.id,
    email: user.email,
    organizationId: user.organization_id,
    role: user.role as Role,
    timeZone: user.time_zone,
    via,
  };
}

/** Cookie attributes: Secure whenever the request arrived over https (behind a trusted proxy too). */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: Deps,
  value: string,
  maxAgeMs: number,
): void {
  reply.setCookie(SESSION_COOKIE, value, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: deps.config.trustProxy !== false && request.protocol === 'https',
    maxAge: Math.floor(maxAgeMs / 1000),
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply, deps: Deps): void {
  reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: deps.config.trustProxy !== false && request.protocol === 'https',
  });
}

function bearerOf(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S{1,200})$/i.exec(h);
  return m?.[1];
}

/**
 * Whether the credential a request came with still stands for the same user, role and
 * organization, read again now (long-lived answers such as the /live stream outlast a logout,
 * a password change, a disabled user or a revoked token). Slides nothing.
 */
export async function credentialStillValid(
  deps: Deps,
  request: FastifyRequest,
  p: Principal,
): Promise<boolean> {
  const db = deps.db.kysely;
  const now = deps.clock.now();
  let user: UserRow | undefined;
  if (p.via === 'bearer') {
    const bearer = bearerOf(request);
    const token = bearer ? await findLiveApiToken(db, bearer, now) : undefined;
    user = token ? await getUserById(db, token.user_id) : undefined;
  } else {
    const cookie = request.cookies[SESSION_COOKIE];
    user = cookie ? (await findAuthSession(db, cookie, now))?.user : undefined;
  }
  return (
    !!user &&
    !user.disabled &&
    user.id === p.userId &&
    user.role === p.role &&
    user.organization_id === p.organizationId
  );
}

export function registerAuth(app: App, deps: Deps): void {
  app.addHook('onRequest', async (request, reply) => {
    // by the route matched, not the raw URL (which may spell the same route with %-escapes)
    const route = request.routeOptions.url ?? '';
    if (!route.startsWith('/api/v1/') || route.startsWith('/api/v1/client/')) return;
    const now = deps.clock.now();
    const db = deps.db.kysely;

    const bearer = bearerOf(request);
    if (bearer) {
      const token = await findLiveApiToken(db, bearer, now);
      const user = token && (await getUserById(db, token.user_id));
      if (!user || user.disabled)
        throw new LicstatError('UNAUTHENTICATED', 'the API token is unknown or revoked');
      request.principal = { ...principalFromUser(user, 'bearer'), tokenId: token.id };
      return;
    }

    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie || cookie.length > 200) return;
    const session = await touchAuthSession(db, cookie, now);
    if (!session || session.user.disabled) return;
    if (session.slid) setSessionCookie(request, reply, deps, cookie, SESSION_TTL_MS);
    request.principal = principalFromUser(session.user, 'cookie');
    request.csrfToken = session.csrfToken;

    if (WRITE_METHODS.has(request.method) && !CSRF_EXEMPT.has(route)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken))
        throw new LicstatError(
          'CSRF_TOKEN_INVALID',
          'send the X-CSRF-Token header from /auth/login or /auth/me',
        );
    }
  });
}
