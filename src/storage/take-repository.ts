/** Takes of single-user items, counted from the ledger's `take` events (the rolling window). */
import type { Executor } from './executor.ts';

/**
 * Takes of the item since `since`, with no upper bound: a take another process committed with a
 * later clock reading than the caller's still counts (it was counted under the item lock, so the
 * limit holds whatever order the two clocks were read in).
 */
export async function countTakesSince(db: Executor, licenseItemId: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('usage_events')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('count'), eb.lit(0)).as('n'))
    .where('license_item_id', '=', licenseItemId)
    .where('kind', '=', 'take')
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
