/** Distinct devices straight from the ledger (`device_seen`) over short, unaligned ranges. */
import type { Range } from '../../core/stats/read-plan.ts';
import type { Executor } from '../executor.ts';
import type { DeviceRow, UsageFilter } from './filter.ts';
import { rangeCondition } from './ranges.ts';

export async function getLedgerDevices(
  db: Executor,
  f: Omit<UsageFilter, 'kinds'>,
  ranges: readonly Range[],
  perInstant: boolean,
): Promise<DeviceRow[]> {
  if (f.itemIds.length === 0 || ranges.length === 0) return [];
  const cond = rangeCondition('at', ranges, null);
  const timed = perInstant || cond.keep !== null;
  const rows = await db
    .selectFrom('usage_events')
    .select(['license_item_id', 'project_id', 'fingerprint'])
    .distinct()
    .where('organization_id', '=', f.organizationId)
    .where('license_item_id', 'in', [...f.itemIds])
    .where('kind', '=', 'device_seen')
    .where('fingerprint', 'is not', null)
    .$if(f.projectId !== undefined, (q) => q.where('project_id', '=', f.projectId!))
    .where(cond.where)
    .$if(timed, (q) => q.select('at'))
    .execute();
  const out: DeviceRow[] = [];
  for (const r of rows) {
    if (cond.keep && !cond.keep(r.at!)) continue;
    out.push({
      itemId: r.license_item_id,
      projectId: r.project_id,
      fingerprint: r.fingerprint!,
      t: perInstant ? r.at! : null,
    });
  }
  return out;
}
