/**
 * Utilization histogram of a seat item: for k = 0 … quota, how long exactly k seats were held
 * during a window. A session holds its seat over the half-open [start, end) (the caller derives
 * end = min(ended, lease expiry, now)), so at equal instants releases come before acquisitions.
 * Levels above the quota (possible only after a vendor lowered it) count in the top bucket.
 */
import type { SeatInterval } from '../stats/peak.ts';

export interface UtilizationBucket {
  /** seats held */
  seats: number;
  /** milliseconds of the window spent at exactly this level */
  ms: number;
  /** share of the window in percent, one decimal; the shares sum to exactly 100 (0 for an empty window) */
  pct: number;
}

export function utilization(
  intervals: readonly SeatInterval[],
  window: { from: number; to: number },
  quota: number,
): UtilizationBucket[] {
  const top = Math.max(0, quota);
  const ms = new Array<number>(top + 1).fill(0);
  const { from, to } = window;
  if (to > from) {
    const events: [number, number][] = [];
    for (const s of intervals) {
      const a = Math.max(s.start, from);
      const b = Math.min(s.end, to);
      if (b > a) events.push([a, 1], [b, -1]);
    }
    events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    let level = 0;
    let t = from;
    for (const [at, delta] of events) {
      ms[Math.min(level, top)]! += at - t;
      t = at;
      level += delta;
    }
    ms[Math.min(level, top)]! += to - t;
  }
  const pct = sharesOf(ms);
  return ms.map((v, seats) => ({ seats, ms: v, pct: pct[seats]! }));
}

/**
 * Percent shares with one decimal that sum to exactly 100.0 (largest remainder method), so a
 * histogram never reads 99.9% or 100.1% in total; all zeros when the parts are all zero.
 */
export function sharesOf(parts: readonly number[]): number[] {
  const total = parts.reduce((a, b) => a + b, 0);
  if (total <= 0) return parts.map(() => 0);
  const exact = parts.map((p) => (p * 1000) / total); // in tenths of a percent
  const floor = exact.map(Math.floor);
  let left = 1000 - floor.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - floor[i]!, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    floor[i]!++;
    left--;
  }
  return floor.map((f) => f / 10);
}
