/**
 * Cost follows the buckets shown, not the events stored: a 5-year period with a 2-hour table
 * (~22,000 rows) over a ledger of 20,000 events answers quickly, and the CSV holds the same rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectStatsResponse } from '../../src/contract/stats.ts';
import type { LedgerEvent } from '../../src/core/ledger-event.ts';
import { appendEvents } from '../../src/storage/ledger-repository.ts';
import { addItem, addProject, newOrg } from '../client/fixtures.ts';
import { bearerAs } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const NOW = Date.parse('2026-06-15T10:00:00Z');
const DAY = 86_400_000;

describe.each(DIALECTS)('statistics at scale on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url(), NOW);
  });
  afterAll(async () => t.close());

  it('a 5-year project page and CSV over 20,000 events', async () => {
    const o = await newOrg(t.deps);
    const { item } = await addItem(t.deps, o, {
      model: 'per-scan',
      quota: 1e9,
      validFrom: NOW - 6 * 365 * DAY,
    });
    const dev = await addItem(t.deps, o, { model: 'per-device', quota: 100, validFrom: NOW - 6 * 365 * DAY });
    const project = await addProject(t.deps, o.org.id, [item.id, dev.item.id]);
    const events: LedgerEvent[] = [];
    let scans = 0;
    for (let i = 0; i < 20_000; i++) {
      const at = NOW - Math.floor(((i * 7919) % 1_800) * DAY + ((i * 104_729) % DAY));
      const isScan = i % 4 !== 0;
      if (isScan) scans += (i % 9) + 1;
      events.push({
        organizationId: o.org.id,
        licenseItemId: isScan ? item.id : dev.item.id,
        projectId: project.id,
        activationCodeId: null,
        activationId: null,
        sessionId: null,
        kind: isScan ? 'scan' : 'device_seen',
        count: isScan ? (i % 9) + 1 : 1,
        at,
        receivedAt: NOW,
        email: null,
        fingerprint: `d${(i / 4) % 50}`,
        batchId: null,
      });
    }
    await appendEvents(t.deps.db.kysely, events);
    const { headers } = await bearerAs(t, 'admin', o.org.id);
    const qs = 'from=2021-06-16&to=2026-06-16&tz=Europe/Berlin';
    const started = performance.now();
    const r = await t.app.inject({ url: `/api/v1/projects/${project.id}/stats?${qs}`, headers });
    const ms = performance.now() - started;
    expect(r.statusCode, r.body).toBe(200);
    const s = r.json() as ProjectStatsResponse;
    expect(s.trend.granularity).toBe('week');
    expect(s.table.length).toBeGreaterThan(21_900);
    expect(s.pies.period.slices.find((x) => x.key === item.id)!.value).toBe(scans);
    expect(s.pies.period.slices.find((x) => x.key === dev.item.id)!.value).toBe(50);
    expect(s.table.reduce((a, row) => a + row.values[item.id]!, 0)).toBe(scans);
    expect(ms).toBeLessThan(5_000);
    const csv = await t.app.inject({ url: `/api/v1/projects/${project.id}/usage-table.csv?${qs}`, headers });
    expect(csv.statusCode).toBe(200);
    expect(csv.body.trim().split('\r\n')).toHaveLength(s.table.length + 1);
    // A page is read another way (trend and period counted per bucket by the database, not from
    // the whole table's rows): the same pies and trend, and the page equals that slice.
    const paged = await t.app.inject({
      url: `/api/v1/projects/${project.id}/stats?${qs}&tableOffset=1000&tableLimit=48`,
      headers,
    });
    const ps = paged.json() as ProjectStatsResponse;
    expect(ps.pies).toEqual(s.pies);
    expect(ps.trend).toEqual(s.trend);
    expect(ps.table).toEqual(s.table.slice(1000, 1048));
    const devTrend = s.trend.series.find((x) => x.key === dev.item.id)!.values;
    expect(Math.max(...devTrend)).toBeGreaterThan(0);
    console.log(`${dialect.name}: 5-year project stats in ${Math.round(ms)} ms`);
  });
});
