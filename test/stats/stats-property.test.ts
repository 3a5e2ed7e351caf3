/**
 * Property: for random ledgers, zones and periods, every pie slice, trend point, peak, table cell
 * and CSV cell of the statistics API equals a brute-force computation over the raw events and
 * sessions the test wrote; and pies, trend, table and CSV agree with each other.
 */
import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ItemDetailResponse,
  ItemStatsResponse,
  Pie,
  ProjectStatsResponse,
} from '../../src/contract/stats.ts';
import { bearerAs } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { type Documented, documentedAnswers } from '../support/documented.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { ALL, itemWindow, peak, projectWindow, used, type Win } from './brute.ts';
import { MODELS, type World, worldArb, writeWorld, ZONES } from './fixture.ts';

const H = 3_600_000;
const DAY = 24 * H;

interface PeriodCase {
  tz: (typeof ZONES)[number];
  mode: 'default' | 'dates' | 'instants';
  startBack: number;
  span: number;
  granularity: '2h' | 'day' | 'week' | undefined;
}

const periodArb: fc.Arbitrary<PeriodCase> = fc.record({
  tz: fc.constantFrom(...ZONES),
  mode: fc.constantFrom('default', 'dates', 'instants'),
  startBack: fc.integer({ min: 0, max: 75 * DAY }),
  span: fc.oneof(fc.integer({ min: H, max: 8 * DAY }), fc.integer({ min: 8 * DAY, max: 120 * DAY })),
  granularity: fc.constantFrom(undefined, '2h', 'day', 'week'),
});

const localMidnight = (date: Temporal.PlainDate, tz: string) =>
  date.toZonedDateTime({ timeZone: tz }).epochMilliseconds;
const localDate = (ms: number, tz: string) =>
  Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz).toPlainDate();

/** The query string and the window the test expects the server to resolve it to. */
function periodQuery(pc: PeriodCase, now: number): { qs: string; from: number; to: number } {
  const params = new URLSearchParams({ tz: pc.tz });
  let from: number;
  let to: number;
  if (pc.mode === 'default') {
    const today = localDate(now, pc.tz);
    to = localMidnight(today.add({ days: 1 }), pc.tz);
    from = localMidnight(today.add({ days: -29 }), pc.tz);
  } else if (pc.mode === 'dates') {
    const a = localDate(now - pc.startBack, pc.tz);
    const b = a.add({ days: Math.max(1, Math.round(pc.span / DAY)) });
    params.set('from', a.toString());
    params.set('to', b.toString());
    from = localMidnight(a, pc.tz);
    to = localMidnight(b, pc.tz);
  } else {
    // unaligned instants: the window edges are read from the raw ledger
    from = now - pc.startBack - 7_777;
    to = from + pc.span;
    params.set('from', new Date(from).toISOString());
    params.set(
      'to',
      Temporal.Instant.fromEpochMilliseconds(to)
        .toZonedDateTimeISO(pc.tz)
        .toString({ timeZoneName: 'never' }),
    );
  }
  if (pc.granularity && !(pc.granularity === '2h' && to - from > 366 * DAY))
    params.set('granularity', pc.granularity);
  return { qs: params.toString(), from, to };
}

const t0 = (s: string) => Date.parse(s);
const sliceMap = (pie: Pie) => new Map(pie.slices.map((s) => [s.key, s.value]));

function expectPie(pie: Pie, expected: Map<string, number>, total: number, what: string) {
  const got = sliceMap(pie);
  for (const [k, v] of expected) expect(got.get(k) ?? 0, `${what} slice ${k}`).toBe(v);
  for (const [k, v] of got)
    if (k !== 'remaining' && !expected.has(k)) expect(v, `${what} extra slice ${k}`).toBe(0);
  expect(pie.total, `${what} total`).toBe(total);
}

function expectTiling(intervals: { start: string; end: string }[], from: number, to: number) {
  expect(intervals.length).toBeGreaterThan(0);
  expect(t0(intervals[0]!.start)).toBe(from);
  expect(t0(intervals.at(-1)!.end)).toBe(to);
  for (let i = 1; i < intervals.length; i++) expect(intervals[i]!.start).toBe(intervals[i - 1]!.end);
}

