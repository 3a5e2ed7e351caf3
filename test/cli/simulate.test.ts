/**
 * `simulate` writes what it was configured for: contention in a floating pool gives declines,
 * single-user takes are recorded or denied. Checked against the ledger, per item, by kind.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { PoolSpec } from '../../src/demo/fleet.ts';
import { simulateHistory, simulateLive } from '../../src/demo/simulate.ts';
import { startServer } from '../../src/server/start.ts';
import { DAY, ledgerByKind, licenseFixture } from '../sdk/support.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const pool = (o: Partial<PoolSpec> & Pick<PoolSpec, 'kind' | 'licenseKey' | 'machines'>): PoolSpec => ({
  name: `sim-${Math.random().toString(36).slice(2, 6)}`,
  timeZone: 'Europe/Berlin',
  emailDomain: 'sim.example',
  refreshIntervalS: 3600,
  ...o,
});

describe.each(DIALECTS)('simulate on $name', { timeout: 120_000 }, (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  test('history: a floating pool with more users than seats records exactly the declines the fleet saw', async () => {
    const now = t.clock.now();
    const f = await licenseFixture(t.deps.db, now, { model: 'multi-user', quota: 2, refreshIntervalS: 3600 });
    const r = await simulateHistory(t.deps.db, t.deps.signer, {
      pools: [pool({ kind: 'multi-user', licenseKey: f.code, machines: 6, sessionsPerDay: 1.5 })],
      from: now - 10 * DAY,
      to: now - 1 * DAY,
      seed: 7,
    });
    const ledger = await ledgerByKind(t.deps.db, f.item.id);
    expect(r.tally.starts.declined).toBeGreaterThan(10);
    expect(r.tally.starts.full).toBeGreaterThan(10);
    expect(ledger.declined?.rows).toBe(r.tally.starts.declined);
    expect(ledger.full_access?.rows).toBe(r.tally.starts.full);
    expect(ledger.checkout?.rows).toBe(r.tally.starts.full);
    expect(ledger.limited_access?.rows).toBe(r.tally.starts.declined);
    // every planned start was answered
    expect(r.tally.starts.full + r.tally.starts.declined).toBe(
      r.plan.actions.filter((a) => a.type === 'start').length,
    );
    expect(r.tally.refusals).toEqual({});
    // no moment had more seats checked out than the quota: replay starts and ends from the ledger's sessions
    const sessions = await t.deps.db.kysely
      .selectFrom('sessions')
      .select(['started_at', 'ended_at', 'lease_expires_at', 'holds_seat'])
      .where('license_item_id', '=', f.item.id)
      .execute();
    const edges = sessions
      .filter((s) => s.holds_seat === 1)
      .flatMap((s) => [
        [Number(s.started_at), 1],
        [Math.min(Number(s.ended_at ?? Number.POSITIVE_INFINITY), Number(s.lease_expires_at)), -1],
      ])
      .sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    let held = 0;
    let peak = 0;
    for (const [, d] of edges) {
      held += d!;
      peak = Math.max(peak, held);
    }
    expect(peak).toBe(2);
  });

  test('history: single-user takes are recorded, and denied past the period allowance', async () => {
    const now = t.clock.now();
    const f = await licenseFixture(t.deps.db, now, {
      model: 'single-user',
      quota: 1,
      takes: [2, 30],
      refreshIntervalS: 86400,
    });
    const r = await simulateHistory(t.deps.db, t.deps.signer, {
      pools: [
        pool({
          kind: 'single-user',
          licenseKey: f.code,
          machines: 4,
          activated: 1,
          takesPerWeek: 4,
          refreshIntervalS: 86400,
        }),
      ],
      from: now - 20 * DAY,
      to: now - 1 * DAY,
      seed: 3,
    });
    const ledger = await ledgerByKind(t.deps.db, f.item.id);
    const attempts = r.plan.actions.filter((a) => a.type === 'take').length;
    expect(attempts).toBeGreaterThan(4);
    expect(r.tally.takes + r.tally.takesHeld + r.tally.takesDenied).toBe(attempts);
    expect(r.tally.takes).toBe(2);
    expect(r.tally.takesDenied).toBeGreaterThan(0);
    expect(ledger.take?.rows ?? 0).toBe(r.tally.takes);
    expect(ledger.take_denied?.rows ?? 0).toBe(r.tally.takesDenied);
    expect(ledger.full_access?.rows).toBe(r.tally.starts.full);
    expect(ledger.limited_access?.rows).toBe(r.tally.starts.limited);
  });

  test('live: SDK clients over HTTP are declined when the seat is taken, as the ledger shows', async () => {
    const started = await startServer(
      loadConfig({ DATABASE_URL: dialect.url(), PORT: '0', LOG_LEVEL: 'silent' }),
      { webDist: '/nonexistent' },
    );
    try {
      const now = Date.now();
      const f = await licenseFixture(started.deps.db, now, { model: 'multi-user', quota: 1 });
      // a zone where it is now about 7 in the morning: everyone comes in during the run
      const utcHour = new Date(now).getUTCHours();
      let offset = 7 - utcHour;
      if (offset > 14) offset -= 24;
      if (offset < -12) offset += 24;
      const timeZone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
      const r = await simulateLive(started.url, {
        pools: [
          pool({
            kind: 'multi-user',
            licenseKey: f.code,
            machines: 4,
            timeZone,
            everyDay: true,
            sessionsPerDay: 1,
          }),
        ],
        spanMs: 5 * 3_600_000,
        speed: 3600,
        start: now,
        seed: 11,
      });
      const ledger = await ledgerByKind(started.deps.db, f.item.id);
      expect(r.tally.starts.full).toBeGreaterThan(0);
      expect(r.tally.starts.declined).toBeGreaterThan(0);
      expect(ledger.declined?.rows).toBe(r.tally.starts.declined);
      expect(ledger.full_access?.rows).toBe(r.tally.starts.full);
      expect(r.tally.refusals).toEqual({});
    } finally {
      await started.stop();
    }
  });
});
