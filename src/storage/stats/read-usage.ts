/**
 * Reads a window's sums or devices: the quarter-aligned interior from the rollups, unaligned
 * edges from the ledger (see core/stats/read-plan.ts). The caller folds rows into its buckets.
 */
import { type Range, readPlan } from '../../core/stats/read-plan.ts';
import type { Executor } from '../executor.ts';
import type { DeviceRow, SumRow, UsageFilter } from './filter.ts';
import { getDevicePresence } from './getDevicePresence.ts';
import { getLedgerDevices } from './getLedgerDevices.ts';
import { getLedgerSums } from './getLedgerSums.ts';
import { getRollupSums } from './getRollupSums.ts';

export interface ReadOptions {
  /** group rows by time (quarter or event instant) so they can be folded into buckets */
  timed: boolean;
  /** false when some bucket boundary inside the window is not on a quarter hour */
  innerAligned?: boolean;
}

export async function readSums(
  db: Executor,
  f: UsageFilter,
  window: Range,
  o: ReadOptions,
): Promise<SumRow[]> {
  const plan = readPlan(window, o.innerAligned ?? true);
  const [a, b] = await Promise.all([
    plan.rollup ? getRollupSums(db, f, plan.rollup, o.timed) : [],
    getLedgerSums(db, f, plan.raw, o.timed),
  ]);
  return [...a, ...b];
}

export async function readDevices(
  db: Executor,
  f: Omit<UsageFilter, 'kinds'>,
  window: Range,
  o: ReadOptions,
): Promise<DeviceRow[]> {
  const plan = readPlan(window, o.innerAligned ?? true);
  const [a, b] = await Promise.all([
    plan.rollup ? getDevicePresence(db, f, plan.rollup, o.timed) : [],
    getLedgerDevices(db, f, plan.raw, o.timed),
  ]);
  return [...a, ...b];
}
