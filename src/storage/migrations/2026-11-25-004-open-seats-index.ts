/**
 * Frozen. Counting the seats held on an item (every session start of a multi-user item does it)
 * walked every unexpired session of the item in the table. This partial index holds only open
 * seat-holding sessions, keyed by item and lease end, so the count is an index-only range scan.
 */
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (frozen in time)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index sessions_open_seats on sessions (license_item_id, lease_expires_at) where ended_at is null and holds_seat = 1`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists sessions_open_seats`.execute(db);
}
