/**
 * Which part of a window is read from the quarter-hour rollups and which from the raw ledger.
 * Rollups hold whole UTC quarter hours, so they answer exactly for the quarter-aligned interior
 * of a window; a window edge that is not on a quarter (an ISO instant like 10:07) is read from
 * the ledger for the few minutes up to the next quarter. When a bucket boundary inside the window
 * is not quarter-aligned (only in historical local mean time), a quarter would straddle two
 * buckets, so the whole window is read from the ledger.
 */
import { type Bucket, QUARTER_MS, quarterOf } from '../time-buckets.ts';

/** A half-open range of instants; null = unbounded on that side. */
export interface Range {
  from: number | null;
  to: number | null;
}

export interface ReadPlan {
  rollup: Range | null;
  raw: Range[];
}

const ceilQuarter = (ms: number): number => {
  const q = quarterOf(ms);
  return q === ms ? q : q + QUARTER_MS;
};

/** True when every boundary between buckets falls on a UTC quarter hour. */
export function innerBoundariesAligned(buckets: readonly Bucket[]): boolean {
  for (let i = 1; i < buckets.length; i++) if (buckets[i]!.start % QUARTER_MS !== 0) return false;
  return true;
}

export function readPlan(window: Range, innerAligned = true): ReadPlan {
  if (!innerAligned) return { rollup: null, raw: [window] };
  const a = window.from === null ? null : ceilQuarter(window.from);
  const b = window.to === null ? null : quarterOf(window.to);
  if (a !== null && b !== null && a >= b) return { rollup: null, raw: [window] };
  const raw: Range[] = [];
  if (window.from !== null && a !== null && a > window.from) raw.push({ from: window.from, to: a });
  if (window.to !== null && b !== null && b < window.to) raw.push({ from: b, to: window.to });
  return { rollup: { from: a, to: b }, raw };
}
