/**
 * Program sessions. A seat is held by a session with holds_seat = 1, not ended and whose lease
 * has not expired: expired leases stop counting by themselves, no background job needed.
 */
import { CompiledQuery, type Selectable, sql } from 'kysely';
import { ACTIVATION_BOUND_MODELS } from '../core/licensing/seat-outcome.ts';
import { cachedQuery } from './cached-query.ts';
import type { Executor } from './executor.ts';
import { noteSessionChange } from './ledger-feed.ts';
import type { Statement } from './multi-row.ts';
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

const renewLiveQuery = cachedQuery<[number, number, string, number], never>((db, $) =>
  db
    .updateTable('sessions')
    .set({ renewed_at: $(0), lease_expires_at: $(1) })
    .where('id', '=', $(2))
    .where('ended_at', 'is', null)
    .where('lease_expires_at', '>', $(3)),
);

/**
 * The statement that inserts a session: a start hands it to appendEvents with its ledger events,
 * so that PostgreSQL receives both in one round trip while the start holds the item lock.
 */
export function sessionInsert(db: Executor, row: SessionRow): Statement {
  // counted when built: a write that then fails only loosens the seat bound below
  if (row.holds_seat === 1) noteSeatWrite(row.license_item_id);
  return insertQuery.compiled(db, ...COLUMNS.map((c) => row[c] ?? null));
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

/** Renews only a session that is still live at `now` (not ended, lease not run out); false if it is not. */
export async function renewLiveSessionLease(
  db: Executor,
  s: Pick<SessionRow, 'id' | 'license_item_id' | 'holds_seat'>,
  now: number,
  leaseExpiresAt: number,
): Promise<boolean> {
  if (s.holds_seat === 1) noteSeatWrite(s.license_item_id);
  const r = await renewLiveQuery.execute(db, now, leaseExpiresAt, s.id, now);
  return Number(r.numAffectedRows ?? 0) === 1;
}

/*
 * Seat checks without counting (SQLite). Counting the seats held walks every open seat of the
 * item, and an item with a large quota can hold very many: that count grew with every session a
 * start had to decide on. A start only needs to know whether fewer than `quota` seats are held,
 * so an upper bound below the quota answers as well as the count:
 *   seats held now <= (exact count at an earlier time t) + (seat-holding inserts and renewals
 *   since t)
 * since nothing else adds a seat (seats are freed by ends and by leases running out, which only
 * lowers the count). This process counts the inserts and renewals it makes (sessionInsert,
 * renewLiveSessionLease, above); writes by any other connection (another process, the CLI) change
 * SQLite's `PRAGMA data_version` on this connection, and then the bound is dropped and the seats
 * counted again. The bound is also dropped when `now` is earlier than t (a lease that ran out by
 * t may still be live then). A bound that reaches the quota is replaced by an exact count, so a
 * start is never refused on a bound. Rolled-back writes only make the bound larger (safe).
 * Callers hold the item lock, inside the write transaction, as for countSeatsHeld.
 * PostgreSQL (several processes write, no cheap change marker): always the exact count.
 */

/** Seat-holding inserts and renewals made by this process, per license item (only ever grows). */
const seatWrites = new Map<string, number>();
function noteSeatWrite(licenseItemId: string): void {
  seatWrites.set(licenseItemId, (seatWrites.get(licenseItemId) ?? 0) + 1);
}

interface SeatBound {
  /** exact seats held at `at` (writes since then are added from seatWrites) */
  held: number;
  at: number;
  /** PRAGMA data_version when counted */
  version: number;
  /** seatWrites of the item when counted */
  writes: number;
}

/** per SQLite connection (its Db's Kysely instance), per license item */
const seatBounds = new WeakMap<object, Map<string, SeatBound>>();
const DATA_VERSION = CompiledQuery.raw('pragma data_version');

/**
 * Seats held on the item at `now` for a limit check against `quota`: the exact count, or (SQLite,
 * `connection` given) an upper bound when that bound is already below the quota. So the result
 * is `< quota` exactly when the exact count is.
 */
export async function seatsHeldForLimit(
  db: Executor,
  connection: object | null,
  licenseItemId: string,
  quota: number,
  now: number,
): Promise<number> {
  if (!connection) return countSeatsHeld(db, licenseItemId, now);
  const { rows } = await db.executeQuery<{ data_version: number }>(DATA_VERSION);
  const version = Number(rows[0]!.data_version);
  let bounds = seatBounds.get(connection);
  if (!bounds) {
    bounds = new Map();
    seatBounds.set(connection, bounds);
  }
  const writes = seatWrites.get(licenseItemId) ?? 0;
  const b = bounds.get(licenseItemId);
  if (b && b.version === version && now >= b.at) {
    const atMost = b.held + (writes - b.writes);
    if (atMost < quota) return atMost;
  }
  const held = await countSeatsHeld(db, licenseItemId, now);
  bounds.set(licenseItemId, { held, at: now, version, writes });
  return held;
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

/**
 * Ends (`revoked`, now) the live full sessions an activation gave, when its item's full access
 * comes from the activation (single-user, per-device); returns how many ended.
 */
export async function revokeSessionsOf(
  db: Executor,
  activation: { id: string; organization_id: string; license_item_id: string },
  now: number,
): Promise<number> {
  const r = await db
    .updateTable('sessions')
    .set({ ended_at: now, end_reason: 'revoked' })
    .where('activation_id', '=', activation.id)
    .where('mode', '=', 'full')
    .where('ended_at', 'is', null)
    .where('lease_expires_at', '>', now)
    .where('license_item_id', 'in', (eb) =>
      eb
        .selectFrom('license_items')
        .select('id')
        .where('id', '=', activation.license_item_id)
        .where('model', 'in', ACTIVATION_BOUND_MODELS),
    )
    .executeTakeFirst();
  const ended = Number(r.numUpdatedRows);
  if (ended > 0) noteSessionChange(db, activation.organization_id, activation.license_item_id);
  return ended;
}
