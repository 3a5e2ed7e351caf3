/** POST /auth/login, POST /auth/logout, GET /auth/me: the portal's cookie session. */
import { Type } from 'typebox';
import { LicstatError } from '../../../contract/errors.ts';
import { addressKey } from '../../../core/client-address.ts';
import { LoginThrottle } from '../../../core/login-throttle.ts';
import { DUMMY_HASH, lockDurationMs, verifyPassword } from '../../../core/passwords.ts';
import {
  createAuthSession,
  deleteAuthSession,
  SESSION_TTL_MS,
} from '../../../storage/auth-session-repository.ts';
import {
  FAILURE_WINDOW_MS,
  isKnownAddress,
  loginLockedFor,
  pruneLoginFailures,
  recentFailuresOf,
  recordLoginFailure,
  recordLoginSuccess,
} from '../../../storage/login-failure-repository.ts';
import { findUserByEmail, getUserById } from '../../../storage/user-repository.ts';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from '../../plugins/auth.ts';
import { presentUser } from '../../present.ts';
import { principalOf, requireRole } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { NoContent } from '../responses.ts';
import { UserSchema } from '../vendor/schemas.ts';

const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

/** An account with this many failures in the addresses' current windows (15 minutes) is under attack. */
const ATTACK_FAILURES = 50;

const auth: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  const throttle = new LoginThrottle();
  let failuresSincePrune = 0;

  app.post(
    '/auth/login',
    {
      schema: {
        response: { 200: Type.Object({ user: UserSchema, csrfToken: Type.String() }) },
        tags: ['auth'],
        summary: 'Log in; sets the session cookie',
        body: LoginBody,
      },
    },
    async (request, reply) => {
      const now = deps.clock.now();
      const address = addressKey(request.ip);
      const locked = (seconds: number, message: string): never => {
        reply.header('retry-after', String(seconds));
        throw new LicstatError('LOGIN_LOCKED', message, { retryAfterSeconds: seconds });
      };
      const wait = throttle.blockedFor(address, now);
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        locked(seconds, `too many failed logins from this address; try again in ${seconds} s`);
      }
      const { email } = request.body;
      // locked per (email, address): a wrong password from one address does not lock the account
      // for everyone else, and an email without an account locks alike
      const lockedMs = await loginLockedFor(db, email, address, now);
      if (lockedMs > 0) {
        const seconds = Math.ceil(lockedMs / 1000);
        locked(seconds, `too many failed logins; try again in ${seconds} s`);
      }
      // guessed at from many addresses: only the addresses its owner logged in from get through
      if (
        (await recentFailuresOf(db, email, now)) >= ATTACK_FAILURES &&
        !(await isKnownAddress(db, email, address, now))
      )
        locked(
          FAILURE_WINDOW_MS / 1000,
          'too many failed logins for this account from other addresses: try again later, or from a device that signed in before',
        );
      const user = await findUserByEmail(db, email);
      const ok = await verifyPassword(request.body.password, user?.password_hash ?? DUMMY_HASH);
      if (!user || !ok || user.disabled) {
        throttle.fail(address, now);
        await recordLoginFailure(db, email, address, now, lockDurationMs);
        if (++failuresSincePrune >= 100) {
          failuresSincePrune = 0;
          await pruneLoginFailures(db, now);
        }
        throw new LicstatError('INVALID_CREDENTIALS', 'wrong email or password');
      }
      await recordLoginSuccess(db, email, address, now);
      const s = await createAuthSession(db, user.id, now);
      setSessionCookie(request, reply, deps, s.cookieValue, SESSION_TTL_MS);
      return { user: presentUser(user), csrfToken: s.csrfToken };
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags: ['auth'], summary: 'Log out: ends the cookie session', response: NoContent } },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie && request.principal?.via === 'cookie') await deleteAuthSession(db, cookie);
      clearSessionCookie(request, reply, deps);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      schema: {
        response: {
          200: Type.Object({ user: UserSchema, csrfToken: Type.Union([Type.String(), Type.Null()]) }),
        },
        tags: ['auth'],
        summary: 'The logged-in user and the CSRF token for cookie writes',
      },
      preHandler: requireRole('vendor', 'admin', 'member'),
    },
    async (request) => {
      const p = principalOf(request);
      const user = await getUserById(db, p.userId);
      if (!user) throw new LicstatError('UNAUTHENTICATED', 'log in first');
      return { user: presentUser(user), csrfToken: request.csrfToken ?? null };
    },
  );
};
export default auth;
