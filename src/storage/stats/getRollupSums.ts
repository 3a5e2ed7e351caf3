/** Sums of the quarter-hour rollups over a quarter-aligned range, optionally per quarter. */
import type { Range } from '../../core/stats/read-plan.ts';
import type { Executor } from '../executor.ts';
import type { SumRow, UsageFilter } from './filter.ts';

export async function getRollupSums(
  db: Executor,
  f: UsageFilter,
  range: Range,
  perQuarter: boolean,
): Promise<SumRow[]> {
  if (f.itemIds.length === 0 || f.kinds.length === 0) return [];
  const rows = await db
    .selectFrom('usage_rollups')
    .select(['license_item_id', 'project_id', 'kind'])
    .select((eb) => eb.fn.sum<number | string>('value').as('value'))
    .where('organization_id', '=', f.organizationId)
    .where('license_item_id', 'in', [...f.itemIds])
    .where('kind', 'in', [...f.kinds])
    .$if(f.projectId !== undefined, (q) => q.where('project_id', '=', f.projectId!))
    .$if(range.from !== null, (q) => q.where('bucket', '>=', range.from!))
    .$if(range.to !== null, (q) => q.where('bucket', '<', range.to!))
    .groupBy(['license_item_id', 'project_id', 'kind'])
    .$if(perQuarter, (q) => q.select('bucket').groupBy('bucket'))
    .execute();
  return rows.map((r) => ({
    itemId: r.license_item_id,
    projectId: r.project_id === '' ? null : r.project_id,
    kind: r.kind,
    t: r.bucket ?? null,
    value: Number(r.value),
  }));
}
