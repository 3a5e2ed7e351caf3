/**
 * The statistics routes as a caller meets them: roles, organizations, bad periods, hardware-key
 * items, the item header; and figures end to end from the client API (seats, leases, scans).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ItemDetailResponse,
  ItemStatsResponse,
  ProjectStatsResponse,
} from '../../src/contract/stats.ts';
import { createApiToken } from '../../src/storage/api-token-repository.ts';
import { addItem, addProject, auth, DAY, newOrg } from '../client/fixtures.ts';
import { bearerAs, newUser } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const NOW = Date.parse('2026-06-15T10:00:00Z');
const H = 3_600_000;

describe.each(DIALECTS)('statistics routes on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url(), NOW);
  });
  afterAll(async () => t.close());

  async function world() {
    t.clock.set(NOW);
    const o = await newOrg(t.deps);
    const scan = await addItem(t.deps, o, { model: 'per-scan', quota: 1000 });
    const mul = await addItem(t.deps, o, { model: 'multi-user', quota: 2, refreshS: 3600 });
    const hwk = await addItem(t.deps, o, { model: 'hardware-key', quota: 3 });
    const project = await addProject(t.deps, o.org.id, [scan.item.id, mul.item.id, hwk.item.id]);
    return { o, scan, mul, hwk, project };
  }

  const urls = (w: Awaited<ReturnType<typeof world>>) => [
    `/api/v1/license-items/${w.scan.item.id}`,
    `/api/v1/license-items/${w.scan.item.id}/stats`,
    `/api/v1/projects/${w.project.id}/stats`,
    `/api/v1/projects/${w.project.id}/usage-table.csv`,
  ];

  it('401 without a login; members: 403 on statistics, the item without usage', async () => {
    const w = await world();
    for (const url of urls(w)) {
      const r = await t.app.inject({ url });
      expect(r.statusCode, url).toBe(401);
      expect(r.json().error.code).toBe('UNAUTHENTICATED');
    }
    const member = await bearerAs(t, 'member', w.o.org.id);
    const [detail, ...stats] = urls(w);
    for (const url of stats) {
      const r = await t.app.inject({ url, headers: member.headers });
      expect(r.statusCode, url).toBe(403);
      expect(r.json().error.code).toBe('FORBIDDEN');
    }
    const d = await t.app.inject({ url: detail!, headers: member.headers });
    expect(d.statusCode).toBe(200);
    expect((d.json() as ItemDetailResponse).licenseItem.usage).toBeNull();
  });

  it("another organization's item or project is 404, as if it did not exist; vendors see all", async () => {
    const w = await world();
    const stranger = await bearerAs(t, 'admin');
    for (const url of [
      ...urls(w),
      '/api/v1/license-items/LI-99999/stats',
      '/api/v1/projects/prj_nope/stats',
    ]) {
      const r = await t.app.inject({ url, headers: stranger.headers });
      expect(r.statusCode, url).toBe(404);
      expect(r.json().error.code).toBe('NOT_FOUND');
    }
    const vendor = await bearerAs(t, 'vendor');
    for (const url of urls(w))
      expect((await t.app.inject({ url, headers: vendor.headers })).statusCode, url).toBe(200);
  });

  it('bad periods are 400 with a clear code', async () => {
    const w = await world();
    const admin = await bearerAs(t, 'admin', w.o.org.id);
    const cases: [string, number, string][] = [
      ['from=2026-06-10&to=2026-06-01', 400, 'INVALID_PERIOD'],
      ['from=2026-06-10&to=2026-06-10', 400, 'INVALID_PERIOD'],
      ['tz=Mars/Olympus_Mons', 400, 'INVALID_TIME_ZONE'],
      ['from=1990-01-01&to=2090-01-01', 400, 'INVALID_PERIOD'],
      ['from=yesterday', 400, 'INVALID_PERIOD'],
      ['from=2026-02-30', 400, 'INVALID_PERIOD'],
      ['from=2025-01-01&granularity=2h', 400, 'INVALID_PERIOD'],
      ['granularity=hourly', 400, 'VALIDATION_FAILED'],
      ['color=blue', 400, 'VALIDATION_FAILED'],
    ];
    for (const url of urls(w).slice(1))
      for (const [qs, status, code] of cases) {
        if (url.endsWith('.csv') && qs.startsWith('from=2025-01-01&granularity')) continue; // the CSV is always 2-hour rows
        const r = await t.app.inject({ url: `${url}?${qs}`, headers: admin.headers });
        expect(r.statusCode, `${url}?${qs}`).toBe(status);
        expect(r.json().error.code, `${url}?${qs}`).toBe(code);
      }
  });

  it('hardware-key items: no usage at all', async () => {
    const w = await world();
    const admin = await bearerAs(t, 'admin', w.o.org.id);
    const s = (
      await t.app.inject({ url: `/api/v1/license-items/${w.hwk.item.id}/stats`, headers: admin.headers })
    ).json() as ItemStatsResponse;
    expect(s).toMatchObject({ applicable: false, measure: 'none', pies: null, trend: null });
    const d = (
      await t.app.inject({ url: `/api/v1/license-items/${w.hwk.item.id}`, headers: admin.headers })
    ).json() as ItemDetailResponse;
    expect(d.licenseItem).toMatchObject({ usage: null, quotaType: 'dongles', measure: 'none' });
    const p = (
      await t.app.inject({ url: `/api/v1/projects/${w.project.id}/stats`, headers: admin.headers })
    ).json() as ProjectStatsResponse;
    expect(p.project.items.find((i) => i.id === w.hwk.item.id)?.measure).toBe('none');
    expect(p.pies.period.slices.map((s) => s.key)).toEqual([w.scan.item.id, w.mul.item.id].sort());
  });

  it('the period defaults to the last 30 days in the saved zone; the header shows tags, status, codes', async () => {
    const w = await world();
    const user = await newUser(t, 'admin', w.o.org.id, { timeZone: 'Asia/Kathmandu' });
    const { token } = await createApiToken(t.deps.db.kysely, user.id, 'x', NOW);
    const headers = { authorization: `Bearer ${token}` };
    const s = (
      await t.app.inject({ url: `/api/v1/license-items/${w.scan.item.id}/stats`, headers })
    ).json() as ItemStatsResponse;
    expect(s.period).toMatchObject({
      timeZone: 'Asia/Kathmandu',
      from: '2026-05-17T00:00:00+05:45',
      to: '2026-06-16T00:00:00+05:45',
      granularity: 'day',
      today: { start: '2026-06-15T00:00:00+05:45', end: '2026-06-16T00:00:00+05:45' },
    });
    expect(s.trend!.intervals).toHaveLength(30);
    const d = (
      await t.app.inject({ url: `/api/v1/license-items/${w.scan.item.id}`, headers })
    ).json() as ItemDetailResponse;
    expect(d.licenseItem).toMatchObject({
      id: w.scan.item.id,
      version: '2026.x',
      deployment: 'computer',
      refreshInterval: '1h',
      quota: 1000,
      quotaType: 'scans',
      status: { state: 'valid', label: `Expires ${new Date(NOW + 365 * DAY).toISOString().slice(0, 10)}` },
      projects: [{ id: w.project.id, name: w.project.name }],
      activationCodes: [
        { id: w.scan.code.id, prefix: w.scan.code.prefix, maxActivations: 1000, activations: 0 },
      ],
      usage: { value: 0, percentage: 0 },
    });
    expect(w.scan.code.code.startsWith(d.licenseItem.activationCodes[0]!.prefix)).toBe(true);
  });

  it('end to end from the client API: seats, declines, peak, expiry, scans', async () => {
    const w = await world();
    const admin = await bearerAs(t, 'admin', w.o.org.id);
    const start = async (fp: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/client/sessions',
          headers: auth(w.mul.code.code),
          payload: { fingerprint: fp, email: `${fp}@example.test`, project: w.project.key },
        })
      ).json();
    // 10:00 a and b take both seats; c is declined; 10:30 a ends; 10:45 d takes the seat; b's lease
    // (1 h) expires at 11:00 without renewal.
    const a = await start('a');
    await start('b');
    expect((await start('c')).session.mode).toBe('limited');
    t.clock.set(NOW + 30 * 60_000);
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/client/sessions/${a.session.id}/end`,
      headers: auth(w.mul.code.code),
    });
    t.clock.set(NOW + 45 * 60_000);
    expect((await start('d')).session.mode).toBe('full');
    t.clock.set(NOW + 70 * 60_000);
    expect((await start('e')).session.mode).toBe('full'); // b's seat is free again
    const batch = await t.app.inject({
      method: 'POST',
      url: '/api/v1/client/usage',
      headers: auth(w.scan.code.code),
      payload: {
        batchId: 'b1',
        fingerprint: 'scanner',
        project: w.project.key,
        events: [
          { kind: 'scan', count: 7, at: new Date(NOW - 2 * DAY).toISOString() },
          { kind: 'scan', count: 5, at: new Date(NOW + 60 * 60_000).toISOString() },
        ],
      },
    });
    expect(batch.statusCode, batch.body).toBe(202);
    t.clock.set(NOW + 2 * H);
    const qs = 'from=2026-06-15&to=2026-06-16&tz=UTC';
    const s = (
      await t.app.inject({
        url: `/api/v1/license-items/${w.mul.item.id}/stats?${qs}`,
        headers: admin.headers,
      })
    ).json() as ItemStatsResponse;
    const slices = Object.fromEntries(s.pies!.period.slices.map((x) => [x.key, x.value]));
    expect(slices).toEqual({ full: 4, limited: 0, declined: 1 });
    expect(s.peakConcurrent).toBe(2);
    const peak = s.trend!.series.find((x) => x.key === 'peak')!.values;
    // 2-hour points: 10:00–12:00 peaks at 2 (a+b, then b+d, then d+e); from 12:00 (now) nothing is held yet
    expect(peak.slice(5, 7)).toEqual([2, 0]);
    expect(s.trend!.seatCount).toBe(2);
    const d = (
      await t.app.inject({ url: `/api/v1/license-items/${w.mul.item.id}`, headers: admin.headers })
    ).json() as ItemDetailResponse;
    // at 12:00 d's lease has expired (11:45) and e's runs until 12:10: one seat of two in use
    expect(d.licenseItem.usage).toEqual({ value: 1, percentage: 50 });
    const p = (
      await t.app.inject({ url: `/api/v1/projects/${w.project.id}/stats?${qs}`, headers: admin.headers })
    ).json() as ProjectStatsResponse;
    const ps = Object.fromEntries(p.pies.period.slices.map((x) => [x.key, x.value]));
    expect(ps).toEqual({ [w.scan.item.id]: 5, [w.mul.item.id]: 5 });
    expect(p.table.find((r) => r.start === '2026-06-15T10:00:00+00:00')).toMatchObject({
      values: ps,
      total: 10,
    });
    const all = Object.fromEntries(p.pies.allHistory.slices.map((x) => [x.key, x.value]));
    expect(all[w.scan.item.id]).toBe(12);
  });
});
