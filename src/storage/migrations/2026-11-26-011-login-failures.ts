/**
 * Frozen. Failed logins per (email, client address) instead of per account: a lock on the account
 * itself let anyone keep any login (the vendor's too) locked with one wrong password every few
 * minutes. Unknown emails are kept the same way, so a lock tells nothing about who has an account.
 * The old users.failed_logins / locked_until columns are no longer read.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (frozen in time)
export async function up(db: Kysely<any>): Promise<void> {
  const ms = 'bigint';
  await db.schema
    .createTable('login_failures')
    /** lower-cased, as typed at the login (whether or not an account has it) */
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until', ms)
    .addColumn('updated_at', ms, (c) => c.notNull())
    .addPrimaryKeyConstraint('login_failures_pk', ['email', 'address'])
    .execute();
  await db.schema.createIndex('login_failures_age').on('login_failures').column('updated_at').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_failures').ifExists().execute();
}
