/**
 * GET /license-items/{id}/stats: pies (All History, period, today), the trend over the period and,
 * for multi-user items, peak concurrent seats. A handful of queries whatever the period length:
 * one per window and series type; rows are folded into buckets in JS.
 */

import type { LicenseModel } from '../../contract/domain.ts';
import { UNASSIGNED } from '../../contract/domain.ts';
import { type ItemStatsResponse, type Pie, type Pies, SLICE_KEYS, type Trend } from '../../contract/stats.ts';
import {
  deviceRemainingLabel,
  measureOf,
  OUTCOME_KEYS,
  OUTCOME_LABELS,
  outcomeContributions,
  PEAK_LABEL,
  quotaTypeOf,
  REMAINING_LABEL,
  SCAN_KINDS,
  START_KINDS,
  TOTAL_LABEL,
  UNASSIGNED_LABEL,
} from '../../core/stats/figures.ts';
import { foldSums, type TimedValue } from '../../core/stats/fold.ts';
import { peakPerBucket } from '../../core/stats/peak.ts';
import { describeBuckets, describePeriod, isoInZone, type ResolvedPeriod } from '../../core/stats/period.ts';
import { type KeyLabel, pieOf, seriesOf, seriesWithTotal, totalsOf } from '../../core/stats/pie.ts';
import type { Range } from '../../core/stats/read-plan.ts';
import { periodBuckets } from '../../core/stats/zoned.ts';
import type { Bucket } from '../../core/time-buckets.ts';
import type { LicenseItemRow } from '../catalog-repository.ts';
import type { Executor } from '../executor.ts';
import { countDevices } from './count-devices.ts';
import type { SumRow } from './filter.ts';
import { getItemProjects } from './getItemProjects.ts';
import { getProjectNames } from './getProjectNames.ts';
import { getSeatIntervals } from './getSeatIntervals.ts';
import { currentUsage } from './item-usage.ts';
import { type ReadTarget, readSums } from './read-usage.ts';

const ALL_HISTORY: Range = { from: null, to: null };
const projectKey = (projectId: string | null): string => projectId ?? UNASSIGNED;

interface Ctx {
  db: Executor;
  item: LicenseItemRow;
  p: ResolvedPeriod;
  now: number;
  buckets: Bucket[];
}

export async function buildItemStats(
  db: Executor,
  item: LicenseItemRow,
  p: ResolvedPeriod,
  now: number,
): Promise<ItemStatsResponse> {
  const model = item.model as LicenseModel;
  const measure = measureOf(model);
  const base = {
    licenseItem: {
      id: item.id,
      name: item.name,
      model,
      quota: item.quota,
      quotaType: quotaTypeOf(model),
    },
    measure,
    period: describePeriod(p),
  };
  if (measure === 'none')
    return { ...base, applicable: false, pies: null, trend: null, peakConcurrent: null };
  const buckets = periodBuckets(p.from, p.to, p.granularity, p.tz);
  const ctx: Ctx = { db, item, p, now, buckets };
  const figures =
    measure === 'starts'
      ? await seatFigures(ctx)
      : measure === 'scans'
        ? await scanFigures(ctx)
        : await deviceFigures(ctx);
  return { ...base, applicable: true, ...figures };
}

type Figures = Pick<ItemStatsResponse, 'pies' | 'trend' | 'peakConcurrent'>;

const win = (ctx: Ctx, r: { start: number; end: number }): Pie['window'] => ({
  start: isoInZone(r.start, ctx.p.tz),
  end: isoInZone(r.end, ctx.p.tz),
});
const periodWindow = (ctx: Ctx) => win(ctx, { start: ctx.p.from, end: ctx.p.to });

/** Configured projects (by name), then other projects found in the usage, then unassigned. */
async function projectKeys(ctx: Ctx, seen: Iterable<string>): Promise<KeyLabel[]> {
  const org = ctx.item.organization_id;
  const configured = await getItemProjects(ctx.db, { organizationId: org, itemId: ctx.item.id });
  const known = new Set(configured.map((c) => c.id));
  const others = [...new Set(seen)].filter((k) => k !== UNASSIGNED && !known.has(k)).sort();
  const names = await getProjectNames(ctx.db, { organizationId: org, ids: others });
  return [
    ...configured.map((c) => ({ key: c.id, label: c.name })),
    ...others.map((k) => ({ key: k, label: names.get(k) ?? k })),
    { key: UNASSIGNED, label: UNASSIGNED_LABEL },
  ];
}

function totalsByKey(rows: readonly SumRow[], keyOf: (r: SumRow) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(keyOf(r), (out.get(keyOf(r)) ?? 0) + r.value);
  return out;
}

const sumValues = (m: ReadonlyMap<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);

function remainingSlice(quota: number, used: number, label = REMAINING_LABEL) {
  return [{ key: SLICE_KEYS.remaining, label, value: Math.max(0, quota - used) }];
}

