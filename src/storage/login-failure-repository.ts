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
/** the window "50 failures from any addresses" counts in */
export const FAILURE_WINDOW_MS = 15 * 60_000;
/** how long a successful login vouches for its address */
export const KNOWN_ADDRESS_MS = 30 * DAY_MS;

/** The (email, address) row's lock and last sign-in, if it has a row. */
const pairOf = (db: Executor, email: string, address: string) =>
  db
    .selectFrom('login_failures')
    .select(['locked_until', 'last_success_at'])
    .where('email', '=', normalizeEmail(email))
    .where('address', '=', address)
    .executeTakeFirst();

/** Milliseconds this address stays locked out of this email's login, or 0. */
export async function loginLockedFor(
  db: Executor,
  email: string,
  address: string,
  now: number,
): Promise<number> {
  const row = await pairOf(db, email, address);
  return row?.locked_until && row.locked_until > now ? row.locked_until - now : 0;
}

/**
 * Failures for this email in the current window of each address (a window is FAILURE_WINDOW_MS
 * from an address's first failure in it): what "guessed at from many addresses" counts.
 */
export async function recentFailuresOf(db: Executor, email: string, now: number): Promise<number> {
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('window_failures'), eb.lit(0)).as('n'))
    .where('email', '=', normalizeEmail(email))
    .where('window_start', '>', now - FAILURE_WINDOW_MS)
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
  const row = await pairOf(db, email, address);
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
    .values({
      email: normalizeEmail(email),
      address,
      failures: 1,
      locked_until: null,
      updated_at: now,
      window_start: now,
      window_failures: 1,
    })
    .onConflict((oc) =>
      // (every right-hand side reads the row as it was, on both databases)
      oc.columns(['email', 'address']).doUpdateSet({
        failures: sql<number>`case when login_failures.updated_at < ${now - DAY_MS} then 1 else login_failures.failures + 1 end`,
        window_failures: sql<number>`case when coalesce(login_failures.window_start, 0) <= ${now - FAILURE_WINDOW_MS} then 1 else login_failures.window_failures + 1 end`,
        window_start: sql<number>`case when coalesce(login_failures.window_start, 0) <= ${now - FAILURE_WINDOW_MS} then ${now} else login_failures.window_start end`,
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
      oc.columns(['email', 'address']).doUpdateSet({
        failures: 0,
        locked_until: null,
        updated_at: now,
        last_success_at: now,
        window_start: null,
        window_failures: 0,
      }),
    )
    .execute();
}

/**
 * A new password (licstat user set-password): every address's failures and locks are forgotten;
 * the addresses that signed in stay known (an account still guessed at stays open to them).
 */
export async function clearLoginFailures(db: Executor, email: string): Promise<void> {
  const key = normalizeEmail(email);
  await db
    .deleteFrom('login_failures')
    .where('email', '=', key)
    .where('last_success_at', 'is', null)
    .execute();
  await db
    .updateTable('login_failures')
    .set({ failures: 0, locked_until: null, window_start: null, window_failures: 0 })
    .where('email', '=', key)
    .execute();
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
