/** Portal login sessions. The row id is sha256 of the cookie value, so a database leak yields no usable cookie. */
import type { Selectable } from 'kysely';
import { sha256Hex } from '../core/hash.ts';
import { randomToken } from '../core/ids.ts';
import type { Executor } from './executor.ts';
import type { AuthSessionsTable } from './schema.ts';
import type { UserRow } from './user-repository.ts';

export type AuthSessionRow = Selectable<AuthSessionsTable>;

/** Sliding expiry: a session lives 12 hours after its last use. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Extend the expiry at most once a minute, so reads do not each write. */
export const SESSION_TOUCH_MS = 60 * 1000;
/** however often it is used, a login lasts at most this long (a stolen cookie does not live forever) */
export const SESSION_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export async function createAuthSession(
  db: Executor,
  userId: string,
  now: number,
): Promise<{ cookieValue: string; csrfToken: string; expiresAt: number }> {
  const cookieValue = randomToken(32);
  const csrfToken = randomToken(24);
  const expiresAt = now + SESSION_TTL_MS;
  // Expired sessions are dead weight: clear the user's on each login.
  await db.deleteFrom('auth_sessions').where('user_id', '=', userId).where('expires_at', '<=', now).execute();
  await db
    .insertInto('auth_sessions')
    .values({
      id: sha256Hex(cookieValue),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
    })
    .execute();
  return { cookieValue, csrfToken, expiresAt };
}

/** The live session of a cookie and its user, without sliding its expiry; undefined when unknown or expired. */
export async function findAuthSession(
  db: Executor,
  cookieValue: string,
  now: number,
): Promise<{ csrfToken: string; user: UserRow; expiresAt: number } | undefined> {
  const row = await db
    .selectFrom('auth_sessions')
    .innerJoin('users', 'users.id', 'auth_sessions.user_id')
    .selectAll('users')
    .select([
      'auth_sessions.csrf_token as session_csrf',
      'auth_sessions.expires_at as session_expires',
      'auth_sessions.created_at as session_created',
    ])
    .where('auth_sessions.id', '=', sha256Hex(cookieValue))
    .executeTakeFirst();
  if (!row || row.session_expires <= now || row.session_created + SESSION_MAX_AGE_MS <= now) return undefined;
  const { session_csrf, session_expires, session_created: _, ...user } = row;
  return { csrfToken: session_csrf, user, expiresAt: session_expires };
}

/** The live session of a cookie, with its expiry slid forward when a minute has passed since the last slide. */
export async function touchAuthSession(
  db: Executor,
  cookieValue: string,
  now: number,
): Promise<{ csrfToken: string; user: UserRow; slid: boolean } | undefined> {
  const found = await findAuthSession(db, cookieValue, now);
  if (!found) return undefined;
  const slid = now + SESSION_TTL_MS - found.expiresAt >= SESSION_TOUCH_MS;
  if (slid)
    await db
      .updateTable('auth_sessions')
      .set({ expires_at: now + SESSION_TTL_MS })
      .where('id', '=', sha256Hex(cookieValue))
      .execute();
  return { csrfToken: found.csrfToken, user: found.user, slid };
}

export async function deleteAuthSession(db: Executor, cookieValue: string): Promise<void> {
  await db.deleteFrom('auth_sessions').where('id', '=', sha256Hex(cookieValue)).execute();
}

/** Logs the user out everywhere, except the session of `keepCookie` (the caller's own) when given. */
export async function deleteUserAuthSessions(
  db: Executor,
  userId: string,
  keepCookie?: string,
): Promise<void> {
  let q = db.deleteFrom('auth_sessions').where('user_id', '=', userId);
  if (keepCookie) q = q.where('id', '!=', sha256Hex(keepCookie));
  await q.execute();
}
