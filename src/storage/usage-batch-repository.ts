/** Idempotency records of client usage batches, and the scan totals a batch's answer needs. */
import type { Selectable } from 'kysely';
import { quarterOf } from '../core/time-buckets.ts';
import type { Executor } from './executor.ts';
import type { UsageBatchesTable } from './schema.ts';

export type UsageBatchRow = Selectable<UsageBatchesTable>;

export async function getUsageBatch(db: Executor, id: string): Promise<UsageBatchRow | undefined> {
  return db.selectFrom('usage_batches').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUsageBatch(db: Executor, row: UsageBatchRow): Promise<void> {
  await db.insertInto('usage_batches').values(row).execute();
}

/**
 * Scans of the item with an event time at or after `from` (its validity start). Read from the
 * quarter-hour rollups (written with the ledger in the same transaction, so they agree with it):
 * the client API accepts scans only inside the validity, so every scan of the item is at or after
 * `from` and whole quarters from quarterOf(from) on hold exactly those.
 */
export async function scansSince(db: Executor, licenseItemId: string, from: number): Promise<number> {
  const row = await db
    .selectFrom('usage_rollups')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('value'), eb.lit(0)).as('n'))
    .where('license_item_id', '=', licenseItemId)
    .where('kind', '=', 'scan')
    .where('bucket', '>=', quarterOf(from))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
