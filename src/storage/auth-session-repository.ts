/** Portal login sessions. The row id is sha256 of the cookie value, so a database leak yields no usable cookie. */
import type { Selectable } from 'kysely';
import { sha256Hex } from '../core/hash.ts';
import { randomToken } from '../core/ids.ts';
import type { Executor } from './executor.ts';
import type { AuthSessionsTable } from './schema.ts';

export type AuthSessionRow = Selectable<AuthSessionsTable>;

/** Sliding expiry: a session lives 12 hours after its last use. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Extend the expiry at most once a minute, so reads do not each write. */
export const SESSION_TOUCH_MS = 60 * 1000;

export async function createAuthSession(
  db: Executor,
  userId: string,
  now: number,
): Promise<{ cookieValue: string; csrfToken: string; expiresAt: number }> {
  const cookieValue = randomToken(32);
  const csrfToken = randomToken(24);
  const expiresAt = now + SESSION_TTL_MS;
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

/** The live session for a cookie value, with its expiry slid forward; undefined when unknown or expired. */
export async function touchAuthSession(
  db: Executor,
  cookieValue: string,
  now: number,
): Promise<(AuthSessionRow & { slid: boolean }) | undefined> {
  const id = sha256Hex(cookieValue);
  const row = await db.selectFrom('auth_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.expires_at <= now) return undefined;
  const slid = now + SESSION_TTL_MS - row.expires_at >= SESSION_TOUCH_MS;
  if (slid) {
    row.expires_at = now + SESSION_TTL_MS;
    await db.updateTable('auth_sessions').set({ expires_at: row.expires_at }).where('id', '=', id).execute();
  }
  return { ...row, slid };
}

export async function deleteAuthSession(db: Executor, cookieValue: string): Promise<void> {
  await db.deleteFrom('auth_sessions').where('id', '=', sha256Hex(cookieValue)).execute();
}

export async function deleteUserAuthSessions(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('auth_sessions').where('user_id', '=', userId).execute();
}
