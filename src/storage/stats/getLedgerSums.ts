/**
 * Sums straight from the ledger over short ranges: the unaligned edges of a window (less than a
 * quarter hour each), or a whole window whose buckets are not quarter-aligned.
 */
import type { Range } from '../../core/stats/read-plan.ts';
import type { Executor } from '../executor.ts';
import type { SumRow, UsageFilter } from './filter.ts';

export async function getLedgerSums(
  db: Executor,
  f: UsageFilter,
  ranges: readonly Range[],
  perInstant: boolean,
): Promise<SumRow[]> {
  if (f.itemIds.length === 0 || f.kinds.length === 0 || ranges.length === 0) return [];
  const rows = await db
    .selectFrom('usage_events')
    .select(['license_item_id', 'project_id', 'kind'])
    .select((eb) => eb.fn.sum<number | string>('count').as('value'))
    .where('organization_id', '=', f.organizationId)
    .where('license_item_id', 'in', [...f.itemIds])
    .where('kind', 'in', [...f.kinds])
    .$if(f.projectId !== undefined, (q) => q.where('project_id', '=', f.projectId!))
    .where((eb) =>
      eb.or(
        ranges.map((r) =>
          eb.and([
            ...(r.from !== null ? [eb('at', '>=', r.from)] : []),
            ...(r.to !== null ? [eb('at', '<', r.to)] : []),
          ]),
        ),
      ),
    )
    .groupBy(['license_item_id', 'project_id', 'kind'])
    .$if(perInstant, (q) => q.select('at').groupBy('at'))
    .execute();
  return rows.map((r) => ({
    itemId: r.license_item_id,
    projectId: r.project_id,
    kind: r.kind,
    t: r.at ?? null,
    value: Number(r.value),
  }));
}
