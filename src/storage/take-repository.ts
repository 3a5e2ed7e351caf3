/** Takes of single-user items, counted from the ledger's `take` events (the rolling window). */
import type { Executor } from './executor.ts';

/**
 * Takes of the item in (since, until]. `until` is the caller's time plus a margin: a take another
 * process committed with a later clock reading still counts (the limit holds whatever order two
 * clocks were read in), while a history written at past times (demo, `licstat simulate`) does not
 * count the takes that came after it.
 */
export async function countTakesBetween(
  db: Executor,
  licenseItemId: string,
  since: number,
  until: number,
): Promise<number> {
  const row = await db
    .selectFrom('usage_events')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('count'), eb.lit(0)).as('n'))
    .where('license_item_id', '=', licenseItemId)
    .where('kind', '=', 'take')
    .where('at', '>', since)
    .where('at', '<=', until)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
