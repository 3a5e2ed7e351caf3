/**
 * The seat-holding intervals of an item's sessions that overlap a window. A session holds its
 * seat from started_at until it ended, or until its lease expired without an end, or until now
 * while it is live: end = min(ended_at, lease_expires_at, now) (a late end after the lease
 * expired does not extend the hold: the seat was already free).
 */
import type { SeatInterval } from '../../core/stats/peak.ts';
import type { Executor } from '../executor.ts';

export async function getSeatIntervals(
  db: Executor,
  q: { organizationId: string; itemId: string; from: number; to: number; now: number },
): Promise<SeatInterval[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['started_at', 'ended_at', 'lease_expires_at'])
    .where('organization_id', '=', q.organizationId)
    .where('license_item_id', '=', q.itemId)
    .where('holds_seat', '=', 1)
    .where('started_at', '<', Math.min(q.to, q.now))
    .where('lease_expires_at', '>', q.from)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>', q.from)]))
    .execute();
  const out: SeatInterval[] = [];
  for (const r of rows) {
    const end = Math.min(r.ended_at ?? Number.POSITIVE_INFINITY, r.lease_expires_at, q.now);
    if (end > r.started_at) out.push({ start: r.started_at, end });
  }
  return out;
}
