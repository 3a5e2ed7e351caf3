/**
 * Program sessions. A seat is held by a session with holds_seat = 1, not ended and whose lease
 * has not expired: expired leases stop counting by themselves, no background job needed.
 */
import { type Selectable, sql } from 'kysely';
import type { Executor } from './executor.ts';
import type { SessionsTable } from './schema.ts';

export type SessionRow = Selectable<SessionsTable>;

export async function insertSession(db: Executor, row: SessionRow): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function getSession(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<SessionRow | undefined> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
}

export async function countSeatsHeld(db: Executor, licenseItemId: string, now: number): Promise<number> {
  const row = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('license_item_id', '=', licenseItemId)
    .where('ended_at', 'is', null)
    .where('lease_expires_at', '>', now)
    // a literal, not a parameter: it lets the database use the partial index sessions_open_seats
    .where('holds_seat', '=', sql.lit(1))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function renewSessionLease(
  db: Executor,
  id: string,
  now: number,
  leaseExpiresAt: number,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ renewed_at: now, lease_expires_at: leaseExpiresAt })
    .where('id', '=', id)
    .execute();
}

/** Ends a session that is still open: closed by the client, or (lazily) expired at its lease end. */
export async function endSession(
  db: Executor,
  id: string,
  endedAt: number,
  reason: 'closed' | 'expired',
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ ended_at: endedAt, end_reason: reason })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .execute();
}
