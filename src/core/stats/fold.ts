/**
 * Folding rows read from rollups (one per UTC quarter hour) or the ledger (one per event time)
 * into the buckets shown. Queries stay one per series type whatever the number of buckets;
 * the fold is linear in the rows and logarithmic in the buckets.
 */
import { type Bucket, bucketIndex } from '../time-buckets.ts';

export interface TimedValue {
  key: string;
  /** an instant inside the row's quarter hour (its start) or the event time */
  t: number;
  value: number;
}

/** Sums per key and bucket; keys listed in `keys` are present even when empty. */
export function foldSums(
  buckets: readonly Bucket[],
  rows: Iterable<TimedValue>,
  keys: Iterable<string> = [],
): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const series = (k: string) => {
    let s = out.get(k);
    if (!s) {
      s = new Array<number>(buckets.length).fill(0);
      out.set(k, s);
    }
    return s;
  };
  for (const k of keys) series(k);
  for (const r of rows) {
    const i = bucketIndex(buckets, r.t);
    if (i >= 0) series(r.key)[i]! += r.value;
  }
  return out;
}

export interface TimedDevice {
  key: string;
  t: number;
  fingerprint: string;
}

/**
 * Distinct devices per key and bucket, and per bucket over all keys (`total`): a device seen
 * twice in a bucket, or under two keys, counts once.
 */
export function foldDistinct(
  buckets: readonly Bucket[],
  rows: Iterable<TimedDevice>,
  keys: Iterable<string> = [],
): { perKey: Map<string, number[]>; total: number[] } {
  const sets = new Map<string, Set<string>[]>();
  const all: Set<string>[] = buckets.map(() => new Set<string>());
  const setsOf = (k: string) => {
    let s = sets.get(k);
    if (!s) {
      s = buckets.map(() => new Set<string>());
      sets.set(k, s);
    }
    return s;
  };
  for (const k of keys) setsOf(k);
  for (const r of rows) {
    const i = bucketIndex(buckets, r.t);
    if (i < 0) continue;
    setsOf(r.key)[i]!.add(r.fingerprint);
    all[i]!.add(r.fingerprint);
  }
  const perKey = new Map<string, number[]>();
  for (const [k, s] of sets)
    perKey.set(
      k,
      s.map((x) => x.size),
    );
  return { perKey, total: all.map((x) => x.size) };
}

export const sumOf = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
