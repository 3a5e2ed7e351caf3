/** Idempotency records of client usage batches, and the scan totals a batch's answer needs. */
import type { Selectable } from 'kysely';
import type { Executor } from './executor.ts';
import type { UsageBatchesTable } from './schema.ts';

export type UsageBatchRow = Selectable<UsageBatchesTable>;

export async function getUsageBatch(db: Executor, id: string): Promise<UsageBatchRow | undefined> {
  return db.selectFrom('usage_batches').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUsageBatch(db: Executor, row: UsageBatchRow): Promise<void> {
  await db.insertInto('usage_batches').values(row).execute();
}

/** Scans of the item with an event time at or after `from` (the validity start), from the ledger. */
export async function scansSince(db: Executor, licenseItemId: string, from: number): Promise<number> {
  const row = await db
    .selectFrom('usage_events')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('count'), eb.lit(0)).as('n'))
    .where('license_item_id', '=', licenseItemId)
    .where('kind', '=', 'scan')
    .where('at', '>=', from)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
