/**
 * Frozen. Session history pages by keyset without sorting the organization's whole history:
 * ended sessions in order of when they ended (an expired lease ends at its expiry), and open
 * sessions by start.
 */
import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (frozen in time)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index sessions_org_end on sessions (organization_id, (coalesce(ended_at, lease_expires_at)), id)`.execute(
    db,
  );
  await sql`create index sessions_org_open on sessions (organization_id, started_at, id) where ended_at is null`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists sessions_org_open`.execute(db);
  await sql`drop index if exists sessions_org_end`.execute(db);
}
