/**
 * Sums straight from the ledger over short ranges: the unaligned edges of a window (less than a
 * quarter hour each), or a whole window whose buckets are not quarter-aligned.
 */
import type { Range } from '../../core/stats/read-plan.ts';
import type { Executor } from '../executor.ts';
import { bucketIndexSql, timeOfRow } from './bucket-index.ts';
import type { SumRow, TimeGrouping, UsageFilter } from './filter.ts';
import { rangeCondition } from './ranges.ts';

export async function getLedgerSums(
  db: Executor,
  f: UsageFilter,
  ranges: readonly Range[],
  g: TimeGrouping,
): Promise<SumRow[]> {
  if (f.itemIds.length === 0 || f.kinds.length === 0 || ranges.length === 0) return [];
  const cond = rangeCondition('at', ranges, null);
  const index = g.by === 'bucket' ? bucketIndexSql('at', g.buckets, ranges) : null;
  const perInstant = index === null && (g.by === 'unit' || cond.keep !== null);
  const rows = await db
    .selectFrom('usage_events')
    .select(['license_item_id', 'project_id', 'kind'])
    .select((eb) => eb.fn.sum<number | string>('count').as('value'))
    .where('organization_id', '=', f.organizationId)
    .where('license_item_id', 'in', [...f.itemIds])
    .where('kind', 'in', [...f.kinds])
    .$if(f.projectId !== undefined, (q) => q.where('project_id', '=', f.projectId!))
    .where(cond.where)
    .groupBy(['license_item_id', 'project_id', 'kind'])
    .$if(perInstant, (q) => q.select('at').groupBy('at'))
    .$if(index !== null, (q) => q.select(index!.as('bucket_index')).groupBy(index!))
    .execute();
  const out: SumRow[] = [];
  for (const r of rows) {
    const t = timeOfRow(g, r.at, r.bucket_index, cond.keep);
    if (t === undefined) continue;
    out.push({
      itemId: r.license_item_id,
      projectId: r.project_id,
      kind: r.kind,
      t,
      value: Number(r.value),
    });
  }
  return out;
}
