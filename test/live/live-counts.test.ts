/**
 * Property: the live view's counts of today (read from the rollups plus the ledger's last minutes)
 * equal a brute-force sum over the raw events written, per item, project and kind — with events
 * earlier today in whole quarters and hours, in the current quarter, yesterday, and a few minutes
 * in the future (not counted: the window ends now).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayWindow } from '../../src/core/time-buckets.ts';
import { getLiveActivity } from '../../src/storage/live/getLiveActivity.ts';
import { kindsOf, MODELS, worldArb, writeWorld, ZONES } from '../stats/fixture.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describe.each(DIALECTS)("live view: today's counts equal brute force on $name", (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  it('per item, project and kind', async () => {
    await fc.assert(
      fc.asyncProperty(worldArb, fc.constantFrom(...ZONES), async (raw, tz) => {
        const w = await writeWorld(t, raw);
        const { start } = todayWindow(raw.now, tz);
        const expected = new Map<string, number>();
        for (const e of raw.events) {
          if (e.at < start || e.at > raw.now) continue;
          for (const k of kindsOf(MODELS[e.item]!, e)) {
            const key = [
              w.items[e.item]!.id,
              e.project === null ? null : w.projects[e.project]!.id,
              k.kind,
            ].join('|');
            expected.set(key, (expected.get(key) ?? 0) + k.count);
          }
        }
        const live = await getLiveActivity(t.deps.db.kysely, {
          organizationId: w.organizationId,
          now: raw.now,
          todayStart: start,
        });
        const got = new Map(
          live.counts.map((c) => [[c.license_item_id, c.project_id, c.kind].join('|'), c.n]),
        );
        expect(got).toEqual(expected);
      }),
      { numRuns: 25 },
    );
  });
});
