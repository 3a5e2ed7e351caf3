/**
 * Frozen. Coarser rollup levels beside the quarter hours: usage sums and device presence per UTC
 * hour, 6 hours and day, and one row per key over all history (bucket 0) for All History. A statistics window is read from the coarsest whole units that
 * fit (core/stats/read-plan.ts), so a year costs its days, not its events. Existing rollups are
 * folded up into the new levels here; from now on the ledger append writes all levels at once.
 */
import { type Kysely, sql } from 'kysely';

const HOUR = 3_600_000;
const SIX_HOURS = 6 * HOUR;

/** A quarter row's bucket at a coarser level; all history (null) is bucket 0. */
// (bucket * 0, not a literal 0: GROUP BY 0 would name a result column)
const unitStart = (unit: number | null) =>
  unit === null ? sql`bucket * 0` : sql`bucket - (bucket % ${sql.lit(unit)})`;
const DAY = 86_400_000;

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (frozen in time)
export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, unit] of [
    ['usage_rollups_hour', HOUR],
    ['usage_rollups_6h', SIX_HOURS],
    ['usage_rollups_day', DAY],
    ['usage_rollups_all', null],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('organization_id', 'text', (c) => c.notNull())
      .addColumn('license_item_id', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('bucket', 'bigint', (c) => c.notNull())
      .addColumn('value', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['license_item_id', 'kind', 'bucket', 'project_id'])
      .execute();
    await sql`insert into ${sql.table(table)} (organization_id, license_item_id, project_id, kind, bucket, value)
      select organization_id, license_item_id, project_id, kind, ${unitStart(unit)}, sum(value)
      from usage_rollups
      group by organization_id, license_item_id, project_id, kind, ${unitStart(unit)}`.execute(db);
  }
  for (const [table, unit] of [
    ['device_presence_hour', HOUR],
    ['device_presence_6h', SIX_HOURS],
    ['device_presence_day', DAY],
    ['device_presence_all', null],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('organization_id', 'text', (c) => c.notNull())
      .addColumn('license_item_id', 'text', (c) => c.notNull())
      .addColumn('project_id', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('bucket', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['license_item_id', 'bucket', 'project_id', 'fingerprint'])
      .execute();
    await sql`insert into ${sql.table(table)} (organization_id, license_item_id, project_id, fingerprint, bucket)
      select distinct organization_id, license_item_id, project_id, fingerprint, ${unitStart(unit)}
      from device_presence`.execute(db);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('device_presence_day').ifExists().execute();
  await db.schema.dropTable('device_presence_hour').ifExists().execute();
  await db.schema.dropTable('device_presence_6h').ifExists().execute();
  await db.schema.dropTable('usage_rollups_6h').ifExists().execute();
  await db.schema.dropTable('usage_rollups_all').ifExists().execute();
  await db.schema.dropTable('device_presence_all').ifExists().execute();
  await db.schema.dropTable('usage_rollups_day').ifExists().execute();
  await db.schema.dropTable('usage_rollups_hour').ifExists().execute();
}
