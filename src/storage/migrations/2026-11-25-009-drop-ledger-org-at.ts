/**
 * Frozen. The live view's counts of today were the last reader of usage_events (organization_id,
 * at); they now come from the rollups like every other statistic, and organization-wide reads of
 * the ledger (usage statistics, deletes) are served by usage_events_org_code_kind, which also
 * starts with the organization. One index fewer to maintain on every appended event.
 */
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (frozen in time)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists usage_events_org_at`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index usage_events_org_at on usage_events (organization_id, at)`.execute(db);
}
