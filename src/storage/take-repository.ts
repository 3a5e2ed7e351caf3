/** Takes of single-user items, counted from the ledger's `take` events (the rolling window). */
import type { Executor } from './executor.ts';

/** Takes with since < at <= until (the rolling window; `until` matters when history is written at past times). */
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
