/**
 * An organization's live activity: its active sessions (not ended, lease not expired) and today's
 * ledger counts per item, project and kind. Read once per change per server process and shared by
 * every browser watching that organization.
 */
import type { Executor } from '../executor.ts';

export interface LiveActivityRows {
  sessions: {
    id: string;
    license_item_id: string;
    project_id: string | null;
    program: string;
    version: string | null;
    email: string;
    fingerprint: string;
    mode: string;
    started_at: number;
    lease_expires_at: number;
  }[];
  counts: { license_item_id: string; project_id: string | null; kind: string; n: number }[];
}

export const LIVE_SESSION_LIMIT = 200;

export async function getLiveActivity(
  db: Executor,
  q: { organizationId: string; now: number; todayStart: number },
): Promise<LiveActivityRows> {
  const sessions = await db
    .selectFrom('sessions')
    .select([
      'id',
      'license_item_id',
      'project_id',
      'program',
      'version',
      'email',
      'fingerprint',
      'mode',
      'started_at',
      'lease_expires_at',
    ])
    .where('organization_id', '=', q.organizationId)
    .where('ended_at', 'is', null)
    .where('lease_expires_at', '>', q.now)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    // per item filters apply later: read enough to fill each view's list
    .limit(5000)
    .execute();
  const counts = await db
    .selectFrom('usage_events')
    .select(['license_item_id', 'project_id', 'kind', (eb) => eb.fn.sum<number | string>('count').as('n')])
    .where('organization_id', '=', q.organizationId)
    .where('at', '>=', q.todayStart)
    .where('at', '<=', q.now)
    .groupBy(['license_item_id', 'project_id', 'kind'])
    .execute();
  return { sessions, counts: counts.map((c) => ({ ...c, n: Number(c.n) })) };
}
