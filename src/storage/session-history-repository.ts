/**
 * Session history reads (SPEC §4.4). Sessions overlapping the window [from, to), HWK items
 * excluded, and users whose activation of the item was deactivated within the window left out
 * (matched by the activation itself or by the user's email).
 */
import { type ExpressionBuilder, sql } from 'kysely';
import type { SessionCursor } from '../core/session-history.ts';
import type { Executor } from './executor.ts';
import type { Database } from './schema.ts';

export interface HistoryFilter {
  organizationId: string;
  from: number;
  to: number;
  now: number;
}

export interface HistorySession {
  id: string;
  license_item_id: string;
  program: string;
  version: string | null;
  email: string;
  fingerprint: string;
  hostname: string | null;
  started_at: number;
  lease_expires_at: number;
  ended_at: number | null;
  end_reason: string | null;
}

/** The organization's sessions of items with usage (not HWK) that overlap the window. */
function overlapping(db: Executor, f: HistoryFilter) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('license_items as li', 'li.id', 's.license_item_id')
    .where('s.organization_id', '=', f.organizationId)
    .where('li.model', '!=', 'hardware-key')
    .where('s.started_at', '<', f.to)
    .where(sql<number>`coalesce(s.ended_at, s.lease_expires_at)`, '>=', f.from);
}

type SessionScope = ExpressionBuilder<
  Database & { s: Database['sessions']; li: Database['license_items'] },
  's' | 'li'
>;

/** The session's user had an activation of the item deactivated within the window (by activation or email). */
const userDeactivatedWithin = (eb: SessionScope, f: HistoryFilter) =>
  eb.exists(
    eb
      .selectFrom('activations as x')
      .select('x.id')
      .whereRef('x.license_item_id', '=', 's.license_item_id')
      .where('x.organization_id', '=', f.organizationId)
      .where('x.deactivated_at', '>=', f.from)
      .where('x.deactivated_at', '<', f.to)
      .where((x) =>
        x.or([
          x('x.id', '=', x.ref('s.activation_id')),
          x(x.fn('lower', [x.ref('x.email')]), '=', x.fn('lower', [x.ref('s.email')])),
        ]),
      ),
  );

function base(db: Executor, f: HistoryFilter) {
  return overlapping(db, f).where((eb) => eb.not(userDeactivatedWithin(eb, f)));
}

/** What the deactivation rule leaves out of the window: distinct users (by email) and their sessions. */
export async function leftOutOfHistory(
  db: Executor,
  f: HistoryFilter,
): Promise<{ users: number; sessions: number }> {
  const row = await overlapping(db, f)
    .where((eb) => userDeactivatedWithin(eb, f))
    .select((eb) => [
      eb.fn
        .count<number>(eb.fn('lower', [eb.ref('s.email')]))
        .distinct()
        .as('users'),
      eb.fn.countAll<number>().as('sessions'),
    ])
    .executeTakeFirstOrThrow();
  return { users: Number(row.users), sessions: Number(row.sessions) };
}

/** One page of the full view: active sessions (newest start first), then ended ones (latest end first). */
export async function fullHistoryPage(
  db: Executor,
  f: HistoryFilter,
  after: SessionCursor | null,
  limit: number,
): Promise<{ rows: HistorySession[]; next: SessionCursor | null }> {
  const cols = [
    's.id',
    's.license_item_id',
    's.program',
    's.version',
    's.email',
    's.fingerprint',
    's.started_at',
    's.lease_expires_at',
    's.ended_at',
    's.end_reason',
    'a.hostname',
  ] as const;
  const rows: HistorySession[] = [];
  if (!after || after.phase === 'a') {
    let q = base(db, f)
      .leftJoin('activations as a', 'a.id', 's.activation_id')
      .select(cols)
      .where('s.ended_at', 'is', null)
      .where('s.lease_expires_at', '>', f.now)
      .orderBy('s.started_at', 'desc')
      .orderBy('s.id', 'desc')
      .limit(limit);
    // The redundant `<=` bound lets the index seek past earlier pages instead of skipping them.
    if (after)
      q = q
        .where('s.started_at', '<=', after.t)
        .where((eb) =>
          eb.or([
            eb('s.started_at', '<', after.t),
            eb.and([eb('s.started_at', '=', after.t), eb('s.id', '<', after.id)]),
          ]),
        );
    rows.push(...(await q.execute()));
  }
  if (rows.length < limit) {
    // Same expression as the sessions_org_end index, so the database walks the index in order.
    const endExpr = sql<number>`coalesce(s.ended_at, s.lease_expires_at)`;
    let q = base(db, f)
      .leftJoin('activations as a', 'a.id', 's.activation_id')
      .select(cols)
      .where((eb) => eb.or([eb('s.ended_at', 'is not', null), eb('s.lease_expires_at', '<=', f.now)]))
      .orderBy(endExpr, 'desc')
      .orderBy('s.id', 'desc')
      .limit(limit - rows.length);
    if (after?.phase === 'e')
      q = q
        .where(endExpr, '<=', after.t)
        .where((eb) =>
          eb.or([eb(endExpr, '<', after.t), eb.and([eb(endExpr, '=', after.t), eb('s.id', '<', after.id)])]),
        );
    rows.push(...(await q.execute()));
  }
  const last = rows[rows.length - 1];
  const next: SessionCursor | null =
    rows.length < limit || !last
      ? null
      : last.ended_at === null && last.lease_expires_at > f.now
        ? { phase: 'a', t: last.started_at, id: last.id }
        : { phase: 'e', t: last.ended_at ?? last.lease_expires_at, id: last.id };
  return { rows, next };
}

/** Condensed view: per program and email, total session time (ms) and number of sessions. */
export async function condensedHistory(
  db: Executor,
  f: HistoryFilter,
): Promise<{ program: string; email: string; durationMs: number; sessions: number }[]> {
  const duration = sql<number>`sum(case
      when s.ended_at is not null then s.ended_at - s.started_at
      when s.lease_expires_at <= ${f.now} then s.lease_expires_at - s.started_at
      else ${f.now} - s.started_at end)`;
  const rows = await base(db, f)
    .select(['s.program', 's.email', duration.as('ms'), (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['s.program', 's.email'])
    .execute();
  return rows.map((r) => ({
    program: r.program,
    email: r.email,
    durationMs: Number(r.ms),
    sessions: Number(r.n),
  }));
}
