/**
 * Frozen. Failed logins per (email, client address) instead of per account: a lock on the account
 * itself let anyone keep any login (the vendor's too) locked with one wrong password every few
 * minutes. Unknown emails are kept the same way, so a lock tells nothing about who has an account.
 * An address that signed in keeps its row with the time (`last_success_at`), and each row counts
 * its failures of the current window (`window_start`, `window_failures`), so an account guessed at
 * from many addresses stays open to the addresses its owner uses. The old users.failed_logins /
 * locked_until columns are no longer read.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (frozen in time)
export async function up(db: Kysely<any>): Promise<void> {
  const ms = 'bigint';
  await db.schema
    .createTable('login_failures')
    /** lower-cased, as typed at the login (whether or not an account has it) */
    .addColumn('email', 'text', (c) => c.notNull())
    /** an IPv4 address or an IPv6 /64 */
    .addColumn('address', 'text', (c) => c.notNull())
    /** failures since the count started again (a day after the last one), for the lock's backoff */
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until', ms)
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addColumn('last_success_at', ms)
    .addColumn('window_start', ms)
    .addColumn('window_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('login_failures_pk', ['email', 'address'])
    .execute();
  await db.schema.createIndex('login_failures_age').on('login_failures').column('updated_at').execute();
  await db.schema
    .createIndex('login_failures_window')
    .on('login_failures')
    .columns(['email', 'window_start'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_failures').ifExists().execute();
}
