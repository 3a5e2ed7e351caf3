/** Every rollup table's rows for one item, beside a brute-force aggregation of its ledger rows. */
import { type Kysely, sql } from 'kysely';
import { PRESENCE_ALL, PRESENCE_LEVELS, SUM_ALL, SUM_LEVELS } from '../../src/storage/rollup-levels.ts';
import type { Database } from '../../src/storage/schema.ts';

/** Every rollup table's rows for `item`, and what brute force over its committed ledger rows says. */
export async function rollupsAndBruteForce(k: Kysely<Database>, item: string) {
  const out: { table: string; stored: unknown[]; expected: unknown[] }[] = [];
  for (const { table, unit } of [...SUM_LEVELS, SUM_ALL]) {
    const bucket = unit === null ? sql<number>`0` : sql<number>`at - (at % ${unit})`;
    out.push({
      table,
      stored: await k
        .selectFrom(table)
        .select(['project_id', 'kind', 'bucket', 'value'])
        .where('license_item_id', '=', item)
        .orderBy('project_id')
        .orderBy('kind')
        .orderBy('bucket')
        .execute(),
      expected: await k
        .selectFrom('usage_events')
        .select([
          sql<string>`coalesce(project_id, '')`.as('project_id'),
          'kind',
          bucket.as('bucket'),
          sql<number>`sum(count)`.as('value'),
        ])
        .where('license_item_id', '=', item)
        .groupBy([sql`1`, sql`2`, sql`3`])
        .orderBy(sql`1`)
        .orderBy(sql`2`)
        .orderBy(sql`3`)
        .execute(),
    });
  }
  for (const { table, unit } of [...PRESENCE_LEVELS, PRESENCE_ALL]) {
    const bucket = unit === null ? sql<number>`0` : sql<number>`at - (at % ${unit})`;
    out.push({
      table,
      stored: await k
        .selectFrom(table)
        .select(['project_id', 'fingerprint', 'bucket'])
        .where('license_item_id', '=', item)
        .orderBy('project_id')
        .orderBy('fingerprint')
        .orderBy('bucket')
        .execute(),
      expected: await k
        .selectFrom('usage_events')
        .select([sql<string>`coalesce(project_id, '')`.as('project_id'), 'fingerprint', bucket.as('bucket')])
        .distinct()
        .where('license_item_id', '=', item)
        .where('kind', '=', 'device_seen')
        .orderBy(sql`1`)
        .orderBy(sql`2`)
        .orderBy(sql`3`)
        .execute(),
    });
  }
  return out;
}
