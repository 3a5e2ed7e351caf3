/** Distinct devices from the quarter-hour presence table over a quarter-aligned range. */
import type { Range } from '../../core/stats/read-plan.ts';
import type { Executor } from '../executor.ts';
import type { DeviceRow, UsageFilter } from './filter.ts';

export async function getDevicePresence(
  db: Executor,
  f: Omit<UsageFilter, 'kinds'>,
  range: Range,
  perQuarter: boolean,
): Promise<DeviceRow[]> {
  if (f.itemIds.length === 0) return [];
  const rows = await db
    .selectFrom('device_presence')
    .select(['license_item_id', 'project_id', 'fingerprint'])
    .distinct()
    .where('organization_id', '=', f.organizationId)
    .where('license_item_id', 'in', [...f.itemIds])
    .$if(f.projectId !== undefined, (q) => q.where('project_id', '=', f.projectId!))
    .$if(range.from !== null, (q) => q.where('bucket', '>=', range.from!))
    .$if(range.to !== null, (q) => q.where('bucket', '<', range.to!))
    .$if(perQuarter, (q) => q.select('bucket'))
    .execute();
  return rows.map((r) => ({
    itemId: r.license_item_id,
    projectId: r.project_id === '' ? null : r.project_id,
    fingerprint: r.fingerprint,
    t: r.bucket ?? null,
  }));
}
