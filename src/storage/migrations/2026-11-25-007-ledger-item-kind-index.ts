/**
 * Frozen. Every ledger read by item also names the kinds it wants (stats edges, takes in a
 * period, declines in the last hour, scans against the quota), so one index on
 * (license_item_id, kind, at) serves them all and replaces two: (license_item_id, at), which
 * scanned every kind in the window, and (license_item_id, kind, received_at), which no query uses
 * since the usage statistics read usage_events_org_code_kind (migration 005). One index fewer to
 * maintain on every appended event.
 */
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (frozen in time)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index usage_events_item_kind_at on usage_events (license_item_id, kind, at)`.execute(db);
  await sql`drop index if exists usage_events_item_at`.execute(db);
  await sql`drop index if exists usage_events_item_kind_received`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index usage_events_item_at on usage_events (license_item_id, at)`.execute(db);
  await sql`create index usage_events_item_kind_received on usage_events (license_item_id, kind, received_at)`.execute(
    db,
  );
  await sql`drop index if exists usage_events_item_kind_at`.execute(db);
}
