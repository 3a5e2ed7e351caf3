/**
 * GET /license-items/{id}/insight against histories written through the real client use cases
 * (startSession / renewSession / endSession with ManualClock times), on each database. Every
 * figure is checked against an independent computation over what the test itself did.
 */

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ItemInsightResponse } from '../../src/contract/insight.ts';
import type { ItemStatsResponse } from '../../src/contract/stats.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { endSession, renewSession, resolveClientKey, startSession } from '../../src/services/client/index.ts';
import { addItem, newOrg } from '../client/fixtures.ts';
import { bearerAs } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

const MIN = 60_000;
const H = 60 * MIN;
const LEASE = 15 * MIN; // the item's refresh interval

interface Sim {
  start: number;
  email: string;
  declined: boolean;
  /** seat release: min(end, lease expiry, now) — tracked by the test from what it did */
  end: number | null;
  lease: number;
  open: boolean;
  id: string;
}

const opArb = fc.record({
  gap: fc.integer({ min: 1_000, max: 6 * MIN }),
  kind: fc.constantFrom('start', 'start', 'retry', 'end', 'end', 'renew', 'renew'),
  user: fc.integer({ min: 0, max: 5 }),
  pick: fc.nat(),
});

describe.each(DIALECTS)('insight on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url(), Date.parse('2026-06-01T00:00:00Z'));
  });
  afterAll(async () => t?.close());

  test('random histories: replay at the quota equals the recorded declines; all figures vs brute force', async () => {
    let sawDeclines = 0;
    let sawTrue = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(opArb, { minLength: 20, maxLength: 70 }),
        fc.integer({ min: 0, max: 30 }),
        async (quota, ops, periodOffsetOps) => {
          const base = Date.parse('2026-06-01T00:00:00Z');
          t.clock.set(base);
          const o = await newOrg(t.deps);
          const { item, code } = await addItem(t.deps, o, { model: 'multi-user', quota, refreshS: 900 });
          const key = await resolveClientKey(t.deps.db.kysely, code.code);
          const emails = ['Ann@x.test', 'bob@x.test', 'ann@X.test', 'cy@x.test', 'dee@x.test', 'eve@x.test'];
          const sims: Sim[] = [];
          let now = base + H;
          let periodFrom = now;
          for (const [i, op] of ops.entries()) {
            // a retry: the last declined user tries again a few minutes later
            const retryOf = op.kind === 'retry' ? sims.findLast((s) => s.declined) : undefined;
            now += retryOf ? 1_000 + (op.gap % (3 * MIN)) : op.gap;
            if (i === periodOffsetOps) periodFrom = now - 500; // some sessions start before the period
            const open = sims.filter((s) => s.open);
            if (op.kind === 'start' || op.kind === 'retry' || open.length === 0) {
              const email = retryOf?.email ?? emails[op.user]!;
              const r = await startSession(
                t.deps.db,
                t.deps.signer,
                key,
                { fingerprint: `m${op.user}`, email },
                now,
              );
              const declined = r.session.mode !== 'full';
              sims.push({
                start: now,
                email,
                declined,
                end: null,
                lease: now + LEASE,
                open: true,
                id: r.session.id,
              });
            } else {
              const s = open[op.pick % open.length]!;
              if (op.kind === 'end') {
                await endSession(t.deps.db, key, s.id, now);
                s.open = false;
                if (s.end === null) s.end = Math.min(now, s.lease);
              } else if (s.lease > now) {
                await renewSession(t.deps.db, t.deps.signer, key, s.id, fixedClock(now));
                s.lease = now + LEASE;
              } else {
                s.open = false; // the lease ran out: renewal is refused
                await expect(
                  renewSession(t.deps.db, t.deps.signer, key, s.id, fixedClock(now)),
                ).rejects.toThrow();
              }
            }
          }
          now += 1_000;
          t.clock.set(now);
          const periodTo = now + 2 * H; // extends past now: only [from, now) is observed
          const admin = await bearerAs(t, 'admin', o.org.id);
          const r = await t.app.inject({
            method: 'GET',
            url: `/api/v1/license-items/${item.id}/insight`,
            query: {
              from: new Date(periodFrom).toISOString(),
              to: new Date(periodTo).toISOString(),
              tz: 'Asia/Kolkata',
            },
            headers: admin.headers,
          });
          expect(r.statusCode, r.body).toBe(200);
          const body = r.json() as ItemInsightResponse;
          const ins = body.insight!;

          // --- independent computation over what the test did ---
          const release = (s: Sim) => Math.min(s.end ?? Number.POSITIVE_INFINITY, s.lease, now);
          const seatHolders = sims.filter((s) => !s.declined);
          const inPeriod = sims.filter((s) => s.start >= periodFrom && s.start < now);
          const declines = inPeriod.filter((s) => s.declined);
          expect(ins.starts).toEqual({
            total: inPeriod.length,
            full: inPeriod.length - declines.length,
            declined: declines.length,
            trueDeclines: declines.filter(
              (d) =>
                !seatHolders.some(
                  (f) =>
                    f.email.toLowerCase() === d.email.toLowerCase() &&
                    f.start > d.start &&
                    f.start <= d.start + 10 * MIN,
                ),
            ).length,
          });

          // the replay at the real quota reproduces the recorded declines
          const atQuota = ins.replay.rows.find((x) => x.seats === quota)!;
          expect(atQuota.declines).toBe(declines.length);
          sawDeclines += declines.length;
          sawTrue += ins.starts.trueDeclines;

          // other k: a linear-scan replay of the test's own records
          const heldMs = inPeriod
            .filter((s) => !s.declined)
            .map((s) => release(s) - s.start)
            .sort((a, b) => a - b);
          const hold = heldMs.length ? heldMs[(heldMs.length - 1) >> 1]! : LEASE;
          expect(ins.replay.declinedHoldMs).toBe(hold);
          for (const row of ins.replay.rows) {
            let held = seatHolders
              .filter((s) => s.start < periodFrom && release(s) > periodFrom)
              .map(release);
            let n = 0;
            for (const a of inPeriod) {
              held = held.filter((x) => x > a.start);
              if (held.length < row.seats) held.push(a.start + (a.declined ? hold : release(a) - a.start));
              else n++;
            }
            expect(row.declines, `k=${row.seats}`).toBe(n);
          }
          expect(ins.replay.rows[0]!.seats).toBe(Math.max(1, quota - 2));
          expect(ins.replay.rows.at(-1)!.seats).toBe(quota + 5);

          // utilization: level at each breakpoint counted directly
          const cuts = [...new Set([periodFrom, now, ...seatHolders.flatMap((s) => [s.start, release(s)])])]
            .filter((x) => x >= periodFrom && x <= now)
            .sort((a, b) => a - b);
          const ms = new Array<number>(quota + 1).fill(0);
          for (let i = 0; i + 1 < cuts.length; i++) {
            const at = cuts[i]!;
            const level = seatHolders.filter((s) => s.start <= at && release(s) > at).length;
            ms[Math.min(level, quota)]! += cuts[i + 1]! - at;
          }
          expect(ins.utilization.map((u) => u.ms)).toEqual(ms);
          expect(Math.round(ins.utilization.reduce((a, u) => a + u.pct, 0) * 10)).toBe(1000);
          expect(ins.observed.ms).toBe(now - periodFrom);

          // the statistics page counts the same declines in the same period
          const st = await t.app.inject({
            method: 'GET',
            url: `/api/v1/license-items/${item.id}/stats`,
            query: { from: new Date(periodFrom).toISOString(), to: new Date(now).toISOString() },
            headers: admin.headers,
          });
          const declinedSlice = (st.json() as ItemStatsResponse).pies!.period.slices.find(
            (s) => s.key === 'declined',
          );
          expect(declinedSlice?.value ?? 0).toBe(declines.length);
        },
      ),
      { numRuns: dialect.name === 'postgres' ? 8 : 15 },
    );
    // the histories are busy enough to exercise declines, retries and true declines
    expect(sawDeclines).toBeGreaterThan(sawTrue);
    expect(sawTrue).toBeGreaterThan(0);
  }, 120_000);

  test('non-multi-user items are not applicable; roles and organizations are enforced', async () => {
    const o = await newOrg(t.deps);
    const { item: scan } = await addItem(t.deps, o, { model: 'per-scan', quota: 100 });
    const { item: mul } = await addItem(t.deps, o, { model: 'multi-user', quota: 2 });
    const admin = await bearerAs(t, 'admin', o.org.id);
    const get = (id: string, headers: Record<string, string>, query: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url: `/api/v1/license-items/${id}/insight`, query, headers });
    const na = await get(scan.id, admin.headers);
    expect(na.statusCode).toBe(200);
    expect((na.json() as ItemInsightResponse).applicable).toBe(false);
    const empty = (await get(mul.id, admin.headers)).json() as ItemInsightResponse;
    expect(empty.insight!.replay.recommendedSeats).toBeNull();
    expect(empty.insight!.replay.sentence).toMatch(/No program starts/);
    expect(empty.graceMinutes).toBe(10);
    expect(empty.targetPct).toBe(1);
    const other = await bearerAs(t, 'admin');
    expect((await get(mul.id, other.headers)).statusCode).toBe(404);
    const member = await bearerAs(t, 'member', o.org.id);
    expect((await get(mul.id, member.headers)).statusCode).toBe(403);
    expect((await get(mul.id, {})).statusCode).toBe(401);
    expect((await get(mul.id, admin.headers, { graceMinutes: '-1' })).statusCode).toBe(400);
    expect((await get(mul.id, admin.headers, { targetPct: '101' })).statusCode).toBe(400);
    expect((await get(mul.id, admin.headers, { bogus: '1' })).statusCode).toBe(400);
    const vendor = await bearerAs(t, 'vendor');
    expect((await get(mul.id, vendor.headers, { graceMinutes: '0', targetPct: '5' })).statusCode).toBe(200);
  });
});
