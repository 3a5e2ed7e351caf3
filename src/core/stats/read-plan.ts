/**
 * Which part of a window is read from which rollup level and which from the raw ledger.
 * Rollups hold whole UTC units (quarter hour, hour, day), so a level answers exactly for the part
 * of a window made of its whole units. A window is split from the outside in: the ledger for the
 * minutes up to the first quarter, quarters up to the first whole hour, hours up to the first
 * whole day, days for the rest (and the mirror image at the end). Cost then follows the number
 * of units shown, not the number of events stored.
 *
 * Timed reads (rows folded into buckets) split each bucket on its own, so every row read lies
 * inside one bucket: a week in Berlin is read as days plus the hour or two around its local
 * midnights. A bucket boundary that is not on a quarter hour (historical local mean time) simply
 * sends that bucket's edges to the ledger.
 */
import type { Bucket } from '../time-buckets.ts';

/** A half-open range of instants; null = unbounded on that side. */
export interface Range {
  from: number | null;
  to: number | null;
}

export interface ReadPlan {
  /** ranges per rollup unit (ms), in the order of the units given; merged and sorted */
  levels: Range[][];
  raw: Range[];
}

// + 0 turns -0 into 0 (instants before 1970 only occur in tests)
const ceilTo = (ms: number, unit: number): number => Math.ceil(ms / unit) * unit + 0;
const floorTo = (ms: number, unit: number): number => Math.floor(ms / unit) * unit + 0;

/** Splits one window into `plan` (units ascending, each a multiple of the one before). */
function splitInto(window: Range, units: readonly number[], plan: ReadPlan): void {
  let { from: lo, to: hi } = window;
  // -1 = the ledger; i = units[i]
  let level = -1;
  const put = (r: Range) => {
    if (r.from !== null && r.to !== null && r.from >= r.to) return;
    (level < 0 ? plan.raw : plan.levels[level]!).push(r);
  };
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    const a = lo === null ? null : ceilTo(lo, u);
    const b = hi === null ? null : floorTo(hi, u);
    if (a !== null && b !== null && a >= b) break; // no whole unit inside: stays one level finer
    if (lo !== null && a !== null && a > lo) put({ from: lo, to: a });
    if (hi !== null && b !== null && b < hi) put({ from: b, to: hi });
    lo = a;
    hi = b;
    level = i;
  }
  put({ from: lo, to: hi });
}

/** Sorts and joins touching ranges (a bucket's end is the next one's start). */
function merge(ranges: Range[]): Range[] {
  ranges.sort((x, y) => (x.from ?? -Infinity) - (y.from ?? -Infinity));
  const out: Range[] = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && last.to !== null && r.from !== null && last.to === r.from) last.to = r.to;
    else out.push({ ...r });
  }
  return out;
}

const emptyPlan = (units: readonly number[]): ReadPlan => ({ levels: units.map(() => []), raw: [] });

/** The plan of one window read as a whole (untimed: totals over the window). */
export function readPlan(window: Range, units: readonly number[]): ReadPlan {
  const plan = emptyPlan(units);
  splitInto(window, units, plan);
  return { levels: plan.levels.map(merge), raw: merge(plan.raw) };
}

/** The plan of consecutive buckets whose rows are folded per bucket: no row straddles two. */
export function bucketsReadPlan(buckets: readonly Bucket[], units: readonly number[]): ReadPlan {
  const plan = emptyPlan(units);
  for (const b of buckets) splitInto({ from: b.start, to: b.end }, units, plan);
  return { levels: plan.levels.map(merge), raw: merge(plan.raw) };
}

/** True when `t` lies in one of the sorted, disjoint `ranges`. */
export function inRanges(ranges: readonly Range[], t: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid]!;
    if (r.from !== null && t < r.from) hi = mid - 1;
    else if (r.to !== null && t >= r.to) lo = mid + 1;
    else return true;
  }
  return false;
}

/** A range moved back after snapping: read once, taken from bucket `giver`, added to `taker` (-1: no bucket). */
export interface Move {
  range: Bucket;
  giver: number;
  taker: number;
}

export interface SnappedBuckets {
  /** the buckets with each boundary moved to the nearest whole `unit` (same count; some may be empty) */
  snapped: Bucket[];
  /** sorted and disjoint */
  moves: Move[];
}

/**
 * For sums only (a sum can be taken back; a set of devices cannot). Consecutive buckets of at
 * least one `unit` each get their boundaries moved to the nearest whole unit, so each is read as
 * whole units of that level; what a moved boundary gave to the wrong side is read once, at the
 * finer levels, and moved back: subtracted from the bucket that got it, added to the one it
 * belongs to. A Berlin week is then seven day rows plus one hour row at each end, instead of six
 * days, three 6-hour rows and six hour rows. Null when the buckets do not qualify.
 */
export function snapBuckets(buckets: readonly Bucket[], unit: number): SnappedBuckets | null {
  if (buckets.length === 0) return null;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i]!;
    if (b.end - b.start < unit) return null;
    if (i > 0 && buckets[i - 1]!.end !== b.start) return null;
  }
  const snap = (x: number) => Math.floor((x + unit / 2) / unit) * unit + 0;
  const bounds = [...buckets.map((b) => b.start), buckets[buckets.length - 1]!.end];
  const moves: Move[] = [];
  bounds.forEach((x, k) => {
    const s = snap(x);
    const left = k - 1; // -1 before the first bucket
    const right = k < buckets.length ? k : -1; // -1 after the last
    // snapped forward: [x, s) was read into the left bucket and belongs to the right one
    if (s > x) moves.push({ range: { start: x, end: s }, giver: left, taker: right });
    if (s < x) moves.push({ range: { start: s, end: x }, giver: right, taker: left });
  });
  const snapped = buckets.map((b) => ({ start: snap(b.start), end: snap(b.end) }));
  return { snapped, moves };
}
