/** Idempotency records of client usage batches, and the scan totals a batch's answer needs. */
import type { Selectable } from 'kysely';
import { QUARTER_MS, quarterOf } from '../core/time-buckets.ts';
import { cachedQuery } from './cached-query.ts';
import type { Executor } from './executor.ts';
import { flushRollups } from './rollup-writer.ts';
import type { UsageBatchesTable } from './schema.ts';

export type UsageBatchRow = Selectable<UsageBatchesTable>;

export async function getUsageBatch(db: Executor, id: string): Promise<UsageBatchRow | undefined> {
  return db.selectFrom('usage_batches').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUsageBatch(db: Executor, row: UsageBatchRow): Promise<void> {
  await db.insertInto('usage_batches').values(row).execute();
}

const DAY_MS = 86_400_000;

/** One statement, three index ranges: day rollups, quarter rollups, ledger (cached-query.ts). */
const scansSinceQuery = cachedQuery<
  [string, number, number, number],
  { days: unknown; quarters: unknown; raw: unknown }
>((db, $) =>
  db.selectNoFrom((eb) => [
    eb
      .selectFrom('usage_rollups_day')
      .select((e) => e.fn.sum<number>('value').as('n'))
      .where('license_item_id', '=', $(0))
      .where('kind', '=', 'scan')
      .where('bucket', '>=', $(3))
      .as('days'),
    eb
      .selectFrom('usage_rollups')
      .select((e) => e.fn.sum<number>('value').as('n'))
      .where('license_item_id', '=', $(0))
      .where('kind', '=', 'scan')
      .where('bucket', '>=', $(2))
      .where('bucket', '<', $(3))
      .as('quarters'),
    eb
      .selectFrom('usage_events')
      .select((e) => e.fn.sum<number>('count').as('n'))
      .where('license_item_id', '=', $(0))
      .where('kind', '=', 'scan')
      .where('at', '>=', $(1))
      .where('at', '<', $(2))
      .as('raw'),
  ]),
);

/**
 * Scans of the item with an event time at or after `from` (its validity start), exactly: whole
 * UTC days from the day rollups, the rest of the first day from quarter rollups, the minutes up
 * to the first quarter from the ledger. Every usage report answers with it, so it must not grow
 * with the item's age (a year of quarter rows is 35,040; of days, 365).
 */
export async function scansSince(db: Executor, licenseItemId: string, from: number): Promise<number> {
  await flushRollups(db); // writes a group commit queued on this transaction (rollup-writer.ts)
  const q = quarterOf(from) === from ? from : quarterOf(from) + QUARTER_MS;
  const d = Math.ceil(from / DAY_MS) * DAY_MS;
  const row = (await scansSinceQuery.execute(db, licenseItemId, from, q, d)).rows[0]!;
  return Number(row.days ?? 0) + Number(row.quarters ?? 0) + Number(row.raw ?? 0);
}
