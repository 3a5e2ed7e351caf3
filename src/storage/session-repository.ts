/**
 * Program sessions. A seat is held by a session with holds_seat = 1, not ended and whose lease
 * has not expired: expired leases stop counting by themselves, no background job needed.
 */
import { type Selectable, sql } from 'kysely';
import { cachedQuery } from './cached-query.ts';
import type { Executor } from './executor.ts';
import type { SessionsTable } from './schema.ts';

export type SessionRow = Selectable<SessionsTable>;

// The client API's start and renew run these on every call: compiled once (cached-query.ts).
const COLUMNS = [
  'id',
  'organization_id',
  'license_item_id',
  'activation_code_id',
  'project_id',
  'activation_id',
  'fingerprint',
  'email',
  'program',
  'version',
  'mode',
  'reason',
  'holds_seat',
  'started_at',
  'renewed_at',
  'lease_expires_at',
  'ended_at',
  'end_reason',
] as const satisfies readonly (keyof SessionRow)[];

const insertQuery = cachedQuery<unknown[], never>((db, $) =>
  db.insertInto('sessions').values(Object.fromEntries(COLUMNS.map((c, i) => [c, $(i)])) as never),
);

const getQuery = cachedQuery<[string, string], SessionRow>((db, $) =>
  db.selectFrom('sessions').selectAll().where('id', '=', $(0)).where('organization_id', '=', $(1)),
);

const countSeatsQuery = cachedQuery<[string, number], { n: number | string }>((db, $) =>
  db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('license_item_id', '=', $(0))
    .where('ended_at', 'is', null)
    .where('lease_expires_at', '>', $(1))
    // a literal, not a parameter: it lets the database use the partial index sessions_open_seats
    .where('holds_seat', '=', sql.lit(1)),
);

const renewQuery = cachedQuery<[number, number, string], never>((db, $) =>
  db
    .updateTable('sessions')
    .set({ renewed_at: $(0), lease_expires_at: $(1) })
    .where('id', '=', $(2)),
);

export async function insertSession(db: Executor, row: SessionRow): Promise<void> {
  await insertQuery.execute(db, ...COLUMNS.map((c) => row[c] ?? null));
}

export async function getSession(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<SessionRow | undefined> {
  return (await getQuery.execute(db, id, organizationId)).rows[0];
}

export async function countSeatsHeld(db: Executor, licenseItemId: string, now: number): Promise<number> {
  const { rows } = await countSeatsQuery.execute(db, licenseItemId, now);
  return Number(rows[0]!.n);
}

export async function renewSessionLease(
  db: Executor,
  id: string,
  now: number,
  leaseExpiresAt: number,
): Promise<void> {
  await renewQuery.execute(db, now, leaseExpiresAt, id);
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
