/** Seats held right now: seat-holding sessions not ended whose lease has not expired. */
import type { Executor } from '../executor.ts';

export async function getSeatsInUse(
  db: Executor,
  q: { organizationId: string; itemId: string; now: number },
): Promise<number> {
  const row = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('organization_id', '=', q.organizationId)
    .where('license_item_id', '=', q.itemId)
    .where('holds_seat', '=', 1)
    .where('ended_at', 'is', null)
    .where('lease_expires_at', '>', q.now)
    .where('started_at', '<=', q.now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
