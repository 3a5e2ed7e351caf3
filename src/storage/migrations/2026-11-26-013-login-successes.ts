/**
 * Frozen. An address that logged in to an email keeps a row in login_failures with the time: an
 * account under attack from many addresses stays open to the addresses its owner uses.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (frozen in time)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('login_failures').addColumn('last_success_at', 'bigint').execute();
  await db.schema
    .createIndex('login_failures_email')
    .on('login_failures')
    .columns(['email', 'updated_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('login_failures_email').ifExists().execute();
  await db.schema.alterTable('login_failures').dropColumn('last_success_at').execute();
}
