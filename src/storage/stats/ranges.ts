/**
 * A list of time ranges as a WHERE condition on one column. Few ranges: an OR of bounds. Many
 * small ranges of whole units (a year of weeks leaves an hour or two at each local midnight):
 * `column IN (unit starts)`, which both databases answer with index seeks. Otherwise the covering
 * range, and the caller keeps only rows inside the ranges (`keep`) — also when the ranges cover
 * most of it (a year of weeks is mostly whole days), as a scan is then cheaper than the seeks.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { inRanges, type Range } from '../../core/stats/read-plan.ts';

const MAX_OR = 8;
const MAX_IN = 4000;
// measured on SQLite: an index seek costs several scanned rows (more when the scan also
// evaluates the bucket CASE)
const DENSE = 0.2;

export interface RangeCondition {
  where: <DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool>;
  /** null when the condition is exact; else a filter on the row's time */
  keep: ((t: number) => boolean) | null;
}

export function rangeCondition(
  column: string,
  ranges: readonly Range[],
  unit: number | null,
): RangeCondition {
  const bounded = (r: Range) => r.from !== null && r.to !== null;
  const orOf: RangeCondition['where'] = (eb) =>
    eb.or(
      ranges.map((r) =>
        eb.and([
          ...(r.from !== null ? [eb(eb.ref(column as never), '>=', r.from as never)] : []),
          ...(r.to !== null ? [eb(eb.ref(column as never), '<', r.to as never)] : []),
        ]),
      ),
    );
  if (ranges.length <= MAX_OR || !ranges.every(bounded)) return { where: orOf, keep: null };
  const from = ranges[0]!.from!;
  const to = ranges[ranges.length - 1]!.to!;
  if (unit !== null) {
    let n = 0;
    for (const r of ranges) n += (r.to! - r.from!) / unit;
    // seeks cost several times a scanned row: a range mostly covered is scanned instead
    if (n <= MAX_IN && n < DENSE * ((to - from) / unit)) {
      const starts: number[] = [];
      for (const r of ranges) for (let t = r.from!; t < r.to!; t += unit) starts.push(t);
      return { where: (eb) => eb(eb.ref(column as never), 'in', starts as never), keep: null };
    }
  }
  return {
    where: (eb) =>
      eb.and([
        eb(eb.ref(column as never), '>=', from as never),
        eb(eb.ref(column as never), '<', to as never),
      ]),
    keep: (t) => inRanges(ranges, t),
  };
}
