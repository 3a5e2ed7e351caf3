/**
 * The attempted starts of a multi-user item in a window, from the session ledger: full starts
 * (sessions holding a seat) and declines (ALL_SEATS_IN_USE), in time order, with how long a
 * full one held its seat: until min(ended_at, lease_expires_at, now).
 */
import { ALL_SEATS_IN_USE } from '../../core/licensing/seat-outcome.ts';
import type { Executor } from '../executor.ts';

export interface SeatStart {
  at: number;
  email: string;
  declined: boolean;
  /** full starts: seat release time; declines: null */
  releasedAt: number | null;
}

export async function getSeatStarts(
  db: Executor,
  q: { organizationId: string; itemId: string; from: number; to: number; now: number },
): Promise<SeatStart[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['started_at', 'email', 'holds_seat', 'ended_at', 'lease_expires_at'])
    .where('organization_id', '=', q.organizationId)
    .where('license_item_id', '=', q.itemId)
    .where('started_at', '>=', q.from)
    .where('started_at', '<', Math.min(q.to, q.now))
    .where((eb) => eb.or([eb('holds_seat', '=', 1), eb('reason', '=', ALL_SEATS_IN_USE)]))
    // equal start times (same millisecond) get a stable order; the replay documents the caveat
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    at: r.started_at,
    email: r.email,
    declined: r.holds_seat !== 1,
    releasedAt:
      r.holds_seat === 1
        ? Math.max(r.started_at, Math.min(r.ended_at ?? Number.POSITIVE_INFINITY, r.lease_expires_at, q.now))
        : null,
  }));
}
