/**
 * Peak concurrency: the most seat-holding sessions at any instant of each bucket. A session holds
 * its seat over [start, end); the caller derives `end` (ended, lease expired, or now).
 */
import type { Bucket } from '../time-buckets.ts';

export interface SeatInterval {
  start: number;
  end: number;
}

export function peakPerBucket(buckets: readonly Bucket[], intervals: readonly SeatInterval[]): number[] {
  // Sweep line: at equal times releases come before acquisitions (half-open intervals).
  const events: [number, number][] = [];
  for (const s of intervals) {
    if (s.end <= s.start) continue;
    events.push([s.start, 1], [s.end, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = new Array<number>(buckets.length).fill(0);
  let level = 0;
  let e = 0;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    // apply everything up to and including the bucket start: the level held at b.start
    while (e < events.length && events[e]![0] <= b.start) level += events[e++]![1];
    let peak = level;
    while (e < events.length && events[e]![0] < b.end) {
      level += events[e++]![1];
      if (level > peak) peak = level;
    }
    out[i] = peak;
  }
  return out;
}
