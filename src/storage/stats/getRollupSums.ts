/** Sums of one rollup level over ranges of its whole units: totals, per unit or per bucket. */
import type { Range } from '../../core/stats/read-plan.ts';
import type { Executor } from '../executor.ts';
import type { SumTable } from '../rollup-levels.ts';
import { flushRollups } from '../rollup-writer.ts';
import { bucketIndexSql, timeOfRow } from './bucket-index.ts';
import type { SumRow, TimeGrouping, UsageFilter } from './filter.ts';
import { rangeCondition } from './ranges.ts';

export async function getRollupSums(
  db: Executor,
  level: { table: SumTable; unit: number | null },
  f: UsageFilter,
  ranges: readonly Range[],
  g: TimeGrouping,
): Promise<SumRow[]> {
  await flushRollups(db); // writes a group commit queued on this transaction (rollup-writer.ts)
  if (f.itemIds.length === 0 || f.kinds.length === 0 || ranges.length === 0) return [];
  const cond = rangeCondition('bucket', ranges, level.unit);
  const index = g.by === 'bucket' ? bucketIndexSql('bucket', g.buckets, ranges) : null;
  // a covering range needs the unit on each row to filter it (per bucket, the index filters)
  const perUnit = index === null && (g.by === 'unit' || cond.keep !== null);
  const rows = await db
    .selectFrom(level.table as 'usage_rollups')
    .select(['license_item_id', 'project_id', 'kind'])
    .select((eb) => eb.fn.sum<number | string>('value').as('value'))
    .where('organization_id', '=', f.organizationId)
    .where('license_item_id', 'in', [...f.itemIds])
    .where('kind', 'in', [...f.kinds])
    .$if(f.projectId !== undefined, (q) => q.where('project_id', '=', f.projectId!))
    .where(cond.where)
    .groupBy(['license_item_id', 'project_id', 'kind'])
    .$if(perUnit, (q) => q.select('bucket').groupBy('bucket'))
    .$if(index !== null, (q) => q.select(index!.as('bucket_index')).groupBy(index!))
    .execute();
  const out: SumRow[] = [];
  for (const r of rows) {
    const t = timeOfRow(g, r.bucket, r.bucket_index, cond.keep);
    if (t === undefined) continue;
    out.push({
      itemId: r.license_item_id,
      projectId: r.project_id === '' ? null : r.project_id,
      kind: r.kind,
      t,
      value: Number(r.value),
    });
  }
  return out;
}