describe.each(DIALECTS)('statistics agree with brute force on $name', (dialect) => {
  let t: TestApp;
  let documented: Documented;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
    documented = await documentedAnswers(t.app);
  });
  afterAll(async () => t.close());

  it('item pages, project pages, tables and CSVs', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, periodArb, async (raw, pc) => {
        const w: World = await writeWorld(t, raw);
        const { headers } = await bearerAs(t, 'admin', w.organizationId);
        const now = raw.now;
        const { qs, from, to } = periodQuery(pc, now);
        const today = localDate(now, pc.tz);
        const todayWin: Win = {
          from: localMidnight(today, pc.tz),
          to: localMidnight(today.add({ days: 1 }), pc.tz),
        };
        const periodWin: Win = { from, to };

        for (const [i, model] of MODELS.entries()) {
          const item = w.items[i]!;
          const detail = await t.app.inject({ url: `/api/v1/license-items/${item.id}`, headers });
          expect(detail.statusCode, detail.body).toBe(200);
          const d = (detail.json() as ItemDetailResponse).licenseItem;
          if (model === 'hardware-key') expect(d.usage).toBeNull();
          else {
            expect(d.usage!.value, `${model} usage`).toBe(used(w, i));
            expect(d.usage!.percentage).toBe(
              item.quota > 0 ? Math.round((used(w, i) / item.quota) * 1000) / 10 : null,
            );
          }

          const r = await t.app.inject({ url: `/api/v1/license-items/${item.id}/stats?${qs}`, headers });
          expect(r.statusCode, r.body).toBe(200);
          documented.expectDocumented('GET', '/api/v1/license-items/{id}/stats', 200, r.json());
          const s = r.json() as ItemStatsResponse;
          expect(t0(s.period.from)).toBe(from);
          expect(t0(s.period.to)).toBe(to);
          if (model === 'hardware-key') {
            expect(s.applicable).toBe(false);
            expect(s.pies).toBeNull();
            continue;
          }
          const pies = s.pies!;
          const trend = s.trend!;
          const all = itemWindow(w, i, ALL);
          expectPie(pies.allHistory, all.values, all.total, `${model} all`);
          const per = itemWindow(w, i, periodWin);
          expectPie(pies.period, per.values, per.total, `${model} period`);
          const tod = itemWindow(w, i, todayWin);
          expectPie(pies.today, tod.values, tod.total, `${model} today`);
          const remaining = sliceMap(pies.allHistory).get('remaining');
          if (model === 'per-scan' || model === 'per-device')
            expect(remaining).toBe(Math.max(0, item.quota - used(w, i)));
          else expect(remaining).toBeUndefined();
          if (model === 'per-device')
            expect(pies.allHistory.slices.find((x) => x.key === 'remaining')?.label).toBe(
              `Free device slots (${item.quota} − ${used(w, i)} active now)`,
            );

          expectTiling(trend.intervals, from, to);
          const series = new Map(trend.series.map((x) => [x.key, x.values]));
          trend.intervals.forEach((iv, k) => {
            const b = itemWindow(w, i, { from: t0(iv.start), to: t0(iv.end) });
            for (const [key, values] of series) {
              if (key === 'peak')
                expect(values[k], `peak ${iv.start}`).toBe(peak(w, i, t0(iv.start), t0(iv.end)));
              else if (key === 'total') expect(values[k], `total ${iv.start}`).toBe(b.total);
              else expect(values[k], `${model} ${key} ${iv.start}`).toBe(b.values.get(key) ?? 0);
            }
          });
          if (model !== 'per-device') {
            // additive figures: the trend over the period sums to the period pie
            for (const sl of pies.period.slices)
              expect(series.get(sl.key)!.reduce((a, b) => a + b, 0)).toBe(sl.value);
          }
          if (model === 'multi-user') {
            expect(trend.seatCount).toBe(item.quota);
            expect(s.peakConcurrent).toBe(Math.max(0, ...series.get('peak')!));
          } else expect(series.has('peak')).toBe(false);
        }

        for (const [p, project] of w.projects.entries()) {
          const r = await t.app.inject({ url: `/api/v1/projects/${project.id}/stats?${qs}`, headers });
          expect(r.statusCode, r.body).toBe(200);
          documented.expectDocumented('GET', '/api/v1/projects/{id}/stats', 200, r.json());
          const s = r.json() as ProjectStatsResponse;
          const sumOf = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
          const all = projectWindow(w, p, ALL);
          expectPie(s.pies.allHistory, all, sumOf(all), 'project all');
          const per = projectWindow(w, p, periodWin);
          expectPie(s.pies.period, per, sumOf(per), 'project period');
          const tod = projectWindow(w, p, todayWin);
          expectPie(s.pies.today, tod, sumOf(tod), 'project today');
          expectTiling(s.trend.intervals, from, to);
          const series = new Map(s.trend.series.map((x) => [x.key, x.values]));
          s.trend.intervals.forEach((iv, k) => {
            const b = projectWindow(w, p, { from: t0(iv.start), to: t0(iv.end) });
            for (const [key, v] of b) expect(series.get(key)![k], `project ${key} ${iv.start}`).toBe(v);
            expect(series.get('total')![k]).toBe(sumOf(b));
          });
          // the table: 2-hour rows, newest first, zeros included
          const rows = [...s.table].reverse();
          expectTiling(rows, from, to);
          for (const row of s.table) {
            const b = projectWindow(w, p, { from: t0(row.start), to: t0(row.end) });
            expect(row.values).toEqual(Object.fromEntries(b));
            expect(row.total).toBe(sumOf(b));
            expect(t0(row.end) - t0(row.start)).toBeLessThanOrEqual(3 * H);
          }
          const deviceItems = new Set(w.items.filter((x) => x.model === 'per-device').map((x) => x.id));
          for (const sl of s.pies.period.slices) {
            if (deviceItems.has(sl.key)) continue;
            expect(series.get(sl.key)!.reduce((a, b) => a + b, 0)).toBe(sl.value);
            expect(s.table.reduce((a, row) => a + row.values[sl.key]!, 0)).toBe(sl.value);
          }
          // the CSV holds the same table
          const csv = await t.app.inject({
            url: `/api/v1/projects/${project.id}/usage-table.csv?${qs}`,
            headers,
          });
          expect(csv.statusCode, csv.body).toBe(200);
          expect(csv.headers['content-type']).toMatch(/^text\/csv/);
          const lines = csv.body.split('\r\n').filter((l) => l !== '');
          const itemIds = [...per.keys()].sort();
          expect(lines[0]).toBe(['Interval start', 'Interval end', ...itemIds, 'Total'].join(','));
          expect(lines.slice(1)).toEqual(
            s.table.map((row) =>
              [row.start, row.end, ...itemIds.map((id) => row.values[id]), row.total].join(','),
            ),
          );
          // a page of the table is that slice of it; pies and trend do not depend on the page
          // (they are then read in the trend's own buckets, not the table's)
          const n = s.table.length;
          const offset = Math.floor(n / 3);
          const limit = Math.max(1, Math.floor(n / 4));
          const paged = await t.app.inject({
            url: `/api/v1/projects/${project.id}/stats?${qs}&tableOffset=${offset}&tableLimit=${limit}`,
            headers,
          });
          expect(paged.statusCode, paged.body).toBe(200);
          const ps = paged.json() as ProjectStatsResponse;
          expect(ps.tablePage).toEqual({ offset, limit: Math.min(limit, n - offset), total: n });
          expect(ps.table).toEqual(s.table.slice(offset, offset + limit));
          expect(ps.pies).toEqual(s.pies);
          expect(ps.trend).toEqual(s.trend);
          expect(s.tablePage).toEqual({ offset: 0, limit: n, total: n });
        }
      }),
      { numRuns: 15, endOnFailure: true },
    );
  });
});
