/** Pie and series assembly: every known key listed in a stable order, zeros included. */
import { type Pie, type PieSlice, SLICE_KEYS, type TrendSeries } from '../../contract/stats.ts';
import { TOTAL_LABEL } from './figures.ts';

export interface KeyLabel {
  key: string;
  label: string;
}

export function pieOf(
  keys: readonly KeyLabel[],
  values: ReadonlyMap<string, number>,
  total: number,
  window: Pie['window'],
  extra: PieSlice[] = [],
): Pie {
  return {
    slices: [...keys.map(({ key, label }) => ({ key, label, value: values.get(key) ?? 0 })), ...extra],
    total,
    window,
  };
}

export function seriesOf(
  keys: readonly KeyLabel[],
  values: ReadonlyMap<string, number[]>,
  length: number,
): TrendSeries[] {
  return keys.map(({ key, label }) => ({
    key,
    label,
    values: values.get(key) ?? new Array<number>(length).fill(0),
  }));
}

/** Per-bucket sum of several series. */
export function addSeries(series: readonly (readonly number[])[], length: number): number[] {
  const out = new Array<number>(length).fill(0);
  for (const s of series) for (let i = 0; i < length; i++) out[i]! += s[i] ?? 0;
  return out;
}

/** The series of `keys`, followed by their per-bucket total. */
export function seriesWithTotal(
  keys: readonly KeyLabel[],
  values: ReadonlyMap<string, number[]>,
  length: number,
): TrendSeries[] {
  const s = seriesOf(keys, values, length);
  const total = addSeries(
    s.map((x) => x.values),
    length,
  );
  return [...s, { key: SLICE_KEYS.total, label: TOTAL_LABEL, values: total }];
}

export const totalsOf = (series: ReadonlyMap<string, number[]>): Map<string, number> =>
  new Map([...series].map(([k, v]) => [k, v.reduce((a, b) => a + b, 0)]));
