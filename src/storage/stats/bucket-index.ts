/**
 * Folding in SQL: an expression giving, for a row's time, the index of the bucket it is folded
 * into, or NULL when that time is not to be read at this level. Rows are then summed or counted
 * per bucket by the database, and only one row per (key, bucket) crosses into JavaScript: a year
 * of weekly points is 52 rows per item instead of thousands of hour and day rows.
 *
 * The expression is a balanced CASE over the breakpoints of the buckets and of the ranges read,
 * so each row costs log2(breakpoints) comparisons. Boundaries are inlined as integer literals
 * (instants in ms, never user text), which keeps bind parameters for the filters.
 */
import { type RawBuilder, sql } from 'kysely';
import { inRanges, type Range } from '../../core/stats/read-plan.ts';
import { type Bucket, bucketIndex } from '../../core/time-buckets.ts';
import type { TimeGrouping } from './filter.ts';

/** More buckets than this are folded in JavaScript from per-unit rows (a year of 2-hour rows). */
export const MAX_SQL_BUCKETS = 400;

interface Segment {
  start: number;
  /** bucket index, or null: not read here */
  index: number | null;
}

function segments(buckets: readonly Bucket[], ranges: readonly Range[]): Segment[] {
  const points = new Set<number>();
  for (const b of buckets) points.add(b.start).add(b.end);
  for (const r of ranges) {
    if (r.from !== null) points.add(r.from);
    if (r.to !== null) points.add(r.to);
  }
  const sorted = [...points].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (const p of sorted) {
    const index = inRanges(ranges, p) ? bucketIndex(buckets, p) : -1;
    const v = index < 0 ? null : index;
    if (out.length === 0 || out[out.length - 1]!.index !== v) out.push({ start: p, index: v });
  }
  return out;
}

export function bucketIndexSql(
  column: string,
  buckets: readonly Bucket[],
  ranges: readonly Range[],
): RawBuilder<number | null> {
  const segs = segments(buckets, ranges);
  // Written as text, not as Kysely nodes: a year of weeks is hundreds of nested CASEs, and a
  // tree of sql`` fragments per query cost more to build and compile than the query's own run.
  // Everything inlined is a number made here; the column is one of ours ('bucket', 'at').
  if (!/^[a-z_]+$/.test(column)) throw new Error(`bucketIndexSql: unexpected column ${column}`);
  const col = `"${column}"`;
  const build = (lo: number, hi: number): string => {
    if (lo === hi) return segs[lo]!.index === null ? 'null' : String(segs[lo]!.index);
    const mid = (lo + hi + 1) >> 1;
    return `case when ${col} < ${segs[mid]!.start} then ${build(lo, mid - 1)} else ${build(mid, hi)} end`;
  };
  for (const seg of segs)
    if (!Number.isSafeInteger(seg.start)) throw new Error(`bucketIndexSql: ${seg.start} is not an instant`);
  // before the first breakpoint nothing is read
  return sql.raw<number | null>(
    `case when ${col} < ${segs[0]?.start ?? 0} then null else ${segs.length ? build(0, segs.length - 1) : 'null'} end`,
  );
}

/**
 * The time a grouped row stands for: the bucket start (per bucket), the unit or instant (per
 * unit), null (totals); undefined when the row is outside what was to be read.
 */
export function timeOfRow(
  g: TimeGrouping,
  unit: number | null | undefined,
  index: number | string | null | undefined,
  keep: ((t: number) => boolean) | null,
): number | null | undefined {
  if (g.by === 'bucket')
    return index === null || index === undefined ? undefined : g.buckets[Number(index)]!.start;
  if (keep && !keep(unit!)) return undefined;
  return g.by === 'unit' ? unit! : null;
}
