/** Distinct devices from one presence level over ranges of its whole units, optionally per unit. */
import type { Range } from '../../core/stats/read-plan.ts';
import type { Executor } from '../executor.ts';
import type { PresenceTable } from '../rollup-levels.ts';
import { flushRollups } from '../rollup-writer.ts';
import type { DeviceRow, UsageFilter } from './filter.ts';
import { rangeCondition } from './ranges.ts';

export async function getDevicePresence(
  db: Executor,
  level: { table: PresenceTable; unit: number | null },
  f: Omit<UsageFilter, 'kinds'>,
  ranges: readonly Range[],
  perUnit: boolean,
): Promise<DeviceRow[]> {
  await flushRollups(db); // writes a group commit queued on this transaction (rollup-writer.ts)
  if (f.itemIds.length === 0 || ranges.length === 0) return [];
  const cond = rangeCondition('bucket', ranges, level.unit);
  const timed = perUnit || cond.keep !== null;
  const rows = await db
    .selectFrom(level.table as 'device_presence')
    .select(['license_item_id', 'project_id', 'fingerprint'])
    .distinct()
    .where('organization_id', '=', f.organizationId)
    .where('license_item_id', 'in', [...f.itemIds])
    .$if(f.projectId !== undefined, (q) => q.where('project_id', '=', f.projectId!))
    .where(cond.where)
    .$if(timed, (q) => q.select('bucket'))
    .execute();
  const out: DeviceRow[] = [];
  for (const r of rows) {
    if (cond.keep && !cond.keep(r.bucket!)) continue;
    out.push({
      itemId: r.license_item_id,
      projectId: r.project_id === '' ? null : r.project_id,
      fingerprint: r.fingerprint,
      t: perUnit ? r.bucket! : null,
    });
  }
  return out;
}
