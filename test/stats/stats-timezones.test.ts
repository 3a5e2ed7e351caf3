/**
 * Bucket boundaries through the API: daylight-saving days in New York and Berlin (12 two-hour
 * intervals, the one holding the change lasting 1 or 3 hours), Kathmandu's +05:45 boundaries at
 * local even hours, and events exactly on and just before a boundary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemStatsResponse, ProjectStatsResponse } from '../../src/contract/stats.ts';
import type { LedgerEvent } from '../../src/core/ledger-event.ts';
import {
  createLicenseItem,
  createOrder,
  createProduct,
  createProject,
} from '../../src/storage/catalog-repository.ts';
import { appendEvents } from '../../src/storage/ledger-repository.ts';
import { bearerAs, newOrg, uniq } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const H = 3_600_000;
const t0 = (s: string) => Date.parse(s);

describe.each(DIALECTS)('statistics in time zones on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url(), Date.parse('2026-11-20T12:00:00Z'));
  });
  afterAll(async () => t.close());

  /** A per-scan item in a project, with scans of the given counts at the given instants. */
  async function setup(scans: [number, number][]) {
    const db = t.deps.db.kysely;
    const now = t.clock.now();
    const org = await newOrg(t);
    const product = await createProduct(db, `P ${uniq()}`, ['core'], now);
    const order = await createOrder(db, org, 'full', now);
    const item = await createLicenseItem(
      db,
      {
        organizationId: org,
        orderId: order.id,
        productId: product.id,
        name: 'Scans',
        version: '2026.x',
        deployment: 'device',
        model: 'per-scan',
        quota: 100000,
        refreshIntervalS: 86400,
        validFrom: Date.parse('2026-01-01T00:00:00Z'),
        validTo: Date.parse('2027-01-01T00:00:00Z'),
        modules: ['core'],
        takesPerPeriod: null,
        takePeriodDays: null,
      },
      now,
    );
    const project = await createProject(
      db,
      { organizationId: org, name: 'Main', key: `k-${uniq()}`, licenseItemIds: [item.id] },
      now,
    );
    const events: LedgerEvent[] = scans.map(([at, count]) => ({
      organizationId: org,
      licenseItemId: item.id,
      projectId: project.id,
      activationCodeId: null,
      activationId: null,
      sessionId: null,
      kind: 'scan',
      count,
      at,
      receivedAt: now,
      email: null,
      fingerprint: 'dev-1',
      batchId: null,
    }));
    await appendEvents(db, events);
    const { headers } = await bearerAs(t, 'admin', org);
    return { item, project, headers };
  }

  /** Scans on and just before every boundary of the day, and in the middle of each interval. */
  function scansAround(boundaries: number[]): [number, number][] {
    const out: [number, number][] = [];
    boundaries.forEach((b, i) => {
      out.push([b, 1000 + i], [b - 1, 1], [b + 30 * 60_000, 10]);
    });
    return out;
  }

  const cases = [
    {
      tz: 'America/New_York',
      date: '2026-03-08',
      next: '2026-03-09',
      hours: [2, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
      starts: ['2026-03-08T00:00:00-05:00', '2026-03-08T03:00:00-04:00', '2026-03-08T04:00:00-04:00'],
    },
    {
      tz: 'America/New_York',
      date: '2026-11-01',
      next: '2026-11-02',
      hours: [3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
      starts: ['2026-11-01T00:00:00-04:00', '2026-11-01T02:00:00-05:00', '2026-11-01T04:00:00-05:00'],
    },
    {
      tz: 'Europe/Berlin',
      date: '2026-03-29',
      next: '2026-03-30',
      hours: [2, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
      starts: ['2026-03-29T00:00:00+01:00', '2026-03-29T03:00:00+02:00', '2026-03-29T04:00:00+02:00'],
    },
    {
      tz: 'Europe/Berlin',
      date: '2026-10-25',
      next: '2026-10-26',
      hours: [2, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
      starts: ['2026-10-25T00:00:00+02:00', '2026-10-25T02:00:00+02:00', '2026-10-25T04:00:00+01:00'],
    },
    {
      tz: 'Asia/Kathmandu',
      date: '2026-06-01',
      next: '2026-06-02',
      hours: [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
      starts: ['2026-06-01T00:00:00+05:45', '2026-06-01T02:00:00+05:45', '2026-06-01T04:00:00+05:45'],
    },
    {
      tz: 'Asia/Kolkata',
      date: '2026-06-01',
      next: '2026-06-02',
      hours: [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2],
      starts: ['2026-06-01T00:00:00+05:30', '2026-06-01T02:00:00+05:30', '2026-06-01T04:00:00+05:30'],
    },
  ];

  it.each(cases)('$tz on $date: 12 intervals of $hours hours', async (c) => {
    // boundaries computed independently from the expected local start times
    const first = c.starts.map(t0);
    const boundaries = [first[0]!];
    for (const h of c.hours) boundaries.push(boundaries.at(-1)! + h * H);
    expect(boundaries.slice(0, 3)).toEqual(first);
    const { item, project, headers } = await setup(scansAround(boundaries));
    const qs = `from=${c.date}&to=${c.next}&tz=${encodeURIComponent(c.tz)}`;

    const r = await t.app.inject({ url: `/api/v1/projects/${project.id}/stats?${qs}`, headers });
    expect(r.statusCode, r.body).toBe(200);
    const s = r.json() as ProjectStatsResponse;
    const rows = [...s.table].reverse();
    expect(rows).toHaveLength(12);
    expect(rows.map((x) => (t0(x.end) - t0(x.start)) / H)).toEqual(c.hours);
    expect(rows.slice(0, 3).map((x) => x.start)).toEqual(c.starts);
    expect(rows.map((x) => t0(x.start))).toEqual(boundaries.slice(0, 12));
    // interval i holds: the scan on its start (1000+i), the mid one (10) and the one just before the next (1)
    rows.forEach((row, i) => {
      expect(row.values[item.id], row.start).toBe(1000 + i + 10 + 1);
    });
    // the day pie: everything inside the local day (not the scan 1 ms before it, nor the one on its end)
    const inside = 12 * 11 + (1000 * 12 + 66);
    expect(s.pies.period.total).toBe(inside);
    expect(s.trend.granularity).toBe('2h');
    expect(s.trend.intervals.map((x) => x.start)).toEqual(rows.map((x) => x.start));

    const daily = await t.app.inject({
      url: `/api/v1/license-items/${item.id}/stats?${qs}&granularity=day`,
      headers,
    });
    const d = daily.json() as ItemStatsResponse;
    expect(d.trend!.intervals).toEqual([{ start: c.starts[0], end: s.table[0]!.end }]);
    expect(d.trend!.series.find((x) => x.key === project.id)!.values).toEqual([inside]);

    const csv = await t.app.inject({ url: `/api/v1/projects/${project.id}/usage-table.csv?${qs}`, headers });
    const lines = csv.body.trim().split('\r\n');
    expect(lines).toHaveLength(13);
    expect(lines.at(-1)).toBe(`${rows[0]!.start},${rows[0]!.end},${1000 + 10 + 1},${1000 + 10 + 1}`);
  });

  it('weeks start on local Monday midnight', async () => {
    const { item, headers } = await setup([
      [t0('2026-03-09T03:59:59.999Z'), 1],
      [t0('2026-03-09T04:00:00Z'), 2],
      [t0('2026-03-09T05:00:00Z'), 4],
    ]);
    const r = await t.app.inject({
      url: `/api/v1/license-items/${item.id}/stats?from=2026-03-04&to=2026-03-18&tz=America/New_York&granularity=week`,
      headers,
    });
    const s = r.json() as ItemStatsResponse;
    expect(s.trend!.intervals.map((x) => x.start)).toEqual([
      '2026-03-04T00:00:00-05:00',
      '2026-03-09T00:00:00-04:00',
      '2026-03-16T00:00:00-04:00',
    ]);
    expect(s.trend!.series.find((x) => x.key === 'total')!.values).toEqual([1, 6, 0]); // Monday 00:00 EDT = 04:00Z
  });
});
