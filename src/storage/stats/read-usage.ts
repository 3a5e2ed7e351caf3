/**
 * Reads sums or devices over a window (totals) or over buckets (rows to fold per bucket): each
 * part from the coarsest rollup level whose whole units fit, the unaligned edges from the ledger
 * (see core/stats/read-plan.ts).
 */
import {
  bucketsReadPlan,
  type Range,
  type ReadPlan,
  readPlan,
  type SnappedBuckets,
  snapBuckets,
} from '../../core/stats/read-plan.ts';
import { type Bucket, bucketIndex } from '../../core/time-buckets.ts';
import type { Executor } from '../executor.ts';
import { PRESENCE_ALL, PRESENCE_LEVELS, SUM_ALL, SUM_LEVELS, unitsOf } from '../rollup-levels.ts';
import { MAX_SQL_BUCKETS } from './bucket-index.ts';
import type { DeviceRow, SumRow, TimeGrouping, UsageFilter } from './filter.ts';
import { getDevicePresence } from './getDevicePresence.ts';
import { getLedgerDevices } from './getLedgerDevices.ts';
import { getLedgerSums } from './getLedgerSums.ts';
import { getRollupSums } from './getRollupSums.ts';

/** A window read as a whole (rows without time), or buckets (rows timed, each inside one bucket). */
export type ReadTarget = { window: Range } | { buckets: readonly Bucket[] };

const SUM_UNITS = unitsOf(SUM_LEVELS);
const COARSEST_SUM_UNIT = SUM_UNITS[SUM_UNITS.length - 1]!;
const ALL: Range = { from: null, to: null };
const PRESENCE_UNITS = unitsOf(PRESENCE_LEVELS);

function planOf(target: ReadTarget, units: readonly number[]): { plan: ReadPlan; timed: boolean } {
  if ('buckets' in target) return { plan: bucketsReadPlan(target.buckets, units), timed: true };
  return { plan: readPlan(target.window, units), timed: false };
}

/** Few buckets are summed per bucket in SQL; many (a year of 2-hour rows) per unit, folded after. */
function sumGrouping(target: ReadTarget): TimeGrouping {
  if (!('buckets' in target)) return { by: 'none' };
  return target.buckets.length <= MAX_SQL_BUCKETS
    ? { by: 'bucket', buckets: target.buckets }
    : { by: 'unit' };
}

/** All history: answered by the one-row-per-key level alone. */
export const isAllHistory = (target: ReadTarget): boolean =>
  'window' in target && target.window.from === null && target.window.to === null;

export async function readSums(db: Executor, f: UsageFilter, target: ReadTarget): Promise<SumRow[]> {
  if (isAllHistory(target)) return getRollupSums(db, SUM_ALL, f, [ALL], { by: 'none' });
  if ('buckets' in target) {
    const snap = snapBuckets(target.buckets, COARSEST_SUM_UNIT);
    if (snap) return readSnappedSums(db, f, target.buckets, snap);
  }
  return readPlannedSums(db, f, target);
}

/**
 * Buckets of a day or more (daily and weekly trends): read as whole days with the boundaries
 * snapped to UTC midnights, then the few hours around each local midnight moved back (see
 * snapBuckets). Each row comes out timed at the start of the bucket it belongs to, with a
 * negative value where a range is taken back.
 */
async function readSnappedSums(
  db: Executor,
  f: UsageFilter,
  buckets: readonly Bucket[],
  { snapped, moves }: SnappedBuckets,
): Promise<SumRow[]> {
  const ranges = moves.map((m) => m.range);
  const [whole, moved] = await Promise.all([
    readPlannedSums(db, f, { buckets: snapped }),
    moves.length > 0 ? readPlannedSums(db, f, { buckets: ranges }) : [],
  ]);
  const out: SumRow[] = [];
  for (const r of whole) {
    const i = bucketIndex(snapped, r.t!);
    if (i >= 0) out.push({ ...r, t: buckets[i]!.start });
  }
  for (const r of moved) {
    const m = moves[bucketIndex(ranges, r.t!)];
    if (!m) continue;
    if (m.taker >= 0) out.push({ ...r, t: buckets[m.taker]!.start });
    if (m.giver >= 0) out.push({ ...r, t: buckets[m.giver]!.start, value: -r.value });
  }
  return out;
}

async function readPlannedSums(db: Executor, f: UsageFilter, target: ReadTarget): Promise<SumRow[]> {
  const { plan } = planOf(target, SUM_UNITS);
  const g = sumGrouping(target);
  const parts = await Promise.all([
    ...SUM_LEVELS.map((level, i) => getRollupSums(db, level, f, plan.levels[i]!, g)),
    getLedgerSums(db, f, plan.raw, g),
  ]);
  return parts.flat();
}

export async function readDevices(
  db: Executor,
  f: Omit<UsageFilter, 'kinds'>,
  target: ReadTarget,
): Promise<DeviceRow[]> {
  if (isAllHistory(target)) return getDevicePresence(db, PRESENCE_ALL, f, [ALL], false);
  const { plan, timed } = planOf(target, PRESENCE_UNITS);
  const parts = await Promise.all([
    ...PRESENCE_LEVELS.map((level, i) => getDevicePresence(db, level, f, plan.levels[i]!, timed)),
    getLedgerDevices(db, f, plan.raw, timed),
  ]);
  return parts.flat();
}
