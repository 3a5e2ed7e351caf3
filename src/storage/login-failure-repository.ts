/**
 * Failed logins per (email, client address): the login lockout. Kept in the database so that
 * every server process sees the same count; an email without an account is kept alike, so a
 * lock answers the same whether or not the account exists. An address that logged in keeps its
 * row with the time, so an account guessed at from many addresses stays open to its owner's.
 */
import { sql } from 'kysely';
import type { Executor } from './executor.ts';
import { normalizeEmail } from './user-repository.ts';

const DAY_MS = 86_400_000;
/** how long a successful login vouches for its address */
export const KNOWN_ADDRESS_MS = 30 * DAY_MS;

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
    .where('email', '=', normalizeEmail(email))
    .where('address', '=', address)
    .executeTakeFirst();
  return row?.locked_until && row.locked_until > now ? row.locked_until - now : 0;
}

/** Failures for this email from all addresses whose latest failure is within `windowMs`. */
export async function recentFailuresOf(
  db: Executor,
  email: string,
  now: number,
  windowMs: number,
): Promise<number> {
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('failures'), eb.lit(0)).as('n'))
    .where('email', '=', normalizeEmail(email))
    .where('updated_at', '>', now - windowMs)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether this address logged in to this email within KNOWN_ADDRESS_MS. */
export async function isKnownAddress(
  db: Executor,
  email: string,
  address: string,
  now: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('login_failures')
    .select('last_success_at')
    .where('email', '=', normalizeEmail(email))
    .where('address', '=', address)
    .executeTakeFirst();
  return !!row?.last_success_at && row.last_success_at > now - KNOWN_ADDRESS_MS;
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
    .values({ email: normalizeEmail(email), address, failures: 1, locked_until: null, updated_at: now })
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
      .where('email', '=', normalizeEmail(email))
      .where('address', '=', address)
      .execute();
}

/** A successful login: the address's failures are forgotten and it is known to the email. */
export async function recordLoginSuccess(
  db: Executor,
  email: string,
  address: string,
  now: number,
): Promise<void> {
  await db
    .insertInto('login_failures')
    .values({
      email: normalizeEmail(email),
      address,
      failures: 0,
      locked_until: null,
      updated_at: now,
      last_success_at: now,
    })
    .onConflict((oc) =>
      oc
        .columns(['email', 'address'])
        .doUpdateSet({ failures: 0, locked_until: null, updated_at: now, last_success_at: now }),
    )
    .execute();
}

/** A new password (licstat user set-password): every address's failures and standing are forgotten. */
export async function clearLoginFailures(db: Executor, email: string): Promise<void> {
  await db.deleteFrom('login_failures').where('email', '=', normalizeEmail(email)).execute();
}

/** Forgets failures untouched for a day and addresses no longer known. */
export async function pruneLoginFailures(db: Executor, now: number): Promise<void> {
  await db
    .deleteFrom('login_failures')
    .where('updated_at', '<', now - DAY_MS)
    .where((eb) =>
      eb.or([eb('last_success_at', 'is', null), eb('last_success_at', '<', now - KNOWN_ADDRESS_MS)]),
    )
    .execute();
}
