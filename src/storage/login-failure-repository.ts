/**
 * Failed logins per (email, client address): the login lockout. Kept in the database so that
 * every server process sees the same count; an email without an account is kept alike, so a
 * lock answers the same whether or not the account exists.
 */
import { sql } from 'kysely';
import type { Executor } from './executor.ts';

const DAY_MS = 86_400_000;

const key = (email: string) => email.trim().toLowerCase();

/** Milliseconds this address stays locked out of this email's login, or 0. */
export async function loginLockedFor(
  db: Executor,
  email: string,
  address: string,
  now: number,
): Promise<number> {
  const row = await db
    .selectFrom('login_failures')
    .select('locked_until')
    .where('email', '=', key(email))
    .where('address', '=', address)
    .executeTakeFirst();
  return row?.locked_until && row.locked_until > now ? row.locked_until - now : 0;
}

/**
 * Counts one more failure (a count a day old starts again) and locks the pair for
 * `lockFor(failures)` ms when that is positive.
 */
export async function recordLoginFailure(
  db: Executor,
  email: string,
  address: string,
  now: number,
  lockFor: (failures: number) => number,
): Promise<void> {
  const row = await db
    .insertInto('login_failures')
    .values({ email: key(email), address, failures: 1, locked_until: null, updated_at: now })
    .onConflict((oc) =>
      oc.columns(['email', 'address']).doUpdateSet({
        failures: sql<number>`case when login_failures.updated_at < ${now - DAY_MS} then 1 else login_failures.failures + 1 end`,
        updated_at: now,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  const lock = lockFor(Number(row.failures));
  if (lock > 0)
    await db
      .updateTable('login_failures')
      .set({ locked_until: now + lock })
      .where('email', '=', key(email))
      .where('address', '=', address)
      .execute();
}

/** A successful login from this address (or, without one, a new password) forgets the failures. */
export async function clearLoginFailures(db: Executor, email: string, address?: string): Promise<void> {
  let q = db.deleteFrom('login_failures').where('email', '=', key(email));
  if (address !== undefined) q = q.where('address', '=', address);
  await q.execute();
}

/** Forgets failures untouched for a day (their count would start again anyway). */
export async function pruneLoginFailures(db: Executor, now: number): Promise<void> {
  await db
    .deleteFrom('login_failures')
    .where('updated_at', '<', now - DAY_MS)
    .execute();
}