async function scanFigures(ctx: Ctx): Promise<Figures> {
  const { db, item, p, buckets } = ctx;
  const f = { organizationId: item.organization_id, itemIds: [item.id], kinds: SCAN_KINDS };
  const [periodRows, todayRows, allRows, used] = await Promise.all([
    readSums(db, f, { buckets }),
    readSums(db, f, { window: { from: p.today.start, to: p.today.end } }),
    readSums(db, f, { window: ALL_HISTORY }),
    currentUsage(db, item, ctx.now),
  ]);
  const timed: TimedValue[] = periodRows.map((r) => ({
    key: projectKey(r.projectId),
    t: r.t!,
    value: r.value,
  }));
  const series = foldSums(buckets, timed);
  const today = totalsByKey(todayRows, (r) => projectKey(r.projectId));
  const all = totalsByKey(allRows, (r) => projectKey(r.projectId));
  const keys = await projectKeys(ctx, [...series.keys(), ...today.keys(), ...all.keys()]);
  const periodTotals = totalsOf(series);
  const pies: Pies = {
    allHistory: pieOf(keys, all, sumValues(all), null, remainingSlice(item.quota, used)),
    period: pieOf(keys, periodTotals, sumValues(periodTotals), periodWindow(ctx)),
    today: pieOf(keys, today, sumValues(today), win(ctx, p.today)),
  };
  const trend: Trend = {
    granularity: p.granularity,
    intervals: describeBuckets(buckets, p.tz),
    series: seriesWithTotal(keys, series, buckets.length),
    seatCount: null,
  };
  return { pies, trend, peakConcurrent: null };
}

/** Device counts keyed by project id ('' = unassigned) → keyed as the pies and series are. */
function byProjectKey<T>(m: ReadonlyMap<string, T>): Map<string, T> {
  return new Map([...m].map(([k, v]) => [projectKey(k === '' ? null : k), v]));
}

async function deviceFigures(ctx: Ctx): Promise<Figures> {
  const { db, item, p, buckets } = ctx;
  const f = { organizationId: item.organization_id, itemIds: [item.id] };
  const count = async (target: ReadTarget) => {
    const c = await countDevices(db, f, target, 'project');
    return { perKey: byProjectKey(c.perKey), total: c.total };
  };
  const first = (c: { perKey: Map<string, number[]>; total: number[] }) => ({
    perKey: new Map([...c.perKey].map(([k, v]) => [k, v[0]!])),
    total: c.total[0]!,
  });
  const [trendFold, periodCounts, todayCounts, allCounts, used] = await Promise.all([
    count({ buckets }),
    count({ window: { from: p.from, to: p.to } }),
    count({ window: { from: p.today.start, to: p.today.end } }),
    count({ window: ALL_HISTORY }),
    currentUsage(db, item, ctx.now),
  ]);
  const period = first(periodCounts);
  const today = first(todayCounts);
  const all = first(allCounts);
  const keys = await projectKeys(ctx, [...all.perKey.keys()]);
  const pies: Pies = {
    allHistory: pieOf(
      keys,
      all.perKey,
      all.total,
      null,
      remainingSlice(item.quota, used, deviceRemainingLabel(item.quota, used)),
    ),
    period: pieOf(keys, period.perKey, period.total, periodWindow(ctx)),
    today: pieOf(keys, today.perKey, today.total, win(ctx, p.today)),
  };
  const trend: Trend = {
    granularity: p.granularity,
    intervals: describeBuckets(buckets, p.tz),
    series: [
      ...seriesOf(keys, trendFold.perKey, buckets.length),
      { key: SLICE_KEYS.total, label: TOTAL_LABEL, values: trendFold.total },
    ],
    seatCount: null,
  };
  return { pies, trend, peakConcurrent: null };
}

/** Program starts split into the disjoint outcomes full / limited (not activated) / declined. */
function outcomeRows(rows: readonly SumRow[]): TimedValue[] {
  const out: TimedValue[] = [];
  for (const r of rows)
    for (const [key, sign] of outcomeContributions(r.kind))
      out.push({ key, t: r.t ?? 0, value: sign * r.value });
  return out;
}

const outcomeTotals = (rows: readonly SumRow[]): Map<string, number> => {
  const m = new Map<string, number>();
  for (const r of outcomeRows(rows)) m.set(r.key, (m.get(r.key) ?? 0) + r.value);
  return m;
};

async function seatFigures(ctx: Ctx): Promise<Figures> {
  const { db, item, p, buckets } = ctx;
  const f = { organizationId: item.organization_id, itemIds: [item.id], kinds: START_KINDS };
  const multi = item.model === 'multi-user';
  const [periodRows, todayRows, allRows, seats] = await Promise.all([
    readSums(db, f, { buckets }),
    readSums(db, f, { window: { from: p.today.start, to: p.today.end } }),
    readSums(db, f, { window: ALL_HISTORY }),
    multi
      ? getSeatIntervals(db, {
          organizationId: item.organization_id,
          itemId: item.id,
          from: p.from,
          to: p.to,
          now: ctx.now,
        })
      : Promise.resolve([]),
  ]);
  const keys: KeyLabel[] = OUTCOME_KEYS.map((k) => ({ key: k, label: OUTCOME_LABELS[k] }));
  const series = foldSums(buckets, outcomeRows(periodRows), OUTCOME_KEYS);
  const periodTotals = totalsOf(series);
  const today = outcomeTotals(todayRows);
  const all = outcomeTotals(allRows);
  const pies: Pies = {
    allHistory: pieOf(keys, all, sumValues(all), null),
    period: pieOf(keys, periodTotals, sumValues(periodTotals), periodWindow(ctx)),
    today: pieOf(keys, today, sumValues(today), win(ctx, p.today)),
  };
  const trendSeries = seriesWithTotal(keys, series, buckets.length);
  let peakConcurrent: number | null = null;
  if (multi) {
    const peak = peakPerBucket(buckets, seats);
    trendSeries.push({ key: SLICE_KEYS.peak, label: PEAK_LABEL, values: peak });
    peakConcurrent = peak.reduce((a, b) => Math.max(a, b), 0);
  }
  const trend: Trend = {
    granularity: p.granularity,
    intervals: describeBuckets(buckets, p.tz),
    series: trendSeries,
    seatCount: multi ? item.quota : null,
  };
  return { pies, trend, peakConcurrent };
}
