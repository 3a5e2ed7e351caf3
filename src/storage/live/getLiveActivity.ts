/**
 * An organization's live activity: its active sessions (not ended, lease not expired) and today's
 * ledger counts per item, project and kind. Read once per change per server process and shared by
 * every browser watching that organization.
 */
import { USAGE_KINDS } from '../../contract/domain.ts';
import { listLicenseItems } from '../catalog-repository.ts';
import type { Executor } from '../executor.ts';
import { readSums } from '../stats/read-usage.ts';

export interface LiveActivityRows {
  sessions: {
    id: string;
    license_item_id: string;
    project_id: string | null;
    program: string;
    version: string | null;
    email: string;
    fingerprint: string;
    /** the machine's name from its activation, when it has one (as session history shows it) */
    hostname: string | null;
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
    .selectFrom('sessions as s')
    .leftJoin('activations as a', 'a.id', 's.activation_id')
    .select([
      's.id',
      's.license_item_id',
      's.project_id',
      's.program',
      's.version',
      's.email',
      's.fingerprint',
      'a.hostname',
      's.mode',
      's.started_at',
      's.lease_expires_at',
    ])
    .where('s.organization_id', '=', q.organizationId)
    .where('s.ended_at', 'is', null)
    .where('s.lease_expires_at', '>', q.now)
    .orderBy('s.started_at', 'desc')
    .orderBy('s.id', 'desc')
    // per item filters apply later: read enough to fill each view's list
    .limit(5000)
    .execute();
  // Today's counts come from the rollups like every statistic (whole quarters and hours, the
  // minutes since the last quarter from the ledger), so the ledger needs no index by time alone.
  const items = await listLicenseItems(db, { organizationId: q.organizationId });
  const rows = await readSums(
    db,
    { organizationId: q.organizationId, itemIds: items.map((i) => i.id), kinds: USAGE_KINDS },
    { window: { from: q.todayStart, to: q.now + 1 } },
  );
  const counts = new Map<string, LiveActivityRows['counts'][number]>();
  for (const r of rows) {
    const key = `${r.itemId}\u0000${r.projectId ?? ''}\u0000${r.kind}`;
    const c = counts.get(key);
    if (c) c.n += r.value;
    else counts.set(key, { license_item_id: r.itemId, project_id: r.projectId, kind: r.kind, n: r.value });
  }
  return { sessions, counts: [...counts.values()] };
}
